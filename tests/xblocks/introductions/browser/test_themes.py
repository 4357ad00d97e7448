"""Theme assignments in headless Chromium, through the sandbox's course unit: a learner answers an open theme in
Markdown (the draft survives a reload), a closed theme takes no answer, a peer of the same cohort reads the answer
and one of another cohort does not, the facilitator sees who has not answered and what the group said most. Axe
at 1280 and 360 pixels wide, with screenshots.

The server's clock is the real one, so the themes are written around today (the browser shows them in Brussels).
"""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .test_introductions import WIDTHS, Sandbox, check

pytestmark = pytest.mark.browser


def _day(days):
    return (timezone.now() + timedelta(days=days)).astimezone(timezone.get_fixed_timezone(60)).strftime("%Y-%m-%d")


@pytest.fixture
def themed(transactional_db, course, settings, page_for):
    from sandbox.runtime import SandboxRuntime
    from sandbox.scenarios import blocks_of_type

    sandbox = Sandbox(course, settings, page_for)
    from sandbox.scenarios import suite_scenarios
    _name, scenario = suite_scenarios("social_introductions")[0]
    (block,) = blocks_of_type(SandboxRuntime(""), scenario.usage_id, "social_introductions")
    block.themes = (f"{_day(-10)} | {_day(-3)} | Your first week | What surprised you?\n"
                    f"{_day(-2)} | {_day(4)} | Feedback | Describe a **conversation** you would like to have.\n"
                    f"{_day(8)} | {_day(12)} | Looking back | What will you keep?")
    block.save()
    return sandbox


def theme(root, title):
    return root.locator(".sls-intros__theme").filter(has=root.page.get_by_role("heading", name=title, exact=True))


@pytest.mark.parametrize("width", WIDTHS)
def test_answering_a_theme_and_reading_the_groups_answers(themed, screenshot, width):
    page, ann = themed.open("ann", width)
    closed, feedback, later = (theme(ann, t) for t in ("Your first week", "Feedback", "Looking back"))
    expect(closed).to_contain_text("You did not answer this theme.")
    expect(closed.get_by_label("Your answer")).to_have_count(0)
    expect(later).to_contain_text("Opens")
    expect(feedback.locator(".sls-intros__question strong")).to_have_text("conversation")
    feedback.get_by_label("Your answer").fill("A talk about *feedback* with my manager and feedback on meetings.")
    page.wait_for_timeout(1600)  # the draft is saved after a pause
    page.reload()
    expect(ann).to_have_attribute("data-sls-ready", "1")
    feedback = theme(ann, "Feedback")
    expect(feedback.get_by_label("Your answer")).to_have_value(
        "A talk about *feedback* with my manager and feedback on meetings.")
    check(page, screenshot, "themes", width)
    feedback.get_by_role("button", name="Send my answer").click()
    expect(feedback.locator(".sls-intros__mine-answer em")).to_have_text("feedback")
    expect(feedback.get_by_role("button", name="Change my answer")).to_be_visible()
    page.close()

    page, cara = themed.open("cara", width)
    feedback = theme(cara, "Feedback")
    feedback.get_by_label("Your answer").fill("More feedback, fewer meetings.")
    feedback.get_by_role("button", name="Send my answer").click()
    expect(feedback.get_by_role("button", name="Change my answer")).to_be_visible()
    feedback.get_by_role("button", name="Show the answers").click()
    answers = feedback.locator(".sls-intros__answers")
    expect(answers).to_contain_text("Ann Peeters")
    expect(answers.locator("em")).to_have_text("feedback")
    check(page, screenshot, "theme-answers", width)
    page.close()

    page, bob = themed.open("bob", width)  # another cohort
    feedback = theme(bob, "Feedback")
    feedback.get_by_role("button", name="Show the answers").click()
    expect(feedback.locator(".sls-intros__answers")).to_have_text("No answers yet.")
    page.close()

    page, sam = themed.open("sam", width)
    feedback = theme(sam, "Feedback")
    expect(feedback.locator(".sls-intros__theme-summary")).to_contain_text("2 answers")
    expect(feedback.locator(".sls-intros__terms")).to_contain_text("feedback 2")
    expect(feedback.locator(".sls-intros__terms")).to_contain_text("meetings 2")
    expect(feedback.get_by_label("Your answer")).to_have_count(0)
    check(page, screenshot, "theme-facilitator", width)
