"""A launch into the forum in headless Chromium: a course page on the test platform frames the tool,
the OIDC login and launch run in the iframe (cross-site, without cookies), the forum loads and a
post can be made. Debian's /usr/bin/chromium, no browser download."""
import html
import os
import re
import threading

import pytest

from lti.models import LtiPerson
from tests.browser.launch import CHROMIUM, CHROMIUM_ARGS
from xblocks.cohort_forum.models import Thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def in_browser(steps):
    """Run ``steps(browser)`` with Chromium in a thread of its own, so that it never meets another
    Playwright instance a test session may have started (the Sync API allows one per thread)."""
    from playwright.sync_api import sync_playwright

    outcome = {}

    def run():
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    outcome["value"] = steps(chromium)
                finally:
                    chromium.close()
        except BaseException as err:  # pylint: disable=broad-except  # re-raised in the test's thread
            outcome["error"] = err

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def open_with_token(page, url, token):
    """What a form of the tool's pages does: POST the launch token to ``url``; returns the page's response."""
    page.set_content(f'<form method="post" action="{html.escape(url)}">'
                     f'<input type="hidden" name="launch" value="{html.escape(token)}"></form>')
    with page.expect_navigation() as navigation:
        page.evaluate("document.forms[0].submit()")
    return navigation.value


def test_launch_into_the_forum_and_post(platform):
    # The platform is 127.0.0.1 and the tool "localhost": the tool is a third party in the iframe.
    assert "localhost" in platform.tool_url and "127.0.0.1" in platform.url
    platform.auth_consumer = platform.consumer(user_id="ann", name="Ann Peeters", custom={"cohort": "Antwerp"})
    page_url = platform.add_page("week-1", platform.preflight_url(platform.auth_consumer, user_id="ann"))
    tool_cookies = in_browser(lambda browser: launch_and_post(browser, page_url))
    thread = Thread.objects.get(title="Hello from Moodle")
    assert thread.author == LtiPerson.objects.get(subject="ann").user
    assert thread.placement.platform == "lti"
    # The tool needed no cookie for any of it.
    assert tool_cookies == []


def open_course_page(browser, page_url):
    """The platform's course page with the tool's forum started in its iframe: ``(context, page, frame)``."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto(page_url)
    frame = page.frame_locator("#tool")
    frame.locator(".sls-forum[data-sls-ready]").wait_for()  # its script ran, not only its HTML
    return context, page, frame


def post_hello(frame):
    frame.get_by_role("button", name="New thread").click()
    frame.get_by_label("Title").fill("Hello from Moodle")
    frame.get_by_label("Your post").fill("Posted through the **LTI** tool.")
    frame.get_by_role("button", name="Post thread").click()
    frame.locator('[data-sls="status"]').get_by_text("Thread posted.").wait_for()


def launch_and_post(browser, page_url):
    context, _page, frame = open_course_page(browser, page_url)
    assert "This is the space of Antwerp" in frame.locator(".sls-forum__space").inner_text()
    assert frame.locator(".sls-forum__title").inner_text() == "Cohort forum"
    post_hello(frame)
    frame.get_by_role("heading", name="Hello from Moodle").first.wait_for()
    cookies = [c for c in context.cookies() if "localhost" in c["domain"]]
    context.close()
    return cookies


def test_new_window_fallback_when_the_frame_can_keep_nothing(platform):
    """No storage in the frame and no platform storage: the learner opens the activity in a new window."""
    platform.auth_consumer = platform.consumer(user_id="bob", name="Bob Janssens", custom={"cohort": "Brussels"})
    page_url = platform.add_page("week-2", platform.preflight_url(platform.auth_consumer, user_id="bob"),
                                 storage_target=None)
    space = in_browser(lambda browser: open_in_new_window(browser, page_url))
    assert "This is the space of Brussels" in space
    assert LtiPerson.objects.filter(subject="bob").exists()


def open_in_new_window(browser, page_url):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto(page_url)
    frame = page.frame_locator("#tool")
    button = frame.get_by_role("button", name="Open in a new window")
    with context.expect_page() as opened:
        button.click()
    window = opened.value
    window.locator(".sls-forum[data-sls-ready]").wait_for()
    space = window.locator(".sls-forum__space").inner_text()
    context.close()
    return space


def test_a_threads_address_in_the_tool_keeps_the_launch_and_reopens_it(platform):
    """In the iframe too: the thread's fragment in the page's address (which holds no token), a reload reopens it
    (the tab keeps the token), Back shows the list
    afresh, Forward the thread; another cohort's learner with the link gets the not-found message."""
    platform.auth_consumer = platform.consumer(user_id="ann", name="Ann Peeters", custom={"cohort": "Antwerp"})
    page_url = platform.add_page("week-1", platform.preflight_url(platform.auth_consumer, user_id="ann"))
    address = in_browser(lambda browser: post_and_move_around(browser, page_url))
    thread = Thread.objects.get(title="Hello from Moodle")
    assert address.endswith(f"-{thread.id}") and address.startswith("#sls-thread-lti-")

    platform.auth_consumer = platform.consumer(user_id="bob", name="Bob Janssens", custom={"cohort": "Brussels"})
    page_url = platform.add_page("week-1-bob", platform.preflight_url(platform.auth_consumer, user_id="bob"))
    alert = in_browser(lambda browser: follow_a_link(browser, page_url, address))
    assert alert == "This thread does not exist, or it is not in your group's space."


def tool_frame(page):
    return next(frame for frame in page.frames if "/lti/page/" in frame.url)


def reload_frame(frame):
    """Reload ``frame`` (a Playwright Frame) as its page's Reload would, and return once its new document has
    replaced the old one: a wait for what the page shows, right after, would otherwise be met by the page
    before the reload, and the next step would act on a page about to go."""
    with frame.expect_navigation(wait_until="commit"):
        frame.evaluate("location.reload()")


def post_and_move_around(browser, page_url):
    context, page, frame = open_course_page(browser, page_url)
    post_hello(frame)
    tool = tool_frame(page)
    tool.wait_for_url(re.compile(r"/lti/page/cohort_forum/\?activity=[0-9]+[^#]*#sls-thread-lti-[0-9]+-[0-9]+$"))
    address = tool.url[tool.url.index("#"):]
    reload_frame(tool)
    frame.locator(".sls-thread-title", has_text="Hello from Moodle").wait_for()
    frame.get_by_label("Write a reply").fill("And a reply.")
    frame.get_by_role("button", name="Post reply").click()
    frame.locator(".sls-post--reply").wait_for()
    tool.evaluate("history.back()")
    frame.locator(".sls-thread-item", has_text="1 reply").wait_for()
    assert "#" not in tool_frame(page).url and "?activity=" in tool_frame(page).url
    tool.evaluate("history.forward()")
    frame.locator(".sls-thread-title", has_text="Hello from Moodle").wait_for()
    context.close()
    return address


def follow_a_link(browser, page_url, address):
    context, page, frame = open_course_page(browser, page_url)
    tool_frame(page).evaluate("address => { history.replaceState(null, '', address); location.reload(); }", address)
    alert = frame.locator('[data-sls="alert"]')
    alert.get_by_text("not in your group's space").wait_for()
    assert "#" not in tool_frame(page).url
    text = alert.inner_text().strip()
    context.close()
    return text
