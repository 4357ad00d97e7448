"""The platform's own groups, followed by the tool (decision 16).

Moodle sends no group in its launches nor in its NRPS roster. A registration whose administrator gave the tool a
Moodle web-service token (:class:`~lti.models.MoodleWebService`) has its learners' groups read from Moodle at
launch: ``core_group_get_course_user_groups`` for the course (the launch's context id, which Moodle fills with
the course id) and the learner (the launch's ``sub``, Moodle's user id), optionally within one grouping chosen
for the activity (the ``sls_grouping`` custom parameter). The answer is kept ``PLATFORM_GROUPS_SECONDS``; when
Moodle does not answer or answers an error, the last known groups are used and the error is kept for the
instructor's groups page. A platform that can name groups in a launch (Canvas: ``sls_groups=$Canvas.group.contextIds``)
needs no call at all.

Every call goes through the guarded fetcher (:mod:`lti.safe_fetch`): a POST to
``<Moodle>/webservice/rest/server.php`` with ``wstoken``, ``wsfunction`` and ``moodlewsrestformat=json``. The
token is never logged. Groups are stored through :mod:`xblocks.core.groups_api` (cohorts with their source and
Moodle's id); an instructor's own assignment in the tool wins over them and is never changed.
"""
import logging
import time
from dataclasses import dataclass
from typing import Optional

import requests
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from xblocks.core import groups_api

from . import safe_fetch
from .conf import conf
from .models import LtiPerson, MoodleWebService, PlatformGroupSync

log = logging.getLogger(__name__)
CUSTOM_COURSE = "sls_course_id"  # Moodle: $Context.id (the course id), when the context claim says otherwise
CUSTOM_GROUPING = "sls_grouping"  # a Moodle grouping id: the activity follows that grouping's groups only
CUSTOM_GROUPS = "sls_groups"  # the learner's group ids as the platform names them (Canvas: $Canvas.group.contextIds)
MAX_GROUPS = 200


class PlatformError(Exception):
    """A call to the platform that gave no groups: ``code`` and a message for the instructor."""

    def __init__(self, code, message):
        super().__init__(code)
        self.code = code
        self.message = str(message)


def web_service(registration):
    """The registration's active Moodle web service, or None."""
    return MoodleWebService.objects.filter(registration=registration, is_active=True).first()


def _form(params):
    """Moodle's REST form encoding: lists as ``name[0]=...``."""
    data = {}
    for name, value in params.items():
        if isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                data[f"{name}[{index}]"] = item
        else:
            data[name] = value
    return data


def call(ws, function, **params):
    """One Moodle web-service function's decoded JSON answer; raises :class:`PlatformError`."""
    host = safe_fetch._parts(ws.endpoint)[1] or "-"  # pylint: disable=protected-access
    data = {**_form(params), "wstoken": ws.token, "wsfunction": function, "moodlewsrestformat": "json"}
    try:
        response = safe_fetch.session().post(ws.endpoint, data=data)
    except safe_fetch.Refused as err:
        log.warning("Moodle call %s to %s refused by the guard: %s", function, host, err.code)
        raise PlatformError(err.code, err.message) from err
    except requests.Timeout as err:
        log.warning("Moodle call %s to %s timed out", function, host)
        raise PlatformError("moodle_timeout", _("Moodle ({host}) did not answer in time.").format(host=host)) from err
    except requests.RequestException as err:
        log.warning("Moodle call %s to %s failed: %s", function, host, type(err).__name__)
        raise PlatformError("moodle_unreachable", _("Moodle ({host}) could not be reached.").format(host=host)) from err
    if response.status_code != 200:
        log.warning("Moodle call %s to %s answered HTTP %s", function, host, response.status_code)
        raise PlatformError("moodle_http_error", _("Moodle ({host}) answered with HTTP status {status}.").format(
            host=host, status=response.status_code))
    try:
        answer = response.json()
    except ValueError as err:
        log.warning("Moodle call %s to %s answered no JSON", function, host)
        raise PlatformError("moodle_bad_answer", _("Moodle's answer could not be read. Check that the web "
                                                   "service's address is the Moodle site's.")) from err
    if isinstance(answer, dict) and "exception" in answer:
        code = str(answer.get("errorcode") or "")[:64]
        log.warning("Moodle call %s to %s refused: %s", function, host, code or "-")
        if code == "invalidtoken":
            raise PlatformError("moodle_bad_token", _(
                "Moodle refused the tool's web service token. Ask your administrator to enter a valid token in the "
                "tool's administration (Moodle web services)."))
        if code == "accessexception":
            raise PlatformError("moodle_function_not_allowed", _(
                "Moodle does not allow the tool's web service to call {function}. Ask your administrator to add "
                "this function to the tool's external service in Moodle.").format(function=function))
        raise PlatformError("moodle_error", _("Moodle refused the call {function}: {message}").format(
            function=function, message=str(answer.get("message") or code)[:200]))
    return answer


