"""What the page's init data switches on in the forum, in headless Chromium through the sandbox:

- read-only mode (``init.read_only``, a message the server sends while staff view the course as a
  learner): the message is shown once and no write control exists, while reading, search, sort,
  filters and opening threads still work;
- a renamed CSRF cookie (``init.client.csrfCookieName``): posting still works.

The init data is the page's own, rewritten on its way to the browser (``page.route``) as the server
would send it; everything else (the people, their threads, every call) is real.
"""
import json
import re

import pytest
from playwright.sync_api import expect

from tests.xblocks.cohort_forum.browser.forum import PHONE, ForumSandbox, ForumView, serious_violations

pytestmark = pytest.mark.browser

READ_ONLY = "You are viewing this course as Ann Peeters. You can read the forum, not write in it."
INIT = re.compile(r'(<script type="application/json" class="sls-forum-data">)(\{.*?)(</script>)', re.S)
# Every element of the forum a keyboard reaches, with what a screen reader would call it.
FOCUSABLE = """(root) => Array.from(root.querySelectorAll(
    'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])'))
  .filter(node => !node.disabled && node.getClientRects().length)
  .map(node => (node.labels && node.labels.length ? node.labels[0].textContent
    : node.getAttribute('aria-label') || node.textContent || node.name || node.type).replace(/\\s+/g, ' ').trim())"""
WRITE_CONTROLS = ('[data-sls="compose-toggle"], [data-sls="compose"], [data-sls="compose-form"], form.sls-reply-form, '
                  'textarea, [data-action]:not([data-action="more"])')


@pytest.fixture
def forum(transactional_db, course, settings, page_for):
    return ForumSandbox(course, settings, page_for)


def open_with_init(forum, page_for, username, changes, width=1280):
    """``username`` on the sandbox's forum page, its init data updated with ``changes`` (one level deep
    for dicts) on the way; returns a :class:`ForumView` once the forum has started."""
    page = page_for(forum.people[username], width=width)

    def rewrite(match):
        init = json.loads(match.group(2))
        for key, value in changes.items():
            init[key] = {**init.get(key, {}), **value} if isinstance(value, dict) else value
        text = json.dumps(init).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return match.group(1) + text + match.group(3)

    def handle(route):
        response = route.fetch()
        route.fulfill(response=response, body=INIT.sub(rewrite, response.text()))

    page.route(page.base_url + "/", handle)
    page.goto(page.base_url + "/")
    view = ForumView(page)
    expect(view.root).to_have_attribute("data-sls-ready", "1")
    return view


def handler_calls(page):
    """The names of the forum's handlers the page calls from now on."""
    calls = []
    page.on("request", lambda request: calls.append(request.url.split("/handler/", 1)[1].split("/")[1])
            if "/handler/" in request.url else None)
    return calls


def assert_reads_only(view):
    expect(view.root).to_have_class(re.compile(r"\bsls-is-read-only\b"))
    expect(view.root.locator(WRITE_CONTROLS)).to_have_count(0)
    reachable = view.root.evaluate(FOCUSABLE)
    for name in ("New thread", "Post", "Upvote", "Follow", "Flag", "Comment", "Edit", "Delete", "Pin", "Hide",
                 "Highlight", "Endorse", "Mark as answer"):
        assert not [label for label in reachable if label.startswith(name)], (name, reachable)


