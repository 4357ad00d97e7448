"""The introductions in headless Chromium, through the sandbox's course unit on a live server.

People come from the ``course`` fixture: Ann and Cara in Cohort A, Bob in Cohort B, Sam on the course staff. The
browser's clock is Saturday 27 March 2027, noon in Brussels; the session is the next morning, after the clocks
move forward. Ann lives in Brussels, Bob in New York. Every view is checked with axe at 1280 and 360 pixels wide,
and saved as a screenshot to look at.
"""
from datetime import datetime, timezone

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.xblocks.cohort_forum.browser.forum import PHONE, no_horizontal_scroll, serious_violations
from tests.xblocks.reflection_blog.media_files import png

pytestmark = pytest.mark.browser
WIDTHS = (1280, PHONE)
BLOCK_TYPE = "social_introductions"
NOW = datetime(2027, 3, 27, 11, 0, tzinfo=timezone.utc)  # noon in Brussels, winter time
SESSIONS = ("2027-03-28 10:00 | 12:00 | Kick-off | https://meet.example.org/kick-off\n"
            "2027-04-01 09:30 | 16:00 | Classroom day | Leie 2.04, Ghent")


class Sandbox:
    """The sandbox's introductions scenario, shown to the ``course`` fixture's people."""

    def __init__(self, course, settings, page_for):
        from workbench.runtime_util import reset_global_state

        from sandbox.runtime import SandboxRuntime
        from sandbox.scenarios import blocks_of_type, suite_scenarios

        current = getattr(settings, "SOCIAL_LEARNING", None) or {}
        settings.SOCIAL_LEARNING = {**current, "LOCAL_COURSE_KEY": course.key}
        cache.clear()
        reset_global_state()
        self.scenario_name, scenario = suite_scenarios(BLOCK_TYPE)[0]
        (block,) = blocks_of_type(SandboxRuntime(""), scenario.usage_id, BLOCK_TYPE)
        block.sessions = SESSIONS
        block.time_zone = "Europe/Brussels"
        block.save()
        self.people = {u.username: u for u in (course.ann, course.bob, course.cara, course.staff)}
        self._page_for = page_for

    def open(self, username, width, zone="Europe/Brussels"):
        page = self._page_for(self.people[username], width=width, timezone_id=zone)
        page.clock.set_fixed_time(NOW)
        page.goto(f"{page.base_url}/?scenario={self.scenario_name}")
        root = page.locator(".sls-intros")
        expect(root).to_have_attribute("data-sls-ready", "1")
        return page, root


@pytest.fixture
def sandbox(transactional_db, course, settings, page_for):
    return Sandbox(course, settings, page_for)


def check(page, screenshot, name, width):
    screenshot(page, f"introductions-{name}-{width}")
    assert serious_violations(page, ".sls-intros") == [], name
    no_horizontal_scroll(page, name)