def named(answer):
    """{id: name} of a list of Moodle groups (as ``core_group_get_course_groups`` or ``groups`` answer them)."""
    found = {}
    for item in answer if isinstance(answer, list) else []:
        if isinstance(item, dict) and str(item.get("id", "")).isdigit():
            found[str(item["id"])] = str(item.get("name") or item["id"])
    return dict(list(found.items())[:MAX_GROUPS])


def course_id(body, context_id):
    """Moodle's course id for a launch: ``sls_course_id`` when given (``$Context.id``), else the context claim's
    id (Moodle sends the course id there)."""
    custom = body.get("https://purl.imsglobal.org/spec/lti/claim/custom") or {}
    value = custom.get(CUSTOM_COURSE) if isinstance(custom, dict) else None
    value = str(value).strip() if value is not None else ""
    if value.isdigit():
        return value
    return context_id if context_id.isdigit() else ""


def grouping_of(custom):
    value = custom.get(CUSTOM_GROUPING) if isinstance(custom, dict) else None
    value = str(value).strip() if value is not None else ""
    return value if value.isdigit() and value != "0" else ""


def launch_group_ids(custom):
    """The group ids a launch names (``sls_groups``: comma-separated), or None when it names none."""
    value = custom.get(CUSTOM_GROUPS) if isinstance(custom, dict) else None
    if not isinstance(value, str) or value.strip().startswith("$"):
        return None
    ids = [part.strip()[:64] for part in value.split(",") if part.strip()]
    return ids[:MAX_GROUPS]


def _sync_row(course_key, registration, moodle_course):
    row, _created = PlatformGroupSync.objects.get_or_create(
        context_key=course_key, defaults={"registration": registration, "course_id": moodle_course})
    return row


def _record(course_key, registration, moodle_course, error=None, **fields):
    row = _sync_row(course_key, registration, moodle_course)
    now = timezone.now()
    if error is None:
        row.synced, row.error_code, row.error_message, row.error_at = now, "", "", None
    else:
        row.error_code, row.error_message, row.error_at = error.code, error.message[:500], now
    for name, value in fields.items():
        setattr(row, name, value)
    row.course_id = moodle_course
    row.save()
    return row


def _generation_key(registration, moodle_course):
    return f"sls:lti:moodle-generation:{registration.pk}:{moodle_course}"


def _cache_key(registration, moodle_course, subject, grouping):
    """Where a learner's groups are kept; a refresh of the course starts a new generation of keys."""
    generation = cache.get(_generation_key(registration, moodle_course), 0)
    return f"sls:lti:moodle-groups:{registration.pk}:{moodle_course}:{generation}:{grouping}:{subject}"[:240]


@dataclass
class Fetched:
    """What a launch learnt of the learner's platform groups before anything is written (no transaction is held
    open while the platform is called): groups kept from an earlier launch, groups the launch named, Moodle's
    answer, or Moodle's error."""

    registration: object
    moodle_course: str = ""
    cache_key: str = ""
    grouping: str = ""
    cached: Optional[list] = None
    named: Optional[list] = None
    found: Optional[dict] = None
    error: Optional[PlatformError] = None


def fetch(registration, body, context_id):
    """Read the learner's groups for a launch from the platform (or the cache); None when the tool does not follow
    the platform's groups here."""
    custom = body.get("https://purl.imsglobal.org/spec/lti/claim/custom") or {}
    in_launch = launch_group_ids(custom)
    if in_launch is not None:  # the platform names the groups itself
        return Fetched(registration, named=in_launch)
    ws = web_service(registration)
    moodle_course = course_id(body, context_id)
    if ws is None or not moodle_course:
        return None
    grouping = grouping_of(custom)
    fetched = Fetched(registration, moodle_course, _cache_key(registration, moodle_course, body["sub"], grouping),
                      grouping)
    fetched.cached = cache.get(fetched.cache_key)
    if fetched.cached is not None:
        return fetched
    try:
        answer = call(ws, "core_group_get_course_user_groups", courseid=moodle_course, userid=body["sub"],
                      **({"groupingid": grouping} if grouping else {}))
        fetched.found = named(answer.get("groups") if isinstance(answer, dict) else None)
    except PlatformError as err:
        fetched.error = err
    return fetched


