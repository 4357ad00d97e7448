"""Live sessions: the author's lines are read and refused as Studio and Deep Linking both do (the contract's
check), times cross daylight-saving changes correctly, and the calendar file is a correct VEVENT in UTC."""
from datetime import datetime, timezone as dt_timezone
from unittest import mock

import pytest

from xblocks.core import compat
from xblocks.core.errors import NotFound, ValidationError
from xblocks.introductions import sessions
from xblocks.introductions.frontdoor import INTRODUCTIONS


def check(**values):
    """The messages both doors show for these settings (``Component.clean_settings``, as Studio's form and a
    link's custom parameters call it)."""
    _settings, errors = INTRODUCTIONS.clean_settings(values, lambda text: text)
    return errors


def settings_with(lines, zone="Europe/Brussels"):
    return {**INTRODUCTIONS.defaults, "sessions": lines, "time_zone": zone}


# ----- reading and refusing -------------------------------------------------------------------------------
def test_a_valid_list_is_accepted_and_read_in_the_course_zone():
    lines = ("2027-03-25 18:00 | 20:00 | Kick-off | https://meet.example.org/kick-off\n\n"
             "2027-04-01 09:30 | 2027-04-02 12:00 | Two classroom days | Leie 2.04, Ghent")
    assert check(sessions=lines, time_zone="Europe/Brussels") == {}
    first, second = sessions.parse_sessions(settings_with(lines))
    # 25 March 2027 is winter time in Brussels (UTC+1); 1 April is summer time (UTC+2).
    assert first["start"] == datetime(2027, 3, 25, 17, 0, tzinfo=dt_timezone.utc)
    assert first["end"] == datetime(2027, 3, 25, 19, 0, tzinfo=dt_timezone.utc)
    assert first["link"] == "https://meet.example.org/kick-off"
    assert second["start"] == datetime(2027, 4, 1, 7, 30, tzinfo=dt_timezone.utc)
    assert second["end"] == datetime(2027, 4, 2, 10, 0, tzinfo=dt_timezone.utc)
    assert second["place"] == "Leie 2.04, Ghent" and second["link"] == ""


@pytest.mark.parametrize("line, message", [
    ("2027-03-25 18:00 | 20:00", "Line 1: write start | end | title | place, separated by “|”."),
    ("25/03/2027 18:00 | 20:00 | Kick-off", "Line 1: write the start as a date and time such as 2027-03-27 18:00."),
    ("2027-03-25 18:00 | eight | Kick-off", "Line 1: write the end as a time such as 20:00 or a date and time."),
    ("2027-03-25 18:00 | 17:00 | Kick-off", "Line 1: the end must come after the start."),
    ("2027-03-25 18:00 | 2027-04-05 18:00 | Kick-off", "Line 1: a session lasts at most 7 days."),
    ("2027-03-25 18:00 | 20:00 |  ", "Line 1: give the session a title."),
    ("2027-03-25 18:00 | 20:00 | Kick-off | https://", "Line 1: the video link is not a valid web address."),
    # The clocks in Brussels jump from 02:00 to 03:00 on 28 March 2027: 02:30 never happens.
    ("2027-03-28 02:30 | 04:00 | Night owls",
     "Line 1: 02:30 does not exist on 2027-03-28 in Europe/Brussels (the clocks move forward)."),
])
def test_a_bad_line_is_refused_with_one_message_naming_it(line, message):
    assert check(sessions=line, time_zone="Europe/Brussels") == {"sessions": message}


def test_the_message_names_the_line_at_fault():
    lines = "2027-03-25 18:00 | 20:00 | Kick-off\n2027-04-01 09:30 | 09:00 | Classroom day"
    assert check(sessions=lines, time_zone="UTC") == {"sessions": "Line 2: the end must come after the start."}


def test_an_unknown_zone_is_refused_at_its_own_field():
    assert check(sessions="2027-03-25 18:00 | 20:00 | Kick-off", time_zone="Europe/Gent") == {
        "time_zone": "Unknown time zone: write a name such as Europe/Brussels or UTC."}


def test_a_time_the_clocks_pass_twice_is_its_first_pass():
    # 31 October 2027, 02:30 happens twice in Brussels: first in summer time (UTC+2).
    (found,) = sessions.parse_sessions(settings_with("2027-10-31 02:30 | 03:30 | Late"))
    assert found["start"] == datetime(2027, 10, 31, 0, 30, tzinfo=dt_timezone.utc)


