"""In Chromium, at 1280 and 360 px: the page a GET of the launch address shows, and what a person sees when the
browser sends the platform's launch post again (reload, back) after the launch was used."""
import html

import pytest

from tests.lti.conftest import opened
from tests.lti.test_browser import in_browser
from tests.lti.test_launch_checks import signed
from tests.lti.test_pages_browser import WIDTHS, look_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def platform_post(launch_url, fields):
    """The platform's auto-submitted form post, as Moodle sends it."""
    inputs = "".join(f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
                     for name, value in fields.items())
    return f'<form method="post" action="{launch_url}">{inputs}</form><script>document.forms[0].submit()</script>'


def test_launch_address_and_a_replayed_launch_read_well(platform, tool):
    consumer = platform.consumer()
    _response, login_data = tool.login(consumer)
    fields = signed(consumer, login_data)
    assert opened(tool.post_launch(fields, login_data["secret"]))

    def steps(browser):
        problems, seen = [], []
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 800})
            context.set_default_timeout(15000)
            page = context.new_page()
            response = page.goto(platform.launch_url)
            assert response.status == 200
            seen.append(page.locator("main").inner_text())
            look_at(page, "launch-address", width, problems)
            page.set_content(platform_post(platform.launch_url, fields))
            page.locator('[data-sls-lti-error="replayed"]').wait_for()
            seen.append(page.locator("main").inner_text())
            look_at(page, "launch-replayed", width, problems)
            context.close()
        return problems, seen

    problems, seen = in_browser(steps)
    assert problems == []
    assert "launch address" in seen[0]
    assert "already used" in seen[1] and "open the activity again from your course" in seen[1]
