"""Theme assignments: the schedule (validated like the sessions, a theme closing at midnight in the course's zone),
answering (Markdown, drafts, refusals with nothing written), who reads the answers (the group, or the facilitator
only; never another cohort), the facilitator's overview (who has not answered, the words used most), completion
when the author requires the answers, and the queries per request."""
from datetime import datetime, timezone as dt_timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xblocks.core.errors import NotFound, PermissionDenied, ValidationError
from xblocks.introductions import api, frontdoor, themes
from xblocks.introductions.frontdoor import INTRODUCTIONS
from xblocks.introductions.models import ThemeAnswer

THEMES = ("2027-03-26 | 2027-03-31 | Your first week | What *surprised* you this week?\n"
          "2027-04-02 09:00 | 2027-04-07 18:00 | Feedback | A conversation you would like to have")


def at(monkeypatch, *moment):
    """Set the clock to ``moment`` (UTC)."""
    value = datetime(*moment, tzinfo=dt_timezone.utc)
    monkeypatch.setattr("django.utils.timezone.now", lambda: value)


@pytest.fixture
def theme_settings(intro_settings):
    return {**intro_settings, "time_zone": "Europe/Brussels", "themes": THEMES}


def answer(make_context, settings, user, body="I learned a lot.", theme=0):
    return themes.answer_theme(make_context(user), {"theme": theme, "body": body}, settings)


# ----- the schedule ----------------------------------------------------------------------------------------------
def test_a_date_alone_closes_at_midnight_on_the_course_clock(theme_settings):
    first, second = themes.parse_themes(theme_settings)
    # Brussels is on winter time (UTC+1) until 28 March 2027, summer time (UTC+2) after.
    assert first["opens"] == datetime(2027, 3, 25, 23, 0, tzinfo=dt_timezone.utc)
    assert first["closes"] == datetime(2027, 3, 31, 22, 0, tzinfo=dt_timezone.utc)  # 1 April 00:00 in Brussels
    assert second["closes"] == datetime(2027, 4, 7, 16, 0, tzinfo=dt_timezone.utc)
    assert first["question"] == "What *surprised* you this week?"


@pytest.mark.parametrize("line, message", [
    ("2027-03-31 | 2027-03-26 | Backwards", "Line 2: the theme must close after it opens."),
    ("2027-03-26 | soon | Week", "Line 2: write the dates such as 2027-03-31 or 2027-03-31 18:00."),
    ("2027-03-26 | 2027-03-31 |  ", "Line 2: give the theme a title."),
    ("2027-03-26 | 2027-03-31", "Line 2: write opens | closes | title | question, separated by “|”."),
    ("2027-03-28 02:30 | 2027-03-31 | Spring", "Line 2: 02:30 does not exist on 2027-03-28 in Europe/Brussels "
                                               "(the clocks move forward)."),
])
def test_studio_and_deep_linking_refuse_a_bad_line_naming_it(intro_settings, line, message):
    values = {**intro_settings, "time_zone": "Europe/Brussels", "themes": "2027-03-20 | 2027-03-21 | Fine\n" + line}
    assert INTRODUCTIONS.check(values, lambda s: s) == {"themes": message}


def test_themes_may_be_empty(intro_settings):
    assert "themes" not in INTRODUCTIONS.check(intro_settings, lambda s: s)


# ----- answering ----------------------------------------------------------------------------------------------------
def test_answering_an_open_theme_until_midnight_in_the_course_zone(monkeypatch, make_context, course, theme_settings):
    at(monkeypatch, 2027, 3, 31, 21, 59, 59)  # 23:59:59 in Brussels
    result = answer(make_context, theme_settings, course.ann, body="Our **standup** is short.")
    assert result["created"] is True and "<strong>standup</strong>" in result["answer"]["html"]
    at(monkeypatch, 2027, 3, 31, 22, 0, 0)  # midnight in Brussels: closed
    with pytest.raises(PermissionDenied, match="closed"):
        answer(make_context, theme_settings, course.ann, body="Changed too late.")
    with pytest.raises(PermissionDenied, match="closed"):
        answer(make_context, theme_settings, course.cara)
    assert list(ThemeAnswer.objects.values_list("user__username", "body")) == [("ann", "Our **standup** is short.")]


