"""LTI Advantage services: the course roster (NRPS) and the participation score (AGS).

Both call the platform with pylti1p3 (``NamesRolesProvisioningService``, ``AssignmentsGradesService``
via ``put_grade``) through a connector whose HTTP calls time out and whose access tokens are
cached until shortly before they expire.
"""
import hashlib
import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from lti_tool.models import LtiContext, LtiUser
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector
import requests

from xblocks.core.context import STAFF

from . import identity, keys
from .models import LtiPerson
from .protocol import http_session

log = logging.getLogger(__name__)
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


class ServiceError(Exception):
    """A platform service could not be reached or refused the call (message for people)."""


class CachedServiceConnector(ServiceConnector):
    """pylti1p3's connector with access tokens kept in the cache until shortly before they expire.

    The registration, with the tool's signing key, is read only when a token must be fetched: a call
    with a cached token reads nothing from the database.
    """

    def __init__(self, registration_row):
        self.registration_row = registration_row
        super().__init__(None, http_session())

    def get_access_token(self, scopes):
        scope_key = hashlib.sha256(
            f"{self.registration_row.pk}\n{self.registration_row.token_url}\n{' '.join(sorted(scopes))}".encode()
        ).hexdigest()
        cache_key = f"sls:lti:access-token:{scope_key}"
        token = cache.get(cache_key)
        if token:
            return token
        keys.current_key()
        self._registration = self.registration_row.to_registration()
        token = super().get_access_token(scopes)
        cache.set(cache_key, token, 3000)  # platforms issue them for an hour
        return token


def _connector(deployment):
    return CachedServiceConnector(deployment.registration)


# ----- NRPS ---------------------------------------------------------------------------------------
def sync_roster(lti_context):
    """Fetch the course roster over NRPS and make every member a person of the course.

    Updates django-lti's users and memberships, maps each member to a Django user (so the
    instructor can put people in groups before their first launch) and sets their suite roles.
    Returns the number of members. Raises :class:`ServiceError`.
    """
    if not lti_context.memberships_url:
        raise ServiceError("The platform did not offer the course roster (Names and Role Provisioning Services).")
    deployment = lti_context.deployment
    service = NamesRolesProvisioningService(_connector(deployment),
                                            {"context_memberships_url": lti_context.memberships_url})
    try:
        members = service.get_members()
    except (LtiException, requests.RequestException, ValueError) as err:
        log.warning("NRPS call to %s failed: %s", lti_context.memberships_url, err)
        raise ServiceError("The course roster could not be fetched from the platform.") from err
    issuer = deployment.registration.issuer
    course_key = identity.context_key(issuer, lti_context.id_on_platform)
    members = [m for m in members if isinstance(m, dict) and m.get("user_id")]
    with transaction.atomic():
        for member in members:
            member.setdefault("roles", [])
            member.setdefault("status", "Active")
        lti_context.update_memberships(members)
        lti_users = {u.sub: u for u in LtiUser.objects.filter(registration=deployment.registration,
                                                               sub__in=[m["user_id"] for m in members])}
        for member in members:
            user = identity.person_for(issuer, str(member["user_id"]), member)
            lti_user = lti_users.get(member["user_id"])
            if lti_user is not None and lti_user.auth_user_id != user.id:
                lti_user.auth_user = user
                lti_user.save(update_fields=["auth_user", "datetime_modified"])
            if member.get("status", "Active") == "Active":
                identity.set_roles(user, course_key, identity.suite_roles(member.get("roles")))
    return len(members)


def roster(course_key, lti_context):
    """The people of the course known to the tool: (user, is_staff) for each, by name."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from xblocks.core.models import RoleAssignment  # pylint: disable=import-outside-toplevel

    issuer = lti_context.deployment.registration.issuer
    subjects = LtiUser.objects.filter(memberships__context=lti_context, memberships__is_active=True).values("sub")
    user_ids = LtiPerson.objects.filter(issuer=issuer, subject__in=subjects).values("user_id")
    staff_ids = set(RoleAssignment.objects.filter(context_key=course_key, role=STAFF).values_list("user_id", flat=True))
    people = get_user_model().objects.filter(id__in=user_ids).order_by("first_name", "last_name", "username")
    return [(person, person.id in staff_ids) for person in people]


def context_for(lti_placement):
    return LtiContext.objects.filter(deployment=lti_placement.deployment,
                                     id_on_platform=lti_placement.context_id).first()


# ----- AGS ----------------------------------------------------------------------------------------
def send_score(lti_placement, user, score, maximum, complete, subject=None):
    """Send a learner's participation score to the platform's gradebook; True when it was accepted.

    ``subject``: the learner's id on the platform, when the caller read it already.
    Best effort: the contribution is saved whatever the platform answers (logged when refused).
    """
    scopes = lti_placement.ags_scopes or []
    if SCORE_SCOPE not in scopes or not (lti_placement.lineitem_url or lti_placement.lineitems_url):
        return False
    deployment = lti_placement.deployment
    if not subject:
        person = LtiPerson.objects.filter(user=user, issuer=deployment.registration.issuer).first()
        if person is None:
            return False
        subject = person.subject
    service = AssignmentsGradesService(_connector(deployment), {
        "scope": scopes, "lineitems": lti_placement.lineitems_url, "lineitem": lti_placement.lineitem_url})
    grade = (Grade().set_score_given(score).set_score_maximum(maximum)
             .set_timestamp(timezone.now().isoformat())
             .set_activity_progress("Completed" if complete else "InProgress")
             .set_grading_progress("FullyGraded" if complete else "Pending")
             .set_user_id(subject))
    lineitem = None
    if not lti_placement.lineitem_url:
        lineitem = (LineItem().set_tag(f"sls-participation:{lti_placement.resource_link_id}")
                    .set_score_maximum(maximum).set_label(lti_placement.settings.get("display_name") or "Participation")
                    .set_resource_link_id(lti_placement.resource_link_id))
        if LINEITEM_SCOPE not in scopes:
            return False
    try:
        service.put_grade(grade, lineitem)
    except (LtiException, requests.RequestException, ValueError, AssertionError) as err:
        log.warning("AGS score for user %s in placement %s was not accepted: %s", user.id,
                    lti_placement.placement_id, err)
        return False
    return True
