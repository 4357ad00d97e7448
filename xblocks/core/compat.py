"""The only module that touches edx-platform.

Every import of the platform happens inside a function, so the suite imports (and its tests
run) anywhere. Tests fake these functions; nothing else in the suite is faked.

The ``*_member_ids`` functions return lazy querysets of user ids (or any iterable of ids), so a
course roster is filtered inside the database as a subquery and never loaded into Python.
"""
import functools

# Open edX forum roles that make someone a community advocate in our components.
ADVOCATE_FORUM_ROLES = ("Administrator", "Moderator", "Group Moderator", "Community TA")


@functools.lru_cache(maxsize=1)
def running_in_openedx():
    """True when edx-platform's cohorts are importable (we run inside the LMS or Studio); asked once."""
    try:
        from openedx.core.djangoapps.course_groups import cohorts  # noqa: F401  pylint: disable=import-outside-toplevel
    except ImportError:
        return False
    return True


def _course_key(course_key):
    from opaque_keys.edx.keys import CourseKey  # pylint: disable=import-outside-toplevel

    return CourseKey.from_string(str(course_key))


def is_course_cohorted(course_key):
    from openedx.core.djangoapps.course_groups import cohorts  # pylint: disable=import-outside-toplevel

    return cohorts.is_course_cohorted(_course_key(course_key))


def get_cohort(user, course_key):
    """The learner's cohort as (id, name), or None. Read-only: never assigns a cohort."""
    from openedx.core.djangoapps.course_groups import cohorts  # pylint: disable=import-outside-toplevel

    cohort = cohorts.get_cohort(user, _course_key(course_key), assign=False)
    return (cohort.id, cohort.name) if cohort else None


def get_course_cohorts(course_key):
    """Every cohort of the course as a list of (id, name)."""
    from openedx.core.djangoapps.course_groups import cohorts  # pylint: disable=import-outside-toplevel

    return [(c.id, c.name) for c in cohorts.get_course_cohorts(course_id=_course_key(course_key))]


def get_cohort_member_ids(course_key, cohort_id):
    """The user ids of a cohort's members (a lazy queryset)."""
    from openedx.core.djangoapps.course_groups.models import CohortMembership  # pylint: disable=import-outside-toplevel

    return CohortMembership.objects.filter(
        course_id=_course_key(course_key), course_user_group_id=cohort_id
    ).values("user_id")


def get_team(teams_service, user, course_key, teamset_id):
    """The learner's team in a teamset as (team_id, name), or None.

    The teams service (``lms/djangoapps/teams/services.py``) hands the course id to
    ``teams/api.py::get_team_for_user_course_topic``, which parses it with ``CourseKey.from_string``:
    it takes the course id as a string (a ``CourseKey`` raises AttributeError there).
    """
    if teams_service is None:
        return None
    team = teams_service.get_team(user, str(course_key), teamset_id)
    return (team.team_id, team.name) if team else None


def get_teams(course_key, teamset_id):
    """Every team of a teamset as a list of (team_id, name)."""
    from lms.djangoapps.teams.models import CourseTeam  # pylint: disable=import-outside-toplevel

    teams = CourseTeam.objects.filter(course_id=_course_key(course_key), topic_id=teamset_id).order_by("name")
    return [(t.team_id, t.name) for t in teams]


def get_team_member_ids(team_id):
    """The user ids of a team's members (a lazy queryset)."""
    from lms.djangoapps.teams.models import CourseTeamMembership  # pylint: disable=import-outside-toplevel

    return CourseTeamMembership.objects.filter(team__team_id=team_id).values("user_id")


def get_course_member_ids(course_key):
    """The user ids of everyone actively enrolled in the course (a lazy queryset)."""
    from common.djangoapps.student.models import CourseEnrollment  # pylint: disable=import-outside-toplevel

    return CourseEnrollment.objects.filter(course_id=_course_key(course_key), is_active=True).values("user_id")


