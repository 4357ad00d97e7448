"""The cohort forum in headless Chromium, through the sandbox's course unit on a live server.

People come from the ``course`` fixture: Ann, Cara and Ada (community advocate) in Cohort A, Bob
in Cohort B, Sam on the course staff. Each test signs people in by session cookie and drives the
forum as they would: typing, clicking and the keyboard. One browser serves every test here.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.xblocks.cohort_forum.browser.forum import NO_XSS, PHONE, ForumSandbox, no_horizontal_scroll, serious_violations, tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def forum(transactional_db, course, settings, page_for):
    """The sandbox's course unit showing the forum to the ``course`` fixture's people."""
    return ForumSandbox(course, settings, page_for)


# ----- cohorts: who sees what, and a post reaching a peer -----------------------------------------------
def test_each_cohort_sees_only_its_own_threads_and_staff_sees_both(forum):
    forum.seed("ann", "Ghent meetup after week 1?", "Who is in for coffee?")
    forum.seed("bob", "Brussels: slides of session 1", "Where can I find them?")

    cara = forum.open("cara")
    expect(cara.item("Ghent meetup after week 1?")).to_be_visible()
    expect(cara.root.locator(".sls-forum__space")).to_contain_text("Cohort A")
    expect(cara.root.locator(".sls-thread-item")).to_have_count(1)
    expect(cara.root).not_to_contain_text("Brussels: slides of session 1")

    bob = forum.open("bob")
    expect(bob.item("Brussels: slides of session 1")).to_be_visible()
    expect(bob.root.locator(".sls-thread-item")).to_have_count(1)
    expect(bob.root).not_to_contain_text("Ghent meetup")

    sam = forum.open("sam")
    switcher = sam.root.get_by_label("Group", exact=True)
    expect(switcher).to_have_value("all")
    expect(sam.item("Ghent meetup after week 1?")).to_contain_text("in Cohort A")
    expect(sam.item("Brussels: slides of session 1")).to_contain_text("in Cohort B")
    expect(sam.root.locator('[data-sls="summary"]')).to_have_text("2 threads")

    switcher.select_option(label="Cohort B")
    expect(sam.root.locator(".sls-thread-item")).to_have_count(1)
    expect(sam.item("Brussels: slides of session 1")).to_be_visible()
    switcher.select_option(label="Cohort A")
    expect(sam.root.locator(".sls-thread-item")).to_have_count(1)
    expect(sam.item("Ghent meetup after week 1?")).to_be_visible()


def test_a_post_reaches_a_peer_with_an_unread_marker_and_the_reply_comes_back(forum):
    ann = forum.open("ann")
    ann.root.get_by_role("button", name="New thread").click()
    ann.root.get_by_label("Title").fill("Reading list for week 2")
    ann.root.get_by_label("Your post").fill("I started with **chapter 3**. Anyone else?")
    ann.root.get_by_role("button", name="Post thread").click()
    expect(ann.status).to_have_text("Thread posted.")
    expect(ann.thread_title).to_have_text("Reading list for week 2")
    expect(ann.thread_post.locator("strong")).to_have_text("chapter 3")  # Markdown rendered
    ann.reply("Chapter 4 has the exercises, by the way.")
    expect(ann.replies).to_have_count(1)
    expect(ann.replies.first).to_contain_text("Chapter 4 has the exercises")

    cara = forum.open("cara")
    item = cara.item("Reading list for week 2")
    expect(item).to_have_class(re.compile(r"\bis-unread\b"))
    expect(item.locator(".sls-unread-dot")).to_be_visible()
    expect(item.get_by_role("button")).to_have_accessible_name(re.compile(r"^Unread: Reading list for week 2"))
    expect(item).to_contain_text("Started by Ann Peeters")
    expect(item).to_contain_text("1 reply")
    cara.open_thread("Reading list for week 2")
    expect(cara.replies.first).to_contain_text("Chapter 4 has the exercises")
    expect(cara.replies.first.locator(".sls-badge--new")).to_have_count(0)  # a first visit: the whole thread is new
    cara.reply("I will read it tonight, thanks Ann!")
    expect(cara.replies).to_have_count(2)
    cara.back()
    expect(cara.item("Reading list for week 2").locator(".sls-unread-dot")).to_have_count(0)

    expect(forum.open("bob").root).not_to_contain_text("Reading list for week 2")

    ann.reload_list()
    expect(ann.item("Reading list for week 2")).to_have_class(re.compile(r"\bis-unread\b"))
    expect(ann.item("Reading list for week 2")).to_contain_text("2 replies")
    ann.open_thread("Reading list for week 2")
    reply = ann.replies.filter(has_text="I will read it tonight")
    expect(reply).to_contain_text("Cara Maes")
    expect(reply.locator(".sls-badge--new")).to_be_visible()


# ----- what a person notices on a thread -----------------------------------------------------------
def test_vote_follow_and_flag(forum):
    thread = forum.seed("ann", "Best note-taking app?", "Looking for tips.")
    forum.seed_reply("ann", thread, "I use paper, honestly.")
    cara = forum.open("cara")
    cara.open_thread("Best note-taking app?")

    vote = cara.action(cara.thread_post, "vote")
    expect(vote).to_have_attribute("aria-pressed", "false")
    expect(vote).to_have_accessible_name("Upvote (0 votes)")
    vote.click()
    expect(vote).to_have_attribute("aria-pressed", "true")
    expect(vote).to_have_accessible_name("Remove upvote (1 vote)")  # pressed, it says how to undo it
    expect(vote.locator(".sls-action__undo")).to_have_text("Remove upvote")
    expect(vote.locator(".sls-vote__count")).to_have_text("1")
    expect(vote).to_be_focused()  # focus stays on the button after it is redrawn
    vote.click()
    expect(vote).to_have_attribute("aria-pressed", "false")
    expect(vote.locator(".sls-vote__count")).to_have_text("0")
    cara.action(cara.replies.first, "vote").click()
    expect(cara.action(cara.replies.first, "vote")).to_have_attribute("aria-pressed", "true")

    follow = cara.action(cara.thread_post, "follow")
    expect(follow).to_have_attribute("aria-pressed", "false")
    expect(follow).to_have_accessible_name("Follow")
    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "true")
    expect(follow).to_have_accessible_name("Followed Unfollow")
    expect(follow.locator(".sls-action__undo")).to_be_visible()

    cara.action(cara.replies.first, "flag").click()
    cara.replies.first.get_by_label("Why are you flagging this? (optional)").fill("Off topic.")
    cara.replies.first.get_by_role("button", name="Flag for staff").click()
    expect(cara.status).to_have_text("Thank you. Staff will review it.")
    expect(cara.replies.first).to_contain_text("You flagged this.")
    expect(cara.action(cara.replies.first, "unflag")).to_be_focused()

    cara.reload_list()  # everything was saved, not only drawn
    cara.root.locator('[data-sls="filter"]').select_option("following")
    expect(cara.root.locator(".sls-thread-item")).to_have_count(1)
    cara.open_thread("Best note-taking app?")
    expect(cara.action(cara.thread_post, "follow")).to_have_attribute("aria-pressed", "true")
    expect(cara.action(cara.replies.first, "vote")).to_have_attribute("aria-pressed", "true")
    expect(cara.action(cara.replies.first, "vote")).to_have_accessible_name("Remove upvote (1 vote)")
    expect(cara.action(cara.replies.first, "unflag")).to_be_visible()

    sam = forum.open("sam")
    sam.open_thread("Best note-taking app?")
    expect(sam.replies.first.locator(".sls-badge--flagged")).to_have_text("Flagged 1 time")


def test_an_advocate_endorses_an_answer_and_the_question_shows_answered(forum):
    question = forum.seed("ann", "How do I submit the assignment?", "The button is grey.", kind="question")
    forum.seed_reply("cara", question, "Save a draft first, then the button turns blue.")

    ann = forum.open("ann")
    expect(ann.item("How do I submit the assignment?").locator(".sls-badges")).to_have_text("Question")
    ann.open_thread("How do I submit the assignment?")
    expect(ann.action(ann.replies.first, "endorse")).to_have_count(0)  # learners cannot endorse

    ada = forum.open("ada")
    ada.open_thread("How do I submit the assignment?")
    endorse = ada.action(ada.replies.first, "endorse")
    expect(endorse).to_have_text("Mark as answer")
    expect(endorse).to_have_attribute("aria-pressed", "false")
    endorse.click()
    expect(ada.action(ada.replies.first, "endorse")).to_have_attribute("aria-pressed", "true")
    expect(ada.action(ada.replies.first, "endorse")).to_have_accessible_name("Marked as answer Unmark")
    expect(ada.replies.first.locator(".sls-badge--answered")).to_have_text("Answer, endorsed by Ada Advocate")
    expect(ada.thread_post.locator(".sls-badges")).to_have_text("Answered")

    ann.reload_list()
    expect(ann.item("How do I submit the assignment?").locator(".sls-badges")).to_have_text("Answered")
    ann.open_thread("How do I submit the assignment?")
    expect(ann.replies.first).to_have_class(re.compile(r"\bis-endorsed\b"))
    expect(ann.replies.first).to_contain_text("Answer, endorsed by Ada Advocate")


def test_staff_hide_a_post_learners_no_longer_see_it_and_staff_restore_it(forum):
    thread = forum.seed("ann", "Homework answers (spoilers)", "Here are all the answers.")
    forum.seed_reply("ann", thread, "And the bonus question too.")

    sam = forum.open("sam")
    sam.open_thread("Homework answers (spoilers)")
    sam.action(sam.replies.first, "hide").click()  # hiding asks why (optional); the reply gives no reason
    expect(sam.replies.first.get_by_label("Why is it hidden? (optional, shown to the author)")).to_be_focused()
    sam.replies.first.get_by_role("button", name="Hide from learners").click()
    expect(sam.status).to_have_text("Hidden from learners.")
    expect(sam.replies.first.locator(".sls-badge--hidden")).to_have_text("Hidden from learners")
    sam.action(sam.thread_post, "hide").click()
    sam.thread_post.get_by_label("Why is it hidden? (optional, shown to the author)").fill("Answers spoil the quiz.")
    sam.thread_post.get_by_role("button", name="Hide from learners").click()
    expect(sam.thread_post.locator(".sls-badges")).to_contain_text("Hidden from learners")
    expect(sam.thread_post).to_contain_text("Hidden by staff: Answers spoil the quiz.")
    expect(sam.action(sam.thread_post, "hide")).to_have_text("Restore")

    cara = forum.open("cara")
    expect(cara.root.locator('[data-sls="summary"]')).to_have_text("No threads yet. Start the first conversation!")
    expect(cara.root).not_to_contain_text("Homework answers")
    ann = forum.open("ann")  # the author still sees it, and is told why others do not
    ann.open_thread("Homework answers (spoilers)")
    expect(ann.thread_post).to_contain_text("Only you and staff can see this: it was hidden by staff.")
    expect(ann.thread_post).to_contain_text("Hidden by staff: Answers spoil the quiz.")

    sam.action(sam.thread_post, "hide").click()
    expect(sam.status).to_have_text("Restored: learners can see it again.")
    expect(sam.action(sam.thread_post, "hide")).to_have_text("Hide")
    cara.reload_list()
    cara.open_thread("Homework answers (spoilers)")
    expect(cara.replies).to_have_count(0)  # the reply is still hidden
    expect(cara.thread_post).to_contain_text("Here are all the answers.")

    sam.action(sam.replies.first, "hide").click()
    expect(sam.replies.first.locator(".sls-badge--hidden")).to_have_count(0)
    cara.reload_list()
    cara.open_thread("Homework answers (spoilers)")
    expect(cara.replies).to_have_count(1)
    expect(cara.replies.first).to_contain_text("And the bonus question too.")


def test_edit_own_post(forum):
    thread = forum.seed("ann", "Meetng on Fridy", "Lets meet on Fridy.")
    forum.seed_reply("cara", thread, "Fine by me.")

    cara = forum.open("cara")
    cara.open_thread("Meetng on Fridy")
    expect(cara.action(cara.thread_post, "edit")).to_have_count(0)  # not her post
    expect(cara.action(cara.replies.first, "edit")).to_be_visible()

    ann = forum.open("ann")
    ann.open_thread("Meetng on Fridy")
    expect(ann.action(ann.thread_post, "delete")).to_have_count(0)  # somebody replied already
    ann.action(ann.thread_post, "edit").click()
    title = ann.thread_post.get_by_label("Title")
    expect(title).to_be_focused()
    expect(title).to_have_value("Meetng on Fridy")
    title.fill("Meeting on Friday")
    ann.thread_post.get_by_label("Text").fill("Let's meet on *Friday* at 10.")
    ann.thread_post.get_by_role("button", name="Save changes").click()
    expect(ann.status).to_have_text("Changes saved.")
    expect(ann.thread_title).to_have_text("Meeting on Friday")
    expect(ann.thread_post.locator(".sls-post__body em")).to_have_text("Friday")
    expect(ann.thread_post.locator(".sls-edited")).to_have_text("edited")

    cara.reload_list()
    expect(cara.item("Meeting on Friday")).to_be_visible()
    cara.open_thread("Meeting on Friday")
    expect(cara.thread_post).to_contain_text("Let's meet on Friday at 10.")


@pytest.mark.parametrize("target", ["thread", "reply"])
def test_an_edit_saved_from_an_older_tab_is_refused_and_keeps_the_text(forum, target):
    """Ann opens the same thread in two tabs, saves an edit in the first, then in the second."""
    from xblocks.cohort_forum.models import Post, Thread

    thread = forum.seed("ann", "Our plan", "First plan.")
    forum.seed_reply("ann", thread, "First answer.")
    tabs = [forum.open("ann"), forum.open("ann")]
    for tab in tabs:
        tab.open_thread("Our plan")

    def edit(tab, text):
        article = tab.thread_post if target == "thread" else tab.replies.first
        tab.action(article, "edit").click()
        article.get_by_label("Text").fill(text)
        article.get_by_role("button", name="Save changes").click()
        return article

    one, two = tabs
    edit(one, "Plan from the first tab.")
    expect(one.status).to_have_text("Changes saved.")
    article = edit(two, "Plan from the second tab.")
    expect(article).to_contain_text("changed in another window")
    expect(article.get_by_label("Text")).to_have_value("Plan from the second tab.")  # nothing lost
    saved = Thread.objects.get(pk=thread).body if target == "thread" else Post.objects.get(thread_id=thread).body
    assert saved == "Plan from the first tab."
    # Reloaded, the second tab shows the first tab's text and can edit it.
    two.reload_list()
    two.open_thread("Our plan")
    edit(two, "Plan from the second tab, after reading the first.")
    expect(two.status).to_have_text("Changes saved.")


def test_a_failed_post_shows_why_and_keeps_the_text(forum, settings):
    ann = forum.open("ann")
    ann.root.get_by_role("button", name="New thread").click()
    title = ann.root.get_by_label("Title")
    title.fill("A" * 201)
    expect(ann.root.locator(f"#{title.get_attribute('id')}-count")).to_have_text("1 character too many")
    ann.root.get_by_label("Your post").fill("Body that must survive.")
    ann.root.get_by_role("button", name="Post thread").click()
    error = ann.compose.locator('[data-sls="form-error"]')
    expect(error).to_have_attribute("aria-live", "assertive")
    # Said once: the field carries the message (read with it on focus), the summary points to it.
    expect(error).to_have_text("Please correct the marked field.")
    expect(ann.compose.locator('[data-sls-error="title"]')).to_have_text(
        "The title is too long: 201 characters, at most 200.")
    expect(ann.compose.get_by_text("The title is too long")).to_have_count(1)
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_be_focused()
    expect(title).to_have_value("A" * 201)
    expect(ann.root.get_by_label("Your post")).to_have_value("Body that must survive.")

    # The server's posting rate limit, set low for the live server too.
    settings.SOCIAL_LEARNING = {**settings.SOCIAL_LEARNING, "POSTS_PER_WINDOW": 1, "POST_WINDOW_SECONDS": 86400}
    title.fill("Short enough")
    ann.root.get_by_role("button", name="Post thread").click()
    expect(ann.thread_title).to_have_text("Short enough")
    box = ann.reply_box.get_by_label("Write a reply")
    box.fill("A second post, too soon.")
    ann.reply_box.get_by_role("button", name="Post reply").click()
    error = ann.reply_box.locator('[data-sls="form-error"]')
    expect(error).to_contain_text("You are posting very quickly. Please wait")
    expect(error).to_have_attribute("aria-live", "assertive")
    expect(box).to_have_value("A second post, too soon.")
    expect(ann.replies).to_have_count(0)


def test_a_request_the_server_refuses_whole_is_shown_in_the_page_and_keeps_the_text(forum, settings):
    """Failures answered before the forum reads the request (too large: 413; a lost CSRF cookie: 403) show
    the server's message in the form, and the text stays."""
    ann = forum.open("ann")
    ann.root.get_by_role("button", name="New thread").click()
    ann.root.get_by_label("Title").fill("Our long story")
    ann.root.get_by_label("Your post").fill("Once upon a time " * 20)
    settings.SOCIAL_LEARNING = {**settings.SOCIAL_LEARNING, "REQUEST_MAX_BYTES": 200}  # the live server's too
    ann.root.get_by_role("button", name="Post thread").click()
    error = ann.compose.locator('[data-sls="form-error"]')
    expect(error).to_contain_text("This request is too large to be read. Shorten your text and try again.")
    expect(ann.root.get_by_label("Your post")).to_have_value("Once upon a time " * 20)

    settings.SOCIAL_LEARNING = {**settings.SOCIAL_LEARNING, "REQUEST_MAX_BYTES": 256 * 1024}
    ann.page.context.clear_cookies(name="csrftoken")
    ann.root.get_by_role("button", name="Post thread").click()
    expect(error).to_contain_text("The page's security check failed")
    expect(ann.root.get_by_label("Title")).to_have_value("Our long story")


