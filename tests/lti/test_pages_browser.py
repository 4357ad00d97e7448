"""The tool's pages in Chromium, on a wide screen (1280 px) and a phone (360 px): the forum as a learner and
as an instructor, the Deep Linking form, the groups page and a launch error page. Each has no serious or
critical axe violation and no sideways scroll; a full-page screenshot of each is kept for people to look at
(``SLS_SCREENSHOTS``, else ``var/screenshots``)."""
import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.lti.conftest import forum_init, groups_form, launch_data
from tests.lti.test_browser import in_browser, open_with_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("SLS_SCREENSHOTS", Path(settings.BASE_DIR) / "var" / "screenshots"))
WIDTHS = (1280, 360)
MEMBER = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [(v["id"], v["impact"], v["help"], [node["target"] for node in v["nodes"]][:5])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def look_at(page, name, width, problems):
    """Screenshot, sideways scroll and axe for the page shown; what is wrong goes in ``problems``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"lti-{name}-{width}.png"), full_page=True)
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    if scroll_width > width:
        problems.append((name, width, f"scrolls sideways: {scroll_width} px"))
    problems.extend((name, width, violation) for violation in serious_violations(page))


def open_pages(browser, urls, deep_link_url):
    problems = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.set_default_timeout(15000)
        page = context.new_page()
        for name, (url, token) in urls.items():
            response = open_with_token(page, url, token)
            if name == "error":
                assert response.status == 401
                page.locator("[data-sls-lti-error]").wait_for()
            elif name == "groups":
                page.get_by_role("heading", name="Groups of this course").wait_for()
            else:
                page.locator(".sls-thread-item").first.wait_for()
            look_at(page, name, width, problems)
            if name == "forum-learner":  # a thread, open, with the reply form beside the guidelines
                page.locator(".sls-thread-item__open").first.click()
                page.locator('[data-sls="thread-view"] [data-sls="back"]').wait_for()
                look_at(page, "forum-thread", width, problems)
        # A page's address in a tab that holds no token for it (copied, opened elsewhere): it asks to open it again.
        page.goto(urls["forum-learner"][0] + "?activity=999999")
        page.locator('[data-sls-lti-error="no_launch"]').wait_for()
        look_at(page, "no-launch", width, problems)
        # Deep Linking: the platform's login starts it; the form is the launch's answer.
        page.goto(deep_link_url)
        page.get_by_role("heading", name="Add a cohort forum").wait_for()
        look_at(page, "deep-link", width, problems)
        page.get_by_label("Display name").fill("")
        page.get_by_label("Display name").evaluate("node => node.removeAttribute('required')")
        page.get_by_role("button", name="Add to the course").click()
        page.locator('[data-sls-lti="messages"]').wait_for()
        look_at(page, "deep-link-invalid", width, problems)
        context.close()
    return problems


def test_the_tools_pages_read_well_on_a_wide_screen_and_a_phone(platform, tool):
    platform.members = [
        {"user_id": "teacher", "name": "Tess Teacher", "given_name": "Tess", "family_name": "Teacher",
         "roles": [MEMBER + "Instructor"], "status": "Active"},
        *({"user_id": subject, "given_name": given, "family_name": family, "roles": [MEMBER + "Learner"],
           "status": "Active"}
          for subject, given, family in (("ann", "Ann", "Peeters"), ("bob", "Bob", "Janssens"),
                                         ("chloé", "Chloé", "Van den Broeck-Dubois"))),
    ]
    learner = tool.launch(platform.consumer(user_id="ann", custom={"cohort": "Antwerp"}))
    init = forum_init(learner.text)
    for number in range(3):
        created = tool.http.post(platform.tool_url + init["urls"]["create_thread"], headers=init["client"]["headers"],
                                 json={"title": f"Question {number + 1} about the **first session**",
                                       "body": "Where do we meet, and what should we read before?",
                                       "kind": "question" if number == 0 else "discussion"})
        assert created.status_code == 200, created.text
    staff = tool.launch(platform.consumer(role="staff", user_id="teacher", name="Tess Teacher"))
    _path, token = groups_form(staff.text)
    assert "Roster updated" in tool.http.post(platform.tool_url + "/lti/groups/",
                                              data={"launch": token, "action": "sync"}).text
    for name in ("Antwerp", "Brussels"):
        tool.http.post(platform.tool_url + "/lti/groups/", data={"launch": token, "action": "create", "name": name})
    teacher = platform.consumer(role="staff", user_id="teacher", name="Tess Teacher")
    platform.auth_consumer = teacher
    deep_link_url = platform.preflight_url(teacher, message_type="LtiDeepLinkingRequest", user_id="teacher")
    forum = platform.tool_url + "/lti/page/cohort_forum/"
    urls = {"forum-learner": (forum, launch_data(learner.text)["token"]), "forum-staff": (forum, token),
            "groups": (platform.tool_url + "/lti/groups/", token), "error": (forum, "forged")}
    problems = in_browser(lambda browser: open_pages(browser, urls, deep_link_url))
    assert problems == []
