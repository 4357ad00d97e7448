"""The reflection blog in headless Chromium, through the sandbox's course unit on a live server.

People come from the ``course`` fixture: Ann, Cara and Ada (community advocate) in Cohort A, Bob in Cohort B,
Sam on the course staff (who coaches everyone while no coach is assigned). Each test signs people in by
session cookie and uses the blog as they would: typing, clicking and the keyboard. Every view is checked with
axe at 1280 and 360 pixels wide, and saved as a screenshot to look at.
"""
import pytest
from playwright.sync_api import expect

from tests.xblocks.reflection_blog.browser.blog import NO_XSS, WIDTHS, check, serious_violations, tab_to
from xblocks.reflection_blog.models import Entry, EntryVersion

pytestmark = pytest.mark.browser



# ----- writing and who reads it ------------------------------------------------------------------------
@pytest.mark.parametrize("width", WIDTHS)
def test_an_entry_says_who_can_read_it_and_reaches_exactly_those(blog, screenshot, width):
    ann = blog.open("ann", width=width)
    check(ann, screenshot, "feed-empty", width)
    ann.write("A note for myself", "Private thoughts about **the meeting**.", level="Only me", tags=["module 1"],
              own_tags="meetings, Feedback")
    check(ann, screenshot, "form", width)
    ann.form.get_by_role("button", name="Publish").click()
    expect(ann.status).to_have_text("Entry published.")
    expect(ann.entry.locator('[data-sls="audience"]')).to_have_text("Who can read it: Only you can read this entry.")
    expect(ann.entry.locator(".sls-blog__body strong")).to_have_text("the meeting")
    expect(ann.entry.locator(".sls-tag")).to_have_text(["Feedback", "meetings", "module 1"])
    check(ann, screenshot, "entry-own", width)
    ann.back()
    ann.publish("For my coach", "I struggled with the **second exercise**.", level="Me and my coach")
    ann.back()
    ann.publish("For the group", "Who else tried the role play?", level="My group")

    cara = blog.open("cara", width=width)
    expect(cara.items).to_have_count(1)
    expect(cara.item("For the group")).to_contain_text("Ann Peeters's group (Cohort A), their coach and course "
                                                       "staff can read this entry.")
    bob = blog.open("bob", width=width)
    expect(bob.items).to_have_count(0)
    expect(bob.root.locator('[data-sls="feed-summary"]')).to_have_text("No entries here yet.")

    sam = blog.open("sam", width=width)
    expect(sam.items).to_have_count(2)  # coach-only and group: never the private one
    expect(sam.item("For my coach")).to_contain_text("Only Ann Peeters and their coach can read this entry.")
    expect(sam.root).not_to_contain_text("A note for myself")
    check(sam, screenshot, "feed-staff", width)


def test_the_author_changes_who_reads_an_entry_and_it_applies_at_once(blog):
    blog.seed("ann", "Shared widely", "Everyone may read this.", visibility="course")
    bob = blog.open("bob")
    expect(bob.item("Shared widely")).to_be_visible()
    ann = blog.open("ann")
    ann.open_entry("Shared widely")
    ann.entry.get_by_label("Share with").select_option(label="Only me")
    ann.entry.get_by_role("button", name="Change").click()
    expect(ann.entry.locator('[data-sls="audience"]')).to_have_text("Who can read it: Only you can read this entry.")
    bob.page.reload()
    expect(bob.root).to_have_attribute("data-sls-ready", "1")
    expect(bob.items).to_have_count(0)
    bob.root.get_by_label("Search the entries you can read").fill("widely")
    bob.root.get_by_role("button", name="Search").click()
    expect(bob.root.locator('[data-sls="feed-summary"]')).to_contain_text("No entries match your search.")