@pytest.mark.parametrize("username", ["ann", "sam"])
def test_read_only_forum_shows_why_and_offers_no_write_control(forum, page_for, username):
    thread = forum.seed("ann", "How do I submit the assignment?", "The button is grey.", kind="question")
    forum.seed("cara", "Ghent meetup after week 1?", "Who is in for coffee?")
    forum.seed_reply("cara", thread, "Save a draft first, then the button turns blue.")  # the latest activity
    draft = {"title": "Half-written question", "body": "I was wondering", "kind": "question", "anonymous": False}
    view = open_with_init(forum, page_for, username, {"read_only": READ_ONLY, "drafts": {"new": draft}})
    calls = handler_calls(view.page)

    note = view.root.get_by_role("note")
    expect(note).to_have_count(1)
    expect(note).to_have_text(READ_ONLY)
    expect(note).to_be_visible()
    assert_reads_only(view)  # the list (the draft was not put back in a form either)
    assert serious_violations(view.page) == []

    # Search, sort and filters still work.
    view.root.get_by_label("Search threads").fill("coffee")
    view.root.get_by_role("button", name="Search", exact=True).click()
    expect(view.root.locator(".sls-thread-item")).to_have_count(1)
    expect(view.item("Ghent meetup after week 1?")).to_be_visible()
    view.root.get_by_role("button", name="Clear search").click()
    expect(view.root.locator(".sls-thread-item")).to_have_count(2)
    first = view.root.locator(".sls-thread-item__open").first
    expect(first).to_contain_text("How do I submit the assignment?")
    view.root.get_by_label("Sort by").select_option("newest")
    expect(first).to_contain_text("Ghent meetup after week 1?")
    view.root.get_by_label("Show").select_option("mine")
    expect(view.root.locator('[data-sls="summary"]')).to_have_text(
        "1 thread" if username == "ann" else "No threads here yet.")
    view.root.get_by_label("Show").select_option("all")
    expect(view.root.locator(".sls-thread-item")).to_have_count(2)

    # A thread opens, with its replies and votes as text, and nothing to write with.
    view.open_thread("How do I submit the assignment?")
    expect(view.replies).to_have_count(1)
    expect(view.replies.first).to_contain_text("Save a draft first")
    expect(view.replies.first.locator(".sls-post__actions")).to_have_text("0 votes")
    expect(view.reply_box).to_be_empty()
    assert_reads_only(view)
    assert serious_violations(view.page) == []
    view.back()
    expect(view.item("How do I submit the assignment?").get_by_role("button")).to_be_focused()
    expect(note).to_have_count(1)
    assert set(calls) <= {"list_threads", "get_thread"}, calls  # no draft saved, nothing written


def test_read_only_forum_screenshots(forum, page_for, screenshot):
    question = forum.seed("ann", "How do I submit the assignment?",
                          "The **submit** button stays grey after I upload my file. Is that a known problem?",
                          kind="question")
    forum.seed_reply("cara", question, "Save a draft first, then the button turns blue. It took me a while too!")
    forum.seed("cara", "Ghent meetup after week 1?", "Who is in for coffee near the station?")
    for width in (1280, PHONE):
        view = open_with_init(forum, page_for, "ann", {"read_only": READ_ONLY}, width=width)
        expect(view.root.get_by_role("note")).to_be_visible()
        screenshot(view.page, f"forum-read-only-list-{width}")
        view.open_thread("How do I submit the assignment?")
        screenshot(view.page, f"forum-read-only-thread-{width}")


def test_posting_works_with_a_renamed_csrf_cookie(forum, page_for, settings):
    settings.CSRF_COOKIE_NAME = "sls_csrf"

    # Without the cookie's name the page looks for "csrftoken", finds no token, and Django refuses the post ...
    view = open_with_init(forum, page_for, "ann", {"client": {"csrfCookieName": None}})
    with view.page.expect_response(re.compile(r"/create_thread/")) as refused:
        view.post_thread("Refused without a token", "The CSRF check stops this.")
    assert refused.value.status == 403

    # ... with it (init.client.csrfCookieName) the post goes through.
    view = open_with_init(forum, page_for, "ann", {"client": {"csrfCookieName": "sls_csrf"}})
    cookies = {cookie["name"] for cookie in view.page.context.cookies()}
    assert "sls_csrf" in cookies and "csrftoken" not in cookies
    view.post_thread("Posted with a renamed cookie", "The token came from the cookie the site named.")
    expect(view.status).to_have_text("Thread posted.")
    expect(view.thread_title).to_have_text("Posted with a renamed cookie")
