"""The sandbox's URLs: its own pages first, then the XBlock Workbench's.

The Workbench's scenario and handler URLs keep their paths and names but are served by the
sandbox's views (the block acts as the signed-in person and published events are kept); its
scenario list moves to ``/workbench/`` because ``/`` is the course unit.
"""
from django.urls import include, path, re_path
from workbench import views as workbench_views

from . import lti_platform, views

urlpatterns = [
    path("", views.home, name="sandbox_home"),
    path("workbench/", workbench_views.index, name="sandbox_workbench"),
    path("sandbox/sign-in/", views.sign_in, name="sandbox_sign_in"),
    path("sandbox/sign-out/", views.sign_out, name="sandbox_sign_out"),
    path("sandbox/events/", views.events, name="sandbox_events"),
    path("sandbox/events.json", views.events_json, name="sandbox_events_json"),
    path("sandbox/lti-platform/", lti_platform.page, name="sandbox_lti_platform"),
    path("sandbox/lti-platform/jwks.json", lti_platform.jwks, name="sandbox_lti_platform_jwks"),
    path("sandbox/lti-platform/auth/", lti_platform.auth, name="sandbox_lti_platform_auth"),
    path("sandbox/lti-platform/token/", lti_platform.token, name="sandbox_lti_platform_token"),
    path("sandbox/lti-platform/members/", lti_platform.members, name="sandbox_lti_platform_members"),
    # The LMS's address of a block (what a link to an item of another block of the course names).
    re_path(r"^courses/(?P<course_id>[^/]+)/jump_to/(?P<location>.+)$", views.jump_to, name="jump_to"),
    path("lti/", include("lti.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the header's language switcher
    re_path(r"^scenario/(?P<scenario_id>[^/]+)/(?P<view_name>[^/]+)/$", views.scenario),
    re_path(r"^scenario/(?P<scenario_id>[^/]+)/$", views.scenario),
    re_path(r"^handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$", views.handler),
    path("", include("workbench.urls")),
]

# A JSON request Django refuses before any view (e.g. a body over DATA_UPLOAD_MAX_MEMORY_SIZE) gets the
# one JSON error shape.
handler400 = "xblocks.core.errorviews.bad_request"
