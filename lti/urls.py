"""The tool's URLs, mounted under ``lti/`` (``path("lti/", include("lti.urls"))``)."""
from django.urls import path

from . import views

urlpatterns = [
    path("jwks.json", views.jwks, name="social_lti_jwks"),
    path("login/", views.login, name="social_lti_login"),
    path("launch/", views.launch, name="social_lti_launch"),
    path("forum/", views.forum_page, name="social_lti_forum"),
    path("api/forum/<str:action>/", views.forum_api, name="social_lti_forum_api"),
    path("api/renew/", views.renew, name="social_lti_renew"),
    path("deep-link/", views.deep_link, name="social_lti_deep_link"),
    path("groups/", views.groups, name="social_lti_groups"),
    path("register/", views.register, name="social_lti_register"),
]