# ----- drafts --------------------------------------------------------------------------------------------
def test_a_draft_survives_a_reload(blog):
    ann = blog.open("ann")
    ann.write("Half an idea", "I noticed that asking open questions", level="My group", tags=["at work"])
    expect(ann.draft_note).to_have_text("Draft saved.")
    ann.page.reload()
    expect(ann.root).to_have_attribute("data-sls-ready", "1")
    # The form opens again by itself, with everything that was typed and chosen.
    expect(ann.compose).to_be_visible()
    expect(ann.form.get_by_label("Title")).to_have_value("Half an idea")
    expect(ann.form.get_by_label("Your reflection")).to_have_value("I noticed that asking open questions")
    expect(ann.form.get_by_label("at work", exact=True)).to_be_checked()
    expect(ann.form.get_by_label("My group", exact=True)).to_be_checked()
    expect(ann.draft_note).to_have_text("Draft restored.")
    ann.form.get_by_label("Your reflection").press_sequentially(" works.")
    ann.form.get_by_role("button", name="Publish").click()
    expect(ann.status).to_have_text("Entry published.")
    assert Entry.objects.get().body == "I noticed that asking open questions works."
    ann.page.reload()
    expect(ann.root).to_have_attribute("data-sls-ready", "1")
    expect(ann.compose).to_be_hidden()  # nothing left to finish


def write_offline(view, title, body):
    """Start an entry, lose the connection, go on typing: the draft stays on the device."""
    view.root.get_by_role("button", name="Write an entry").click()
    view.page.context.set_offline(True)
    view.form.get_by_label("Title").fill(title)
    view.form.get_by_label("Your reflection").fill(body)
    expect(view.draft_note).to_have_text("Draft kept on this device; it will be sent when the connection is back.")


def test_a_draft_written_offline_is_kept_and_sent_when_the_connection_is_back(blog):
    ann = blog.open("ann")
    write_offline(ann, "On the train", "No network here, but the thought is worth keeping.")
    # The page is closed before the connection comes back; the next one finds the text on the device.
    ann.page.close()
    ann.page.context.set_offline(False)
    again = blog.open("ann", page=ann.page.context.new_page())
    expect(again.compose).to_be_visible()
    expect(again.form.get_by_label("Your reflection")).to_have_value(
        "No network here, but the thought is worth keeping.")
    expect(again.draft_note).to_have_text("Draft saved.")  # sent to the server as soon as it was put back
    # A browser elsewhere (another device) now gets it from the server.
    elsewhere = blog.open("ann")
    expect(elsewhere.form.get_by_label("Title")).to_have_value("On the train")


def test_an_offline_draft_is_sent_when_the_browser_is_online_again(blog):
    ann = blog.open("ann")
    write_offline(ann, "Lost connection", "Typed while offline.")
    ann.page.context.set_offline(False)
    expect(ann.draft_note).to_have_text("Draft saved.")
    elsewhere = blog.open("ann")
    expect(elsewhere.form.get_by_label("Your reflection")).to_have_value("Typed while offline.")


# ----- editing ------------------------------------------------------------------------------------------
def test_a_stale_edit_from_another_tab_is_refused_and_nothing_is_lost(blog, screenshot):
    blog.seed("ann", "Week one", "First version.", visibility="group")
    first = blog.open("ann")
    second = blog.open("ann", page=first.page.context.new_page())  # another tab of the same browser
    for tab in (first, second):
        tab.open_entry("Week one")
        tab.entry_view.get_by_role("button", name="Edit").click()
        expect(tab.form.get_by_label("Your reflection")).to_have_value("First version.")
    first.form.get_by_label("Your reflection").fill("Changed in the first tab.")
    first.form.get_by_role("button", name="Save changes").click()
    expect(first.status).to_have_text("Changes saved.")
    expect(first.entry.locator(".sls-blog__body")).to_have_text("Changed in the first tab.")

    second.form.get_by_label("Your reflection").fill("Changed in the second tab.")
    second.form.get_by_role("button", name="Save changes").click()
    expect(second.form.locator('[data-sls="form-error"]')).to_contain_text(
        "This entry was changed in another window or tab since you opened it, so your changes were not saved.")
    expect(second.form.get_by_label("Your reflection")).to_have_value("Changed in the second tab.")
    newer = second.form.locator('[data-sls="newer-version"]')
    expect(newer.locator("summary")).to_have_text("The newer version")
    expect(newer).to_contain_text("Changed in the first tab.")  # shown open
    screenshot(second.page, "blog-stale-edit-1280")
    assert serious_violations(second.page) == []
    assert Entry.objects.get().body == "Changed in the first tab."
    # Having seen the newer version, the author saves theirs on top of it: both are kept.
    second.form.get_by_role("button", name="Save changes").click()
    expect(second.status).to_have_text("Changes saved.")
    assert Entry.objects.get().body == "Changed in the second tab."
    assert list(EntryVersion.objects.order_by("version").values_list("body", flat=True)) == [
        "First version.", "Changed in the first tab."]
    second.entry.get_by_role("button", name="2 earlier versions").click()
    expect(second.entry.locator(".sls-blog__version")).to_have_count(2)


