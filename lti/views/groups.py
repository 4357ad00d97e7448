"""Instructor-managed groups: the cohorts a course's people talk in when the platform sends none."""
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from xblocks.core import groups_api

from .. import services, tokens
from .common import check_latest, error_page, in_launch_language, load, page
from .pages import launch_data, page_url, resume, storage_of, with_storage

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
            notice = _group_action(action, request.POST, course_key, lti_context)
        except ValueError as err:
            error = str(err)
    cohorts = groups_api.groups_of(course_key)
    memberships = groups_api.memberships(course_key)
    people = services.roster(course_key, lti_context) if lti_context else []
    rows = [{"user": person, "is_staff": is_staff, "group": memberships.get(person.id)} for person, is_staff in people]
    return page(request, "social_lti/groups.html", {
        "token": token_value, "launch": launch_data(token_value, token, reverse("social_lti_groups"), storage),
        "cohorts": cohorts, "people": rows, "notice": notice, "error": error,
        "can_sync": bool(lti_context and lti_context.memberships_url),
        "page_url": with_storage(page_url(lti_placement.component), storage),
        "action": with_storage(reverse("social_lti_groups"), storage),
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


