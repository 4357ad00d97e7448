"""The tool's forum page keeps its launch token fresh while it stays open (core boot.js, started by the
page's entry point): it renews the token on the interval the page names, and the forum's calls carry
the renewed token from then on. Headless Chromium, Debian's /usr/bin/chromium."""
import re

import pytest

from tests.lti.conftest import forum_init, launch_data
from tests.lti.test_browser import in_browser, open_with_token
from xblocks.cohort_forum.models import Thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_page_renews_its_launch_token_and_uses_the_new_one(platform, tool, settings):
    settings.SOCIAL_LEARNING_LTI = {**settings.SOCIAL_LEARNING_LTI, "LAUNCH_TOKEN_RENEW_SECONDS": 1}
    learner = tool.launch(platform.consumer(user_id="ann", custom={"cohort": "Antwerp"}))
    launch_header = forum_init(learner.text)["client"]["headers"]["Authorization"]
    launch = launch_data(learner.text)

    def steps(browser):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15000)
        page = context.new_page()
        renewals = []  # each renewal's request
        page.on("request", lambda request: renewals.append(request) if request.url.endswith("/lti/api/renew/")
                else None)
        open_with_token(page, platform.tool_url + "/lti/page/cohort_forum/", launch["token"])
        page.locator(".sls-forum[data-sls-ready]").wait_for()
        with page.expect_response(re.compile(r"/lti/api/renew/$")) as first:
            pass
        token = first.value.json()["token"]
        with page.expect_request(re.compile(r"/lti/api/renew/$")):  # the next renewal sends the new token
            pass
        page.get_by_role("button", name="New thread").click()
        page.get_by_label("Title").fill("Still signed in")
        page.get_by_label("Your post").fill("The page renewed its token.")
        with page.expect_request(re.compile(r"/create_thread/$")) as posted:
            page.get_by_role("button", name="Post thread").click()
        page.locator('[data-sls="status"]').get_by_text("Thread posted.").wait_for()
        # The tab keeps the newest token for a reload.
        kept = page.evaluate("key => sessionStorage.getItem(key)", f"sls-lti-launch-{launch['activity']}")
        sent = [request.headers["authorization"] for request in renewals]
        received = ["Bearer " + request.response().json()["token"] for request in renewals if request.response()]
        context.close()
        return sent, received, token, posted.value.headers["authorization"], kept

    sent, received, token, post_header, kept = in_browser(steps)
    assert "Bearer " + kept in received
    assert sent[0] == launch_header
    assert "Bearer " + token in sent[1:]  # each renewal with the token the one before gave
    assert post_header != launch_header and post_header in received
    assert Thread.objects.filter(title="Still signed in").exists()