def _keys(groups):
    return [(f"{groups_api.COHORT}:{g.id}", g.name) for g in groups]


def learner_groups(fetched, course_key, user):
    """The platform's groups ``user`` is in for this launch, by name ([(group key, name)]), from what
    :func:`fetch` read; writes the mirrored groups and memberships (inside the launch's transaction)."""
    if fetched.cached is not None:
        return [tuple(item) for item in fetched.cached]
    if fetched.named is not None:
        groups = groups_api.mirror_groups(course_key, groups_api.LAUNCH,
                                          {ident: _("Group {id}").format(id=ident) for ident in fetched.named})
        groups = sorted(groups.values(), key=lambda g: (g.name, g.id))
        groups_api.set_platform_groups(user, course_key, groups_api.LAUNCH, groups)
        return _keys(groups)
    registration, moodle_course, grouping = fetched.registration, fetched.moodle_course, fetched.grouping
    if fetched.error is not None:  # the last known groups, and the error for the instructor
        _record(course_key, registration, moodle_course, fetched.error)
        groups = groups_api.platform_groups_of(user, course_key, groups_api.MOODLE)
        if grouping:
            within = set((PlatformGroupSync.objects.filter(context_key=course_key).values_list("groupings", flat=True)
                          .first() or {}).get(grouping, []))
            groups = [g for g in groups if g.external_id in within]
        result = _keys(groups)
        cache.set(fetched.cache_key, result, conf("PLATFORM_GROUPS_RETRY_SECONDS"))
        return result
    mirrored = groups_api.mirror_groups(course_key, groups_api.MOODLE, fetched.found)
    groups = sorted(mirrored.values(), key=lambda g: (g.name, g.id))
    if grouping:  # the learner's groups elsewhere in the course stay known
        ids = {g.id for g in groups}
        others = [g for g in groups_api.platform_groups_of(user, course_key, groups_api.MOODLE) if g.id not in ids]
        groups_api.set_platform_groups(user, course_key, groups_api.MOODLE, groups + others)
        row = _sync_row(course_key, registration, moodle_course)
        known = set(row.groupings.get(grouping, [])) | set(fetched.found)
        _record(course_key, registration, moodle_course, groupings={**row.groupings, grouping: sorted(known)})
    else:
        groups_api.set_platform_groups(user, course_key, groups_api.MOODLE, groups)
        _record(course_key, registration, moodle_course)
    result = _keys(groups)
    cache.set(fetched.cache_key, result, conf("PLATFORM_GROUPS_SECONDS"))
    return result


def refresh_course(registration, course_key, moodle_course):
    """Read the course's groups, groupings and members from Moodle now (the instructor's "refresh"): returns the
    :class:`PlatformGroupSync` row; raises :class:`PlatformError` (also kept on the row)."""
    ws = web_service(registration)
    if ws is None:
        raise PlatformError("moodle_not_configured", _("The tool has no Moodle web service for this platform."))
    try:
        found = named(call(ws, "core_group_get_course_groups", courseid=moodle_course))
        mirrored = groups_api.mirror_groups(course_key, groups_api.MOODLE, found)
        counts, groupings = {}, {}
        if found:
            answer = call(ws, "core_group_get_group_members", groupids=list(found))
            people = {p.subject: p.user for p in LtiPerson.objects.select_related("user").filter(
                issuer=registration.issuer)}
            for item in answer if isinstance(answer, list) else []:
                ident = str(item.get("groupid", "")) if isinstance(item, dict) else ""
                if ident not in mirrored:
                    continue
                ids = [str(u) for u in item.get("userids") or []]
                counts[ident] = len(ids)
                groups_api.set_platform_members(mirrored[ident], [people[u] for u in ids if u in people])
        names = {}
        try:  # groupings are optional: a service without their functions still refreshes the groups
            names = named(call(ws, "core_group_get_course_groupings", courseid=moodle_course))
            if names:
                answer = call(ws, "core_group_get_groupings", groupingids=list(names), returngroups=1)
                for item in answer if isinstance(answer, list) else []:
                    if isinstance(item, dict) and str(item.get("id", "")) in names:
                        groupings[str(item["id"])] = sorted(named(item.get("groups")))
        except PlatformError as err:
            if err.code != "moodle_function_not_allowed":
                raise
    except PlatformError as err:
        _record(course_key, registration, moodle_course, err)
        raise
    cache.set(_generation_key(registration, moodle_course), time.time_ns(), None)
    return _record(course_key, registration, moodle_course, member_counts=counts, groupings=groupings,
                   grouping_names=names)
