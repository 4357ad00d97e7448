"""In Chromium, through what a person does: no address the browser asks for (page, frame, script, API call,
renewal) and no Referer it sends ever holds the launch token, through a launch in the platform's frame, a
reload, a thread opened, Back, the groups page, its reload and the way back. Two tabs of two activities each keep
their own space after reloads; a window of its own (the new-window mode) reloads too. Debian's /usr/bin/chromium."""
import pytest

from tests.lti.conftest import forum_init
from tests.lti.test_browser import in_browser, reload_frame, tool_frame
from tests.lti.test_identity_and_api import api

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LAUNCH_DATA = "JSON.parse(document.getElementById('sls-lti-launch').textContent)"


class Requests:
    """Every request of a browser context: its URL, Referer and launch token (Authorization), if any."""

    def __init__(self, context):
        self.seen = []
        context.on("request", self.record)

    def record(self, request):
        headers = request.headers
        self.seen.append((request.url, headers.get("referer", ""), headers.get("authorization", "")))

    def tokens(self):
        return {auth[7:] for _url, _referer, auth in self.seen if auth.startswith("Bearer ")}

    def leaks(self, tokens):
        """The URLs and Referers that hold one of ``tokens`` (or its signature), or ask for ``launch=``."""
        found = []
        for url, referer, _auth in self.seen:
            for text in (url, referer):
                if "launch=" in text or any(part in text for token in tokens for part in (token, token.rsplit(":")[-1])):
                    found.append(text)
        return found


def course_page(context, page_url):
    page = context.new_page()
    page.goto(page_url)
    frame = page.frame_locator("#tool")
    frame.locator(".sls-forum[data-sls-ready]").wait_for()  # its script ran: the address is the page's now
    return page, frame


def test_no_address_or_referer_the_browser_sends_holds_the_token(platform, tool, settings):
    settings.SOCIAL_LEARNING_LTI = {**settings.SOCIAL_LEARNING_LTI, "LAUNCH_TOKEN_RENEW_SECONDS": 2}
    learner = forum_init(tool.launch(platform.consumer(user_id="ann", custom={"cohort": "Antwerp"})).text)
    assert api(tool, learner, "create_thread", {"title": "Hello from Moodle", "body": "A first thread."})[0] == 200
    platform.auth_consumer = platform.consumer(role="staff", user_id="teacher", name="Tess Teacher")
    page_url = platform.add_page("week-1", platform.preflight_url(platform.auth_consumer, user_id="teacher",
                                                                  role="staff"))

    def steps(browser):
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(15000)
        requests = Requests(context)
        page, frame = course_page(context, page_url)
        tokens = {tool_frame(page).evaluate(LAUNCH_DATA)["token"]}
        frame.locator(".sls-thread-item__open").first.click()  # its address: the page's, with the thread's fragment
        frame.locator(".sls-thread-title", has_text="Hello from Moodle").wait_for()
        tool = tool_frame(page)
        reload_frame(tool)
        frame.locator(".sls-thread-title", has_text="Hello from Moodle").wait_for()
        assert "#sls-thread-" in tool_frame(page).url
        tool_frame(page).evaluate("history.back()")
        frame.locator(".sls-thread-item", has_text="Hello from Moodle").wait_for()
        with page.expect_request(lambda request: request.url.endswith("/lti/api/renew/")):
            pass  # a renewal or two on the way
        frame.get_by_role("button", name="Manage groups").click()
        frame.get_by_role("heading", name="Groups of this course").wait_for()
        groups = next(f for f in page.frames if "/lti/groups/" in f.url)
        tokens.add(groups.evaluate(LAUNCH_DATA)["token"])
        reload_frame(groups)
        frame.get_by_role("heading", name="Groups of this course").wait_for()
        frame.get_by_label("New group").fill("Ghent")
        frame.get_by_role("button", name="Create group").click()
        frame.get_by_text("Group “Ghent” created.").wait_for()
        frame.get_by_role("button", name="Back to the activity").click()
        frame.locator(".sls-thread-item", has_text="Hello from Moodle").wait_for()
        tokens |= requests.tokens()
        urls = [url for url, _referer, _auth in requests.seen]
        referers = [referer for _url, referer, _auth in requests.seen if referer]
        context.close()
        return tokens, urls, referers, requests.leaks(tokens)

    tokens, urls, referers, leaks = in_browser(steps)
    assert len(tokens) >= 2  # the launch's and at least one renewed
    assert any("/lti/page/cohort_forum/?activity=" in url for url in urls)  # the reload asked for the address
    assert any("/lti/groups/?activity=" in url for url in urls)
    assert any("/lti/api/v1/cohort_forum/" in url for url in urls) and referers
    assert leaks == []