def test_a_theme_not_yet_open_refuses_answers(monkeypatch, make_context, course, theme_settings):
    at(monkeypatch, 2027, 3, 25, 22, 59)  # 23:59 in Brussels the day before it opens
    with pytest.raises(PermissionDenied, match="not open"):
        answer(make_context, theme_settings, course.ann)
    assert not ThemeAnswer.objects.exists()


def test_answering_again_changes_the_one_answer(monkeypatch, make_context, course, theme_settings):
    at(monkeypatch, 2027, 3, 28, 12, 0)
    answer(make_context, theme_settings, course.ann, body="First.")
    result = answer(make_context, theme_settings, course.ann, body="Second thoughts.")
    assert result["created"] is False
    assert list(ThemeAnswer.objects.values_list("body", flat=True)) == ["Second thoughts."]


@pytest.mark.parametrize("data, error", [
    ({"theme": 0, "body": "   "}, ValidationError),
    ({"theme": 0, "body": "x" * 5001}, ValidationError),
    ({"theme": 0, "body": ["list"]}, ValidationError),
    ({"theme": "0", "body": "Hi"}, ValidationError),
    ({"theme": True, "body": "Hi"}, ValidationError),
    ({"theme": 7, "body": "Hi"}, NotFound),
])
def test_bad_answers_are_refused_with_nothing_written(monkeypatch, make_context, course, theme_settings, data, error):
    at(monkeypatch, 2027, 3, 28, 12, 0)
    with pytest.raises(error):
        themes.answer_theme(make_context(course.ann), data, theme_settings)
    assert not ThemeAnswer.objects.exists()


def test_a_learner_outside_every_group_cannot_answer(monkeypatch, make_context, course, theme_settings):
    at(monkeypatch, 2027, 3, 28, 12, 0)
    from tests.factories import UserFactory
    with pytest.raises(PermissionDenied):
        answer(make_context, theme_settings, UserFactory(username="nobody"))
    assert not ThemeAnswer.objects.exists()


def test_a_theme_answer_is_a_draft_until_sent(theme_settings):
    drafts, result = frontdoor.update_drafts({}, {"key": "t1", "body": "Half a thought"}, lambda s: s)
    assert drafts["t1"]["body"] == "Half a thought" and result["saved"]
    assert INTRODUCTIONS.actions["answer_theme"].forgets_draft({}, {"answer": {"theme": 1}}) == "t1"


# ----- who reads the answers ------------------------------------------------------------------------------------
def test_the_group_reads_its_answers_never_another_cohorts(monkeypatch, make_context, course, theme_settings):
    at(monkeypatch, 2027, 3, 28, 12, 0)
    answer(make_context, theme_settings, course.ann, body="Ann's answer")
    answer(make_context, theme_settings, course.bob, body="Bob's answer")
    read = lambda user: [a["body"] for a in themes.theme_answers(make_context(user), {"theme": 0}, theme_settings)
                         ["answers"]]
    assert read(course.cara) == ["Ann's answer"]
    assert read(course.bob) == ["Bob's answer"]
    assert read(course.staff) == ["Ann's answer", "Bob's answer"]  # staff: all groups


def test_facilitator_only_answers_are_never_shown_to_peers(monkeypatch, make_context, course, theme_settings):
    settings = {**theme_settings, "theme_visibility": themes.FACILITATOR}
    at(monkeypatch, 2027, 3, 28, 12, 0)
    answer(make_context, settings, course.ann, body="For the facilitator")
    answer(make_context, settings, course.cara, body="Cara's own")
    read = lambda user: [a["body"] for a in themes.theme_answers(make_context(user), {"theme": 0}, settings)
                         ["answers"]]
    assert read(course.cara) == ["Cara's own"]
    assert read(course.ann) == ["For the facilitator"]
    assert read(course.staff) == ["For the facilitator", "Cara's own"]
    page, _context = frontdoor.page_data(make_context(course.cara), settings, urls={}, drafts={}, completed=False,
                                         complete_on_view=lambda: None, gettext=lambda s: s,
                                         ngettext=lambda s, p, n: s if n == 1 else p)
    assert "For the facilitator" not in str(page)


