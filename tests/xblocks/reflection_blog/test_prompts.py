"""Prompts: the author's editor (add, edit, reorder, remove, one message per field), what learners see (open,
upcoming, due, answered), answering a prompt, the course's time zone (a prompt due at 23:59 on the course's
clock), completion with required prompts and a minimum of words, and the events."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from xblocks.core.errors import NotFound, PermissionDenied, ValidationError
from xblocks.reflection_blog import api, prompts
from xblocks.reflection_blog.frontdoor import BLOG
from xblocks.reflection_blog.models import Prompt

BRUSSELS = ZoneInfo("Europe/Brussels")
WORDS = "one two three four five six seven eight nine ten"


@pytest.fixture
def staff(ctx_of, course):
    return ctx_of(course.staff)


def save(ctx, settings, **data):
    return prompts.save_prompt(ctx, {"text": "What did you apply from module 2 this week?", **data}, settings)


def local(dt, zone=BRUSSELS):
    return dt.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def test_staff_add_edit_reorder_and_remove_prompts(course, staff, ctx_of, blog_settings):
    save(staff, blog_settings, text="First")
    save(staff, blog_settings, text="Second", required=True, min_words=20)
    out = save(staff, blog_settings, text="Third", opens="2026-03-01T09:00", due="2026-03-08T23:59")
    assert [p["text"] for p in out["editor"]] == ["First", "Second", "Third"]
    third = out["editor"][2]
    assert (third["opens"], third["due"]) == ("2026-03-01T09:00", "2026-03-08T23:59")  # as entered, course clock
    out = prompts.move_prompt(staff, {"id": third["id"], "direction": "up"}, blog_settings)
    assert [p["text"] for p in out["editor"]] == ["First", "Third", "Second"]
    out = prompts.save_prompt(staff, {"id": third["id"], "text": "Third, clearer", "due": ""}, blog_settings)
    assert out["editor"][1]["text"] == "Third, clearer" and out["editor"][1]["due"] == ""
    out = prompts.delete_prompt(staff, {"id": out["editor"][0]["id"]}, blog_settings)
    assert [p["text"] for p in out["prompts"]] == ["Third, clearer", "Second"]
    learner = prompts.list_prompts(ctx_of(course.ann), {}, blog_settings)
    assert "editor" not in learner and len(learner["prompts"]) == 2


def test_a_learner_cannot_change_prompts(course, staff, ctx_of, blog_settings):
    prompt = save(staff, blog_settings)["editor"][0]
    for action, data in ((prompts.save_prompt, {"text": "Mine"}), (prompts.delete_prompt, {"id": prompt["id"]}),
                         (prompts.move_prompt, {"id": prompt["id"], "direction": "up"})):
        with pytest.raises(PermissionDenied):
            action(ctx_of(course.ann), data, blog_settings)
    assert Prompt.objects.get().text.startswith("What did you apply")


def test_bad_prompts_get_one_message_per_field_and_nothing_is_written(staff, blog_settings):
    settings = {**blog_settings, "participation_required": 0}
    with pytest.raises(ValidationError) as err:
        prompts.save_prompt(staff, {"text": "  ", "opens": "tomorrow", "due": "2026-02-30T10:00", "required": True,
                                    "min_words": -3}, settings)
    assert set(err.value.fields) == {"text", "opens", "due", "required", "min_words"}
    with pytest.raises(ValidationError) as err:
        save(staff, blog_settings, opens="2026-03-08T10:00", due="2026-03-01T10:00")
    assert set(err.value.fields) == {"due"}
    assert not Prompt.objects.exists()


def test_dates_are_on_the_course_clock_and_due_at_23_59_is_the_last_minute(course, staff, ctx_of, blog_settings):
    settings = {**blog_settings, "time_zone": "Europe/Brussels"}
    save(staff, settings, opens="2026-06-01T00:00", due="2026-06-30T23:59")
    prompt = Prompt.objects.get()
    assert prompt.due == datetime(2026, 6, 30, 21, 59, tzinfo=ZoneInfo("UTC"))  # summer time: UTC+2
    assert prompt.opens == datetime(2026, 5, 31, 22, 0, tzinfo=ZoneInfo("UTC"))
    ann = ctx_of(course.ann)
    at = {"before": datetime(2026, 5, 31, 23, 59, tzinfo=BRUSSELS), "opened": datetime(2026, 6, 1, 0, 0, tzinfo=BRUSSELS),
          "last minute": datetime(2026, 6, 30, 23, 59, 0, tzinfo=BRUSSELS),
          "after": datetime(2026, 7, 1, 0, 0, tzinfo=BRUSSELS)}
    states = {}
    for name, moment in at.items():
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(timezone, "now", lambda moment=moment: moment.astimezone(ZoneInfo("UTC")))
            states[name] = prompts.list_prompts(ann, {}, settings)["prompts"][0]["state"]
    assert states == {"before": "upcoming", "opened": "open", "last minute": "open", "after": "past_due"}
    # The learner's page gets the instant (their browser shows it in their own zone) and the course's zone.
    listed = prompts.list_prompts(ann, {}, settings)
    assert listed["prompts"][0]["due"] == "2026-06-30T21:59:00+00:00" and listed["time_zone"] == "Europe/Brussels"
    assert prompts.list_prompts(staff, {}, settings)["editor"][0]["due"] == "2026-06-30T23:59"


def test_the_platform_time_zone_is_used_when_the_author_sets_none(blog_settings):
    assert prompts.course_time_zone(blog_settings) == "UTC"
    assert BLOG.check({**blog_settings, "time_zone": "Mars/Olympus"}, lambda s: s) == {
        "time_zone": "Unknown time zone: write a name such as Europe/Brussels or UTC."}
    assert BLOG.check({**blog_settings, "time_zone": "America/Toronto"}, lambda s: s) == {}


def test_an_entry_answers_an_open_prompt_and_the_list_says_so(course, staff, ctx_of, write, blog_settings):
    now = timezone.now()
    open_id = save(staff, blog_settings, text="Open one")["editor"][0]["id"]
    later = save(staff, blog_settings, text="Later", opens=local(now + timedelta(days=2)))["editor"][1]["id"]
    with pytest.raises(ValidationError):
        write(course.ann, prompt=later)
    with pytest.raises(NotFound):
        write(course.ann, prompt=999999)
    other = Prompt.objects.create(placement=prompts.Prompt.objects.get(pk=open_id).placement, text="x", deleted=True)
    with pytest.raises(NotFound):
        write(course.ann, prompt=other.id)
    entry = write(course.ann, prompt=open_id)
    assert entry["prompt"] == {"id": open_id, "text": "Open one"}
    listed = {p["text"]: p for p in prompts.list_prompts(ctx_of(course.ann), {}, blog_settings)["prompts"]}
    assert listed["Open one"]["answered"] and listed["Open one"]["answer"] == entry["id"]
    assert listed["Later"]["state"] == "upcoming" and not listed["Later"]["answered"]
    assert not prompts.list_prompts(ctx_of(course.cara), {}, blog_settings)["prompts"][0]["answered"]
    # The feed filtered by the prompt
    assert [e["id"] for e in api.list_entries(ctx_of(course.cara), {"prompt": open_id}, blog_settings)["entries"]] == [
        entry["id"]]


def test_a_late_answer_is_kept_and_shown_as_late(course, staff, ctx_of, write, blog_settings):
    past = timezone.now() - timedelta(days=1)
    prompt_id = save(staff, blog_settings, opens=local(past - timedelta(days=7), ZoneInfo("UTC")),
                     due=local(past, ZoneInfo("UTC")))["editor"][0]["id"]
    events = []
    api.create_entry(ctx_of(course.ann, events=events), {"title": "T", "body": "late but here", "prompt": prompt_id},
                     blog_settings)
    listed = prompts.list_prompts(ctx_of(course.ann), {}, blog_settings)["prompts"][0]
    assert listed["state"] == "past_due" and listed["answered"] and listed["late"]
    answered = [data for name, data in events if name == "social_learning.blog.prompt.answered"]
    assert answered == [{"entry_id": listed["answer"], "prompt_id": prompt_id, "words": 3, "late": True,
                         "required": False}]


def test_completion_waits_for_required_prompts_with_enough_words(course, staff, ctx_of, write, blog_settings):
    settings = {**blog_settings, "participation_required": 2, "min_words": 5}
    required = save(staff, settings, text="Required", required=True, min_words=10)["editor"][0]["id"]
    ann = ctx_of(course.ann)
    write(course.ann, body="too short")
    assert prompts.participation_count(ann, settings) == 0  # fewer than 5 words
    write(course.ann, body="one two three four five")
    write(course.ann, body="six seven eight nine ten")
    assert prompts.participation_count(ann, settings) == 1  # 2 that count, but the required prompt waits
    short = write(course.ann, body="only six words for this prompt", prompt=required)
    assert prompts.participation_count(ann, settings) == 1  # the prompt asks 10
    api.edit_entry(ann, {"id": short["id"], "version": short["version"], "body": WORDS}, settings)
    assert prompts.participation_count(ann, settings) == 3


def test_completion_and_score_through_the_xblock(course, make_block, call_handler, published):
    block = make_block('<social_reflection_blog participation_required="1" has_score="true" min_words="3"/>', "sam")
    status, body = call_handler(block, "save_prompt", {"text": "Required one", "required": True})
    assert status == 200, body
    prompt_id = body["prompts"][0]["id"]
    ann = make_block.as_user(block, "ann")
    status, body = call_handler(ann, "create_entry", {"title": "A", "body": "not about the prompt at all"})
    assert status == 200 and body["participation"] == {"required": 1, "count": 0, "complete": False}
    status, body = call_handler(ann, "create_entry", {"title": "B", "body": "My answer here", "prompt": prompt_id})
    assert status == 200 and body["participation"]["complete"] is True
    grades = [data for _user, name, data in published if name == "grade"]
    assert grades == [{"value": 0, "max_value": 1}, {"value": 1, "max_value": 1}]
    assert [name for _user, name, _data in published].count("completion") == 1


def test_page_data_lists_the_prompts_for_the_learner(course, staff, ctx_of, blog_settings):
    save(staff, blog_settings)
    init, _context = prompts.page_data(ctx_of(course.ann), blog_settings, lambda s: s)
    assert init["time_zone"] == "UTC" and [p["state"] for p in init["prompts"]] == ["open"]