def test_without_a_zone_the_tool_reads_times_as_utc():
    (found,) = sessions.parse_sessions(settings_with("2027-03-25 18:00 | 20:00 | Kick-off", zone=""))
    assert found["start"] == datetime(2027, 3, 25, 18, 0, tzinfo=dt_timezone.utc)


# ----- across a daylight-saving change, and the calendar file -------------------------------------------------
def test_a_session_tomorrow_across_the_spring_change_keeps_its_wall_clock_time(make_context, course):
    # Saturday 27 March 2027, noon in Brussels (UTC+1); the clocks move forward that night. The session is
    # tomorrow at 10:00 Brussels time, which is then UTC+2: 08:00 UTC, not 09:00 (today's offset).
    settings = settings_with("2027-03-28 10:00 | 12:00 | Sunday kick-off | Leie 2.04")
    ctx = make_context(course.ann)
    init, _context = sessions.page_data(ctx, settings, lambda text: text)
    (shown,) = init["sessions"]
    assert shown["start"] == "2027-03-28T08:00:00Z" and shown["end"] == "2027-03-28T10:00:00Z"
    text = sessions.session_ics(ctx, {"index": 0}, settings).content.decode()
    assert "DTSTART:20270328T080000Z\r\n" in text and "DTEND:20270328T100000Z\r\n" in text


def test_the_page_passes_the_platform_time_zone_preference(make_context, course):
    """In Open edX the person's preference (compat.user_time_zone over the platform's
    user_api/preferences/api.py::get_user_preference) is what the page shows times in."""
    settings = settings_with("2027-03-28 10:00 | 12:00 | Kick-off")
    ctx = make_context(course.ann)
    with mock.patch.object(compat, "running_in_openedx", return_value=True), \
            mock.patch.object(compat, "user_time_zone", return_value="America/New_York") as preference:
        init, _context = sessions.page_data(ctx, settings, lambda text: text)
    preference.assert_called_once_with(course.ann)
    assert init["time_zone"] == "America/New_York"
    init, _context = sessions.page_data(ctx, settings, lambda text: text)
    assert init["time_zone"] == ""  # elsewhere the browser's zone is used


def unfold(text):
    return text.replace("\r\n ", "")


def test_the_calendar_file_is_one_escaped_vevent_in_utc(make_context, course):
    place = "Leie 2.04; Ghent, Belgium \\ second floor, " + ("the room at the end of the long corridor " * 3).strip()
    settings = settings_with(f"2027-03-25 18:00 | 20:00 | Kick-off; intro, Q&A | {place}\n"
                             "2027-04-01 09:30 | 16:00 | Day 2 | https://meet.example.org/day-2?x=1")
    answer = sessions.session_ics(make_context(course.ann), {"index": 0}, settings)
    assert answer.content_type == "text/calendar; charset=utf-8" and answer.inline is False
    assert answer.filename == "Kick-off-intro-Q-A.ics"
    raw = answer.content.decode("utf-8")
    assert raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))  # folded at 75 octets
    lines = unfold(raw).split("\r\n")
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-2:] == ["END:VCALENDAR", ""]
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert "SUMMARY:Kick-off\\; intro\\, Q&A" in lines
    assert "DTSTART:20270325T170000Z" in lines and "DTEND:20270325T190000Z" in lines
    location = next(line for line in lines if line.startswith("LOCATION:"))
    assert location == "LOCATION:" + place.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    assert any(line.startswith("UID:session-") for line in lines)
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)
    second = unfold(sessions.session_ics(make_context(course.ann), {"index": 1}, settings).content.decode())
    assert "URL:https://meet.example.org/day-2?x=1\r\n" in second and "LOCATION:https://meet.example.org/day-2?x=1" \
        in second


def test_a_session_that_does_not_exist_answers_not_found(make_context, course):
    settings = settings_with("2027-03-25 18:00 | 20:00 | Kick-off")
    with pytest.raises(NotFound):
        sessions.session_ics(make_context(course.ann), {"index": 1}, settings)
    with pytest.raises(ValidationError):
        sessions.session_ics(make_context(course.ann), {"index": "0"}, settings)


def test_no_calendar_file_for_someone_outside_every_group(make_context, course, django_user_model):
    outsider = django_user_model.objects.create(username="zoe")
    settings = settings_with("2027-03-25 18:00 | 20:00 | Kick-off")
    from xblocks.core.errors import PermissionDenied  # pylint: disable=import-outside-toplevel

    with pytest.raises(PermissionDenied):
        sessions.session_ics(make_context(outsider), {"index": 0}, settings)
