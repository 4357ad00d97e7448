"""Coaches: who coaches whom, the coach view, coach comments.

Who coaches whom (:class:`~xblocks.reflection_blog.models.CoachAssignment`): the course team staff assign a
coach, in the blog's staff view (the same page in the LMS and in the tool), to a group (a cohort or team: the
entries its members write while in it), to everyone in the course, or to one learner. The candidates offered
are the course's staff and community advocates (the platform's roles: LTI's Instructor and Mentor roles,
Open edX's course team). A learner nobody is assigned to is coached by the course team (every staff member);
once a coach is assigned to them, only their assigned coaches are.

``api`` asks this module two things, and every read of the blog follows the answers:
- :func:`is_coach`: is the person of ``ctx`` a coach of ``learner``? (a comment is then a coach comment);
- :func:`coached_entries`: the entries whose author the person of ``ctx`` coaches, as one condition (subqueries
  inside one WHERE), for feeds and search in one query.

The coach view (:func:`coach_view`) lists the entries shared with a coach, grouped by learner, with what still
waits for a coach comment and since when: two queries whatever the number of learners and entries.
"""
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xblocks.core import compat
from xblocks.core.component import Action, ngettext_noop
from xblocks.core.groups import COURSE as COURSE_SCOPE
from xblocks.core.errors import NotFound, PermissionDenied, ValidationError
from xblocks.core.models import Placement, RoleAssignment
from xblocks.core.validation import data_dict as _data
from xblocks.core.validation import ident as _id

from .models import CoachAssignment, Entry, Visibility

EVENT_PREFIX = "social_learning.blog."
# This part's styles: static/reflection_blog/blog-<part>.css.
HAS_CSS = True
# An assignment to everyone in the course.
EVERYONE = "*"
# Shared with a coach: "me and my coach" and wider.
SHARED = (Visibility.COACH, Visibility.GROUP, Visibility.COURSE)
LEARNERS_MAX = 300
WAITING_MAX = 100
CANDIDATES_MAX = 200
ASSIGNMENTS_MAX = 500
COURSE_TEAM_NAMES = 5


JS_STRINGS = (
    gettext_noop('Add coach'),
    gettext_noop('Back to the entries'),
    gettext_noop('Assigned coaches'),
    gettext_noop('Coach view'),
    gettext_noop('Coach assigned.'),
    gettext_noop('Coach removed.'),
    gettext_noop('Everyone in the course'),
    gettext_noop('No coach assigned: the course team coaches every learner.'),
    gettext_noop('No entries are shared with you as a coach yet.'),
    gettext_noop('Remove'),
    gettext_noop('Remove {coach} as coach of {whom}?'),
    gettext_noop('Waiting for a coach comment'),
    gettext_noop('Waiting since {time}'),
    gettext_noop('Whom they coach'),
    gettext_noop('Your coach: {names}'),
    gettext_noop('Your coach: the course team ({names})'),
    gettext_noop('Your coach: the course team'),
    gettext_noop('Nothing waits for a coach comment.'),
    gettext_noop('Username of the coach'),
    gettext_noop('Or one learner (username)'),
    gettext_noop('Optional: the coach then coaches this learner only, whatever their group.'),
)
JS_PLURALS = (
    ngettext_noop('{count} entry shared', '{count} entries shared'),
    ngettext_noop('{count} waits for a comment', '{count} wait for a comment'),
)


# ----- who coaches whom ----------------------------------------------------------------------------------
def _assignments(ctx):
    """Assignments that apply to this blog: the course's, and this blog's own."""
    return CoachAssignment.objects.filter(context_key=ctx.course_key).filter(
        Q(placement__isnull=True) | Q(placement_id=ctx.placement.id))


def _covered(assignments):
    """A ``Q`` over entries whose author ``assignments`` cover (by learner, by group, or everyone)."""
    return (Q(author_id__in=assignments.filter(learner__isnull=False).values("learner_id"))
            | Q(group_key__in=assignments.filter(learner__isnull=True).values("group_key"))
            | Q(Exists(assignments.filter(learner__isnull=True, group_key=EVERYONE))))


def coached_entries(ctx):
    """A ``Q`` over :class:`~xblocks.reflection_blog.models.Entry` matching the entries whose author the person
    of ``ctx`` coaches: those their assignments cover; for staff also those no assignment covers (the course
    team coaches by default). One condition: subqueries inside one WHERE."""
    mine = _covered(_assignments(ctx).filter(coach_id=ctx.user.id))
    if ctx.is_staff:
        return mine | ~_covered(_assignments(ctx))
    return mine


def _learner_assignments(ctx, learner_id, group_key):
    whom = Q(learner_id=learner_id) | Q(learner__isnull=True, group_key=EVERYONE)
    if group_key:
        whom |= Q(learner__isnull=True, group_key=group_key)
    return _assignments(ctx).filter(whom)


