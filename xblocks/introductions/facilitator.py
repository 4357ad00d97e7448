"""The facilitator's view: who has and has not introduced themselves, and what the group wants to learn and can
offer (how many people named each topic).

For course staff only (the course team in Open edX, the instructor in the tool). The group is the one staff picked
with the switcher, or the whole course ("All groups"); the course team itself is not listed. Four queries whatever
the size of the group.
"""
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xblocks.core import compat
from xblocks.core.component import Action, ngettext_noop
from xblocks.core.errors import PermissionDenied
from xblocks.core.groups import COURSE
from xblocks.core.models import Placement, RoleAssignment
from xblocks.core.validation import data_dict as _data

from .models import Introduction, Topic

HAS_CSS = False
TOPICS_SHOWN = 30
MEMBERS_MAX = 5000
SETTINGS = ()
JS_STRINGS = (
    gettext_noop("Facilitator view"),
    gettext_noop("Not introduced yet"),
    gettext_noop("Introduced"),
    gettext_noop("Everyone has introduced themselves."),
    gettext_noop("Nobody yet."),
    gettext_noop("What the group wants to learn"),
    gettext_noop("What the group can offer"),
    gettext_noop("Back to the introductions"),
)
JS_PLURALS = (
    ngettext_noop("{count} person", "{count} people"),
)


def course_team(placement):
    """The ids of the course team (a lazy queryset): the platform's in Open edX, the suite's staff role elsewhere."""
    if placement.platform == Placement.OPENEDX and compat.running_in_openedx():
        return compat.course_staff_ids(placement.context_key)
    return RoleAssignment.objects.filter(context_key=placement.context_key, role=RoleAssignment.STAFF).values("user_id")


def name_of(user):
    return user.get_full_name() or user.username


def members(ctx):
    """``(group key or None, [users])``: the learners of the group staff picked (or of the whole course), the
    course team left out, by name; one query. Refused for anyone but staff."""
    if not ctx.is_staff:
        raise PermissionDenied(_("Only the course team sees who has introduced themselves."))
    group_key = ctx.group_key_for_read()
    found = ctx.group_backend.member_filter(ctx.course_key, group_key if group_key is not None else COURSE)
    people = list(get_user_model().objects.filter(found, is_active=True).exclude(id__in=course_team(ctx.placement))
                  .order_by("first_name", "last_name", "username")[:MEMBERS_MAX])
    return group_key, people


def overview(ctx, data, settings=None):  # pylint: disable=unused-argument
    """``{"group", "introduced": [{name, username, group}], "missing": [{name, username}], "learn": [{topic,
    count}], "offer": [...]}`` for the group staff picked, or the whole course."""
    _data(data)
    group_key, people = members(ctx)
    names = {g.key: g.name for g in ctx.available_groups()}
    intros = Introduction.objects.filter(placement_id=ctx.placement.id, user_id__in=[p.id for p in people])
    posted = dict(intros.values_list("user_id", "group_key"))
    topics = Topic.objects.filter(placement_id=ctx.placement.id)
    if group_key is not None:
        topics = topics.filter(group_key=group_key)
    counts = {Topic.LEARN: [], Topic.OFFER: []}
    for row in (topics.values("kind", "key").annotate(count=Count("introduction", distinct=True))
                .order_by("kind", "-count", "key")):
        if len(counts[row["kind"]]) < TOPICS_SHOWN:
            counts[row["kind"]].append({"topic": row["key"], "count": row["count"]})
    return {
        "group": names.get(group_key, "") if group_key is not None else "",
        "introduced": [{"name": name_of(p), "username": p.username, "group": names.get(posted[p.id], "")}
                       for p in people if p.id in posted],
        "missing": [{"name": name_of(p), "username": p.username} for p in people if p.id not in posted],
        "learn": counts[Topic.LEARN],
        "offer": counts[Topic.OFFER],
    }


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    return {}, {}


ACTIONS = {"facilitator_overview": Action(run=overview, writes=False)}
