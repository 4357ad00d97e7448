"""The sandbox's pages: a course unit with the forum, a user switcher, and what blocks published.

The scenario and handler views are the Workbench's, with two differences: the block acts as
the signed-in person (never as a ``?student=`` in the URL), and the runtime keeps published
events (:class:`sandbox.runtime.SandboxRuntime`).
"""
from urllib.parse import urlencode

from django.contrib.auth import get_user_model, login, logout
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST
from xblock.django.request import django_to_webob_request, webob_to_django_response
from xblock.exceptions import NoSuchUsage
from workbench.scenarios import get_scenarios

from xblocks.core.models import LocalGroup, RoleAssignment
from xblocks.core.settings import conf

from .models import PublishedEvent
from .runtime import runtime_for
from .scenarios import unit_scenarios

RECENT_EVENTS = 8
EVENTS_PER_PAGE = 50


def demo_people(course_key):
    """The people of the demo course for the switcher: [(heading, [(user, roles)])], cohorts first."""
    assignments = list(RoleAssignment.objects.filter(context_key=course_key).select_related("user"))
    roles = {}
    for assignment in assignments:
        roles.setdefault(assignment.user_id, []).append(str(assignment.get_role_display()))
    sections = []
    in_a_group = set()
    for group in LocalGroup.objects.filter(context_key=course_key).prefetch_related("members"):
        members = sorted(group.members.all(), key=lambda user: user.username)
        in_a_group.update(user.id for user in members)
        sections.append((group.name, [(user, ", ".join(roles.get(user.id, []))) for user in members]))
    team = sorted({a.user for a in assignments if a.user_id not in in_a_group}, key=lambda user: user.username)
    if team:
        sections.append((_("Course team"), [(user, ", ".join(roles[user.id])) for user in team]))
    return sections


def _render_scenario(request, scenario, view_name="student_view"):
    runtime = runtime_for(request)
    block = runtime.get_block(scenario.usage_id)
    frag = block.render(view_name, {"activate_block_id": request.GET.get("activate_block_id")})
    return block, frag


@ensure_csrf_cookie
def home(request):
    """A course unit holding one of the suite's blocks (the forum's first scenario unless ``?scenario=`` picks
    another), as a learner or staff member sees it in the LMS."""
    scenarios = unit_scenarios()
    names = [name for name, _sc in scenarios]
    current = request.GET.get("scenario") or (names[0] if names else "")
    if scenarios and current not in names:
        raise Http404("No such forum scenario.")
    context = {
        "course_name": conf("LOCAL_COURSE_NAME"),
        "course_key": conf("LOCAL_COURSE_KEY"),
        "scenarios": scenarios,
        "current": current,
        "people": demo_people(conf("LOCAL_COURSE_KEY")),
        "events": PublishedEvent.objects.all()[:RECENT_EVENTS],
        "username": request.user.username if request.user.is_authenticated else "",
    }
    if scenarios:
        scenario = dict(scenarios)[current]
        _block, frag = _render_scenario(request, scenario)
        context.update(scenario=scenario, body=frag.body_html(), head_html=frag.head_html(),
                       foot_html=frag.foot_html())
    return render(request, "sandbox/home.html", context)


def jump_to(request, course_id, location):
    """The LMS's ``jump_to`` (``/courses/<course>/jump_to/<usage key>``, the address ``compat.jump_to_url`` makes
    for a link to a block): the course unit holding that block, as the home page shows it. The browser keeps the
    link's fragment (an item of the block) across the redirect."""
    if course_id != conf("LOCAL_COURSE_KEY"):
        raise Http404("No such course.")
    runtime = runtime_for(request)
    for name, unit in unit_scenarios():
        pending = [unit.usage_id]
        while pending:
            usage_id = pending.pop()
            if str(usage_id) == location:
                return redirect(f"{reverse('sandbox_home')}?{urlencode({'scenario': name})}")
            pending.extend(getattr(runtime.get_block(usage_id), "children", None) or [])
    raise Http404("No such block in this course.")


@ensure_csrf_cookie
def scenario(request, scenario_id, view_name="student_view", template="workbench/block.html"):
    """The Workbench's scenario page, acting as the signed-in person and keeping published events."""
    try:
        the_scenario = get_scenarios()[scenario_id]
    except KeyError as err:
        raise Http404 from err
    block, frag = _render_scenario(request, the_scenario, view_name)
    return render(request, template, {
        "scenario": the_scenario, "block": block, "body": frag.body_html(), "head_html": frag.head_html(),
        "foot_html": frag.foot_html(), "student_id": block.scope_ids.user_id,
    })


def handler(request, usage_id, handler_slug, suffix=""):
    """The Workbench's handler view, acting as the signed-in person (``?student=`` is ignored)."""
    runtime = runtime_for(request)
    try:
        block = runtime.get_block(usage_id)
    except NoSuchUsage as err:
        raise Http404 from err
    webob_request = django_to_webob_request(request)
    webob_request.path_info_pop()
    webob_request.path_info_pop()
    return webob_to_django_response(block.runtime.handle(block, handler_slug, webob_request, suffix))


@require_POST
def sign_in(request):
    """Sign in as a demo person with one click (sandbox only; superusers sign in through the admin)."""
    user = get_user_model().objects.filter(username=request.POST.get("username", ""), is_active=True,
                                           is_superuser=False).first()
    if user is None:
        raise Http404("No such demo person.")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(_next_url(request))


@require_POST
def sign_out(request):
    logout(request)
    return redirect(_next_url(request))


def _next_url(request):
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    return target


def events(request):
    """Every event blocks published: tracking, completion and grade, newest first."""
    kind = request.GET.get("kind", "")
    username = request.GET.get("user", "")
    rows = PublishedEvent.objects.all()
    if kind in dict(PublishedEvent.KINDS):
        rows = rows.filter(kind=kind)
    if username:
        rows = rows.filter(username=username)
    page = Paginator(rows, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "sandbox/events.html", {
        "page": page, "kind": kind, "user_filter": username, "kinds": PublishedEvent.KINDS,
        "username": request.user.username if request.user.is_authenticated else "",
    })


def events_json(request):
    """Events newer than ``?after=<id>`` (for the panel on the home page), oldest first."""
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    rows = PublishedEvent.objects.filter(id__gt=after).order_by("-id")[:RECENT_EVENTS]
    return JsonResponse({"events": [
        {"id": e.id, "created": e.created.isoformat(), "username": e.username, "kind": e.kind,
         "event_type": e.event_type, "data": e.data}
        for e in reversed(rows)
    ]})