def is_coach(ctx, learner, group_key=None):
    """Whether the person of ``ctx`` coaches ``learner`` (a user or a user id) in this blog; ``group_key``: the
    group the learner wrote in (an entry's ``group_key``). One query."""
    learner_id = getattr(learner, "id", learner)
    counts = _learner_assignments(ctx, learner_id, group_key).aggregate(
        mine=Count("id", filter=Q(coach_id=ctx.user.id)), any=Count("id"))
    return counts["mine"] > 0 or (ctx.is_staff and counts["any"] == 0)


def _name(user):
    return user.get_full_name() or user.username


def _role_holders(ctx, roles=(RoleAssignment.STAFF,)):
    """The ids of people with a course role (a lazy queryset): the platform's course team in Open edX, the
    suite's roles elsewhere (the tool's from LTI: Instructor is staff, Mentor an advocate)."""
    if ctx.placement.platform == Placement.OPENEDX and compat.running_in_openedx():
        return compat.course_staff_ids(ctx.course_key)
    return RoleAssignment.objects.filter(context_key=ctx.course_key, role__in=roles).values("user_id")


def _course_team(ctx):
    """A few names of the course team (staff of the course). One query."""
    ids = _role_holders(ctx)
    users = get_user_model().objects.filter(id__in=ids, is_active=True).order_by("last_name", "first_name",
                                                                                  "username")
    return [_name(u) for u in users[:COURSE_TEAM_NAMES]]


def my_coaches(ctx):
    """Who coaches the person of ``ctx``: ``{"names": [...], "course_team": bool}``. Two queries at most."""
    group_key = ctx.group.key if ctx.group is not None else None
    rows = _learner_assignments(ctx, ctx.user.id, group_key).select_related("coach").order_by("id")
    names = []
    for row in rows:
        if row.coach_id != ctx.user.id and _name(row.coach) not in names:
            names.append(_name(row.coach))
    if rows:
        return {"names": names, "course_team": False}
    return {"names": _course_team(ctx), "course_team": True}


def coaches_anyone(ctx):
    """Whether the person of ``ctx`` coaches someone in this blog (staff always may). One query at most."""
    return ctx.is_staff or _assignments(ctx).filter(coach_id=ctx.user.id).exists()


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    """``(init, context)`` this module adds to the page: who coaches this person, whether they coach."""
    return {"coaching": {"mine": my_coaches(ctx), "is_coach": coaches_anyone(ctx)}}, {}


def commented(ctx, entry, comment):
    """Tracking: a coach commented on ``entry`` (after it was saved), and how long the entry had waited for a
    first coach comment."""
    first = entry.coach_comment_count == 0
    ctx.emit(EVENT_PREFIX + "coach_comment.created", {
        "entry_id": entry.id, "comment_id": comment.id, "learner_id": entry.author_id, "first": first,
        "waited_seconds": int((comment.created - entry.created).total_seconds()) if first else None})


