"""In headless Chromium, at 1280 and 360 px: a learner in two Moodle groups opens the forum in the course page's
frame, sees "Your group" with her first group, switches to the other with the keyboard and sees that group's
threads; her teacher's groups page shows the groups the tool sees and where they come from."""
import html
import re

import pytest

from lti.models import MoodleWebService
from tests.lti.conftest import forum_init
from tests.lti.moodle import MoodleStandIn
from tests.lti.test_browser import in_browser
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
        for link in ("wide", "phone"):
            bob = forum_init(tool.launch(platform.consumer(user_id="9", name="Bob Janssens", context_id=COURSE,
                                                           resource_link_id=link)).text)
            assert api(tool, bob, "create_thread", {"title": "Brussels plan", "body": "Only for Brussels."})[0] == 200
        teacher = platform.consumer(user_id="1", name="Tess Teacher", role="staff", context_id=COURSE,
                                    resource_link_id="wide")
        # At 1280 px the forum opens in the course page's frame; at 360 px in a window of its own, as on a phone
        # (the test platform's frame is 1100 px wide; a course page that offers no storage to the frame has the
        # learner open the activity in a new window). Each width opens its own activity.
        ann = platform.consumer(user_id="5", name="Ann Peeters", context_id=COURSE, resource_link_id="wide")
        framed = platform.add_page("forum", platform.preflight_url(ann, user_id="5", resource_link_id="wide"))
        ann_phone = platform.consumer(user_id="5", name="Ann Peeters", context_id=COURSE, resource_link_id="phone")
        alone = platform.add_page("forum-phone", platform.preflight_url(ann_phone, user_id="5",
                                                                        resource_link_id="phone"), storage_target=None)
        teacher_pages = {
            1280: platform.add_page("teacher", platform.preflight_url(teacher, user_id="1", role="staff",
                                                                      resource_link_id="wide")),
            360: platform.add_page("teacher-phone", platform.preflight_url(teacher, user_id="1", role="staff",
                                                                           resource_link_id="wide"),
                                   storage_target=None)}

        def in_new_window(context, page):
            with context.expect_page() as opened:
                page.frame_locator("#tool").get_by_role("button", name="Open in a new window").click()
            return opened.value

        def switch(page, frame, width):
            seen = {}
            frame.locator(".sls-forum[data-sls-ready]").wait_for()
            select = frame.get_by_label("Your group")
            seen["before"] = (select.locator("option:checked").inner_text(),
                              frame.locator(".sls-forum__space").inner_text())
            screenshot(page, f"lti-moodle-groups-switcher-{width}")
            select.focus()
            select.select_option(label="Brussels")
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")  # the "Switch group" button
            frame.locator(".sls-thread-item").first.wait_for()
            seen["after"] = (frame.get_by_label("Your group").locator("option:checked").inner_text(),
                             frame.locator(".sls-forum__space").inner_text(),
                             frame.locator(".sls-thread-item__title").all_inner_texts())
            screenshot(page, f"lti-moodle-groups-switched-{width}")
            return seen

        def steps(browser):
            seen = {}
            for width in (1280, 360):
                context = browser.new_context(viewport={"width": width, "height": 900})
                context.set_default_timeout(15000)
                page = context.new_page()
                if width == 1280:
                    platform.auth_consumer = ann
                    page.goto(framed)
                    seen[width] = switch(page, page.frame_locator("#tool"), width)
                else:
                    platform.auth_consumer = ann_phone
                    page.goto(alone)
                    window = in_new_window(context, page)
                    seen[width] = switch(window, window, width)
                    seen[width]["scroll width"] = window.evaluate("document.documentElement.scrollWidth")
                # The teacher opens the forum and then its "Manage groups" (a button that posts the launch token).
                platform.auth_consumer = teacher
                teacher_page = context.new_page()
                teacher_page.goto(teacher_pages[width])
                if width == 1280:
                    where = teacher_page.frame_locator("#tool")
                else:
                    teacher_page = in_new_window(context, teacher_page)
                    where = teacher_page
                where.get_by_role("button", name="Manage groups").click()
                seen[width]["teacher"] = where.locator("#sls-seen-groups-table").inner_text()
                seen[width]["teacher scroll width"] = (
                    teacher_page.evaluate("document.documentElement.scrollWidth") if width == 360 else 0)
                screenshot(teacher_page, f"lti-moodle-groups-teacher-{width}")
                context.close()
            return seen

        seen = in_browser(steps)
    finally:
        moodle.stop()
    assert seen, "the browser's steps did not finish"
    for width in (1280, 360):
        chosen, space = seen[width]["before"]
        assert chosen == "Antwerp" and "Antwerp" in space
        chosen, space, titles = seen[width]["after"]
        assert chosen == "Brussels" and "Brussels" in space
        assert [t.strip().splitlines()[-1] for t in titles] == ["Brussels plan"]
        assert "Antwerp" in seen[width]["teacher"] and "Moodle" in seen[width]["teacher"]
        assert seen[width]["teacher scroll width"] <= width  # nothing wider than the screen
    assert seen[360]["scroll width"] <= 360
