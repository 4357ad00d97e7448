"""Each thread has an address: opening one changes the page's URL (a fragment naming the forum and the
thread), which a reload, a bookmark or a shared link opens again for anyone allowed to read it; Back and
Forward move between the list and the thread with fresh data. And the small words: a pressed toggle says
how to undo it, a quoted search is quoted once."""
import re

import pytest
from playwright.sync_api import expect

from tests.xblocks.cohort_forum.browser.forum import PHONE, ForumSandbox, serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def forum(transactional_db, course, settings, page_for):
    return ForumSandbox(course, settings, page_for)


def test_a_thread_has_an_address_that_reload_back_forward_and_a_link_open(forum, screenshot):
    thread = forum.seed("ann", "Slides of session 1", "Where can I find them?")
    forum.seed("ann", "Ghent meetup after week 1?", "Who is in for coffee?")

    cara = forum.open("cara")
    page = cara.page
    list_url = page.url
    expect(cara.item("Slides of session 1")).to_have_class(re.compile(r"\bis-unread\b"))
    expect(cara.item("Slides of session 1")).to_contain_text("0 replies")
    cara.open_thread("Slides of session 1")
    expect(page).to_have_url(re.compile(rf"#sls-thread-[A-Za-z0-9_-]+-{thread}$"))
    address = page.url
    assert address.split("#")[0] == list_url.split("#")[0]

    # A reload opens the thread again.
    page.reload()
    expect(cara.root).to_have_attribute("data-sls-ready", "1")
    expect(cara.thread_view).to_be_visible()
    expect(cara.thread_title).to_have_text("Slides of session 1")
    expect(cara.thread_title).to_be_focused()
    cara.reply("They are on the course page, under week 1.")

    # Back: the list, read afresh (the reply counted, the thread read), focus on the thread just left.
    page.go_back()
    expect(cara.list_view).to_be_visible()
    expect(cara.thread_view).to_be_hidden()
    expect(page).to_have_url(list_url)
    item = cara.item("Slides of session 1")
    expect(item).to_contain_text("1 reply")
    expect(item).not_to_have_class(re.compile(r"\bis-unread\b"))
    expect(item.locator(".sls-thread-item__open")).to_be_focused()

    # Forward: the thread again.
    page.go_forward()
    expect(cara.thread_view).to_be_visible()
    expect(cara.thread_title).to_have_text("Slides of session 1")
    expect(cara.replies).to_have_count(1)
    expect(page).to_have_url(address)

    # "Back to all threads" is the browser's Back here: one entry, not two.
    cara.back()
    expect(page).to_have_url(list_url)
    expect(cara.item("Slides of session 1").locator(".sls-thread-item__open")).to_be_focused()

    # The link, shared: a peer in the cohort reads the thread; someone of another cohort gets the message.
    ann = forum.open("ann")
    ann.page.goto(address)
    expect(ann.thread_title).to_have_text("Slides of session 1")
    expect(ann.replies).to_have_count(1)
    assert serious_violations(ann.page) == []
    screenshot(ann.page, "forum-thread-address-1280")
    # Opened from a link, "Back to all threads" shows the list without leaving the page.
    ann.back()
    expect(ann.item("Slides of session 1")).to_contain_text("1 reply")
    expect(ann.page).to_have_url(list_url)

    bob = forum.open("bob")
    bob.page.goto(address)
    expect(bob.root.locator('[data-sls="alert"]')).to_have_text(
        "This thread does not exist, or it is not in your group's space.")
    expect(bob.list_view).to_be_visible()
    expect(bob.thread_view).to_be_hidden()
    expect(bob.page).to_have_url(list_url)
    assert serious_violations(bob.page) == []


def test_an_address_typed_or_followed_on_the_page_opens_the_thread(forum):
    thread = forum.seed("ann", "Slides of session 1", "Where can I find them?")
    cara = forum.open("cara")
    cara.open_thread("Slides of session 1")
    address = cara.page.url
    cara.back()
    cara.page.goto(address)  # the same page, another fragment: no reload
    expect(cara.thread_title).to_have_text("Slides of session 1")
    expect(cara.thread_title).to_be_visible()
    cara.page.goto(address.split("#")[0] + f"#sls-thread-no-such-forum-{thread}")  # another forum's: not ours
    expect(cara.list_view).to_be_visible()


def test_pressed_toggles_say_how_to_undo_them_and_a_quoted_search_is_quoted_once(forum, screenshot):
    forum.seed("ann", "Notes of the first session", "Shared notes, please add yours.")
    forum.seed("ann", "Ghent meetup after week 1?", "Who is in for coffee?")

    ada = forum.open("ada")
    search = ada.root.get_by_label("Search threads")
    search.fill('"first session"')
    ada.root.get_by_role("button", name="Search", exact=True).click()
    expect(ada.root.locator(".sls-thread-item")).to_have_count(1)
    expect(ada.root.locator('[data-sls="summary"]')).to_have_text(
        "1 thread Showing threads matching “first session”.")

    ada.open_thread("Notes of the first session")
    for action, off, on in (("follow", "Follow", "Followed Unfollow"), ("pin", "Pin", "Pinned Unpin"),
                            ("highlight", "Highlight", "Highlighted Remove highlight")):
        button = ada.action(ada.thread_post, action)
        expect(button).to_have_accessible_name(off)
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(button).to_have_accessible_name(on)
        expect(button.locator(".sls-action__undo")).to_be_visible()
        expect(button).to_be_focused()
    vote = ada.action(ada.thread_post, "vote")
    vote.click()
    expect(vote).to_have_accessible_name("Remove upvote (1 vote)")
    assert serious_violations(ada.page) == []
    screenshot(ada.page, "forum-pressed-toggles-1280")
    ada.action(ada.thread_post, "follow").click()  # undone
    expect(ada.action(ada.thread_post, "follow")).to_have_accessible_name("Follow")
    expect(ada.action(ada.thread_post, "follow")).to_have_attribute("aria-pressed", "false")

    phone = forum.open("ada", width=PHONE)
    phone.open_thread("Notes of the first session")
    expect(phone.action(phone.thread_post, "pin")).to_have_accessible_name("Pinned Unpin")
    assert phone.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone.page, "forum-pressed-toggles-360")
