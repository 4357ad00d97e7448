"""Group resolution: which cohort, team or course space a person acts in.

A *group key* is a short string stored on every piece of shared data: ``course`` for the whole
course, ``cohort:<id>`` or ``team:<id>``. Two backends implement the same calls: Open edX
(through ``compat``) and local (``LocalGroup`` models: the sandbox and the LTI tool).

- ``group_for(user, course_key, scope, teamset_id)``: the group a person acts in, or None;
- ``groups(course_key, scope, teamset_id)``: every group of the course in that scope;
- ``member_filter(course_key, group_key)``: a ``Q`` on the user model selecting the group's
  members, evaluated by the database as a subquery (a course may have 100,000 learners);
- ``member_ids(course_key, group_key)``: the same as a set of ids (small groups only).
"""
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from . import compat
from .models import LocalGroup, LocalGroupMembership, RoleAssignment
from .settings import conf

COURSE = "course"
COHORT = "cohort"
TEAM = "team"
SCOPES = (COHORT, TEAM, COURSE)


@dataclass(frozen=True)
class Group:
    key: str
    name: str

    def as_dict(self):
        return {"key": self.key, "name": self.name}


def course_group():
    return Group(COURSE, _("Whole course"))


class LocalGroups:
    """Cohorts and teams kept in the suite's own tables."""

    def group_for(self, user, course_key, scope, teamset_id=""):
        if scope == COURSE:
            return course_group()
        preloaded = getattr(user, "_sls_local_groups", {})
        if (course_key, scope) in preloaded:  # read with the user (see ``context.load_local_person``)
            return preloaded[(course_key, scope)]
        membership = (
            LocalGroupMembership.objects.filter(user=user, context_key=course_key, kind=scope)
            .select_related("group")
            .first()
        )
        if membership is None:
            return None
        return Group(f"{scope}:{membership.group_id}", membership.group.name)

    def groups(self, course_key, scope, teamset_id=""):
        if scope == COURSE:
            return [course_group()]
        return [
            Group(f"{scope}:{g.id}", g.name)
            for g in LocalGroup.objects.filter(context_key=course_key, kind=scope).order_by("name", "id")
        ]

    def member_filter(self, course_key, group_key):
        kind, _sep, ident = group_key.partition(":")
        if kind == COURSE:
            # The local course roster is everyone in any group of the course plus role holders.
            return Q(id__in=LocalGroupMembership.objects.filter(context_key=course_key).values("user_id")) | Q(
                id__in=RoleAssignment.objects.filter(context_key=course_key).values("user_id")
            )
        if kind not in (COHORT, TEAM) or not ident.isdigit():
            return Q(pk__in=[])
        return Q(id__in=LocalGroupMembership.objects.filter(context_key=course_key, kind=kind, group_id=int(ident))
                 .values("user_id"))

    def member_ids(self, course_key, group_key):
        return set(users_matching(self.member_filter(course_key, group_key)).values_list("id", flat=True))


class OpenEdxGroups:
    """Cohorts and teams of edx-platform, read through ``compat`` (never assigns a cohort)."""

    def __init__(self, teams_service=None):
        self.teams_service = teams_service

    def group_for(self, user, course_key, scope, teamset_id=""):
        if scope == COURSE:
            return course_group()
        if scope == COHORT:
            if not compat.is_course_cohorted(course_key):
                return course_group()
            cohort = compat.get_cohort(user, course_key)
            return Group(f"{COHORT}:{cohort[0]}", cohort[1]) if cohort else None
        team = compat.get_team(self.teams_service, user, course_key, teamset_id)
        return Group(f"{TEAM}:{team[0]}", team[1]) if team else None

    def groups(self, course_key, scope, teamset_id=""):
        if scope == COURSE:
            return [course_group()]
        if scope == COHORT:
            if not compat.is_course_cohorted(course_key):
                return [course_group()]
            return [Group(f"{COHORT}:{i}", n) for i, n in compat.get_course_cohorts(course_key)]
        return [Group(f"{TEAM}:{i}", n) for i, n in compat.get_teams(course_key, teamset_id)]

    def member_filter(self, course_key, group_key):
        kind, _sep, ident = group_key.partition(":")
        if kind == COURSE:
            return Q(id__in=compat.get_course_member_ids(course_key))
        if kind == COHORT:
            if not ident.isdigit():
                return Q(pk__in=[])
            return Q(id__in=compat.get_cohort_member_ids(course_key, int(ident)))
        if kind == TEAM and ident:
            return Q(id__in=compat.get_team_member_ids(ident))
        return Q(pk__in=[])

    def member_ids(self, course_key, group_key):
        return set(users_matching(self.member_filter(course_key, group_key)).values_list("id", flat=True))


def backend(teams_service=None):
    """The group backend configured by ``SOCIAL_LEARNING['GROUP_BACKEND']`` (auto by default)."""
    choice = conf("GROUP_BACKEND")
    if choice == "openedx" or (choice == "auto" and compat.running_in_openedx()):
        return OpenEdxGroups(teams_service)
    return LocalGroups()


def users_by_ids(ids):
    return get_user_model().objects.filter(id__in=list(ids))


def users_matching(member_filter):
    """Active users selected by a backend's ``member_filter``."""
    return get_user_model().objects.filter(member_filter, is_active=True)
