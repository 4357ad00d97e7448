"""Live sessions: when and where the group meets, a countdown in each person's own time zone, a calendar file.

The author lists the sessions in one setting, a line per session (see :data:`FORMAT`)::

    2027-03-27 18:00 | 20:00 | Kick-off | https://meet.example.org/kick-off
    2027-04-03 09:30 | 2027-04-03 16:00 | Classroom day | Leie 2.04, Ghent

start | end (a time on the start's day, or a date and time) | title | place or video link (optional). Times are on
the clock of the ``time_zone`` setting (the course's zone; empty: the platform's, UTC in the tool). Being settings,
sessions are validated by the component contract, so Studio and the tool's Deep Linking accept and refuse the same
lines with the same message (one for the field, naming the line at fault). A time the clocks skip (the spring
change) is refused; a time they pass twice (the autumn change) is its first pass.

Learners see each session in their own zone (the Open edX time-zone preference, else the browser's) with a
countdown, and download it as an iCalendar file (``session_ics``, a file action) with UTC times.
"""
import hashlib
import re
from datetime import datetime, timedelta, timezone as dt_timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xblocks.core import compat
from xblocks.core.component import FILE, INTEGER, MULTILINE, TEXT, Action, Setting
from xblocks.core.errors import NotFound, ValidationError
from xblocks.core.files import FileAnswer
from xblocks.core.validation import data_dict as _data

from .conf import conf

HAS_CSS = False
SESSIONS_MAX_CHARS = 5000
TITLE_MAX = 200
PLACE_MAX = 500
DATE_TIME = "%Y-%m-%d %H:%M"
TIME = "%H:%M"
# The longest a session may last.
LONGEST = timedelta(days=7)

SETTINGS = (
    Setting("sessions", MULTILINE, "", gettext_noop("Live sessions"),
            gettext_noop("One session per line: start | end | title | place or video link, for example "
                         "“2027-03-27 18:00 | 20:00 | Kick-off | https://meet.example.org/kick-off”. The end is a time "
                         "on the same day or a date and time; times are in the course time zone."),
            max_length=SESSIONS_MAX_CHARS),
    Setting("time_zone", TEXT, "", gettext_noop("Course time zone"),
            gettext_noop("The time zone of the sessions' times, as a name such as Europe/Brussels. Empty: the "
                         "platform's time zone (UTC in the tool)."), max_length=64, strip=True),
    Setting("reminder_days", INTEGER, 3, gettext_noop("Reminder, days before a session"),
            gettext_noop("Learners who have not introduced themselves see a reminder on the page this many days "
                         "before the next session, and get it by e-mail where the platform has their address (0: no "
                         "reminder)."), minimum=0, maximum=60, step=1),
)
JS_STRINGS = (
    gettext_noop("Add to calendar"),
    gettext_noop("Ended"),
    gettext_noop("Happening now"),
    gettext_noop("Join"),
    gettext_noop("Live sessions"),
    gettext_noop("Starts {when}"),
    gettext_noop("Times are shown in your time zone: {zone}."),
    gettext_noop("“{title}” starts {when}: introduce yourself before then."),
)
JS_PLURALS = ()


# ----- time zones ----------------------------------------------------------------------------------------
def _zone_names():
    if not hasattr(_zone_names, "names"):
        _zone_names.names = frozenset(available_timezones()) | {"UTC"}
    return _zone_names.names


def course_time_zone(settings):
    """The course's time zone name: the ``time_zone`` setting, else the platform's (Open edX), else UTC."""
    name = (settings or {}).get("time_zone") or ""
    if name:
        return name
    return compat.platform_time_zone() if compat.running_in_openedx() else "UTC"


def _zone(settings):
    try:
        return ZoneInfo(course_time_zone(settings))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


# ----- reading the setting ---------------------------------------------------------------------------------
class _LineError(Exception):
    pass