def test_drafts_survive_a_page_reload(forum):
    forum.seed("cara", "Icebreaker ideas", "Share yours.")
    ann = forum.open("ann")
    ann.root.get_by_role("button", name="New thread").click()
    ann.root.get_by_label("Question").check()
    ann.root.get_by_label("Title").fill("Half-written question")
    ann.root.get_by_label("Your post").fill("I was wondering whether")
    expect(ann.compose.locator('[data-sls="draft-note"]')).to_have_text("Draft saved.")
    ann.open_thread("Icebreaker ideas")
    ann.reply_box.get_by_label("Write a reply").fill("Two truths and a lie")
    expect(ann.reply_box.locator('[data-sls="draft-note"]')).to_have_text("Draft saved.")

    ann.reload_list()
    expect(ann.compose).to_be_visible()
    expect(ann.root.get_by_role("button", name="New thread")).to_have_attribute("aria-expanded", "true")
    expect(ann.root.get_by_label("Title")).to_have_value("Half-written question")
    expect(ann.root.get_by_label("Your post")).to_have_value("I was wondering whether")
    expect(ann.root.get_by_label("Question")).to_be_checked()
    expect(ann.compose.locator('[data-sls="draft-note"]')).to_have_text("Draft restored.")
    ann.open_thread("Icebreaker ideas")
    expect(ann.reply_box.get_by_label("Write a reply")).to_have_value("Two truths and a lie")
    expect(ann.reply_box.locator('[data-sls="draft-note"]')).to_have_text("Draft restored.")


