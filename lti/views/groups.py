"""Instructor-managed groups: the cohorts a course's people talk in when the platform sends none."""
import time

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from xblocks.core import groups_api

from .. import platform_groups, services, tokens
from ..models import LearnerState, PlatformGroupSync
from .common import check_latest, error_page, in_launch_language, load, page
from .pages import launch_data, page_url, resume, show_page, storage_of, with_storage

def _staff_launch(request, token_value):
    try:
        token = tokens.read(token_value)
        check_latest(token)
    except tokens.TokenError as err:
        return None, None, error_page(request, err.message, err.status, err.code)
    lti_placement, user = load(token)
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
    if request.method == "GET":
        return resume(request)
    token_value = request.POST.get("launch")
    token, lti_placement, refused = _staff_launch(request, token_value)
    if refused is not None:
        return refused
    storage = storage_of(request, lti_placement)
    course_key = lti_placement.placement.context_key
    lti_context = services.context_for(lti_placement)
    notice, error = "", ""
    if request.POST.get("action"):  # else the page is only opened (the token posted by a page's button or a reload)
        action = request.POST.get("action")
        try:
            notice = _group_action(action, request.POST, course_key, lti_context, lti_placement)
        except ValueError as err:
            error = str(err)
    cohorts = groups_api.groups_of(course_key)
    memberships = groups_api.memberships(course_key)
    followed = groups_api.platform_memberships(course_key)
    people = services.roster(course_key, lti_context) if lti_context else []
    rows = [{"user": person, "is_staff": is_staff, "group": memberships.get(person.id),
             "platform_groups": followed.get(person.id, [])} for person, is_staff in people]
    return page(request, "social_lti/groups.html", {
        "token": token_value, "launch": launch_data(token_value, token, reverse("social_lti_groups"), storage),
        "cohorts": cohorts, "people": rows, "notice": notice, "error": error,
        **platform_overview(lti_placement, course_key),
        "can_sync": bool(lti_context and lti_context.memberships_url),
        "page_url": with_storage(page_url(lti_placement.component), storage),
        "action": with_storage(reverse("social_lti_groups"), storage),
        "settings": lti_placement.settings,
    }, 400 if error else 200)


def platform_overview(lti_placement, course_key):
    """What the groups page shows of the groups the tool sees: each with where it comes from and its members, and
    when the platform's groups were last read (and the error, if the last call failed)."""
    sync = PlatformGroupSync.objects.filter(context_key=course_key).first()
    counts = sync.member_counts if sync else {}
    rows = [{"name": g.name, "source": g.get_source_display(), "set_by_hand": g.set_by_hand,
             "from_platform": g.from_platform,
             "in_moodle": counts.get(g.external_id) if g.source == groups_api.MOODLE else None}
            for g in groups_api.overview(course_key)]
    return {"seen_groups": rows, "sync": sync,
            "can_refresh": platform_groups.web_service(lti_placement.deployment.registration) is not None}


def _refresh(lti_placement, course_key):
    registration = lti_placement.deployment.registration
    sync = PlatformGroupSync.objects.filter(context_key=course_key).first()
    moodle_course = sync.course_id if sync else (lti_placement.context_id if lti_placement.context_id.isdigit() else "")
    if not moodle_course:
        raise ValueError(_("The tool does not know this course's id in Moodle yet: open the activity once from "
                           "Moodle."))
    try:
        row = platform_groups.refresh_course(registration, course_key, moodle_course)
    except platform_groups.PlatformError as err:
        raise ValueError(_("Moodle's groups could not be read: {message} The last known groups are used.").format(
            message=err.message)) from err
    return _("Groups read from Moodle: {count}.").format(count=len(row.member_counts))


def _group_action(action, post, course_key, lti_context, lti_placement=None):
    if action == "refresh":
        return _refresh(lti_placement, course_key)
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
        _group, created = groups_api.create_group(course_key, name)
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
                group = None
                if value != "":
                    group = groups_api.group_by_id(course_key, value)
                    if group is None:
                        raise ValueError(_("That group does not exist in this course."))
                changed += groups_api.set_group(person, course_key, group)
        return _("Groups saved: {count} changes.").format(count=changed)
    raise ValueError(_("Unknown action."))




@xframe_options_exempt
@never_cache
@csrf_exempt
@require_POST
@in_launch_language
def switch_group(request):
    """A learner in several of the platform's groups chooses the one they act in here (kept for this activity)."""
    token_value = request.POST.get("launch")
    try:
        token = tokens.read(token_value)
        check_latest(token)
    except tokens.TokenError as err:
        return error_page(request, err.message, err.status, err.code)
    state = LearnerState.objects.filter(placement_id=token.placement_id, user_id=token.user_id).first()
    lti_placement, user = load(token)
    if state is None or lti_placement is None or user is None:
        return error_page(request, _("This activity no longer exists in the tool."), 404, "not_found")
    choices = {key: name for key, name in (state.group_choices or [])} if token.link_group else {}
    wanted = request.POST.get("group") or ""
    if wanted not in choices:
        return error_page(request, _("You are not in that group in your course. Open the activity again from your "
                                     "course."), 400, "unknown_group")
    if state.group_key != wanted:
        state.group_key = wanted
        state.save(update_fields=["group_key", "modified"])
    fresh = tokens.LaunchToken(token.user_id, token.placement_id, token.roles, (wanted, choices[wanted]),
                               int(time.time()), token.launched, token.language, True, token.component,
                               token.deployment_id).encode()
    # The page itself with the new token (kept by the tab in place of the old one), as a launch answers it.
    return show_page(request, lti_placement.component, fresh)