def _local_time(text, zone):
    """``YYYY-MM-DD HH:MM`` on ``zone``'s clock as an aware UTC datetime; refuses a time the clocks skip."""
    try:
        naive = datetime.strptime(text, DATE_TIME)
    except ValueError as err:
        raise _LineError(gettext_noop("write the start as a date and time such as 2027-03-27 18:00")) from err
    return _aware(naive, zone)


def _aware(naive, zone):
    local = naive.replace(tzinfo=zone, fold=0)
    back = local.astimezone(dt_timezone.utc).astimezone(zone).replace(tzinfo=None)
    if back != naive:  # the clocks jump over this time: it does not exist there
        raise _LineError(gettext_noop("{time} does not exist on {date} in {zone} (the clocks move forward)"),
                         {"time": naive.strftime(TIME), "date": naive.strftime("%Y-%m-%d")})
    return local.astimezone(dt_timezone.utc)


def _link(place):
    """The place as a link when it is an http(s) address, else ""."""
    if not re.match(r"^https?://\S+$", place):
        return ""
    parts = urlsplit(place)
    return place if parts.scheme in ("http", "https") and parts.netloc else ""


def _line(text, zone):
    """One line of the setting as a session dict; raises _LineError (a marked message) when it cannot be read."""
    fields = [part.strip() for part in text.split("|")]
    if len(fields) < 3 or len(fields) > 4:
        raise _LineError(gettext_noop("write start | end | title | place, separated by “|”"))
    start_text, end_text, title = fields[:3]
    place = fields[3] if len(fields) == 4 else ""
    start = _local_time(start_text, zone)
    try:
        if re.match(r"^\d{1,2}:\d{2}$", end_text):
            end_naive = datetime.combine(datetime.strptime(start_text, DATE_TIME).date(),
                                         datetime.strptime(end_text, TIME).time())
        else:
            end_naive = datetime.strptime(end_text, DATE_TIME)
    except ValueError as err:
        raise _LineError(gettext_noop("write the end as a time such as 20:00 or a date and time")) from err
    end = _aware(end_naive, zone)
    if end <= start:
        raise _LineError(gettext_noop("the end must come after the start"))
    if end - start > LONGEST:
        raise _LineError(gettext_noop("a session lasts at most 7 days"))
    if not title:
        raise _LineError(gettext_noop("give the session a title"))
    if len(title) > TITLE_MAX:
        raise _LineError(gettext_noop("the title is too long (at most 200 characters)"))
    if len(place) > PLACE_MAX:
        raise _LineError(gettext_noop("the place is too long (at most 500 characters)"))
    if place.lower().startswith(("http:", "https:")) and not _link(place):
        raise _LineError(gettext_noop("the video link is not a valid web address"))
    return {"title": title, "start": start, "end": end, "place": place, "link": _link(place)}


