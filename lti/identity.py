"""Who launched, where, with which roles and in which group: a validated launch becomes suite data.

- A person is an (issuer, subject) pair mapped to a Django user (the suite's person), created on
  first launch (or roster sync) with the names the platform shares.
- LTI context roles map to the suite's roles in the course: Instructor, Administrator and
  ContentDeveloper are staff; Mentor and a TeachingAssistant who is not also an Instructor are
  community advocates; everyone is a learner. Kept in core ``RoleAssignment`` rows for the
  course's context key ``lti:<issuer hash>:<context id>``, replaced at each launch.
- Groups: a ``cohort`` (or ``group``) custom parameter puts the learner in that cohort of the
  course (created on first use) for this activity only: the launch token carries it and the learner's
  :class:`LearnerState` there keeps it; the course's memberships (set by the instructor in the tool or
  by the platform) are never changed by a launch, and apply to every activity that names no group.
  "One activity per group" needs nothing here: each resource link is its own placement.
- The platform's own groups (decision 16): for an activity whose learners talk in cohorts, a learner the
  instructor has put in no group in the tool acts in their platform group (Moodle's, read through its web
  services, or those a launch names), for this activity only like a ``cohort`` parameter; in several, the one
  they chose last in this activity (the page's "Your group" switcher), else the first by name.
- The latest launch rules: its roles go to every :class:`LearnerState` of the person in the course,
  and a launch token that disagrees with them is refused (:func:`lti.tokens.check_current`).

:func:`record_launch` writes all of it in one transaction, only for a fully validated launch.
"""
import hashlib
from dataclasses import dataclass
from typing import Optional

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import translation
from lti_tool.lti_core.utils import normalize_role
from lti_tool.models import LtiLaunch, LtiUser
from lti_tool.utils import sync_data_from_launch

from xblocks.core.context import ADVOCATE, LEARNER, STAFF
from xblocks.core import groups_api, reach
from xblocks.core.groups import COHORT, COURSE, LocalGroups
from xblocks.core.models import Placement

from . import platform_groups
from .components import group_from_custom, settings_from_custom
from .models import LearnerState, LtiPerson, LtiPlacement

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
STAFF_ROLES = {MEMBERSHIP + "Administrator", MEMBERSHIP + "Instructor", MEMBERSHIP + "ContentDeveloper"}
ADVOCATE_ROLES = {MEMBERSHIP + "Mentor"}
TEACHING_ASSISTANT = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"


def _short_hash(*parts, length=12):
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:length]


def context_key(issuer, context_id):
    """The suite's course key for an LTI context: ``lti:<issuer hash>:<context id>``."""
    key = f"lti:{_short_hash(issuer)}:{context_id}"
    if len(key) > 255:
        key = f"lti:{_short_hash(issuer)}:#{_short_hash(context_id, length=64)}"
    return key


def resource_key(resource_link_id):
    key = f"lti-link:{resource_link_id}"
    return key if len(key) <= 255 else f"lti-link:#{_short_hash(resource_link_id, length=64)}"


def suite_roles(lti_roles):
    """The suite's roles (besides learner) for a list of LTI role URIs (short names accepted)."""
    roles = {normalize_role(r) for r in (lti_roles or []) if isinstance(r, str)}
    result = set()
    if roles & STAFF_ROLES:
        result.add(STAFF)
    elif roles & ADVOCATE_ROLES or TEACHING_ASSISTANT in roles:
        result.add(ADVOCATE)
    return result


def person_for(issuer, subject, claims):
    """The Django user of (issuer, subject), created or updated with the names the platform shares."""
    User = get_user_model()
    given = (claims.get("given_name") or "").strip()[:150]
    family = (claims.get("family_name") or "").strip()[:150]
    full = (claims.get("name") or "").strip()
    if not given and not family and full:
        given, _sep, family = full.partition(" ")
        given, family = given[:150], family[:150]
    email = (claims.get("email") or "").strip()
    if len(email) > 254 or "@" not in email:
        email = ""
    link = LtiPerson.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if link is None:
        username = f"lti-{_short_hash(issuer, length=6)}-{_short_hash(issuer, subject, length=16)}"
        user, _created = User.objects.get_or_create(username=username, defaults={
            "first_name": given, "last_name": family, "email": email})
        try:
            with transaction.atomic():
                link = LtiPerson.objects.create(issuer=issuer, subject=subject, user=user)
        except IntegrityError:  # a concurrent first launch of the same person
            link = LtiPerson.objects.select_related("user").get(issuer=issuer, subject=subject)
        user = link.user
    else:
        user = link.user
    changed = []
    for field, value in (("first_name", given), ("last_name", family), ("email", email)):
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if changed:
        user.save(update_fields=changed)
    return user


def set_roles(user, course_key, roles):
    """Make the user's suite roles in the course exactly ``roles`` (staff/advocate)."""
    groups_api.set_roles(user, course_key, roles)


@dataclass
class LaunchOutcome:
    user: object
    course_key: str
    roles: frozenset
    lti_user: object
    placement: Optional[Placement] = None
    lti_placement: Optional[LtiPlacement] = None
    group: Optional[tuple] = None
    link_group: bool = False  # the group was named by the activity's launch (applies to it only)


def check_settings(launch):
    """For a resource link launch: the component and its validated settings (before any write)."""
    return settings_from_custom(launch.body.get(CLAIM + "custom"))


