"""What the tool's views share: absolute URLs, pages and error answers, the launch language, and loading
a launch's placement and person.

Pages that the platform frames are exempt from ``X-Frame-Options``; endpoints that the platform
or the page posts to are exempt from CSRF: they are authorised by a signed id_token, a browser
binding secret, or a launch token in the ``Authorization`` header, never by a cookie.
"""
import functools
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db.models import OuterRef, Subquery
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .. import tokens
from ..conf import conf
from ..models import LearnerState, LtiPerson, LtiPlacement
from ..protocol import LaunchError, check_jwt_size

log = logging.getLogger("lti.views")
# Every refused request, at WARNING: its status, code and path, and the platform when known. Never a token,
# a message text or anything about a person.
refusals = logging.getLogger("social_learning.lti")


def absolute(request, name, *args):
    base = conf("BASE_URL") or f"{request.scheme}://{request.get_host()}"
    return base.rstrip("/") + reverse(name, args=args)


def page(request, template, context, status=200):
    response = render(request, template, {"tool_name": conf("TOOL_NAME"), **context}, status=status)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _loggable(value):
    """A claimed identifier as the log shows it: bounded, on one line."""
    if not value:
        return "-"
    return "".join(c if c.isprintable() else "?" for c in str(value)[:200])


def log_refusal(request, status, code, issuer=None, client_id=None, host=None):
    """One WARNING line; ``host``: the address the tool refused to call, when that is the reason."""
    refusals.warning("LTI request refused: %s %s at %s (issuer %s, client ID %s%s)", status, code, request.path,
                     _loggable(issuer), _loggable(client_id), f", host {_loggable(host)}" if host else "")


def error_page(request, message, status, code, issuer=None, client_id=None, host=None):
    log_refusal(request, status, code, issuer, client_id, host)
    return page(request, "social_lti/error.html", {"message": message, "code": code, "status": status}, status)


def refused(request, err):
    """The error page of a :class:`~lti.protocol.LaunchError`."""
    return error_page(request, err.message, err.status, err.code, err.issuer, err.client_id, err.host)


def within_limits(*token_fields):
    """Refuse with the tool's error page, before the view reads anything, a request whose body Django will not
    read (over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, too many fields) or whose ``token_fields`` (posted or in the
    query) carry a JWT over ``MAX_JWT_BYTES``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                params = [request.GET, request.POST] if request.method == "POST" else [request.GET]
            except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
                return error_page(request, _("This request is too large for the tool to read. Open the activity "
                                             "again from your course; if this keeps happening, tell your "
                                             "administrator."), 413, "too_large")
            try:
                for values in params:
                    for field in token_fields:
                        check_jwt_size(values.get(field))
            except LaunchError as err:
                return refused(request, err)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def json_error(status, code, message, fields=None):
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return JsonResponse({"error": error}, status=status)


FORM = "application/x-www-form-urlencoded"


def _launch_language(request):
    """The language of the launch this request belongs to, or "": the launch token's (a page's POST or an API
    call's header), or the Deep Linking form's (which the page was shown in). Only the tool's own forms
    (``application/x-www-form-urlencoded``) are read here: an upload's body is read by its action once its size
    was checked."""
    form = request.POST if request.method == "POST" and request.content_type == FORM else {}
    if form.get("language"):
        try:
            return translation.get_supported_language_variant(form["language"])
        except LookupError:
            return ""
    value = form.get("launch")
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
        return answer_in(_launch_language(request), view, request, *args, **kwargs)

    return wrapper


def answer_in(language, view, request, *args, **kwargs):
    """``view``'s answer in ``language`` (saying so in ``Content-Language``), or in the request's when "". """
    if not language:
        return view(request, *args, **kwargs)
    with translation.override(language):
        response = view(request, *args, **kwargs)
    response.headers["Content-Language"] = language
    return response


def load(token):
    """(placement, person) of a launch token; None for what no longer exists."""
    lti_placement = (LtiPlacement.objects.select_related("placement", "deployment__registration")
                     .filter(placement_id=token.placement_id).first())
    user = get_user_model().objects.filter(id=token.user_id, is_active=True).first()
    return lti_placement, user


def check_latest(token):
    """Refuse (:class:`~lti.tokens.TokenError`) a token from before the person's latest launch with other roles
    or another group of the activity, or whose placement no longer holds its component and deployment (one
    query); returns the placement."""
    state = (LearnerState.objects.filter(placement_id=token.placement_id, user_id=token.user_id)
             .select_related("placement__social_lti").first())
    try:
        lti_placement = state.placement.social_lti if state is not None else None
    except LtiPlacement.DoesNotExist:
        lti_placement = None
    if lti_placement is None:
        raise tokens.TokenError(_("This activity no longer exists in the tool."), "not_found", 404)
    tokens.check_place(token, lti_placement)
    tokens.check_current(token, state)
    return lti_placement


def load_with_state(token):
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
        return (*load(token), None)
    return lti_placement, state.user, state