def parse_sessions(settings):
    """The sessions of a valid setting, in the order written: ``[{title, start, end, place, link}]`` (UTC).

    Raises ValueError with ``(line number, marked message, values)`` for the first line that cannot be read."""
    zone = _zone(settings)
    found = []
    for number, text in enumerate((settings.get("sessions") or "").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            found.append(_line(text.strip(), zone))
        except _LineError as err:
            params = err.args[1] if len(err.args) > 1 else {}
            raise ValueError(number, err.args[0], {**params, "zone": course_time_zone(settings)}) from err
    return found


def validate_settings(values, gettext):
    """{name: message} for this part's settings: one message per field."""
    errors = {}
    name = values.get("time_zone") or ""
    if name and (not isinstance(name, str) or name not in _zone_names()):
        errors["time_zone"] = gettext(gettext_noop("Unknown time zone: write a name such as Europe/Brussels or UTC."))
        return errors
    if not isinstance(values.get("sessions"), str):
        return errors
    try:
        found = parse_sessions(values)
    except ValueError as err:
        number, message, params = err.args
        errors["sessions"] = gettext(gettext_noop("Line {number}: {problem}.")).format(
            number=number, problem=gettext(message).format(**params))
        return errors
    if len(found) > conf("SESSIONS_MAX"):
        errors["sessions"] = gettext(gettext_noop("List at most {maximum} sessions.")).format(
            maximum=conf("SESSIONS_MAX"))
    return errors


def local_text(value, zone_name):
    """A moment as the course's clock shows it (``YYYY-MM-DD HH:MM``), for Studio's preview."""
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return value.astimezone(zone).strftime(DATE_TIME)


# ----- the page -------------------------------------------------------------------------------------------
def _iso(value):
    return value.astimezone(dt_timezone.utc).isoformat().replace("+00:00", "Z")


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    """The sessions as the page shows them (UTC; the browser shows them in the person's zone)."""
    try:
        found = parse_sessions(settings)
    except ValueError:
        found = []  # settings saved before they were validated: show none rather than fail the page
    sessions = [{"index": i, "title": s["title"], "start": _iso(s["start"]), "end": _iso(s["end"]),
                 "place": s["place"], "link": s["link"]} for i, s in enumerate(found)]
    if not ctx.read_only:  # what the scheduled reminders need (no query when it has not changed)
        from .reminders import remember_plan  # pylint: disable=import-outside-toplevel
        remember_plan(ctx.placement, settings.get("display_name") or "", course_time_zone(settings),
                      settings.get("reminder_days") or 0, found)
    user_zone = compat.user_time_zone(ctx.user) if compat.running_in_openedx() else ""
    return {"sessions": sessions, "time_zone": user_zone or "", "course_time_zone": course_time_zone(settings),
            "reminder_days": settings.get("reminder_days") or 0}, {
        "sessions": sessions}


# ----- the calendar file ---------------------------------------------------------------------------------
def _escape(text):
    """A TEXT value of iCalendar (RFC 5545, 3.3.11): backslash, semicolon, comma and new lines escaped."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line):
    """A content line folded at 75 octets (RFC 5545, 3.1), never inside a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not out else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            out.append(current)
            current = b""
        current += encoded
    out.append(current)
    return b"\r\n ".join(out).decode("utf-8")


def _utc(value):
    return value.astimezone(dt_timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def calendar(ctx, session, index):
    """The iCalendar text of one session (one VEVENT, times in UTC)."""
    digest = hashlib.sha256(f"{ctx.placement.id}:{index}:{session['start'].isoformat()}".encode()).hexdigest()[:16]
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Social Learning Suite//Introductions//EN", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", "BEGIN:VEVENT",
        f"UID:session-{ctx.placement.id}-{index}-{digest}@social-learning-suite",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(session['start'])}",
        f"DTEND:{_utc(session['end'])}",
        f"SUMMARY:{_escape(session['title'])}",
    ]
    if session["place"]:
        lines.append(f"LOCATION:{_escape(session['place'])}")
    if session["link"]:
        lines.append(f"URL:{session['link']}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(_fold(line) + "\r\n" for line in lines)


def session_ics(ctx, data, settings):
    """The calendar file of session ``index`` (a file action: anyone who may see the page may download it)."""
    data = _data(data)
    index = data.get("index")
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValidationError(_("Choose a session."), fields={"index": _("Invalid.")})
    try:
        found = parse_sessions(settings)
    except ValueError:
        found = []
    if index >= len(found):
        raise NotFound(_("This session does not exist (any more)."))
    ctx.group_key_for_read()  # a learner outside every group sees no page, so no file either
    name = re.sub(r"[^\w-]+", "-", found[index]["title"]).strip("-")[:60] or "session"
    return FileAnswer(calendar(ctx, found[index], index).encode("utf-8"), "text/calendar; charset=utf-8",
                      f"{name}.ics", inline=False)


ACTIONS = {"session_ics": Action(run=session_ics, writes=False, kind=FILE)}
