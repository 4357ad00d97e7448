"""In headless Chromium, at 1280 and 360 px: a learner in two Moodle groups opens the forum in the course page's
frame, sees "Your group" with her first group, switches to the other with the keyboard and sees that group's
threads; her teacher's groups page shows the groups the tool sees and where they come from."""
import html
import re

import pytest

from lti.models import MoodleWebService
from tests.lti.conftest import forum_init
from tests.lti.moodle import MoodleStandIn
from tests.lti.test_browser import in_browser, tool_frame
from tests.lti.test_identity_and_api import api

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COURSE = "42"


def test_a_learner_in_two_moodle_groups_switches_group(platform, tool, screenshot):
    moodle = MoodleStandIn()
    try:
        MoodleWebService.objects.create(registration=platform.registration, base_url=moodle.url,
                                        token=moodle.token)
        moodle.add_group(COURSE, 7, "Antwerp", members=[5])
        moodle.add_group(COURSE, 8, "Brussels", members=[5, 9])
        bob = forum_init(tool.launch(platform.consumer(user_id="9", name="Bob Janssens", context_id=COURSE)).text)
        assert api(tool, bob, "create_thread", {"title": "Brussels plan", "body": "Only for Brussels."})[0] == 200
        teacher = tool.launch(platform.consumer(user_id="1", name="Tess Teacher", role="staff", context_id=COURSE))
        groups_url = platform.tool_url + html.unescape(
            re.search(r'<a href="([^"]*/lti/groups/[^"]+)"', teacher.text).group(1))

        ann = platform.consumer(user_id="5", name="Ann Peeters", context_id=COURSE)
        url = platform.add_page("forum", platform.preflight_url(ann, user_id="5"))

        def steps(browser):
            seen = {}
            for width in (1280, 360):
                context = browser.new_context(viewport={"width": width, "height": 900})
                context.set_default_timeout(15000)
                platform.auth_consumer = ann
                page = context.new_page()
                page.goto(url)
                frame = page.frame_locator("#tool")
                frame.locator(".sls-forum[data-sls-ready]").wait_for()
                select = frame.get_by_label("Your group")
                seen[f"before {width}"] = (select.input_value() and select.locator("option:checked").inner_text(),
                                           frame.locator(".sls-forum__space").inner_text())
                screenshot(page, f"lti-moodle-groups-switcher-{width}")
                select.focus()
                select.select_option(label="Brussels")
                page.keyboard.press("Tab")
                page.keyboard.press("Enter")  # the "Switch group" button
                frame.locator(".sls-thread-item").first.wait_for()
                seen[f"after {width}"] = (frame.get_by_label("Your group").locator("option:checked").inner_text(),
                                          frame.locator(".sls-forum__space").inner_text(),
                                          frame.locator(".sls-thread-item__title").all_inner_texts())
                screenshot(page, f"lti-moodle-groups-switched-{width}")
                # The tool's page on its own at this width (the test platform's frame is 1100 px wide).
                alone = context.new_page()
                alone.goto(tool_frame(page).url)
                alone.locator(".sls-forum[data-sls-ready]").wait_for()
                seen[f"alone {width}"] = alone.evaluate("document.documentElement.scrollWidth")
                screenshot(alone, f"lti-moodle-groups-page-{width}")
                alone.close()
                # Back to Antwerp for the next width: the choice is kept per activity.
                frame.get_by_label("Your group").select_option(label="Antwerp")
                frame.get_by_role("button", name="Switch group").click()
                frame.locator(".sls-forum[data-sls-ready]").wait_for()
                teacher_page = context.new_page()
                teacher_page.goto(groups_url)
                teacher_page.locator("#sls-seen-groups-table").wait_for()
                seen[f"teacher {width}"] = teacher_page.locator("#sls-seen-groups-table").inner_text()
                screenshot(teacher_page, f"lti-moodle-groups-teacher-{width}")
                context.close()
            return seen

        seen = in_browser(steps)
    finally:
        moodle.stop()
    for width in (1280, 360):
        chosen, space = seen[f"before {width}"]
        assert chosen == "Antwerp" and "Antwerp" in space
        chosen, space, titles = seen[f"after {width}"]
        assert chosen == "Brussels" and "Brussels" in space
        assert [t.strip().splitlines()[-1] for t in titles] == ["Brussels plan"]
        assert seen[f"alone {width}"] <= width  # nothing wider than the screen
        assert "Antwerp" in seen[f"teacher {width}"] and "Moodle" in seen[f"teacher {width}"]
