"""The sandbox in Chromium on a phone-sized screen: one-click sign-in, the forum acting as that person,
events appearing as blocks publish them, and no serious accessibility problem in the sandbox's frame."""
import re

import pytest
from playwright.sync_api import expect


pytestmark = pytest.mark.browser

CREATE_THREAD = """async (title) => {
  const usage = document.querySelector('[data-block-type="social_cohort_forum"]').dataset.usage;
  const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken=')).split('=')[1];
  const response = await fetch('/handler/' + usage + '/create_thread/?student=sofie', {
    method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
    body: JSON.stringify({title: title, body: 'Written in the browser.'})});
  return response.status;
}"""


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    context.set_default_timeout(10000)
    page = context.new_page()
    page.base = live_server.url
    yield page
    context.close()


def test_switch_people_and_watch_events_on_a_phone(transactional_db, demo, phone):
    page = phone
    page.goto(page.base + "/")
    page.get_by_role("button", name=re.compile("Sofie Willems")).click()
    expect(page.locator(".sb-who")).to_contain_text("Sofie Willems")
    expect(page.locator(".sb-block")).to_contain_text("Brussels spring intake")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator(".sb-switch summary").click()
    page.get_by_role("button", name=re.compile("Ann Peeters")).click()
    expect(page.locator(".sb-who")).to_contain_text("Ann Peeters")
    expect(page.locator(".sb-block")).to_contain_text("Ghent spring intake")

    assert page.evaluate(CREATE_THREAD, "Seen in the events panel") == 200
    expect(page.locator("#sb-events")).to_contain_text("social_learning.forum.thread.created")
    expect(page.locator("#sb-events")).to_contain_text("ann")


def test_sandbox_frame_has_no_serious_accessibility_violation(transactional_db, demo, phone):
    from axe_playwright_python.sync_playwright import Axe

    for path in ("/", "/sandbox/events/"):
        phone.goto(phone.base + path)
        # The forum block has its own accessibility test; this checks the sandbox around it.
        results = Axe().run(phone, context={"exclude": [[".sb-block"]]})
        serious = [(v["id"], v["help"]) for v in results.response["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert not serious, (path, serious)
