"""The request context every component api takes: who asks, where, in which group, with which roles.

Front doors (the XBlock runtime, the LTI tool) build a :class:`Context`; apis never look at
the runtime. ``emit`` sends a tracking event through the front door.
"""
import hashlib
from dataclasses import dataclass, field
from typing import Callable, Optional

from django.core.cache import cache
from django.utils.translation import gettext as _

from . import groups as groups_mod
from .errors import NotFound, PermissionDenied
from .models import Placement, RoleAssignment

STAFF = "staff"
ADVOCATE = "advocate"
LEARNER = "learner"
# What the staff group switcher sends for "every group".
ALL_GROUPS = "all"


def _no_emit(name, data):  # pragma: no cover - default for contexts built in scripts
    return None


@dataclass
class Context:
    user: object
    placement: Placement
    scope: str
    group: Optional[groups_mod.Group]
    roles: frozenset = frozenset()
    # For staff: groups they may switch to (filled lazily by ``available_groups``).
    group_backend: object = None
    teamset_id: str = ""
    view_all: bool = False
    emit: Callable = field(default=_no_emit)
    # Why this person may read but not write (e.g. staff viewing the course as a specific learner);
    # empty when they may write. Reads then record nothing either (no read markers).
    read_only: str = ""
    # How this person reaches other placements of the course through their door (``xblocks.core.reach.Reach``),
    # or None: nothing else is reached.
    reach: object = None

    @property
    def course_key(self):
        return self.placement.context_key

    @property
    def is_staff(self):
        return STAFF in self.roles

    @property
    def is_advocate(self):
        return ADVOCATE in self.roles or STAFF in self.roles

    def available_groups(self):
        """The groups this person may read: every group for staff, their own for a learner."""
        if self.is_staff:
            return self.group_backend.groups(self.course_key, self.scope, self.teamset_id)
        return [self.group] if self.group else []

    def group_key_for_read(self):
        """The group to filter reads on, or None for staff reading every group."""
        if self.view_all and self.is_staff:
            return None
        if self.group is None:
            raise PermissionDenied(_("You are not in a group of this course yet, so this space is closed to you. "
                                     "Ask your instructor to add you to a cohort or team."))
        return self.group.key

    def require_writable(self):
        """Refuse a write while the context is read-only (the reason is the message)."""
        if self.read_only:
            raise PermissionDenied(self.read_only, code="read_only")

    def require_group_for_write(self):
        self.require_writable()
        if self.group is None:
            if self.is_staff:
                raise PermissionDenied(_("Choose a group with the switcher before you post."))
            raise PermissionDenied(_("You are not in a group of this course yet, so you cannot post here."))
        return self.group.key


def get_placement(platform, context_key, resource_key, title="", component="", group_scope="", teamset_id=""):
    """The placement row for a component instance (cached: its id never changes), with its component, group scope
    and teamset recorded for other components to reach it (``xblocks.core.reach``: written when they change, which
    the cache key follows). Title changes are recorded with them."""
    recorded = {"component": component, "group_scope": group_scope, "teamset_id": teamset_id}
    digest = hashlib.sha256("\n".join((context_key, resource_key, component, group_scope, teamset_id, title))
                            .encode()).hexdigest()
    cache_key = f"social:placement:{digest}"
    placement_id = cache.get(cache_key)
    if placement_id is not None:
        return Placement(id=placement_id, platform=platform, context_key=context_key,
                         resource_key=resource_key, title=title, **recorded)
    placement, created = Placement.objects.get_or_create(
        context_key=context_key, resource_key=resource_key,
        defaults={"platform": platform, "title": title[:255], **recorded},
    )
    if not created and component and (any(getattr(placement, k) != v for k, v in recorded.items())
                                      or placement.title != title[:255]):
        placement.title = title[:255]
        for name, value in recorded.items():
            setattr(placement, name, value)
        placement.save(update_fields=["title", *recorded])
    cache.set(cache_key, placement.id, 3600)
    return placement


