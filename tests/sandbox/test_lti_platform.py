"""The sandbox's demo LTI platform: a person running `make run` launches the LTI tool without Moodle.

Over HTTP against a live server, the browser's steps one by one (the pages' JavaScript only posts
forms and keeps the state's secret): the platform's page frames the tool's login, the tool sends the
browser to the platform's authorization endpoint, which posts the signed launch back to the tool.
"""
import html
import io
import json
import re

import pytest
import requests
from django.core.cache import cache
from django.core.management import call_command

from lti.models import LtiPerson
from tests.lti.conftest import forum_init, groups_form
from tests.lti.platform import LOGIN_DATA

pytestmark = pytest.mark.django_db(transaction=True)
IFRAME = re.compile(r'<iframe class="sb-lti-frame" src="([^"]+)"')
FORM = re.compile(r'<form id="sb-lti-post" method="post" action="([^"]+)">(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture
def sandbox(live_server, transactional_db, settings, tmp_path):
    """The demo course seeded and the demo platform registered for the live server, as `make run` does."""
    from workbench.runtime_util import reset_global_state

    settings.SANDBOX_LTI_PLATFORM_KEY_FILE = tmp_path / "platform-key.pem"
    cache.clear()
    reset_global_state()
    out = io.StringIO()
    call_command("seed_demo", "--base-url", live_server.url, stdout=out)
    yield live_server.url, out.getvalue()
    cache.clear()


def fields(page):
    return {name: html.unescape(value) for name, value in HIDDEN.findall(page)}


def launch_as(base, username, link=None):
    """What the browser does on the platform's page for ``username`` (into ``link``, a key of the platform's
    links, when given); returns the tool's final page."""
    browser = requests.Session()
    page = browser.get(f"{base}/sandbox/lti-platform/", params={"as": username, **({"link": link} if link else {})})
    assert page.status_code == 200, page.text[:1000]
    login = browser.get(html.unescape(IFRAME.search(page.text).group(1)))  # the iframe: the tool's login
    data = json.loads(LOGIN_DATA.search(login.text).group(1))
    answer = browser.get(data["auth_url"])  # the login page's script: on to the platform
    action, form = FORM.search(answer.text).groups()
    assert html.unescape(action) == base + "/lti/launch/"
    check = browser.post(html.unescape(action), data=fields(form))  # the platform's form post
    assert check.status_code == 200 and 'name="sls_binding"' in check.text
    launched = browser.post(base + "/lti/launch/", data={**fields(check.text), "sls_binding": data["secret"]},
                            allow_redirects=False)  # the check page's script, with the browser's secret
    assert launched.status_code == 200, launched.text[:2000]  # the activity's page itself
    return browser, launched


def test_make_run_points_to_the_demo_platform_and_the_home_page_links_it(sandbox, client):
    base, printed = sandbox
    assert f"{base}/sandbox/lti-platform/" in printed
    home = client.get("/").content.decode()
    assert 'href="/sandbox/lti-platform/"' in home
    page = client.get("/sandbox/lti-platform/").content.decode()
    for username in ("ann", "sofie", "jonas", "sarah"):
        assert f'name="as" value="{username}"' in page
    assert "sb-lti-frame" not in page  # nobody launched yet


def test_a_learner_launches_into_their_cohorts_forum(sandbox):
    base, _printed = sandbox
    _browser, forum = launch_as(base, "ann")
    assert forum.status_code == 200
    init = forum_init(forum.text)
    assert init["user"]["name"] == "Ann Peeters"
    assert init["roles"] == {"is_staff": False, "is_advocate": False}
    assert init["current_group"]["name"] == "Ghent spring intake"
    assert "This is the space of Ghent spring intake" in forum.text
    assert "Introduce yourself to your cohort" in forum.text  # the link's settings
    person = LtiPerson.objects.get(subject="ann", issuer=base + "/sandbox/lti-platform/")
    assert person.user.email == "ann@example.com"
    # The launch token the page carries works for the forum's API.
    posted = requests.post(base + init["urls"]["create_thread"], json={"title": "Hello from the platform",
                                                                      "body": "Launched without Moodle."},
                           headers=init["client"]["headers"])
    assert posted.status_code == 200, posted.text


def test_a_learner_launches_into_the_introductions_of_the_course(sandbox):
    base, _printed = sandbox
    page = requests.get(f"{base}/sandbox/lti-platform/").text
    assert 'href="?link=meet-your-group"' in page
    _browser, launched = launch_as(base, "ann", link="meet-your-group")
    match = re.search(r'<script type="application/json" class="sls-intros-data">(.*?)</script>', launched.text, re.S)
    init = json.loads(match.group(1))
    assert [s["title"] for s in init["sessions"]] == ["Kick-off (online)", "Classroom day"]
    assert init["sessions"][0]["start"] == "2027-03-25T17:00:00Z"  # 18:00 in Brussels, winter time
    assert init["user"]["name"] == "Ann Peeters"
    # The forum stays the link the page launches by default.
    _browser, forum = launch_as(base, "ann")
    assert "This is the space of Ghent spring intake" in forum.text


def test_the_instructor_sees_every_cohort_and_fetches_the_roster(sandbox):
    base, _printed = sandbox
    browser, forum = launch_as(base, "sarah")
    init = forum_init(forum.text)
    assert init["user"]["name"] == "Sarah Vermeulen" and init["roles"]["is_staff"] is True
    _path, token = groups_form(forum.text)
    synced = browser.post(base + "/lti/groups/", data={"launch": token, "action": "sync"})
    # Names and Role Provisioning from the demo platform: every demo person of the course.
    assert synced.status_code == 200 and "Roster updated: 10 people." in synced.text
    assert "Sofie Willems" in synced.text and "Jonas Wouters" in synced.text


def test_the_platform_signs_only_for_demo_people(sandbox):
    base, _printed = sandbox
    assert requests.get(f"{base}/sandbox/lti-platform/", params={"as": "admin"}).status_code == 404
    refused = requests.get(f"{base}/sandbox/lti-platform/auth/", params={"login_hint": "admin", "state": "s",
                                                                          "nonce": "n", "client_id": "x"})
    assert refused.status_code == 400


@pytest.mark.browser
def test_the_demo_platform_frames_the_tool_in_a_browser_on_a_wide_screen_and_a_phone(sandbox):
    from tests.lti.test_browser import in_browser
    from tests.lti.test_pages_browser import SCREENSHOTS, serious_violations

    base, _printed = sandbox

    def visit(browser):
        seen = []
        for width in (1280, 360):
            context = browser.new_context(viewport={"width": width, "height": 900})
            context.set_default_timeout(15000)
            page = context.new_page()
            page.goto(base + "/sandbox/lti-platform/")
            page.get_by_role("button", name=re.compile("Sofie Willems")).click()
            frame = page.frame_locator(".sb-lti-frame")
            space = frame.locator(".sls-forum__space")
            space.wait_for()
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"sandbox-lti-platform-{width}.png"), full_page=True)
            seen.append((width, space.inner_text(), page.evaluate("document.scrollingElement.scrollWidth"),
                         serious_violations(page)))
            context.close()
        return seen

    for width, space, scroll_width, violations in in_browser(visit):
        assert "This is the space of Brussels spring intake" in space
        assert scroll_width <= width and violations == [], (width, scroll_width, violations)
