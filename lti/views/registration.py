"""Dynamic Registration: a platform registers the tool by itself."""
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .. import registration
from ..conf import conf
from ..protocol import LaunchError
from .common import absolute, error_page, page, refused, within_limits


def _tool_urls(request):
    return {"login": absolute(request, "social_lti_login"), "launch": absolute(request, "social_lti_launch"),
            "jwks": absolute(request, "social_lti_jwks")}


@csrf_exempt
@xframe_options_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@within_limits("registration_token")
def register(request):
    if not conf("DYNAMIC_REGISTRATION"):
        return error_page(request, _("Dynamic Registration is turned off for this tool. Ask its administrator to "
                                     "register your platform by hand."), 403, "registration_disabled")
    params = request.POST if request.method == "POST" else request.GET
    openid_configuration = params.get("openid_configuration", "")
    registration_token = params.get("registration_token", "")
    try:
        if request.method == "GET":
            config = registration.fetch_platform_configuration(openid_configuration, _tool_urls(request).values())
            return page(request, "social_lti/register.html", {
                "issuer": config["issuer"], "openid_configuration": openid_configuration,
                "registration_token": registration_token, "action": reverse("social_lti_register"),
                "urls": _tool_urls(request)})
        registration_row, deployment = registration.register(openid_configuration, registration_token,
                                                             _tool_urls(request))
    except LaunchError as err:
        return refused(request, err)
    return page(request, "social_lti/registered.html", {"registration": registration_row, "deployment": deployment})
