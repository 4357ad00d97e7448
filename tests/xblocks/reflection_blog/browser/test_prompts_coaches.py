"""Prompts and coaches in headless Chromium, through the sandbox's course unit: the course team adds and orders
prompts with the course's clock shown; a learner sees what is open, upcoming and answered, answers a prompt
from the list and filters the feed by it; a coach assigned to a cohort opens the coach view, sees what waits,
opens an entry and comments (marked as a coach comment). Checked with axe at 1280 and 360 pixels wide, with
screenshots to look at."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import RoleFactory, UserFactory
from tests.xblocks.reflection_blog.browser.blog import WIDTHS, check
from xblocks.reflection_blog import coaches, prompts
from xblocks.reflection_blog.models import Entry

pytestmark = pytest.mark.browser


def local(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_edit_prompts_and_a_learner_answers_one(blog, screenshot, width):
    sam = blog.open("sam", width=width)
    prompts_box = sam.root.locator('[data-sls="prompts"]')
    prompts_box.get_by_role("button", name="Edit prompts").click()
    editor = sam.root.locator('[data-sls="prompt-editor"]')
    expect(editor).to_contain_text("Dates are in the course time zone: UTC.")
    form = editor.locator("form")
    form.get_by_role("button", name="Save prompt").click()
    expect(form.locator('[data-sls-error="text"]')).not_to_be_empty()  # nothing typed: the field says so
    form.get_by_label("Prompt").fill("What did you apply from module 2 this week?")
    form.get_by_label("Due").fill(local(timezone.now() + timedelta(days=3)))
    form.get_by_label("Required").check()
    form.get_by_role("button", name="Save prompt").click()
    expect(sam.status).to_have_text("Prompt saved.")
    form.get_by_label("Prompt").fill("What will you try next month?")
    form.get_by_label("Opens").fill(local(timezone.now() + timedelta(days=20)))
    form.get_by_role("button", name="Save prompt").click()
    expect(editor.locator(".sls-blog__prompt-row")).to_have_count(2)
    editor.get_by_role("button", name="Move up: What will you try next month?").click()
    expect(editor.locator(".sls-blog__prompt-row .sls-blog__prompt-text")).to_have_text(
        ["What will you try next month?", "What did you apply from module 2 this week?"])
    check(sam, screenshot, "prompt-editor", width)

    ann = blog.open("ann", width=width)
    items = ann.root.locator(".sls-blog__prompt")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Opens")
    expect(items.nth(0).get_by_role("button", name="Answer")).to_have_count(0)  # not open yet
    expect(items.nth(1)).to_contain_text("Due")
    expect(items.nth(1)).to_contain_text("Not answered yet")
    check(ann, screenshot, "prompts-learner", width)
    items.nth(1).get_by_role("button", name="Answer: What did you apply from module 2 this week?").click()
    expect(ann.compose).to_be_visible()
    expect(ann.form.get_by_label("In answer to")).to_have_value(str(prompts.Prompt.objects.get(
        text__startswith="What did you apply").id))
    ann.form.get_by_label("Title").fill("Module 2 at work")
    ann.form.get_by_label("Your reflection").fill("I used the feedback model in a team meeting.")
    ann.form.get_by_role("button", name="Publish").click()
    expect(ann.status).to_have_text("Entry published.")
    expect(ann.entry).to_contain_text("in answer to: What did you apply from module 2 this week?")
    expect(items.nth(1)).to_contain_text("Answered")
    ann.back()
    ann.publish("Something else", "Not about a prompt.")
    ann.back()
    ann.root.get_by_label("Prompt", exact=True).select_option(label="What did you apply from module 2 this week?")
    expect(ann.items).to_have_count(1)
    expect(ann.items.first).to_contain_text("Module 2 at work")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_cohort_coach_sees_what_waits_and_comments(blog, screenshot, width):
    cleo = UserFactory(username="cleo", first_name="Cleo", last_name="Coach")
    RoleFactory(user=cleo, role="advocate", context_key=blog.course.key)
    blog.people["cleo"] = cleo
    coaches.assign_coach(blog.context("sam"), {"coach": "cleo", "whom": blog.course.group_a}, blog.settings())
    old = blog.seed("ann", "Stuck on exercise 3", "I could not finish it.", visibility="coach")
    Entry.objects.filter(pk=old["id"]).update(created=timezone.now() - timedelta(days=2))
    blog.seed("cara", "Shared with my group", "Role play went well.", visibility="group")
    blog.seed("bob", "Bob's own", "Not Cleo's learner.", visibility="coach")

    ann = blog.open("ann", width=width)
    expect(ann.root.locator('[data-sls="my-coach"]')).to_have_text("Your coach: Cleo Coach")
    bob = blog.open("bob", width=width)
    expect(bob.root.locator('[data-sls="my-coach"]')).to_have_text("Your coach: the course team (Sam Staff)")

    view = blog.open("cleo", width=width)
    view.root.get_by_role("button", name="Coach view").click()
    coach_view = view.root.locator('[data-sls="coach-view"]')
    expect(coach_view).to_be_visible()
    learners = coach_view.locator(".sls-blog__coach-learner")
    expect(learners).to_have_count(2)
    expect(learners.nth(0)).to_contain_text("Ann Peeters")
    expect(learners.nth(0)).to_contain_text("1 waits for a comment")
    expect(coach_view).not_to_contain_text("Bob's own")
    check(view, screenshot, "coach-view", width)
    learners.nth(0).get_by_role("button", name="Stuck on exercise 3").click()
    expect(view.entry.locator("h3")).to_have_text("Stuck on exercise 3")
    view.entry.get_by_label("Add a comment").fill("Let us look at it together on Monday.")
    view.entry.get_by_role("button", name="Comment", exact=True).click()
    expect(view.entry.locator(".sls-blog__comment.is-coach")).to_contain_text("Coach comment")
    view.back()
    view.root.get_by_role("button", name="Coach view").click()
    expect(learners.nth(1)).to_contain_text("Ann Peeters")  # nothing of Ann's waits any more
    expect(learners.nth(1)).to_contain_text("Nothing waits for a coach comment.")

    sam = blog.open("sam", width=width)
    sam.root.get_by_role("button", name="Coach view").click()
    staff_view = sam.root.locator('[data-sls="coach-view"]')
    expect(staff_view.locator(".sls-blog__coach-assignments")).to_contain_text("Cleo Coach (cleo) → Cohort A")
    staff_view.get_by_label("Username of the coach").fill("nobody-here")
    staff_view.get_by_role("button", name="Add coach").click()
    expect(staff_view.locator('[data-sls-error="coach"]')).to_have_text("Nobody has the username “nobody-here”.")
    check(sam, screenshot, "coach-assignments", width)
    staff_view.get_by_label("Username of the coach").fill("cleo")
    staff_view.get_by_label("Or one learner (username)").fill("bob")
    staff_view.get_by_role("button", name="Add coach").click()
    expect(sam.status).to_have_text("Coach assigned.")
    expect(staff_view.locator(".sls-blog__coach-assignments")).to_contain_text("Cleo Coach (cleo) → Bob Janssens")
    expect(staff_view.locator(".sls-blog__coach-learner")).to_have_count(0)  # Sam coaches nobody now
    assert coaches.is_coach(blog.context("cleo"), blog.course.bob, blog.course.group_b)