def test_a_stale_edit_is_still_refused_after_a_reload(blog):
    """The draft of an edit keeps the version it started from: reloading the page does not make it current."""
    entry = blog.seed("ann", "Week two", "Original.", visibility="group")
    ann = blog.open("ann")
    ann.open_entry("Week two")
    ann.entry_view.get_by_role("button", name="Edit").click()
    ann.form.get_by_label("Your reflection").fill("My slow edit.")
    expect(ann.draft_note).to_have_text("Draft saved.")
    from xblocks.reflection_blog import api  # pylint: disable=import-outside-toplevel

    api.edit_entry(blog.context("ann"), {"id": entry["id"], "version": 1, "body": "Quick edit elsewhere."},
                   blog.settings())
    ann.page.reload()
    expect(ann.entry.locator(".sls-blog__body")).to_have_text("Quick edit elsewhere.")
    ann.entry_view.get_by_role("button", name="Edit").click()
    expect(ann.form.get_by_label("Your reflection")).to_have_value("My slow edit.")
    expect(ann.form.locator('[data-sls="newer-version"]')).to_contain_text("changed in another window or tab")


# ----- reading ------------------------------------------------------------------------------------------
def test_filters_search_and_pages(blog, settings):
    settings.SOCIAL_LEARNING = {**settings.SOCIAL_LEARNING, "reflection_blog": {"PAGE_SIZE": 3,
                                                                                "POSTS_PER_WINDOW": 100}}
    for i in range(4):
        blog.seed("cara", f"Cara's entry {i}", f"About listening, part {i}.", tags=["at work"] if i % 2 else [])
    blog.seed("ann", "Ann on negotiation", "Negotiation is listening too.", tags=["question"])
    cara = blog.open("cara")
    expect(cara.items).to_have_count(3)
    cara.root.get_by_role("button", name="Older entries").click()
    expect(cara.items).to_have_count(5)
    expect(cara.page.locator(":focus")).to_have_text("Cara's entry 1")  # the first of the new page
    expect(cara.root.get_by_role("button", name="Older entries")).to_be_hidden()
    cara.root.get_by_label("Person").select_option(label="Ann Peeters")
    expect(cara.items).to_have_count(1)
    cara.root.get_by_label("Person").select_option(label="Everyone")
    cara.item("Cara's entry 3").get_by_role("button", name="Filtered by tag: at work").click()
    expect(cara.items).to_have_count(2)
    expect(cara.root.get_by_label("Tag", exact=True)).to_have_value("at work")
    cara.root.get_by_label("Tag", exact=True).select_option("")
    cara.root.get_by_label("Search the entries you can read").fill("negotiations")
    cara.root.get_by_role("button", name="Search").click()
    expect(cara.items).to_have_count(1)
    expect(cara.root.locator('[data-sls="feed-summary"]')).to_have_text('Showing entries matching “negotiations”.')


# ----- comments, kudos, coaches ---------------------------------------------------------------------------
@pytest.mark.parametrize("width", WIDTHS)
def test_a_coach_comments_and_the_author_hides_a_peers_comment(blog, screenshot, width):
    blog.seed("ann", "Shared with my group", "What do you think?", visibility="group")
    cara = blog.open("cara", width=width)
    cara.open_entry("Shared with my group")
    cara.entry.get_by_label("Add a comment").fill("Not <b>kind</b> of me, but: meh.<script>window.__xss=1</script>")
    cara.entry.get_by_role("button", name="Comment").click()
    expect(cara.status).to_have_text("Comment posted.")
    cara.entry.get_by_role("button", name="Give kudos").click()
    expect(cara.entry.locator(".sls-blog__kudos")).to_have_attribute("aria-pressed", "true")
    assert cara.page.evaluate(NO_XSS)
    sam = blog.open("sam", width=width)
    sam.open_entry("Shared with my group")
    sam.entry.get_by_label("Add a comment").fill("Good question. Try asking **one** person first.")
    sam.entry.get_by_role("button", name="Comment").click()
    expect(sam.entry.locator(".sls-blog__comment.is-coach")).to_contain_text("Coach comment")

    ann = blog.open("ann", width=width)
    expect(ann.item("Shared with my group")).to_contain_text("2 comments · 1 kudos")
    ann.open_entry("Shared with my group")
    comments = ann.entry.locator(".sls-blog__comment")
    expect(comments).to_have_count(2)
    expect(comments.nth(1)).to_contain_text("Sam Staff")
    expect(comments.nth(1)).to_contain_text("Coach comment")
    check(ann, screenshot, "entry-comments", width)
    comments.nth(0).get_by_role("button", name="Hide").click()
    expect(ann.status).to_have_text("Comment hidden. Its author and staff can still see it.")
    expect(ann.entry.locator(".sls-blog__comment.is-hidden")).to_contain_text("Hidden by the author of the entry")
    ada = blog.open("ada", width=width)
    ada.open_entry("Shared with my group")
    expect(ada.entry.locator(".sls-blog__comment")).to_have_count(1)
    expect(ada.entry).not_to_contain_text("meh")