def test_two_tabs_of_two_activities_keep_their_own_space_after_reloads(platform):
    ann = {"user_id": "ann", "name": "Ann Peeters"}
    activities = {
        "A": platform.consumer(resource_link_id="act-1", link_title="Forum A", custom={"cohort": "Antwerp"}, **ann),
        "B": platform.consumer(resource_link_id="act-2", link_title="Forum B", custom={"cohort": "Brussels"}, **ann),
    }
    pages = {name: platform.add_page(f"act-{name}", platform.preflight_url(consumer, user_id="ann",
                                                                            resource_link_id=f"act-{name}"))
             for name, consumer in activities.items()}

    def steps(browser):
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(15000)
        tabs = {}
        for name, consumer in activities.items():
            platform.auth_consumer = consumer
            page, frame = course_page(context, pages[name])
            frame.get_by_role("button", name="New thread").click()
            frame.get_by_label("Title").fill(f"Plan of {name}")
            frame.get_by_label("Your post").fill("Only for us.")
            frame.get_by_role("button", name="Post thread").click()
            frame.locator('[data-sls="status"]').get_by_text("Thread posted.").wait_for()
            tabs[name] = (page, frame)
        shown = {}
        for name, (page, frame) in tabs.items():  # reloaded on the thread, then Back to the list
            reload_frame(tool_frame(page))
            frame.locator(".sls-thread-title", has_text=f"Plan of {name}").wait_for()
            tool_frame(page).evaluate("history.back()")
            frame.locator(".sls-thread-item").first.wait_for()
            shown[name] = (frame.locator(".sls-forum__space").inner_text(),
                           frame.locator(".sls-thread-item").all_inner_texts())
        context.close()
        return shown

    shown = in_browser(steps)
    assert "This is the space of Antwerp" in shown["A"][0] and "This is the space of Brussels" in shown["B"][0]
    assert [("Plan of A" in item, "Plan of B" in item) for item in shown["A"][1]] == [(True, False)]
    assert [("Plan of A" in item, "Plan of B" in item) for item in shown["B"][1]] == [(False, True)]


def test_a_window_of_its_own_reloads_with_the_token_its_tab_keeps(platform):
    """The new-window mode: the tool is first party there, its tab's sessionStorage keeps the token."""
    platform.auth_consumer = platform.consumer(user_id="bob", name="Bob Janssens", custom={"cohort": "Brussels"})
    page_url = platform.add_page("week-2", platform.preflight_url(platform.auth_consumer, user_id="bob"),
                                 storage_target=None)

    def steps(browser):
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(15000)
        requests = Requests(context)
        page = context.new_page()
        page.goto(page_url)
        with context.expect_page() as opened:
            page.frame_locator("#tool").get_by_role("button", name="Open in a new window").click()
        window = opened.value
        window.locator(".sls-forum[data-sls-ready]").wait_for()
        launch = window.evaluate(LAUNCH_DATA)
        kept = window.evaluate("key => sessionStorage.getItem(key)", f"sls-lti-launch-{launch['activity']}")
        window.reload()
        window.locator(".sls-forum[data-sls-ready]").wait_for()
        space = window.locator(".sls-forum__space").inner_text()
        # Another tab of the same browser with the page's address holds no token: it opens nothing.
        other = context.new_page()
        other.goto(window.url)
        other.locator('[data-sls-lti-error="no_launch"]').wait_for()
        refused = other.locator('[data-sls-lti-error="no_launch"]').inner_text()
        leaks = requests.leaks({launch["token"]})
        context.close()
        return launch, kept, space, refused, leaks

    launch, kept, space, refused, leaks = in_browser(steps)
    assert kept == launch["token"]
    assert "This is the space of Brussels" in space
    assert "Open the activity again from your course" in refused
    assert leaks == []