def test_the_facilitator_sees_who_has_not_answered_and_what_the_group_said_most(monkeypatch, make_context, course,
                                                                                theme_settings):
    at(monkeypatch, 2027, 3, 28, 12, 0)
    answer(make_context, theme_settings, course.ann, body="Feedback meetings and feedback forms were the surprise.")
    answer(make_context, theme_settings, course.cara, body="More feedback than expected; meetings were short.")
    answer(make_context, theme_settings, course.bob, body="Nothing about feedback in cohort B.")
    overview = themes.overview(make_context(course.staff, group=course.group_a), {}, theme_settings)["themes"]
    first, second = overview
    assert first["title"] == "Your first week" and first["answered"] == 2
    assert first["terms"][:2] == [{"term": "feedback", "count": 2}, {"term": "meetings", "count": 2}]
    assert first["missing"] == ["Ada Advocate"]
    assert second["answered"] == 0
    with pytest.raises(PermissionDenied):
        themes.overview(make_context(course.ann), {}, theme_settings)


# ----- completion -------------------------------------------------------------------------------------------------
def test_completion_waits_for_the_theme_answers_when_the_author_asks(monkeypatch, make_context, course, post,
                                                                     theme_settings):
    settings = {**theme_settings, "themes_required": True}
    at(monkeypatch, 2027, 4, 3, 12, 0)
    post(course.ann)
    ctx = make_context(course.ann)
    assert api.participation_count(ctx, settings) == 0
    assert api.participation_count(ctx, theme_settings) == 1  # not required: the introduction is enough
    ThemeAnswer.objects.create(placement=course.placement, user=course.ann, group_key=course.group_a, theme=0,
                               body="Early", created=datetime(2027, 3, 28, tzinfo=dt_timezone.utc),
                               modified=datetime(2027, 3, 28, tzinfo=dt_timezone.utc))
    assert api.participation_count(ctx, settings) == 0
    answer(make_context, settings, course.ann, theme=1)
    assert api.participation_count(ctx, settings) == 1


# ----- queries ----------------------------------------------------------------------------------------------------
def _seed_answers(course, count):
    from django.contrib.auth import get_user_model
    from xblocks.core.models import LocalGroupMembership
    users = get_user_model().objects.bulk_create([
        get_user_model()(username=f"t{ThemeAnswer.objects.count()}-{i}") for i in range(count)])
    LocalGroupMembership.objects.bulk_create([
        LocalGroupMembership(group=course.cohort_a, user=u, context_key=course.placement.context_key, kind="cohort")
        for u in users])
    now = datetime(2027, 3, 28, tzinfo=dt_timezone.utc)
    ThemeAnswer.objects.bulk_create([ThemeAnswer(placement=course.placement, user=u, group_key=course.group_a,
                                                 theme=t, body=f"words about team {u.id}", created=now, modified=now)
                                     for u in users for t in (0, 1)])


def _queries(run):
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def test_queries_are_the_same_on_a_small_and_a_large_group(monkeypatch, make_context, course, theme_settings):
    at(monkeypatch, 2027, 3, 28, 12, 0)

    def requests():
        return (_queries(lambda: themes.theme_answers(make_context(course.cara), {"theme": 0}, theme_settings)),
                _queries(lambda: themes.overview(make_context(course.staff, group=course.group_a), {}, theme_settings)),
                _queries(lambda: themes.answer_theme(make_context(course.cara), {"theme": 0, "body": "Hi"},
                                                     theme_settings)),
                _queries(lambda: themes.page_data(make_context(course.cara), theme_settings, None)))

    answer(make_context, theme_settings, course.cara)  # each measured answer changes it, the same work both times
    _seed_answers(course, 3)
    small = requests()
    _seed_answers(course, 300)
    assert requests() == small


def test_a_retired_learner_s_answers_are_forgotten(monkeypatch, make_context, course, theme_settings):
    at(monkeypatch, 2027, 3, 28, 12, 0)
    answer(make_context, theme_settings, course.ann, body="Ann's answer")
    answer(make_context, theme_settings, course.cara, body="Cara's answer")
    api.retire_user(course.ann)
    assert list(ThemeAnswer.objects.values_list("body", flat=True)) == ["Cara's answer"]
