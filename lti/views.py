"""The tool's HTTP endpoints; thin over :mod:`lti.protocol`, :mod:`lti.identity`, :mod:`lti.forum`.

Pages that the platform frames are exempt from ``X-Frame-Options``; endpoints that the platform
or the page posts to are exempt from CSRF: they are authorised by a signed id_token, a browser
binding secret, or a launch token in the ``Authorization`` header, never by a cookie.
"""
import functools
import json
import logging

from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti_tool.models import LtiRegistration
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from xblocks.cohort_forum import frontdoor
from xblocks.core.errors import ApiError
from xblocks.core.groups import TEAM
from xblocks.core.models import LocalGroup, LocalGroupMembership

from . import components, forum, identity, keys, registration, services, tokens
from .conf import conf
from .models import FORUM, LearnerState, LtiPerson, LtiPlacement
from .protocol import LaunchError, SocialMessageLaunch, begin_login, pending_login, restore_launch

log = logging.getLogger(__name__)
BINDING_FIELD = "sls_binding"


def absolute(request, name, *args):
    base = conf("BASE_URL") or f"{request.scheme}://{request.get_host()}"
    return base.rstrip("/") + reverse(name, args=args)


def _page(request, template, context, status=200):
    response = render(request, template, {"tool_name": conf("TOOL_NAME"), **context}, status=status)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def error_page(request, message, status, code):
    log.info("LTI request refused (%s, %s): %s", status, code, message)
    return _page(request, "social_lti/error.html", {"message": message, "code": code, "status": status}, status)


def json_error(status, code, message, fields=None):
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return JsonResponse({"error": error}, status=status)


def _launch_language(request):
    """The language of the launch this request belongs to, or "": the launch token's (page URL, form or API
    header), or the Deep Linking form's (which the page was shown in)."""
    if request.method == "POST" and request.POST.get("language"):
        try:
            return translation.get_supported_language_variant(request.POST["language"])
        except LookupError:
            return ""
    value = request.GET.get("launch") or (request.POST.get("launch") if request.method == "POST" else None)
    try:
        token = tokens.read(value) if value else tokens.from_request(request)
    except tokens.TokenError:
        return ""
    return token.language