def test_script_in_learner_text_never_runs_and_is_shown_as_text(forum):
    title = "<script>window.__xss=1</script> Welcome"
    image = "<img src=x onerror=window.__xss=1>"
    script = "<script>window.__xss=1</script>"
    ann = forum.open("ann")
    ann.root.get_by_role("button", name="New thread").click()
    ann.root.get_by_label("Title").fill(title)
    ann.root.get_by_label("Your post").fill(f"{image}\n\n{script}")
    ann.root.get_by_role("button", name="Post thread").click()
    expect(ann.thread_title).to_have_text(title)
    reply = '<img src=x onerror="window.__xss=1"> [click](javascript:window.__xss=1)'
    ann.reply(reply)
    assert ann.page.evaluate(NO_XSS), "script in learner text ran"

    cara = forum.open("cara")
    # The list's plain-text excerpt shows the text as written, as text.
    expect(cara.item(title).locator(".sls-excerpt")).to_have_text(f"{image} · {script}")  # two paragraphs
    cara.open_thread(title)
    expect(cara.thread_title).to_have_text(title)
    expect(cara.thread_post.locator(".sls-post__body p")).to_have_text([image, script])
    expect(cara.replies.first.locator(".sls-post__body")).to_have_text(reply)  # not even a link
    expect(cara.root.locator(".sls-post img, .sls-post script, .sls-post a")).to_have_count(0)
    assert cara.page.evaluate(NO_XSS), "script in learner text ran"


