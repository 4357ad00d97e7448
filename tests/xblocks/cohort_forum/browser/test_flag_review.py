"""Staff review flags in the forum, in headless Chromium: a learner flags with a reason, staff open the flags
to review, read the reason and who flagged, dismiss one and hide another with a reason its author then reads."""
import pytest
from playwright.sync_api import expect

from tests.xblocks.cohort_forum.browser.forum import PHONE, no_horizontal_scroll, serious_violations, tab_to
from tests.xblocks.cohort_forum.browser.test_forum import forum  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


def flagged_items(forum):
    """A thread of ann to be flagged in the browser, and a reply of cara that ann flagged earlier."""
    from xblocks.cohort_forum import api

    forum.seed("ann", "Cheap watches, this week only", "Visit my shop for **cheap** watches.")
    notes = forum.seed("ann", "Notes of the first session", "Here are my notes.")
    reply = forum.seed_reply("cara", notes, "Nobody reads notes, you are all lazy.")
    api.flag(forum._context("ann"), {"target": "post", "id": reply, "reason": "Unkind to the group"})


def open_queue(view):
    view.root.get_by_role("button", name="Review flags").click()
    queue = view.root.locator('[data-sls="queue-view"]')
    expect(queue).to_be_visible()
    expect(queue.locator('[data-sls="queue"]')).to_have_attribute("aria-busy", "false")
    return queue


def item(queue, heading):
    return queue.locator(".sls-queue-item").filter(has=queue.page.get_by_role("heading", name=heading))


def test_a_learner_flags_staff_review_dismiss_and_hide_and_the_author_reads_why(forum, screenshot):
    flagged_items(forum)
    cara = forum.open("cara")
    cara.open_thread("Cheap watches, this week only")
    cara.action(cara.thread_post, "flag").click()
    cara.thread_post.get_by_label("Why are you flagging this? (optional)").fill("Advertising, not a discussion")
    cara.thread_post.get_by_role("button", name="Flag for staff").click()
    expect(cara.status).to_have_text("Thank you. Staff will review it.")
    expect(cara.root.get_by_role("button", name="Review flags")).to_have_count(0)  # staff only

    sam = forum.open("sam")
    queue = open_queue(sam)
    expect(queue.locator('[data-sls="queue-summary"]')).to_have_text("2 posts to review")
    watches = item(queue, "Thread “Cheap watches, this week only”")
    expect(watches).to_contain_text("Advertising, not a discussion")
    expect(watches).to_contain_text("Flagged by Cara Maes")
    expect(watches).to_contain_text("Written by Ann Peeters")
    expect(watches).to_contain_text("in Cohort A")
    expect(watches).to_contain_text("Visit my shop for cheap watches.")
    lazy = item(queue, "Reply in “Notes of the first session”")
    expect(lazy).to_contain_text("Unkind to the group")
    expect(lazy).to_contain_text("Flagged by Ann Peeters")
    assert serious_violations(sam.page) == []
    screenshot(sam.page, "forum-flags-to-review-1280")

    # Open the reply in its thread, and come back to the same item.
    lazy.get_by_role("button", name="Open in thread").click()
    expect(sam.thread_view).to_be_visible()
    expect(sam.replies.first).to_be_focused()
    sam.back()
    expect(queue).to_be_visible()
    expect(lazy.get_by_role("heading")).to_be_focused()

    watches.get_by_role("button", name="Dismiss flags").click()
    expect(sam.status).to_have_text("Flags dismissed. The post stays as it is.")
    expect(queue.locator(".sls-queue-item")).to_have_count(1)
    expect(queue.locator('[data-sls="queue-summary"]')).to_have_text("1 post to review")

    lazy.get_by_role("button", name="Hide").click()
    reason = lazy.get_by_label("Why is it hidden? (optional, shown to the author)")
    expect(reason).to_have_value("Unkind to the group")
    expect(reason).to_be_focused()
    assert serious_violations(sam.page) == []
    reason.fill("Please keep it kind: criticise ideas, not people.")
    lazy.get_by_role("button", name="Hide from learners").click()
    expect(sam.status).to_have_text("Hidden from learners. Its author can read your reason.")
    expect(queue.locator('[data-sls="queue-summary"]')).to_have_text("Nothing to review: no open flags.")
    expect(queue.locator('[data-sls="queue-heading"]')).to_be_focused()

    sam.root.get_by_role("button", name="Back to all threads").first.click()
    expect(sam.item("Cheap watches, this week only")).to_be_visible()
    expect(sam.item("Cheap watches, this week only").locator(".sls-badge--flagged")).to_have_count(0)

    author = forum.open("cara")
    author.open_thread("Notes of the first session")
    expect(author.replies.first).to_contain_text("Hidden by staff: Please keep it kind: criticise ideas, not people.")
    peer = forum.open("ann")
    peer.open_thread("Notes of the first session")
    expect(peer.replies).to_have_count(0)
    expect(peer.root).not_to_contain_text("Please keep it kind")


def test_the_queue_on_a_phone_and_by_keyboard(forum, screenshot):
    flagged_items(forum)
    sam = forum.open("sam", width=PHONE)
    queue = open_queue(sam)
    lazy = item(queue, "Reply in “Notes of the first session”")
    expect(lazy).to_contain_text("Unkind to the group")
    no_horizontal_scroll(sam.page, "flags to review")
    screenshot(sam.page, f"forum-flags-to-review-{PHONE}")
    tab_to(sam.page, "Dismiss flags")
    sam.page.keyboard.press("Enter")
    expect(sam.status).to_have_text("Flags dismissed. The post stays as it is.")
    expect(queue.locator('[data-sls="queue-heading"]')).to_be_focused()
    no_horizontal_scroll(sam.page, "empty queue")