def in_launch_language(view):
    """Answer in the language the platform launched in (carried by the launch token); without one, in the
    language of the request (``Accept-Language`` through ``LocaleMiddleware``, else ``LANGUAGE_CODE``)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        language = _launch_language(request)
        if not language:
            return view(request, *args, **kwargs)
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    return wrapper


# ----- keys -------------------------------------------------------------------------------------
@require_GET
def jwks(request):
    response = JsonResponse(keys.jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response


# ----- OIDC login and launch ----------------------------------------------------------------------
@csrf_exempt
@xframe_options_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    params = request.POST if request.method == "POST" else request.GET
    try:
        login_data = begin_login(params, absolute(request, "social_lti_launch"))
    except LaunchError as err:
        return error_page(request, err.message, err.status, err.code)
    new_window = dict(params.items())
    new_window["sls_new_window"] = "1"
    return _page(request, "social_lti/login.html", {
        "data": {**login_data, "new_window": bool(params.get("sls_new_window"))},
        "new_window_params": new_window,
        "login_url": absolute(request, "social_lti_login"),
    })


@csrf_exempt
@xframe_options_exempt
@never_cache
@require_POST
def launch(request):
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
        return error_page(request, err.message, err.status, err.code)
    language = identity.launch_language(message_launch.body)
    if message_launch.is_deep_link_launch():
        with translation.override(language or translation.get_language()):
            return deep_link_form(request, message_launch.get_launch_id(), outcome.user.id, "staff" in outcome.roles)
    token = tokens.issue(outcome.user.id, outcome.placement.id, outcome.roles, outcome.group, language)
    return HttpResponseRedirect(reverse("social_lti_forum") + "?launch=" + token, status=303)


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
    auth_url = registration_row.auth_url if registration_row else ""
    from urllib.parse import urlsplit  # pylint: disable=import-outside-toplevel
    parts = urlsplit(auth_url)
    return _page(request, "social_lti/launch_check.html", {
        "fields": {"id_token": id_token, "state": state},
        "binding_field": BINDING_FIELD,
        "data": {"state": state,
                 "storage_target": request.POST.get("lti_storage_target") or login_data.get("storage_target") or "",
                 "platform_origin": f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""},
        "launch_url": reverse("social_lti_launch"),
    })


# ----- the forum page and its API -------------------------------------------------------------------
def _load(token):
    lti_placement = (LtiPlacement.objects.select_related("placement", "deployment__registration")
                     .filter(placement_id=token.placement_id).first())
    user = get_user_model().objects.filter(id=token.user_id, is_active=True).first()
    return lti_placement, user


def _load_with_state(token):
    """(placement, person, their state there) in one query: the launch made the state row."""
    subject = LtiPerson.objects.filter(user=OuterRef("user_id"),
                                       issuer=OuterRef("placement__social_lti__deployment__registration__issuer"))
    state = (LearnerState.objects.select_related("user", "placement__social_lti__deployment__registration")
             .annotate(lti_subject=Subquery(subject.values("subject")[:1]))  # for the gradebook (AGS)
             .filter(placement_id=token.placement_id, user_id=token.user_id, user__is_active=True).first())
    try:
        lti_placement = state.placement.social_lti if state is not None else None
    except LtiPlacement.DoesNotExist:
        lti_placement = None
    if lti_placement is None:
        return (*_load(token), None)
    return lti_placement, state.user, state


@xframe_options_exempt
@never_cache
@require_GET
@in_launch_language
def forum_page(request):
    try:
        token = tokens.read(request.GET.get("launch"))
    except tokens.TokenError as err:
        return error_page(request, err.message, err.status, err.code)
    lti_placement, user = _load(token)
    if lti_placement is None or user is None or lti_placement.component != FORUM:
        return error_page(request, _("This activity no longer exists in the tool."), 404, "not_found")
    token_value = request.GET.get("launch")
    urls = {name: reverse("social_lti_forum_api", args=[name]) for name in forum.HANDLERS}
    try:
        body, args = forum.render_page(token_value, token, user, lti_placement, urls)
    except ApiError as err:
        body, args = forum.render_closed(lti_placement, err.message), None
    css, scripts = forum.assets()
    return _page(request, "social_lti/forum.html", {
        "body": body, "css": css, "scripts": scripts, "args": args,
        "display_name": lti_placement.settings.get("display_name"),
        "token": token_value, "renew_url": reverse("social_lti_renew"),
        "renew_seconds": conf("LAUNCH_TOKEN_RENEW_SECONDS"),
        "groups_url": reverse("social_lti_groups") + "?launch=" + token_value if "staff" in token.roles else "",
    })


def _json_body(request):
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


@csrf_exempt
@require_POST
@in_launch_language
def forum_api(request, action):
    if action not in forum.HANDLERS:
        return json_error(404, "not_found", _("Unknown action."))
    try:
        token = tokens.from_request(request)
    except tokens.TokenError as err:
        return json_error(err.status, err.code, err.message)
    lti_placement, user, state = _load_with_state(token)
    if lti_placement is None or user is None:
        return json_error(404, "not_found", _("This activity no longer exists in the tool."))
    data = _json_body(request)
    if data is None:
        return json_error(400, "invalid", _("The request body must be a JSON object."))
    try:
        result = forum.handle(action, token, user, lti_placement, data, state)
    except ApiError as err:
        return JsonResponse({"error": err.as_dict()}, status=err.status)
    except DatabaseError:
        log.exception("Database error in LTI forum action %s", action)
        return json_error(503, "unavailable", _("Your change could not be saved just now. Please try again."))
    return JsonResponse(result)


@csrf_exempt
@require_POST
def renew(request):
    """A fresh launch token for a page that stays open (the old one still works until it expires)."""
    try:
        token = tokens.from_request(request)
    except tokens.TokenError as err:
        return json_error(err.status, err.code, err.message)
    fresh = token.renewed()
    if fresh is None:
        return json_error(401, "launch_expired", _("This page has been open too long. "
                                                   "Open the activity again from your course."))
    return JsonResponse({"token": fresh})


# ----- Deep Linking -------------------------------------------------------------------------------
def _form_values(post):
    values = {}
    for name in ("display_name", "prompt", "guidelines", "group_scope", "default_sort", "participation_required",
                 "weight"):
        if name in post:
            values[name] = post.get(name)
    values["allow_anonymous"] = post.get("allow_anonymous") == "on"
    values["has_score"] = post.get("has_score") == "on"
    return values


# The Deep Linking form's field for each setting (where a message about it points).
FORM_FIELDS = {"display_name": "sls-dl-name", "prompt": "sls-dl-prompt", "guidelines": "sls-dl-guidelines",
               "group_scope": "sls-dl-scope", "allow_anonymous": "sls-dl-anon",
               "participation_required": "sls-dl-required", "has_score": "sls-dl-graded", "weight": "sls-dl-weight",
               "default_sort": "sls-dl-sort"}


def deep_link_form(request, launch_id, user_id, is_staff, values=None, error=None, status=200):
    if not is_staff:
        return error_page(request, _("Only instructors and course designers can add activities."), 403, "forbidden")
    values = components.shown_defaults(values or components.forum_defaults())
    fields = {name: message for name, message in (error.fields if error else {}).items() if name in FORM_FIELDS}
    return _page(request, "social_lti/deep_link.html", {
        "token": tokens.issue_deep_link(launch_id, user_id),
        "values": values,
        "messages": [{"text": message, "field": next((FORM_FIELDS[name] for name, text in fields.items()
                                                      if text == message), "")}
                     for message in (error.messages if error else [])],
        "errors": fields,
        "scopes": [c for c in frontdoor.SCOPE_CHOICES if c["value"] != TEAM],
        "sorts": frontdoor.SORT_CHOICES,
        "action": reverse("social_lti_deep_link"),
    }, status)


@csrf_exempt
@xframe_options_exempt
@never_cache
@require_POST
@in_launch_language
def deep_link(request):
    try:
        launch_id, user_id = tokens.read_deep_link(request.POST.get("token"))
    except tokens.TokenError as err:
        return error_page(request, err.message, 400, err.code)
    message_launch = restore_launch(request, launch_id)
    if message_launch is None:
        return error_page(request, _("This selection page has expired. Start adding the activity again from your "
                                     "course."), 400, "deep_link_expired")
    is_staff = "staff" in identity.suite_roles(message_launch.body.get(identity.CLAIM + "roles"))
    if not is_staff:
        return error_page(request, _("Only instructors and course designers can add activities."), 403, "forbidden")
    values = components.kept_defaults(_form_values(request.POST))
    try:
        settings = components.clean_forum_settings(values)
    except components.SettingsError as err:
        return deep_link_form(request, launch_id, user_id, is_staff, {**components.forum_defaults(), **values},
                              err, 400)
    # The link's title in the course: the default name in the instructor's language (learners see theirs).
    title = forum.shown(settings["display_name"], frontdoor.DEFAULT_NAME)
    resource = (DeepLinkResource().set_url(absolute(request, "social_lti_launch"))
                .set_title(title)
                .set_custom_params(components.custom_params(FORUM, settings)))
    if settings["has_score"] and settings["participation_required"]:
        resource.set_lineitem(LineItem().set_score_maximum(settings["participation_required"])
                              .set_label(title).set_resource_id(FORUM))
    deep_link_service = message_launch.get_deep_link()
    jwt_value = deep_link_service.get_response_jwt([resource])
    message_launch.get_session_service().save_launch_data(launch_id, None)  # answered once
    return _page(request, "social_lti/deep_link_return.html", {
        "return_url": message_launch.body["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"][
            "deep_link_return_url"],
        "jwt": jwt_value,
        "title": title,
    })


# ----- instructor-managed groups ------------------------------------------------------------------
def _staff_launch(request, token_value):
    try:
        token = tokens.read(token_value)
    except tokens.TokenError as err:
        return None, None, error_page(request, err.message, err.status, err.code)
    lti_placement, user = _load(token)
    if lti_placement is None or user is None:
        return None, None, error_page(request, _("This activity no longer exists in the tool."), 404, "not_found")
    if "staff" not in token.roles:
        return None, None, error_page(request, _("Only course staff can manage groups."), 403, "forbidden")
    return token, lti_placement, None


@xframe_options_exempt
@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
@in_launch_language
def groups(request):
    token_value = request.GET.get("launch") if request.method == "GET" else request.POST.get("launch")
    token, lti_placement, refused = _staff_launch(request, token_value)
    if refused is not None:
        return refused
    course_key = lti_placement.placement.context_key
    lti_context = services.context_for(lti_placement)
    notice, error = "", ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            notice = _group_action(action, request.POST, course_key, lti_context)
        except ValueError as err:
            error = str(err)
    cohorts = list(LocalGroup.objects.filter(context_key=course_key, kind=LocalGroup.COHORT).order_by("name", "id"))
    memberships = {m.user_id: m.group_id for m in LocalGroupMembership.objects.filter(
        context_key=course_key, kind=LocalGroup.COHORT)}
    people = services.roster(course_key, lti_context) if lti_context else []
    rows = [{"user": person, "is_staff": is_staff, "group": memberships.get(person.id)} for person, is_staff in people]
    return _page(request, "social_lti/groups.html", {
        "token": token_value, "cohorts": cohorts, "people": rows, "notice": notice, "error": error,
        "can_sync": bool(lti_context and lti_context.memberships_url),
        "forum_url": reverse("social_lti_forum") + "?launch=" + token_value,
        "action": reverse("social_lti_groups"),
        "settings": lti_placement.settings,
    }, 400 if error else 200)


def _group_action(action, post, course_key, lti_context):
    if action == "sync":
        if lti_context is None:
            raise ValueError(_("The platform did not offer the course roster."))
        try:
            count = services.sync_roster(lti_context)
        except services.ServiceError as err:
            raise ValueError(_("The course roster could not be fetched from the platform.")) from err
        return _("Roster updated: {count} people.").format(count=count)
    if action == "create":
        name = (post.get("name") or "").strip()
        if not name:
            raise ValueError(_("Enter a name for the new group."))
        if len(name) > 255:
            raise ValueError(_("The group name is too long: at most 255 characters."))
        _group, created = LocalGroup.objects.get_or_create(context_key=course_key, kind=LocalGroup.COHORT, name=name)
        if not created:
            raise ValueError(_("There is already a group named “{name}”.").format(name=name))
        return _("Group “{name}” created.").format(name=name)
    if action == "assign":
        people = services.roster(course_key, lti_context) if lti_context else []
        known = {str(person.id): person for person, _staff in people}
        changed = 0
        with transaction.atomic():
            for key, value in post.items():
                if not key.startswith("person-") or key[7:] not in known:
                    continue
                person = known[key[7:]]
                current = LocalGroupMembership.objects.filter(user=person, context_key=course_key,
                                                              kind=LocalGroup.COHORT).first()
                if value == "":
                    if current is not None:
                        current.delete()
                        changed += 1
                    continue
                group = LocalGroup.objects.filter(id=value if value.isdigit() else 0, context_key=course_key,
                                                  kind=LocalGroup.COHORT).first()
                if group is None:
                    raise ValueError(_("That group does not exist in this course."))
                if current is None:
                    LocalGroupMembership.objects.create(group=group, user=person)
                    changed += 1
                elif current.group_id != group.id:
                    current.group = group
                    current.save()
                    changed += 1
        return _("Groups saved: {count} changes.").format(count=changed)
    raise ValueError(_("Unknown action."))


# ----- Dynamic Registration -------------------------------------------------------------------------
def _tool_urls(request):
    return {"login": absolute(request, "social_lti_login"), "launch": absolute(request, "social_lti_launch"),
            "jwks": absolute(request, "social_lti_jwks")}


@csrf_exempt
@xframe_options_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    if not conf("DYNAMIC_REGISTRATION"):
        return error_page(request, _("Dynamic Registration is turned off for this tool. Ask its administrator to "
                                     "register your platform by hand."), 403, "registration_disabled")
    params = request.POST if request.method == "POST" else request.GET
    openid_configuration = params.get("openid_configuration", "")
    registration_token = params.get("registration_token", "")
    try:
        if request.method == "GET":
            config = registration.fetch_platform_configuration(openid_configuration)
            return _page(request, "social_lti/register.html", {
                "issuer": config["issuer"], "openid_configuration": openid_configuration,
                "registration_token": registration_token, "action": reverse("social_lti_register"),
                "urls": _tool_urls(request)})
        registration_row, deployment = registration.register(openid_configuration, registration_token,
                                                             _tool_urls(request))
    except LaunchError as err:
        return error_page(request, err.message, err.status, err.code)
    return _page(request, "social_lti/registered.html", {"registration": registration_row, "deployment": deployment})