def test_keyboard_only_new_thread(forum):
    ann = forum.open("ann")
    page = ann.page
    tab_to(page, "New thread")
    page.keyboard.press("Enter")
    expect(ann.compose).to_be_visible()
    expect(ann.root.get_by_label("Title")).to_be_focused()
    page.keyboard.type("Typed without a mouse")
    page.keyboard.press("Enter")  # moves on to the text rather than sending
    expect(ann.root.get_by_label("Your post")).to_be_focused()
    page.keyboard.type("Tab, Enter and typing are all it takes.")
    tab_to(page, "Post thread")
    page.keyboard.press("Enter")
    expect(ann.status).to_have_text("Thread posted.")
    expect(ann.thread_title).to_have_text("Typed without a mouse")
    expect(ann.thread_title).to_be_focused()

    tab_to(page, "Write a reply")
    page.keyboard.type("And a reply, sent with Ctrl+Enter.")
    page.keyboard.press("Control+Enter")
    expect(ann.replies).to_have_count(1)
    expect(ann.replies.first).to_be_focused()
    tab_to(page, "Back to all threads", backwards=True)
    page.keyboard.press("Enter")
    expect(ann.item("Typed without a mouse").get_by_role("button")).to_be_focused()


# ----- phones, accessibility and screenshots --------------------------------------------------------
def test_phone_width_has_no_horizontal_scroll(forum):
    long_word = "Supercalifragilisticexpialidocious" * 3
    thread = forum.seed("ann", f"A title with a very long word: {long_word}",
                        f"Some `code_that_is_long_{long_word}` and a link https://example.com/{long_word}\n\n"
                        f"```\n{long_word} {long_word}\n```")
    forum.seed_reply("cara", thread, f"@ann {long_word}")
    forum.seed("bob", "Brussels: slides of session 1", "Where can I find them?")

    for username in ("ann", "sam"):
        view = forum.open(username, width=PHONE)
        no_horizontal_scroll(view.page, f"{username}: list")
        view.root.get_by_role("button", name="New thread").click()
        expect(view.compose).to_be_visible()
        no_horizontal_scroll(view.page, f"{username}: new-thread form")
        view.root.get_by_role("button", name="Close").click()
        view.open_thread("A title with a very long word")
        no_horizontal_scroll(view.page, f"{username}: thread")
        view.action(view.replies.first, "comment").click()
        no_horizontal_scroll(view.page, f"{username}: thread with a comment form")