def is_forum_advocate(user, course_key):
    """True for forum moderators, group moderators, community TAs and forum administrators."""
    from openedx.core.djangoapps.django_comment_common.models import Role  # pylint: disable=import-outside-toplevel

    return Role.user_has_role_for_course(user, _course_key(course_key), ADVOCATE_FORUM_ROLES)


def course_key_object(course_key):
    """The platform's ``CourseKey`` for a course id string (what Studio's permission service takes)."""
    return _course_key(course_key)


def masquerading_real_user(user_service):
    """The staff member behind the page when they view the course as a specific learner, else None.

    ``courseware/masquerade.py::setup_masquerade`` binds the runtime to the learner and sets
    ``real_user`` (the staff member) on that learner's User; the user service keeps the bound user in
    ``_django_user`` (``xblock_django/user_service.py``; the discussion block reads it the same way).
    """
    bound = getattr(user_service, "_django_user", None)
    real = getattr(bound, "real_user", None)
    if bound is None or real is None or getattr(real, "id", None) == getattr(bound, "id", None):
        return None
    return real


def platform_time_zone():
    """The platform's time zone (an IANA name): the LMS's ``TIME_ZONE`` setting (``lms/envs/common.py``, "UTC"
    unless the operator changed it). Open edX courses have no time zone of their own; dates in Studio are in it."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel

    return getattr(settings, "TIME_ZONE", None) or "UTC"


def course_staff_ids(course_key):
    """The user ids of the course team (staff and instructors of the course), a lazy queryset: the platform's
    ``CourseAccessRole`` rows (``common/djangoapps/student/roles.py``, roles "staff" and "instructor")."""
    from common.djangoapps.student.models import CourseAccessRole  # pylint: disable=import-outside-toplevel

    return CourseAccessRole.objects.filter(course_id=_course_key(course_key),
                                           role__in=("staff", "instructor")).values("user_id")


def jump_to_url(course_key, usage_key):
    """The LMS's address of a block (``lms/urls.py``, name ``jump_to``: ``/courses/<course>/jump_to/<usage key>``,
    ``courseware/views/views.py::jump_to``): it redirects a reader to the unit that holds the block, and checks
    their access to the course and the unit as any courseware page does."""
    from django.urls import reverse  # pylint: disable=import-outside-toplevel

    return reverse("jump_to", kwargs={"course_id": str(course_key), "location": str(usage_key)})


def user_time_zone(user):
    """The person's time-zone preference (an IANA name, "" when they chose none): the platform's ``time_zone``
    user preference (``openedx/core/djangoapps/user_api/preferences/api.py::get_user_preference``; the account
    settings page writes it, and the LMS shows dates in it)."""
    from openedx.core.djangoapps.user_api.preferences.api import get_user_preference  # pylint: disable=import-outside-toplevel

    return get_user_preference(user, "time_zone") or ""


def send_platform_email(user, subject, text, language=None):
    """Send ``user`` an e-mail through the platform's e-mail framework, edX ACE (``edx_ace.ace.send``; the
    LMS's password reset and account e-mails go the same way, ``common/djangoapps/student/message_types.py``):
    the platform's delivery channel, sender and policies (a user who opted out is skipped by ACE's policies).
    The templates are ``social_introductions/edx_ace/introductionreminder/email/*`` of the introductions'
    app; ``subject`` and ``text`` are the message's context."""
    from edx_ace import ace  # pylint: disable=import-outside-toplevel
    from edx_ace.message import MessageType  # pylint: disable=import-outside-toplevel
    from edx_ace.recipient import Recipient  # pylint: disable=import-outside-toplevel

    class IntroductionReminder(MessageType):  # pylint: disable=too-few-public-methods
        APP_LABEL = "social_introductions"
        NAME = "introductionreminder"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.options["transactional"] = True

    message = IntroductionReminder().personalize(
        recipient=Recipient(lms_user_id=user.id, email_address=user.email), language=language,
        user_context={"subject": subject, "text": text})
    ace.send(message)
