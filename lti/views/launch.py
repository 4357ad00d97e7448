"""Keys, the OIDC login and the launch: the platform's messages reach the tool here."""
from urllib.parse import urlsplit

from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from lti_tool.models import LtiRegistration

from .. import components, identity, keys, tokens
from ..protocol import LaunchError, SocialMessageLaunch, already_used, begin_login, pending_login
from .common import absolute, answer_in, error_page, page, refused, within_limits
from .deep_linking import deep_link_form, moodle_groupings
from .pages import show_page

BINDING_FIELD = "sls_binding"


@require_GET
def jwks(request):
    response = JsonResponse(keys.jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response


@csrf_exempt
@xframe_options_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@within_limits("lti_message_hint")
def login(request):
    params = request.POST if request.method == "POST" else request.GET
    try:
        login_data = begin_login(params, absolute(request, "social_lti_launch"))
    except LaunchError as err:
        return refused(request, err)
    new_window = dict(params.items())
    new_window["sls_new_window"] = "1"
    return page(request, "social_lti/login.html", {
        "data": {**login_data, "new_window": bool(params.get("sls_new_window"))},
        "new_window_params": new_window,
        "login_url": absolute(request, "social_lti_login"),
    })


@csrf_exempt
@xframe_options_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@within_limits("id_token")
def launch(request):
    if request.method == "GET":
        # Moodle checks the address when an activity is saved; a person may open it by hand.
        return page(request, "social_lti/launch_address.html", {})
    if BINDING_FIELD not in request.POST:
        return launch_check(request)
    message_launch = SocialMessageLaunch(request, binding=request.POST.get(BINDING_FIELD, ""))
    try:
        message_launch.validate()
        if message_launch.is_resource_launch():
            try:
                settings = identity.check_settings(message_launch)
            except components.SettingsError as err:
                raise LaunchError(_("This activity's settings are not valid: {messages} "
                                    "Ask your instructor to edit the activity.").format(messages=" ".join(err.messages)),
                                  400, "bad_settings") from err
        elif message_launch.is_deep_link_launch():
            settings = None
        else:
            raise LaunchError(_("The tool does not handle this kind of launch."), 400, "unsupported_message")
        outcome = identity.record_launch(message_launch, settings)
    except LaunchError as err:
        if err.issuer is None:
            err.issuer, err.client_id = message_launch.claimed("iss"), message_launch.claimed("aud")
        return refused(request, err)
    language = identity.launch_language(message_launch.body)
    if message_launch.is_deep_link_launch():
        with translation.override(language or translation.get_language()):
            return deep_link_form(request, message_launch.get_launch_id(), outcome.user.id, "staff" in outcome.roles,
                                  groupings=moodle_groupings(message_launch) if "staff" in outcome.roles else None)
    lti_placement = outcome.lti_placement
    token = tokens.issue(outcome.user.id, outcome.placement.id, outcome.roles, outcome.group, language,
                         outcome.link_group, lti_placement.component, lti_placement.deployment_id)
    # The page itself, not a redirect: its token stays in the page (and the tab), out of every URL.
    return answer_in(language, show_page, request, lti_placement.component, token,
                     request.POST.get("lti_storage_target", ""))


def launch_check(request):
    """The platform's form post: the page hands the id_token back with the browser's secret."""
    id_token = request.POST.get("id_token")
    state = request.POST.get("state")
    if not id_token:
        return error_page(request, _("The launch request carried no id_token. Open the activity again from your course."),
                          400, "no_id_token")
    login_data = pending_login(state)
    if login_data is None:
        return error_page(request, _("This launch has expired or did not start in this browser. "
                                     "Open the activity again from your course."), 403, "unknown_state")
    registration_row = LtiRegistration.objects.filter(pk=login_data["registration"]).first()
    if login_data.get("used"):
        err = already_used()
        if registration_row is not None:
            err.issuer, err.client_id = registration_row.issuer, registration_row.client_id
        return refused(request, err)
    auth_url = registration_row.auth_url if registration_row else ""
    parts = urlsplit(auth_url)
    storage_target = request.POST.get("lti_storage_target") or login_data.get("storage_target") or ""
    fields = {"id_token": id_token, "state": state}
    if storage_target:  # the page keeps its launch token there too, when its frame may keep nothing
        fields["lti_storage_target"] = storage_target
    return page(request, "social_lti/launch_check.html", {
        "fields": fields,
        "binding_field": BINDING_FIELD,
        "data": {"state": state,
                 "storage_target": storage_target,
                 "platform_origin": f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""},
        "launch_url": reverse("social_lti_launch"),
    })
