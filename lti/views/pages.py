"""A component's page and its JSON API, for any registered component, driven by a launch token.

The token never travels in a URL. ``page/<component>/`` renders the component's page for the token a
POST carries (the ``launch`` field; the launch itself answers with the same page); its GET answers a small
page that takes the token back from the tab's ``sessionStorage`` and posts it, so a reload, Back and a
thread's address work in the tab that holds the launch and nowhere else. ``api/v1/<component>/<action>/``
runs one of its actions (the token in the ``Authorization`` header). Both find the component in the
registry and refuse a token of another placement, component or deployment.
"""
from urllib.parse import urlencode, urlsplit

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError
from django.http.multipartparser import MultiPartParserError
from django.http import HttpResponse, HttpResponseNotFound, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_GET, require_POST

from xblocks.core import assets as assets_mod
from xblocks.core import component as registry
from xblocks.core import files
from xblocks.core.actions import error_body, request_data
from xblocks.core.errors import ApiError, PayloadTooLarge, ValidationError

from .. import door, tokens
from ..conf import conf
from ..models import LtiPlacement, PlatformGroupSync
from .common import check_latest, error_page, in_launch_language, json_error, load_with_state, log, page


def page_url(component_key):
    """The address of a component's page (the token goes in the body of a POST to it)."""
    return reverse("social_lti_page", args=[component_key])


def storage_of(request, lti_placement, target=None):
    """The platform's storage a page keeps its token in when its frame may keep nothing (``{"target", "origin"}``),
    or None: the ``lti_storage_target`` of the launch (``target``), else the ``storage`` of the page's address."""
    target = (request.GET.get("storage", "") if target is None else target).strip()[:64]
    if not target:
        return None
    auth = urlsplit(lti_placement.deployment.registration.auth_url)
    return {"target": target, "origin": f"{auth.scheme}://{auth.netloc}"}


def with_storage(url, storage):
    """``url`` (without a query) naming the platform's storage, so that the page it answers keeps using it."""
    return url + ("?" + urlencode({"storage": storage["target"]}) if storage else "")


def launch_data(token_value, token, url, storage=None):
    """What a page reached with a launch token tells its script: the token to keep in the tab (under the
    placement's id, so that each activity keeps its own), the address to show for the page, without it, and
    the platform's storage, if any."""
    query = {"activity": token.placement_id, **({"storage": storage["target"]} if storage else {})}
    return {"token": token_value, "activity": token.placement_id, "address": f"{url}?{urlencode(query)}",
            "storage": storage,
            "renew": {"url": reverse("social_lti_renew"), "seconds": conf("LAUNCH_TOKEN_RENEW_SECONDS")}}


def resume(request):
    """A page reloaded, or reached by Back or Forward: its address has no token, so this page takes the one the tab
    keeps for the activity (``?activity=``) and posts it to the same address; without one, it says to open the
    activity again."""
    activity, storage = request.GET.get("activity", ""), None
    if request.GET.get("storage") and activity.isdigit() and len(activity) < 19:
        lti_placement = (LtiPlacement.objects.select_related("deployment__registration")
                         .filter(placement_id=int(activity)).first())
        storage = storage_of(request, lti_placement) if lti_placement else None
    return page(request, "social_lti/resume.html", {"data": {"storage": storage}})


def api_urls(component):
    """The page's endpoint for each of the component's actions."""
    return {name: reverse("social_lti_api", args=[component.key, name]) for name in component.handlers}


@csrf_exempt
@xframe_options_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@in_launch_language
def component_page(request, component):
    if request.method == "GET":
        return resume(request)
    return show_page(request, component, request.POST.get("launch"))


def show_page(request, component, token_value, storage_target=None):
    """The component's page for a launch token (the answer to the launch, or to a page's POST); ``storage_target``:
    the launch's ``lti_storage_target``."""
    try:
        token = tokens.read(token_value)
    except tokens.TokenError as err:
        return error_page(request, err.message, err.status, err.code)
    found = registry.get(component)
    lti_placement, user, state = load_with_state(token)
    if found is None or lti_placement is None or user is None:
        return error_page(request, _("This activity no longer exists in the tool."), 404, "not_found")
    try:
        tokens.check_place(token, lti_placement, found.key)
        tokens.check_current(token, state)
    except tokens.TokenError as err:
        return error_page(request, err.message, err.status, err.code)
    try:
        body, args = door.render_page(found, token_value, token, user, lti_placement, api_urls(found), state)
    except ApiError as err:
        body, args = door.render_closed(found, lti_placement, err.message), None
    css, scripts = door.assets(found)
    storage = storage_of(request, lti_placement, storage_target)
    return page(request, "social_lti/page.html", {
        "body": body, "css": css, "scripts": scripts, "args": args, "entry_point": found.page.entry_point,
        "display_name": lti_placement.settings.get("display_name"),
        "launch": launch_data(token_value, token, page_url(found.key), storage),
        "groups_url": with_storage(reverse("social_lti_groups"), storage) if "staff" in token.roles else "",
        "groups_error": groups_error(token, lti_placement),
        **group_switcher(token, state, storage),
    })


