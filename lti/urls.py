"""The tool's URLs, mounted under ``lti/`` (``path("lti/", include("lti.urls"))``)."""
from django.urls import path

from . import views

# Links and pages made before the generic URLs still answer, as the first component's, until the next release.
LEGACY_COMPONENT = "cohort_forum"

urlpatterns = [
    path("jwks.json", views.jwks, name="social_lti_jwks"),
    path("login/", views.login, name="social_lti_login"),
    path("launch/", views.launch, name="social_lti_launch"),
    path("page/<str:component>/", views.component_page, name="social_lti_page"),
    path("api/v1/<str:component>/<str:action>/", views.component_api, name="social_lti_api"),
    path("assets/<str:package>/<str:version>/<path:path>", views.assets, name="social_lti_asset"),
    path("api/renew/", views.renew, name="social_lti_renew"),
    path("deep-link/", views.deep_link, name="social_lti_deep_link"),
    path("groups/", views.groups, name="social_lti_groups"),
    path("group/", views.switch_group, name="social_lti_switch_group"),
    path("open/<int:placement_id>/", views.open_activity, name="social_lti_open"),
    path("register/", views.register, name="social_lti_register"),
    # Compatibility routes (old URLs), until the next release.
    path("forum/", views.component_page, {"component": LEGACY_COMPONENT}, name="social_lti_forum"),
    path("api/forum/<str:action>/", views.component_api, {"component": LEGACY_COMPONENT}, name="social_lti_forum_api"),
]