def record_launch(launch, component_settings=None):
    """Write what a validated launch tells (one transaction); returns a :class:`LaunchOutcome`."""
    body = launch.body
    issuer = body["iss"]
    context = body.get(CLAIM + "context") or {}
    context_id = str(context.get("id") or "")
    course_key = context_key(issuer, context_id or f"deployment:{body[CLAIM + 'deployment_id']}")
    roles = frozenset(suite_roles(body.get(CLAIM + "roles")) | {LEARNER})
    fetched = None  # the platform's groups, read before the transaction (a slow platform holds no lock)
    if launch.is_resource_launch() and STAFF not in roles and not group_from_custom(body.get(CLAIM + "custom")) \
            and (component_settings[1].get("group_scope") or COURSE) == COHORT:
        fetched = platform_groups.fetch(launch.registration_row, body, context_id)
    with transaction.atomic():
        lti_launch = LtiLaunch(launch)
        sync_data_from_launch(lti_launch)
        user = person_for(issuer, body["sub"], body)
        lti_user = LtiUser.objects.get(registration=launch.registration_row, sub=body["sub"])
        if lti_user.auth_user_id != user.id:
            lti_user.auth_user = user
            lti_user.save(update_fields=["auth_user", "datetime_modified"])
        set_roles(user, course_key, roles)
        outcome = LaunchOutcome(user=user, course_key=course_key, roles=roles, lti_user=lti_user)
        if not launch.is_resource_launch():
            return outcome
        component, settings = component_settings
        link = body[CLAIM + "resource_link"]
        placement, _created = Placement.objects.get_or_create(
            context_key=course_key, resource_key=resource_key(str(link["id"])),
            defaults={"platform": Placement.LTI,
                      "title": str(link.get("title") or settings.get("display_name") or component)[:255]})
        reach.record(placement, component, settings.get("group_scope") or COURSE, settings.get("teamset_id") or "")
        ags = body.get(AGS_CLAIM) or {}
        nrps = body.get(NRPS_CLAIM) or {}
        values = {
            "deployment": launch.deployment_row,
            "context_id": context_id[:255],
            "resource_link_id": str(link["id"])[:255],
            "component": component,
            "settings": settings,
            "lineitem_url": str(ags.get("lineitem") or "")[:1000],
            "lineitems_url": str(ags.get("lineitems") or "")[:1000],
            "ags_scopes": [s for s in ags.get("scope") or [] if isinstance(s, str)],
            "memberships_url": str(nrps.get("context_memberships_url") or "")[:1000],
        }
        lti_placement = LtiPlacement.objects.filter(placement=placement).first()
        if lti_placement is None:
            lti_placement = LtiPlacement.objects.create(placement=placement, **values)
        elif any(getattr(lti_placement, k if k != "deployment" else "deployment_id") !=
                 (v if k != "deployment" else v.pk) for k, v in values.items()):
            for k, v in values.items():
                setattr(lti_placement, k, v)
            lti_placement.save()
        group, link_group, choices = None, False, []
        if STAFF not in roles:
            scope = settings.get("group_scope") or COURSE
            cohort = group_from_custom(body.get(CLAIM + "custom"))
            if cohort and scope == COHORT:  # this activity's group: no membership is written
                found, _created = groups_api.create_group(course_key, cohort, COHORT)
                group, link_group = (f"{COHORT}:{found.id}", found.name), True
            else:
                found = LocalGroups().group_for(user, course_key, scope, settings.get("teamset_id", ""))
                group = (found.key, found.name) if found else None
                if found is None and scope == COHORT:  # no group set by hand in the tool: the platform's
                    followed = platform_groups.learner_groups(fetched, course_key, user) if fetched else None
                    if followed:
                        group, link_group = chosen_group(placement, user, followed), True
                        choices = [list(g) for g in followed] if len(followed) > 1 else []
        remember_launch(placement, user, course_key, roles, group[0] if link_group else "", choices)
        outcome.placement = placement
        outcome.lti_placement = lti_placement
        outcome.group = group
        outcome.link_group = link_group
        return outcome


def chosen_group(placement, user, groups):
    """Of the platform's groups a learner is in, the one they chose last in this activity, else the first."""
    previous = (LearnerState.objects.filter(placement=placement, user=user).values_list("group_key", flat=True)
                .first())
    return next((g for g in groups if g[0] == previous), groups[0])


def remember_launch(placement, user, course_key, roles, group_key, group_choices=()):
    """Keep what the latest launch established: the learner's private state here (drafts, completion) with
    this activity's group, made now so that the page's requests only update it, and the launch's roles in
    each of the person's states in the course (older launch tokens with other roles are then refused)."""
    roles = sorted(roles)
    choices = list(group_choices)
    state, created = LearnerState.objects.get_or_create(placement=placement, user=user, defaults={
        "roles": roles, "group_key": group_key, "group_choices": choices})
    if not created and (state.roles != roles or state.group_key != group_key or state.group_choices != choices):
        state.roles, state.group_key, state.group_choices = roles, group_key, choices
        state.save(update_fields=["roles", "group_key", "group_choices", "modified"])
    LearnerState.objects.filter(user=user, placement__context_key=course_key).exclude(placement=placement).update(
        roles=roles)


def launch_language(body):
    """The tool's language for the locale the platform launched in (``launch_presentation.locale``, e.g.
    ``nl-BE`` or ``fr_CA``: the course's or the person's language there), or "" when absent or not offered."""
    presentation = body.get(CLAIM + "launch_presentation") if isinstance(body, dict) else None
    locale = presentation.get("locale") if isinstance(presentation, dict) else None
    if not isinstance(locale, str) or not locale.strip() or len(locale) > 35:
        return ""
    try:
        return translation.get_supported_language_variant(locale.strip().replace("_", "-").lower())
    except LookupError:
        return ""