@pytest.mark.parametrize("username", ["cara", "sam"])
def test_no_serious_accessibility_violation(forum, username):
    question = forum.seed("ann", "How do I submit the assignment?", "The button is **grey**.", kind="question")
    forum.seed_reply("cara", question, "Save a draft first, @ann.")
    forum.seed("bob", "Brussels: slides of session 1", "Where can I find them?")
    view = forum.open(username)
    found = {"list": serious_violations(view.page)}
    view.root.get_by_role("button", name="New thread").click()
    expect(view.compose).to_be_visible()
    found["new-thread form"] = serious_violations(view.page)
    view.root.get_by_role("button", name="Close").click()
    view.open_thread("How do I submit the assignment?")
    view.action(view.replies.first, "comment").click()
    found["thread"] = serious_violations(view.page)
    found = {name: violations for name, violations in found.items() if violations}
    assert not found, found


def test_screenshots_of_every_view(forum, screenshot):
    question = forum.seed("ann", "How do I submit the assignment?",
                          "The **submit** button stays grey after I upload my file. Is that a known problem?",
                          kind="question")
    forum.seed_reply("cara", question, "Save a draft first, then the button turns blue. It took me a while too!")
    forum.seed_reply("ada", question, "Cara is right. @ann, the help page has a short video about it.")
    forum.seed("cara", "Ghent meetup after week 1?", "Who is in for coffee near the station?")
    forum.seed("bob", "Brussels: slides of session 1", "Where can I find the slides of the first session?")

    # A learner each (a typed title is kept as that person's draft, and would open the form next time).
    for width, learner in ((1280, "ann"), (PHONE, "cara")):
        view = forum.open(learner, width=width)
        screenshot(view.page, f"forum-list-{width}")
        view.root.get_by_role("button", name="New thread").click()
        view.root.get_by_label("Title").fill("Is there a glossary of the course terms?")
        screenshot(view.page, f"forum-new-thread-{width}")
        view.root.get_by_role("button", name="Close").click()
        view.open_thread("How do I submit the assignment?")
        screenshot(view.page, f"forum-thread-{width}")
        sam = forum.open("sam", width=width)
        expect(sam.root.get_by_label("Group", exact=True)).to_have_value("all")
        screenshot(sam.page, f"forum-staff-all-groups-{width}")
        sam.open_thread("How do I submit the assignment?")
        screenshot(sam.page, f"forum-staff-thread-{width}")