# ----- moderation ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("width", WIDTHS)
def test_a_flag_reaches_staff_who_hide_the_entry_with_a_reason(blog, screenshot, width):
    blog.seed("ann", "A heated entry", "Everyone in my team is useless.", visibility="course")
    cara = blog.open("cara", width=width)
    cara.open_entry("A heated entry")
    cara.entry.get_by_role("button", name="Flag").click()
    cara.entry.get_by_label("Why are you flagging this? (optional)").fill("Not kind to colleagues")
    cara.entry.locator(".sls-inline-form").get_by_role("button", name="Flag").click()
    expect(cara.status).to_have_text("Thank you. Staff will review it.")
    expect(cara.entry.get_by_role("button", name="Withdraw flag")).to_be_focused()

    sam = blog.open("sam", width=width)
    sam.root.get_by_role("button", name="Review flags").click()
    queue = sam.root.locator('[data-sls="queue"]')
    expect(queue).to_contain_text("Not kind to colleagues")
    check(sam, screenshot, "flag-queue", width)
    queue.get_by_role("button", name="Hide").click()
    expect(queue.get_by_label("Reason shown to its author (optional)")).to_have_value("Not kind to colleagues")
    queue.get_by_label("Reason shown to its author (optional)").fill("Please speak about situations, not people.")
    queue.locator(".sls-inline-form").get_by_role("button", name="Hide").click()
    expect(sam.status).to_have_text("Hidden from learners.")
    expect(queue).to_contain_text("Nothing to review: no open flags.")

    bob = blog.open("bob", width=width)
    expect(bob.items).to_have_count(0)
    ann = blog.open("ann", width=width)
    ann.open_entry("A heated entry")
    expect(ann.entry).to_contain_text("Hidden by staff: Please speak about situations, not people.")


# ----- keyboard -------------------------------------------------------------------------------------------
def test_the_blog_works_from_the_keyboard(blog):
    blog.seed("cara", "Cara's week", "Some reflection.", visibility="group")
    ann = blog.open("ann")
    tab_to(ann.page, "Write an entry")
    ann.page.keyboard.press("Enter")
    expect(ann.root.locator('[data-sls="compose-title"]')).to_be_focused()
    tab_to(ann.page, "Title")
    ann.page.keyboard.type("Typed with the keyboard")
    ann.page.keyboard.press("Tab")
    ann.page.keyboard.type("Only keys were used.")
    ann.page.keyboard.press("Control+Enter")
    expect(ann.status).to_have_text("Entry published.")
    expect(ann.entry.locator("h3")).to_be_focused()
    tab_to(ann.page, "Back to the entries", backwards=True)
    ann.page.keyboard.press("Enter")
    expect(ann.feed).to_be_visible()
    tab_to(ann.page, "Cara's week")
    ann.page.keyboard.press("Enter")
    expect(ann.entry.locator("h3")).to_be_focused()
    expect(ann.entry.locator("h3")).to_have_text("Cara's week")
    tab_to(ann.page, "Give kudos")
    ann.page.keyboard.press("Enter")
    expect(ann.entry.locator(".sls-blog__kudos")).to_have_attribute("aria-pressed", "true")
    # Back and forward in the browser follow the entries opened.
    ann.page.go_back()
    expect(ann.feed).to_be_visible()
    ann.page.go_forward()
    expect(ann.entry.locator("h3")).to_have_text("Cara's week")
