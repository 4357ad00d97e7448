"""In headless Chromium, a learner opens two activities of one course one after the other: the first names
her group with a custom parameter (A), the second follows the course's groups, where the teacher put her in
B. Each shows its own group's space and threads, and the first one still works after the second opened."""
import pytest

from tests.lti.conftest import forum_init
from tests.lti.test_browser import in_browser, reload_frame, tool_frame
from tests.lti.test_identity_and_api import api
from tests.lti.test_latest_launch import memberships, teacher_puts_in_groups

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_learner_opens_both_activities_one_after_the_other(platform, tool, screenshot):
    teacher_puts_in_groups(platform, tool, {"ann": "B", "bob": "B"})
    bob = forum_init(tool.launch(platform.consumer(user_id="bob", name="Bob Janssens", resource_link_id="act-2")).text)
    assert api(tool, bob, "create_thread", {"title": "Group B's plan", "body": "Only for B."})[0] == 200
    cara = forum_init(tool.launch(platform.consumer(user_id="cara", name="Cara Maes", resource_link_id="act-1",
                                                    custom={"cohort": "A"})).text)
    assert api(tool, cara, "create_thread", {"title": "Group A's plan", "body": "Only for A."})[0] == 200
    before = memberships()

    activity_1 = platform.consumer(user_id="ann", name="Ann Peeters", resource_link_id="act-1",
                                   link_title="Week 1 forum", custom={"cohort": "A"})
    activity_2 = platform.consumer(user_id="ann", name="Ann Peeters", resource_link_id="act-2",
                                   link_title="Week 2 forum")
    url_1 = platform.add_page("act-1", platform.preflight_url(activity_1, user_id="ann", resource_link_id="act-1"))
    url_2 = platform.add_page("act-2", platform.preflight_url(activity_2, user_id="ann", resource_link_id="act-2"))

    def open_activity(context, url, consumer):
        platform.auth_consumer = consumer  # what the platform signs for this activity's launch
        page = context.new_page()
        page.goto(url)
        frame = page.frame_locator("#tool")
        frame.locator(".sls-forum[data-sls-ready]").wait_for()
        return page, frame

    def threads(frame):
        frame.locator(".sls-thread-item").first.wait_for()
        return [text.strip().splitlines()[-1] for text in frame.locator(".sls-thread-item__title").all_inner_texts()]

    def steps(browser):
        seen = {}
        for width in (1280, 360):
            context = browser.new_context(viewport={"width": width, "height": 900})
            context.set_default_timeout(15000)
            page_1, frame_1 = open_activity(context, url_1, activity_1)
            seen[f"1 at {width}"] = (frame_1.locator(".sls-forum__space").inner_text(), threads(frame_1))
            screenshot(page_1, f"lti-activity-group-1-{width}")
            page_2, frame_2 = open_activity(context, url_2, activity_2)
            seen[f"2 at {width}"] = (frame_2.locator(".sls-forum__space").inner_text(), threads(frame_2))
            screenshot(page_2, f"lti-activity-group-2-{width}")
            # Back in the first activity's tab: reloaded with its launch, it still shows A.
            page_1.bring_to_front()
            reload_frame(tool_frame(page_1))
            frame_1.locator(".sls-forum[data-sls-ready]").wait_for()
            seen[f"1 again at {width}"] = (frame_1.locator(".sls-forum__space").inner_text(), threads(frame_1))
            context.close()
        return seen

    seen = in_browser(steps)
    for width in (1280, 360):
        space, titles = seen[f"1 at {width}"]
        assert "This is the space of A" in space and titles == ["Group A's plan"]
        space, titles = seen[f"2 at {width}"]
        assert "This is the space of B" in space and titles == ["Group B's plan"]
        space, titles = seen[f"1 again at {width}"]
        assert "This is the space of A" in space and titles == ["Group A's plan"]
    assert memberships() == before