def groups_error(token, lti_placement):
    """For staff: the error of the last call for the course's platform groups, if it failed (learners keep
    their last known groups meanwhile)."""
    if "staff" not in token.roles:
        return None
    return (PlatformGroupSync.objects.filter(context_key=lti_placement.placement.context_key).exclude(error_code="")
            .only("error_code", "error_message", "error_at").first())


def group_switcher(token, state, storage=None):
    """The "Your group" switcher's context: the platform's groups the learner's launch found them in, when more
    than one (kept in their state here, so this reads nothing)."""
    choices = state.group_choices if state is not None and token.link_group and "staff" not in token.roles else []
    if len(choices or []) < 2 or token.group[0] not in [c[0] for c in choices]:
        return {}
    return {"group_choices": choices, "current_group": token.group[0],
            "switch_url": with_storage(reverse("social_lti_switch_group"), storage)}


@csrf_exempt
@in_launch_language
def component_api(request, component, action):
    if request.method != "POST":
        response = json_error(405, "method_not_allowed", _("Send this request with POST."))
        response["Allow"] = "POST"
        return response
    found = registry.get(component)
    if found is None or action not in found.handlers:
        return json_error(404, "not_found", _("Unknown action."))
    try:
        token = tokens.from_request(request)
    except tokens.TokenError as err:
        return json_error(err.status, err.code, err.message)
    lti_placement, user, state = load_with_state(token)
    if lti_placement is None or user is None:
        return json_error(404, "not_found", _("This activity no longer exists in the tool."))
    try:
        tokens.check_place(token, lti_placement, found.key)
        tokens.check_current(token, state)
    except tokens.TokenError as err:
        return json_error(err.status, err.code, err.message)
    try:
        data = request_data(found, action, body=lambda: request.body, content_type=request.META.get("CONTENT_TYPE"),
                            content_length=request.META.get("CONTENT_LENGTH"), multipart=lambda: multipart(request))
        result = door.handle(found, action, token, user, lti_placement, data, state)
    except ApiError as err:
        status, body = error_body(err)
        return JsonResponse(body, status=status)
    except DatabaseError:
        log.exception("Database error in LTI action %s of %s", action, found.key)
        return json_error(503, "unavailable", _("Your change could not be saved just now. Please try again."))
    if isinstance(result, files.FileAnswer):
        return file_response(result)
    return JsonResponse(result)


def multipart(request):
    """``(fields, files)`` pairs of a multipart request (Django's parser; files beyond
    ``FILE_UPLOAD_MAX_MEMORY_SIZE`` wait in temporary files)."""
    try:
        fields = list(request.POST.items())
        uploads = [(name, files.Upload(f.name or "", f.content_type or "", f.size, f))
                   for name, f in request.FILES.items()]
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent) as err:
        raise PayloadTooLarge(_("This upload has too many fields or too much text besides its files.")) from err
    except MultiPartParserError as err:
        raise ValidationError(_("The upload could not be read.")) from err
    return fields, uploads


def file_response(answer):
    """A :class:`~xblocks.core.files.FileAnswer` as bytes with its safe headers (as the XBlock door sends it)."""
    response = HttpResponse(answer.content, content_type=answer.content_type)
    for name, value in answer.headers().items():
        response[name] = value
    return response


@csrf_exempt
@require_POST
def renew(request):
    """A fresh launch token for a page that stays open (the old one still works until it expires), while the
    person's latest launch agrees with it."""
    try:
        token = tokens.from_request(request)
        check_latest(token)
    except tokens.TokenError as err:
        return json_error(err.status, err.code, err.message)
    fresh = token.renewed()
    if fresh is None:
        return json_error(401, "launch_expired", _("This page has been open too long. "
                                                   "Open the activity again from your course."))
    return JsonResponse({"token": fresh})


YEAR = 365 * 24 * 3600


@require_GET
def assets(request, package, version, path):
    """One of the files a component's page loads, from its package: cached for a year under its digest.

    Only the files some registered component's page names are served. A URL with another digest (a page
    rendered before an upgrade) gets today's file, not to be cached."""
    if not any((package, path) in css + js for css, js in map(assets_mod.page_files, registry.all_components())):
        return HttpResponseNotFound(_("No such file."), content_type="text/plain; charset=utf-8")
    response = HttpResponse(assets_mod.read(package, path), content_type=assets_mod.content_type(path))
    if version == assets_mod.digest(package, path):
        response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        patch_cache_control(response, no_cache=True, max_age=0)
    return response