def local_roles(user, course_key):
    """Roles granted inside the suite (sandbox, LTI), plus Django superusers as staff (one query).

    Nobody who is not signed in has a role.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    preloaded = getattr(user, "_sls_local_roles", {})
    if course_key in preloaded:  # read with the user (see ``load_local_person``)
        return preloaded[course_key]
    roles = {LEARNER}
    if getattr(user, "is_superuser", False):
        roles.add(STAFF)
    roles.update(RoleAssignment.objects.filter(user=user, context_key=course_key).values_list("role", flat=True))
    return frozenset(roles)


def load_local_person(course_key, scope, **lookup):
    """The user matching ``lookup`` (e.g. ``username=`` or ``id=``), with their suite roles in the course
    and their local cohort or team for ``scope`` read in the same query; None when nobody matches.

    :func:`local_roles` and ``LocalGroups.group_for`` then answer from what was read, so a front door
    that uses the local backend (the sandbox, the LTI tool) spends one query on who is asking.
    """
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.db.models import Exists, OuterRef, Subquery  # pylint: disable=import-outside-toplevel

    from .models import LocalGroupMembership  # pylint: disable=import-outside-toplevel

    def has_role(role):
        return Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), context_key=course_key, role=role))

    qs = get_user_model().objects.filter(**lookup).annotate(sls_staff=has_role(STAFF), sls_advocate=has_role(ADVOCATE))
    with_group = scope in (groups_mod.COHORT, groups_mod.TEAM)
    if with_group:
        membership = LocalGroupMembership.objects.filter(user=OuterRef("pk"), context_key=course_key, kind=scope)
        qs = qs.annotate(sls_group_id=Subquery(membership.values("group_id")[:1]),
                         sls_group_name=Subquery(membership.values("group__name")[:1]))
    user = qs.first()
    if user is None:
        return None
    roles = {LEARNER}
    if user.is_superuser or user.sls_staff:
        roles.add(STAFF)
    if user.sls_advocate:
        roles.add(ADVOCATE)
    user._sls_local_roles = {course_key: frozenset(roles)}  # pylint: disable=protected-access
    if with_group:
        group = (groups_mod.Group(f"{scope}:{user.sls_group_id}", user.sls_group_name)
                 if user.sls_group_id is not None else None)
        user._sls_local_groups = {(course_key, scope): group}  # pylint: disable=protected-access
    return user


def build_context(*, user, placement, scope, roles, backend, teamset_id="", requested_group=None, emit=None,
                  read_only="", reach=None):
    """Resolve the group a person acts in and return the :class:`Context`.

    ``requested_group`` is what a staff member picked in the switcher: a group key, or "all" for
    every group at once (staff reply to any thread there, and pick a group to start one). With
    nothing picked, staff see every group. Learners cannot pick: asking for another group than
    their own is refused. A course-wide scope has one group for everyone.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to take part."))
    if scope not in groups_mod.SCOPES:
        raise NotFound(_("This component is set up with an unknown group scope."))
    if requested_group is not None and not isinstance(requested_group, str):
        raise NotFound(_("That group does not exist in this course."))
    requested_group = (requested_group or "").strip()
    view_all = False
    if scope == groups_mod.COURSE:
        group = groups_mod.course_group()
        if requested_group not in ("", ALL_GROUPS, group.key):
            if STAFF in roles:
                raise NotFound(_("That group does not exist in this course."))
            raise PermissionDenied(_("You can only see your own group's space."))
    elif STAFF in roles:
        group = None
        if requested_group in ("", ALL_GROUPS):
            view_all = True
        else:
            for candidate in backend.groups(placement.context_key, scope, teamset_id):
                if candidate.key == requested_group:
                    group = candidate
                    break
            else:
                raise NotFound(_("That group does not exist in this course."))
    else:
        group = backend.group_for(user, placement.context_key, scope, teamset_id)
        if requested_group not in ("", ALL_GROUPS) and (group is None or requested_group != group.key):
            raise PermissionDenied(_("You can only see your own group's space."))
    return Context(
        user=user,
        placement=placement,
        scope=scope,
        group=group,
        roles=frozenset(roles),
        group_backend=backend,
        teamset_id=teamset_id,
        view_all=view_all,
        emit=emit or _no_emit,
        read_only=read_only,
        reach=reach,
    )
