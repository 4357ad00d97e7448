"""A learner's path across two activities of a course in the tool, in Chromium, inside the platform's frame: Ann
quotes her private entry from the blog into her cohort's forum (the dialog warns her that people in the forum see
only the excerpt; axe finds nothing in it), the thread shows the quotation and the link back, and following the
link opens the blog at her entry for Ann and the blog's "not found" for Cara, who may not read it. Screenshots of
the dialog and the thread at 1280 and 360 pixels wide."""
import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.lti.conftest import platform, tool  # noqa: F401  (fixtures)
from tests.lti.test_browser import in_browser
from xblocks.cohort_forum.models import Thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("SLS_SCREENSHOTS", Path(settings.BASE_DIR) / "var" / "screenshots"))
TITLE = "Listening at work"
BODY = "I tried active listening in the Monday meeting.\n\nIt felt slow at first, but people said more."
PEOPLE = (("ann", "Ann Peeters"), ("cara", "Cara Maes"))


def axe_violations(frame, within=None, impacts=None):
    """axe-core's violations inside the frame's document (``within``: a selector to check only that; ``impacts``:
    only those impacts, else every one)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(frame, context=within)
    return [(v["id"], v["impact"], v["help"], [node["target"] for node in v["nodes"]][:5])
            for v in results.response["violations"] if impacts is None or v["impact"] in impacts]


def test_a_learner_quotes_an_entry_into_the_forum_and_follows_the_link_back(platform, tool):  # noqa: F811
    consumers, pages = {}, {}
    for who, name in PEOPLE:
        for link, component in (("blog", "reflection_blog"), ("forum", "cohort_forum")):
            consumers[who, link] = platform.consumer(
                user_id=who, name=name, resource_link_id=link, link_title="Learning journal" if link == "blog" else
                "Antwerp forum", custom={"sls_component": component, "cohort": "Antwerp"})
            pages[who, link] = platform.add_page(f"{link}-{who}", platform.preflight_url(
                consumers[who, link], user_id=who, resource_link_id=link))

    def open_activity(context, who, link):
        platform.auth_consumer = consumers[who, link]
        page = context.new_page()
        page.goto(pages[who, link])
        root = page.frame_locator("#tool").locator(".sls-blog" if link == "blog" else ".sls-forum")
        expect(root).to_have_attribute("data-sls-ready", "1", timeout=15000)
        frame = next(f for f in page.frames if "/lti/" in f.url)
        return page, frame, page.frame_locator("#tool")

    def shots(page, frame, name):
        """The page at 1280 pixels, then with the platform's frame as wide as a phone (360), which scrolls nothing
        sideways."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"lti-quote-{name}-1280.png"), full_page=True)
        page.set_viewport_size({"width": 380, "height": 1000})
        page.evaluate("document.getElementById('tool').setAttribute('width', '360')")
        frame.wait_for_function("() => document.documentElement.clientWidth <= 360")
        assert frame.evaluate("document.scrollingElement.scrollWidth") <= 360
        page.screenshot(path=str(SCREENSHOTS / f"lti-quote-{name}-360.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.evaluate("document.getElementById('tool').setAttribute('width', '1100')")

    # Before: Ann opened the course's forum, Cara the blog (the tool knows them there).
    for who, link in (("ann", "forum"), ("cara", "blog")):
        platform.auth_consumer = consumers[who, link]
        launched = tool.launch(consumers[who, link], user_id=who, resource_link_id=link)
        assert launched.status_code == 200

    def steps(browser):
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(15000)

        page, frame, tool = open_activity(context, "ann", "blog")
        tool.get_by_role("button", name="Write an entry").click()
        form = tool.locator('[data-sls="entry-form"]')
        form.get_by_label("Title").fill(TITLE)
        form.get_by_label("Your reflection").fill(BODY)
        form.get_by_label("Only me", exact=True).check()
        form.get_by_role("button", name="Publish").click()
        expect(tool.locator('[data-sls="status"]')).to_have_text("Entry published.")
        tool.get_by_role("button", name="Quote in the forum").click()
        dialog = tool.get_by_role("dialog", name="Quote this entry in a forum")
        expect(dialog.get_by_label("Excerpt")).to_have_value(BODY.split("\n\n")[0])
        expect(dialog.locator('[data-sls="quote-warning"]')).to_contain_text(
            "people in the forum see only this excerpt; the link opens the entry only for those who may read it")
        expect(dialog.locator('[data-sls="quote-preview"] blockquote')).to_contain_text("active listening")
        dialog.get_by_label("Excerpt").fill("I tried active listening … people said more.")
        dialog.get_by_role("button", name="Show preview").click()
        expect(dialog.locator('[data-sls="quote-preview"] blockquote')).to_contain_text("people said more")
        assert axe_violations(frame, '[data-sls="quote-dialog"]') == []
        shots(page, frame, "dialog")
        dialog.get_by_label("Excerpt").fill("I never listen.")
        dialog.get_by_role("button", name="Post in the forum").click()
        expect(dialog.locator('[data-sls="form-error"]')).to_contain_text("The excerpt must come from your entry")
        expect(dialog.locator('[data-sls-error="excerpt"]')).to_have_text("Not in your entry.")
        dialog.get_by_label("Excerpt").fill("I tried active listening … people said more.")
        dialog.get_by_role("button", name="Post in the forum").click()
        expect(tool.locator('[data-sls="status"]')).to_contain_text("Quoted in “Antwerp forum”")
        expect(dialog).to_have_count(0)
        page.close()

        page, frame, tool = open_activity(context, "ann", "forum")
        tool.locator(".sls-thread-item__open", has_text=TITLE).click()
        link = tool.get_by_role("link", name=f"Read the whole entry: {TITLE}")
        expect(link).to_be_visible()
        expect(tool.locator("blockquote")).to_contain_text("people said more")
        assert axe_violations(frame, impacts=("serious", "critical")) == []
        shots(page, frame, "thread")
        link.click()
        blog = page.frame_locator("#tool").locator(".sls-blog")
        expect(blog.locator('[data-sls="entry"] h3')).to_have_text(TITLE)
        assert "launch" not in page.frames[1].url and "activity=" in page.frames[1].url
        page.close()

        page, frame, tool = open_activity(context, "cara", "forum")
        tool.locator(".sls-thread-item__open", has_text=TITLE).click()
        tool.get_by_role("link", name=f"Read the whole entry: {TITLE}").click()
        blog = page.frame_locator("#tool").locator(".sls-blog")
        expect(blog.locator('[data-sls="alert"]')).to_contain_text("Entry not found")
        expect(blog.locator('[data-sls="entry"]')).to_be_hidden()
        context.close()
        return "done"

    assert in_browser(steps) == "done"  # every step ran (the browser's thread is given two minutes)
    assert Thread.objects.get().title == TITLE
