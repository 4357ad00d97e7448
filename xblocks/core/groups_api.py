"""The one writer of core's group and role tables (local cohorts and teams, suite roles).

The LTI tool, the sandbox's demo seed and the benchmarks call these functions instead of writing
``LocalGroup``, ``LocalGroupMembership`` or ``RoleAssignment`` rows themselves, so the rules (one
group of a kind per person and course, roles limited to staff and advocate) live in one place.
Inside Open edX the platform's cohorts and teams are read (``compat``) and never written.
"""
from django.db import transaction
from django.db.models import Count

from .context import ADVOCATE, STAFF
from .models import LocalGroup, LocalGroupMembership, PlatformGroupMembership, RoleAssignment

COHORT = LocalGroup.COHORT
TEAM = LocalGroup.TEAM
TOOL = LocalGroup.TOOL
MOODLE = LocalGroup.MOODLE
LAUNCH = LocalGroup.LAUNCH


def create_group(course_key, name, kind=COHORT):
    """The course's group of ``kind`` named ``name``, created when new: ``(group, created)``."""
    return LocalGroup.objects.get_or_create(context_key=course_key, kind=kind, name=name)


def groups_of(course_key, kind=COHORT):
    """The course's groups of ``kind``, by name."""
    return list(LocalGroup.objects.filter(context_key=course_key, kind=kind).order_by("name", "id"))


def group_by_id(course_key, group_id, kind=COHORT):
    """The course's group with that id (an int or digits), or None."""
    value = str(group_id)
    if not value.isdigit():
        return None
    return LocalGroup.objects.filter(id=int(value), context_key=course_key, kind=kind).first()


def memberships(course_key, kind=COHORT):
    """{user id: group id} for every member of a group of ``kind`` in the course."""
    return dict(LocalGroupMembership.objects.filter(context_key=course_key, kind=kind)
                .values_list("user_id", "group_id"))


def set_group(user, course_key, group, kind=COHORT):
    """Put ``user`` in ``group`` (a LocalGroup of the course, or None for no group), out of any other group
    of that kind in the course. Returns True when something changed."""
    with transaction.atomic(savepoint=False):  # inside a caller's transaction: no savepoint queries
        current = (LocalGroupMembership.objects.select_for_update()
                   .filter(user=user, context_key=course_key, kind=kind).first())
        if group is None:
            if current is None:
                return False
            current.delete()
            return True
        if current is None:
            LocalGroupMembership.objects.create(group=group, user=user)
            return True
        if current.group_id == group.id:
            return False
        current.group = group
        current.save()
        return True


def put_in_cohort(user, course_key, name):
    """Put ``user`` in the course's cohort named ``name`` (created when new), out of any other."""
    group, _created = create_group(course_key, name, COHORT)
    set_group(user, course_key, group, COHORT)
    return group


def set_roles(user, course_key, roles):
    """Make the user's suite roles in the course exactly ``roles`` (of staff and advocate)."""
    wanted = set(roles) & {STAFF, ADVOCATE}
    current = set(RoleAssignment.objects.filter(user=user, context_key=course_key).values_list("role", flat=True))
    if current - wanted:
        RoleAssignment.objects.filter(user=user, context_key=course_key, role__in=current - wanted).delete()
    for role in wanted - current:
        RoleAssignment.objects.get_or_create(user=user, context_key=course_key, role=role)


def add_role(user, course_key, role):
    """Give ``user`` one more suite role in the course (staff or advocate)."""
    if role not in (STAFF, ADVOCATE):
        raise ValueError(f"unknown role {role!r}")
    RoleAssignment.objects.get_or_create(user=user, context_key=course_key, role=role)


def bulk_create_groups(course_key, names, kind=COHORT):
    """Many new groups at once (benchmarks and imports): the created groups, in the order of ``names``."""
    LocalGroup.objects.bulk_create([LocalGroup(context_key=course_key, kind=kind, name=name) for name in names])
    by_name = {g.name: g for g in LocalGroup.objects.filter(context_key=course_key, kind=kind, name__in=list(names))}
    return [by_name[name] for name in names]


def bulk_add_members(group, users):
    """Many new members of one group at once (benchmarks and imports); nobody may be in another group of
    that kind in the course yet."""
    LocalGroupMembership.objects.bulk_create([LocalGroupMembership(group=group, user=user, context_key=group.context_key,
                                                                   kind=group.kind) for user in users])


