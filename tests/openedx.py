"""A stand-in for the parts of edx-platform the suite meets, behaving as the platform's own code does.

edx-platform cannot be installed here, so the Open edX door is tested against these fakes. Each one
follows the platform file named in its docstring (openedx-platform, post-Ulmo master): the same
argument types, the same values, the same errors. They are kept no kinder than the platform: a fake
that accepted what the platform refuses once hid a crash (team forums) and a hole (Studio staff).

- :class:`UserService`: ``common/djangoapps/xblock_django/user_service.py`` (DjangoXBlockUserService).
- :func:`studio_user_role`: ``cms/djangoapps/contentstore/views/access.py::get_user_role``.
- :class:`StudioPermissionsService`: ``openedx/core/djangoapps/content/services.py``.
- :class:`TeamsService`: ``lms/djangoapps/teams/services.py`` over ``teams/api.py``.
- :func:`masquerade_as`: ``lms/djangoapps/courseware/masquerade.py::setup_masquerade``.
- :func:`lms_runtime`, :func:`studio_preview_runtime`, :func:`studio_component_runtime`: the services
  ``courseware/block_render.py``, ``contentstore/views/preview.py`` and ``contentstore/utils.py``
  (``load_services_for_studio``) give a block.
"""
import types

from opaque_keys.edx.keys import CourseKey
from xblock.reference.user_service import UserService as XBlockUserServiceBase
from xblock.reference.user_service import XBlockUser

EDX = "edx-platform."


class UserService(XBlockUserServiceBase):
    """DjangoXBlockUserService: the runtime's user, with the platform's ``opt_attrs``.

    ``user_is_staff`` defaults to False and ``user_role`` to 'student', as there.
    """

    def __init__(self, django_user, **kwargs):
        super().__init__(**kwargs)
        self._django_user = django_user
        self._user_is_beta_tester = kwargs.get("user_is_beta_tester", False)
        self._user_is_global_staff = kwargs.get("user_is_global_staff", False)
        self._user_is_staff = kwargs.get("user_is_staff", False)
        self._user_role = kwargs.get("user_role", "student")
        self._anonymous_user_id = kwargs.get("anonymous_user_id", None)

    def get_current_user(self):
        xblock_user = XBlockUser(is_current_user=True)
        user = self._django_user
        if user is not None and user.is_authenticated:
            xblock_user.full_name = user.get_full_name()
            xblock_user.emails = [user.email]
            xblock_user.opt_attrs.update({
                EDX + "anonymous_user_id": self._anonymous_user_id,
                EDX + "is_authenticated": True,
                EDX + "user_id": user.id,
                EDX + "username": user.username,
                EDX + "user_is_beta_tester": self._user_is_beta_tester,
                EDX + "user_is_global_staff": self._user_is_global_staff,
                EDX + "user_is_staff": self._user_is_staff,
                EDX + "user_role": self._user_role,
                EDX + "user_preferences": {},
            })
        else:
            xblock_user.opt_attrs[EDX + "is_authenticated"] = False
        return xblock_user


def studio_user_role(user, instructors=()):
    """Studio's role for the preview: 'instructor' for course instructors, else 'staff' for ANY account
    (the platform's docstring: "this function is not for access control")."""
    return "instructor" if user in instructors else "staff"


class StudioPermissionsService:
    """``can_read``/``can_write`` of a course key object for the signed-in Studio user.

    The platform calls ``has_studio_write_access(user, course_key)``, which reads the key's parts:
    a course id string raises AttributeError there, as here.
    """

    def __init__(self, user, authors=()):
        self._user = user
        self._authors = set(authors)

    def _check(self, context_key):
        context_key.org  # pylint: disable=pointless-statement  # a string has no .org: AttributeError
        return self._user in self._authors

    def can_read(self, context_key):
        return self._check(context_key)

    def can_write(self, context_key):
        return self._check(context_key)


class TeamsService:
    """``get_team(user, course_id, topic_id)``: ``teams/api.py::get_team_for_user_course_topic`` parses
    ``course_id`` with ``CourseKey.from_string`` (a CourseKey object raises AttributeError) and returns
    the user's CourseTeam in that topic, or None."""

    def __init__(self, teams):
        # {(course key string, topic id): [(team_id, name, [users])]}
        self._teams = teams

    def get_team(self, user, course_id, topic_id):
        course_key = CourseKey.from_string(course_id)
        for team_id, name, members in self._teams.get((str(course_key), topic_id), []):
            if user in members:
                return types.SimpleNamespace(team_id=team_id, name=name, users=members)
        return None


def masquerade_as(learner, staff):
    """What ``setup_masquerade`` hands the runtime when staff view the course as a specific learner:
    the learner's User, carrying ``real_user`` (the staff member)."""
    learner.real_user = staff
    learner.masquerade_settings = {}
    return learner


def _runtime_with(runtime, services, drop=()):
    for name in drop:
        runtime._services.pop(name, None)  # pylint: disable=protected-access
    runtime._services.update(services)  # pylint: disable=protected-access  # as preview.py does
    return runtime


def lms_runtime(runtime, user, *, staff=False, teams=None):
    """The LMS: a user service bound to ``user`` with ``user_is_staff`` (has_access staff) and
    ``user_role``; a teams service; no Studio permission service."""
    return _runtime_with(runtime, {
        "user": UserService(user, user_is_staff=staff, user_role="staff" if staff else "student"),
        "teams": teams,
    })


def studio_preview_runtime(runtime, user, *, instructors=(), authors=()):
    """Studio's preview (``preview_handler``, only ``@login_required``): the user service's role from
    ``get_user_role`` and no ``user_is_staff``; Studio's permission service; no teams; author mode;
    ``publish`` does nothing."""
    runtime = _runtime_with(runtime, {
        "user": UserService(user, user_role=studio_user_role(user, instructors)),
        "studio_user_permissions": StudioPermissionsService(user, authors),
    }, drop=("teams",))
    runtime.is_author_mode = True
    runtime.publish = lambda block, event_type, event_data: None
    return runtime


def studio_component_runtime(runtime, user, *, authors=()):
    """Studio's ``component_handler`` (only ``@login_required``; the handler runs before any author
    check): the user service with role 'student' and Studio's permission service."""
    return _runtime_with(runtime, {
        "user": UserService(user),
        "studio_user_permissions": StudioPermissionsService(user, authors),
    }, drop=("teams",))