@pytest.mark.parametrize("width", WIDTHS)
def test_meeting_the_group_before_the_first_session(sandbox, screenshot, width):
    page, ann = sandbox.open("ann", width)
    session = ann.locator(".sls-intros__session").first
    # Tomorrow at 10:00 in Brussels, after the clocks moved forward (08:00 UTC), 21 hours from now.
    expect(session.locator("time")).to_contain_text("Sunday, March 28, 2027")
    expect(session.locator("time")).to_contain_text("10:00")
    expect(session.locator(".sls-intros__countdown")).to_have_text("Starts in 21 hours")
    expect(ann.locator(".sls-intros__sessions")).to_contain_text("Times are shown in your time zone: Europe/Brussels.")
    expect(ann.locator('[data-sls="gallery-summary"]')).to_have_text(
        "Nobody has introduced themselves yet. Be the first!")
    # The session is within the author's 3 days and Ann has not introduced herself yet.
    reminder = ann.locator(".sls-intros__reminder")
    expect(reminder).to_have_text("“Kick-off” starts in 21 hours: introduce yourself before then.")
    check(page, screenshot, "sessions", width)

    # The calendar file of the session.
    with page.expect_download() as download:
        session.get_by_role("button", name="Add to calendar").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert "DTSTART:20270328T080000Z" in text and "SUMMARY:Kick-off" in text

    # A draft survives a reload.
    ann.get_by_role("button", name="Introduce yourself").click()
    form = ann.locator('[data-sls="intro-form"]')
    form.get_by_label("Who are you?").fill("Ann, customer service in Ghent. I love a good spreadsheet.")
    form.get_by_label("What do you want to learn?").fill("negotiation, public speaking")
    form.get_by_label("What can you offer the group?").fill("Excel")
    expect(form.locator('[data-sls="draft-note"]')).to_have_text("Draft saved.")
    check(page, screenshot, "form", width)
    page.reload()
    expect(ann).to_have_attribute("data-sls-ready", "1")
    expect(form.get_by_label("Who are you?")).to_have_value("Ann, customer service in Ghent. I love a good spreadsheet.")
    form.get_by_label("A fun fact about you").fill("I sing in a choir.")
    form.get_by_role("button", name="Post my introduction").click()
    expect(ann.locator('[data-sls="status"]')).to_have_text("Introduction posted.")
    expect(reminder).to_be_hidden()
    card = ann.locator(".sls-intros__card")
    expect(card).to_have_count(1)
    expect(card.locator(".sls-badge")).to_have_text(["negotiation", "public speaking", "Excel"])
    expect(ann.get_by_role("button", name="Edit my introduction")).to_be_visible()
    expect(ann.locator(".sls-intros__matching")).to_contain_text("Nobody shares your topics yet.")

    # A photo, on the posted introduction.
    ann.get_by_role("button", name="Edit my introduction").click()
    ann.get_by_label("Your photo (optional)").set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": png(size=(300, 200))}])
    ann.get_by_role("button", name="Upload photo").click()
    expect(ann.locator('[data-sls="status"]')).to_have_text("Photo saved.")
    expect(card.get_by_role("img", name="Photo of Ann Peeters")).to_be_visible()
    check(page, screenshot, "photo", width)
    check(page, screenshot, "posted", width)

    # Bob, in the other cohort and in New York, sees the same session at his own time, and not Ann.
    page, bob = sandbox.open("bob", width, zone="America/New_York")
    expect(bob.locator(".sls-intros__session time").first).to_contain_text("04:00")
    expect(bob.locator(".sls-intros__session .sls-intros__countdown").first).to_have_text("Starts in 21 hours")
    expect(bob.locator(".sls-intros__card")).to_have_count(0)

    # Cara waves, replies and filters by a topic; she sees Ann's photo.
    page, cara = sandbox.open("cara", width)
    card = cara.locator(".sls-intros__card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("img", name="Photo of Ann Peeters")).to_be_visible()
    card.get_by_role("button", name="Wave").click()
    expect(card.get_by_role("button", name="Take back the wave")).to_have_attribute("aria-pressed", "true")
    expect(card).to_contain_text("1 wave")
    card.get_by_label("Reply to Ann Peeters").fill("Welcome Ann! I sing too.")
    card.get_by_role("button", name="Reply").click()
    expect(cara.locator('[data-sls="status"]')).to_have_text("Reply sent.")
    expect(card.locator(".sls-intros__replies li")).to_have_text(["Cara Maes: Welcome Ann! I sing too. Delete"])
    expect(card).to_contain_text("1 reply")
    cara.get_by_label("Topic").select_option("excel")
    expect(cara.locator(".sls-intros__card")).to_have_count(1)
    cara.get_by_label("Search the introductions").fill("knitting")
    cara.get_by_role("button", name="Search").click()
    expect(cara.locator(".sls-intros__card")).to_have_count(0)
    expect(cara.locator('[data-sls="gallery-summary"]')).to_have_text("No introductions match.")
    cara.get_by_label("Search the introductions").fill("")
    cara.get_by_role("button", name="Search").click()
    expect(cara.locator(".sls-intros__card")).to_have_count(1)
    check(page, screenshot, "gallery", width)
    page.once("dialog", lambda dialog: dialog.accept())
    card.locator(".sls-intros__replies").get_by_role("button", name="Delete").click()
    expect(cara.locator('[data-sls="status"]')).to_have_text("Reply deleted.")
    expect(card.locator(".sls-intros__replies li")).to_have_count(0)
    expect(card).to_contain_text("0 replies")

    # Sam sees who has not introduced themselves yet, and what the group brings.
    page, sam = sandbox.open("sam", width)
    sam.get_by_role("button", name="Facilitator view").click()
    view = sam.locator(".sls-intros__facilitator")
    expect(view.get_by_role("heading", name="Facilitator view")).to_be_focused()
    expect(view.locator(".sls-intros__people").first).to_contain_text("Bob Janssens")
    expect(view.locator(".sls-intros__people").first).to_contain_text("Cara Maes")
    expect(view.locator(".sls-intros__people").nth(1)).to_contain_text("Ann Peeters (Cohort A)")
    expect(view.locator(".sls-intros__counts").first).to_contain_text("negotiation")
    # Pairs for the first session: everyone placed, moved by hand, saved, printed with name cards.
    groups = view.locator(".sls-intros__groupings")
    groups.get_by_role("button", name="Suggest groups").click()
    expect(groups.locator(".sls-intros__group")).to_have_count(2)
    expect(groups.locator(".sls-intros__group li")).to_have_count(4)
    groups.get_by_label("Move Bob Janssens to").select_option(label="Group 1")
    expect(groups.locator(".sls-intros__group").first).to_contain_text("Bob Janssens")
    groups.get_by_role("button", name="Save groups").click()
    expect(sam.locator('[data-sls="status"]')).to_have_text("Groups saved.")
    expect(groups).to_contain_text("Saved groups of this session.")
    check(page, screenshot, "facilitator", width)
    page.emulate_media(media="print")
    expect(groups.locator(".sls-intros__name-card")).to_have_count(4)
    screenshot(page, f"introductions-print-{width}")
    page.emulate_media(media="screen")
    view.get_by_role("button", name="Back to the introductions").click()
    expect(sam.get_by_role("button", name="Facilitator view")).to_be_focused()