# ----- the coach view -------------------------------------------------------------------------------------
def coach_view(ctx, data, settings):  # pylint: disable=unused-argument
    """The entries shared with the person as a coach ("me and my coach" and wider, of the learners they coach,
    not their own), grouped by learner: how many, how many still wait for a coach comment and since when; and
    the waiting entries, oldest first. Two queries."""
    from . import api  # pylint: disable=import-outside-toplevel

    if not coaches_anyone(ctx):
        raise PermissionDenied(_("You coach nobody in this blog."))
    shared = (api.visible_entries(ctx).filter(coached_entries(ctx), visibility__in=SHARED)
              .exclude(author_id=ctx.user.id))
    waiting = Q(coach_comment_count=0)
    learners = (shared.values("author_id", "author__username", "author__first_name", "author__last_name")
                .annotate(entries=Count("id"), waiting=Count("id", filter=waiting),
                          since=Min("created", filter=waiting))
                .order_by("-waiting", "since", "author__username")[:LEARNERS_MAX])
    now = timezone.now()
    out = []
    for row in learners:
        name = " ".join(p for p in (row["author__first_name"], row["author__last_name"]) if p)
        out.append({"id": row["author_id"], "name": name or row["author__username"],
                    "username": row["author__username"], "entries": row["entries"], "waiting": row["waiting"],
                    "waiting_since": row["since"].isoformat() if row["since"] else None, "entries_waiting": []})
    by_id = {row["id"]: row for row in out}
    for entry in (shared.filter(waiting, author_id__in=list(by_id)).order_by("created", "id")
                  .values("id", "author_id", "title", "created", "visibility")[:WAITING_MAX]):
        by_id[entry["author_id"]]["entries_waiting"].append({
            "id": entry["id"], "title": entry["title"], "created": entry["created"].isoformat(),
            "visibility": entry["visibility"], "waited_hours": int((now - entry["created"]).total_seconds() // 3600)})
    return {"learners": out, "now": now.isoformat()}


# ----- assigning coaches (course staff) ---------------------------------------------------------------------
def _require_staff(ctx, write=True):
    if write:
        ctx.require_writable()
    if not ctx.is_staff:
        raise PermissionDenied(_("Only the course team can assign coaches."))


def _group_names(ctx):
    return {g.key: g.name for g in ctx.available_groups()} if ctx.scope != COURSE_SCOPE else {}


def _candidates(ctx):
    """People the platform's roles make likely coaches: the course team in Open edX; the course's staff and
    community advocates elsewhere (LTI Instructors and Mentors). One query."""
    users = get_user_model().objects.filter(
        id__in=_role_holders(ctx, (RoleAssignment.STAFF, RoleAssignment.ADVOCATE)), is_active=True,
    ).order_by("username")[:CANDIDATES_MAX]
    return [{"username": u.username, "name": _name(u)} for u in users]


def list_coaches(ctx, data, settings):  # pylint: disable=unused-argument
    """The coach assignments of this blog (staff): who coaches whom, the groups to choose from and the
    candidates from the platform's roles."""
    _require_staff(ctx, write=False)
    groups = _group_names(ctx)
    rows = (_assignments(ctx).select_related("coach", "learner").order_by("group_key", "learner__username",
                                                                            "coach__username")[:ASSIGNMENTS_MAX])
    out = []
    for row in rows:
        if row.learner_id:
            whom = _name(row.learner)
        elif row.group_key == EVERYONE:
            whom = _("Everyone in the course")
        else:
            whom = groups.get(row.group_key, row.group_key)
        out.append({"id": row.id, "coach": {"username": row.coach.username, "name": _name(row.coach)},
                    "whom": whom, "group": row.group_key if not row.learner_id else None,
                    "learner": row.learner.username if row.learner_id else None, "source": row.source,
                    "whole_course": row.placement_id is None})
    return {"assignments": out, "groups": [{"key": k, "name": v} for k, v in groups.items()],
            "candidates": _candidates(ctx)}


def _user(data, name, errors):
    """The active user named by ``data[name]`` (a username), None when empty; an error when nobody has it."""
    raw = data.get(name)
    username = raw.strip() if isinstance(raw, str) else ""
    if not username:
        if raw not in (None, ""):
            errors[name] = _("Enter a username.")
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        errors[name] = _("Nobody has the username “{username}”.").format(username=username[:100])
    return user


def assign_coach(ctx, data, settings):
    """Assign a coach (``coach``: a username) in this blog to a group (``whom``: a group key, or "*" for
    everyone) or to one learner (``learner``: a username)."""
    _require_staff(ctx)
    data = _data(data)
    errors = {}
    coach = _user(data, "coach", errors)
    if coach is None and "coach" not in errors:
        errors["coach"] = _("Enter the coach's username.")
    learner = _user(data, "learner", errors)
    whom = data.get("whom")
    if learner is None and "learner" not in errors:
        if not isinstance(whom, str) or (whom != EVERYONE and whom not in _group_names(ctx)):
            errors["whom"] = _("Choose a group of this course, or everyone.")
    if coach is not None and learner is not None and coach.id == learner.id:
        errors["learner"] = _("A learner cannot be their own coach.")
    if errors:
        raise ValidationError(next(iter(errors.values())), fields=errors)
    source = CoachAssignment.LTI if ctx.placement.platform == Placement.LTI else CoachAssignment.STUDIO
    group_key = "" if learner is not None else whom
    same = _assignments(ctx).filter(coach_id=coach.id, learner_id=learner.id if learner else None,
                                    group_key=group_key)
    if same.exists():
        raise ValidationError(_("This coach is already assigned there."), fields={"coach": _("Already assigned.")})
    try:
        with transaction.atomic():
            row = CoachAssignment.objects.create(context_key=ctx.course_key, placement_id=ctx.placement.id,
                                                 coach=coach, learner=learner, group_key=group_key, source=source)
    except IntegrityError as err:  # pragma: no cover - the check above runs first
        raise ValidationError(_("This coach could not be assigned.")) from err
    ctx.emit(EVENT_PREFIX + "coach.assigned", {"assignment_id": row.id, "coach_id": coach.id,
                                               "learner_id": learner.id if learner else None, "group": group_key})
    return list_coaches(ctx, {}, settings)


def unassign_coach(ctx, data, settings):
    """Remove a coach assignment of this blog (``id``)."""
    _require_staff(ctx)
    row = CoachAssignment.objects.filter(context_key=ctx.course_key, placement_id=ctx.placement.id,
                                         pk=_id(_data(data))).first()
    if row is None:
        raise NotFound(_("This coach assignment does not exist in this blog."))
    row_id = row.id
    row.delete()
    ctx.emit(EVENT_PREFIX + "coach.unassigned", {"assignment_id": row_id})
    return list_coaches(ctx, {}, settings)


ACTIONS = {
    "coach_view": Action(run=coach_view, writes=False),
    "list_coaches": Action(run=list_coaches, writes=False),
    "assign_coach": Action(run=assign_coach),
    "unassign_coach": Action(run=unassign_coach),
}