# ----- groups mirrored from the platform (decision 16) ---------------------------------------------
def mirror_groups(course_key, source, found):
    """The course's cohorts for the platform's groups ``found`` ({external id: name}), created or renamed as the
    platform names them: {external id: LocalGroup}. A group an instructor made in the tool under the same name
    becomes the platform's (its members in the tool stay); a name the tool already uses for another platform
    group gets the platform's id after it."""
    found = {str(k)[:64]: (str(v).strip() or str(k))[:200] for k, v in found.items()}
    if not found:
        return {}
    with transaction.atomic():
        mirrored = {g.external_id: g for g in LocalGroup.objects.filter(
            context_key=course_key, kind=COHORT, source=source, external_id__in=list(found))}
        taken = {g.name: g for g in LocalGroup.objects.filter(
            context_key=course_key, kind=COHORT, name__in=[n for i, n in found.items() if i not in mirrored])}
        for ident, name in found.items():
            group = mirrored.get(ident)
            if group is None:
                group = taken.get(name)
                if group is not None and group.source == TOOL:  # the instructor's copy of it: now followed
                    group.source, group.external_id = source, ident
                    group.save(update_fields=["source", "external_id"])
                else:
                    if group is not None:
                        name = f"{name} ({ident})"
                    group, _created = LocalGroup.objects.get_or_create(
                        context_key=course_key, kind=COHORT, name=name,
                        defaults={"source": source, "external_id": ident})
                mirrored[ident] = group
            elif group.name != name and not LocalGroup.objects.filter(context_key=course_key, kind=COHORT,
                                                                      name=name).exists():
                group.name = name
                group.save(update_fields=["name"])
        return mirrored


def set_platform_groups(user, course_key, source, groups):
    """Make ``user``'s memberships of the platform's groups (of ``source``) in the course exactly ``groups``
    (LocalGroups from :func:`mirror_groups`). The instructor's assignment in the tool is not touched."""
    wanted = {g.id for g in groups}
    current = set(PlatformGroupMembership.objects.filter(user=user, context_key=course_key, source=source)
                  .values_list("group_id", flat=True))
    if current - wanted:
        PlatformGroupMembership.objects.filter(user=user, context_key=course_key, source=source,
                                               group_id__in=current - wanted).delete()
    if wanted - current:
        PlatformGroupMembership.objects.bulk_create(
            [PlatformGroupMembership(group_id=g, user=user, context_key=course_key, source=source)
             for g in wanted - current], ignore_conflicts=True)


def set_platform_members(group, users):
    """Make the members of a platform's group exactly ``users`` (those of them the tool knows)."""
    wanted = {u.id for u in users}
    current = set(PlatformGroupMembership.objects.filter(group=group).values_list("user_id", flat=True))
    if current - wanted:
        PlatformGroupMembership.objects.filter(group=group, user_id__in=current - wanted).delete()
    if wanted - current:
        PlatformGroupMembership.objects.bulk_create(
            [PlatformGroupMembership(group=group, user_id=u, context_key=group.context_key, source=group.source)
             for u in wanted - current], ignore_conflicts=True)


def platform_groups_of(user, course_key, source):
    """The platform's groups (of ``source``) ``user`` was last known to be in, by name."""
    return list(LocalGroup.objects.filter(platform_memberships__user=user, context_key=course_key, source=source)
                .order_by("name", "id"))


def overview(course_key):
    """The course's cohorts with their source and member counts: ``set_by_hand`` (the instructor's assignment in
    the tool) and ``from_platform`` (memberships the platform last gave), by name."""
    return list(LocalGroup.objects.filter(context_key=course_key, kind=COHORT)
                .annotate(set_by_hand=Count("localgroupmembership", distinct=True),
                          from_platform=Count("platform_memberships", distinct=True)).order_by("name", "id"))


def platform_memberships(course_key):
    """{user id: [group names]} of the platform's groups in the course, as last known."""
    result = {}
    for user_id, name in (PlatformGroupMembership.objects.filter(context_key=course_key)
                          .order_by("group__name").values_list("user_id", "group__name")):
        result.setdefault(user_id, []).append(name)
    return result
