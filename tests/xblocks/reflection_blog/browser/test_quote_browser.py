"""Quoting in the sandbox (the Workbench in a course unit, as in the LMS): Ann quotes her private entry from the
blog into her cohort's forum; the forum shows the quotation with a link back through the course's ``jump_to``
address, which opens the blog's unit at her entry for Ann and the blog's "not found" for Cara. The dialog has no
axe violation."""
import pytest
from playwright.sync_api import expect

from tests.xblocks.cohort_forum.browser.forum import ForumSandbox
from tests.xblocks.reflection_blog.browser.blog import BlogSandbox
from xblocks.cohort_forum.models import Thread

pytestmark = pytest.mark.browser
TITLE = "Listening at work"
BODY = "I tried active listening in the Monday meeting.\n\nIt felt slow at first, but people said more."


def test_a_learner_quotes_an_entry_into_the_forum_and_the_link_opens_it_in_the_blogs_unit(
        transactional_db, course, settings, page_for, screenshot):
    from axe_playwright_python.sync_playwright import Axe

    forum = ForumSandbox(course, settings, page_for)
    blog = BlogSandbox(course, settings, page_for)
    forum.open("ann")  # the course's forum, shown once
    view = blog.open("ann")
    view.publish(TITLE, BODY, level="Only me")
    view.root.get_by_role("button", name="Quote in the forum").click()
    dialog = view.root.get_by_role("dialog", name="Quote this entry in a forum")
    expect(dialog.locator('[data-sls="quote-warning"]')).to_contain_text("people in the forum see only this excerpt")
    expect(dialog.locator('[data-sls="quote-preview"] blockquote')).to_contain_text("active listening")
    violations = Axe().run(view.page, context='[data-sls="quote-dialog"]').response["violations"]
    assert [(v["id"], v["impact"]) for v in violations] == []
    screenshot(view.page, "blog-quote-dialog-1280")
    dialog.get_by_role("button", name="Post in the forum").click()
    expect(view.status).to_contain_text("Quoted in")
    thread = Thread.objects.get()
    assert thread.group_key == course.group_a and "/jump_to/" in thread.body_html

    for who, readable in (("ann", True), ("cara", False)):
        page = forum.open(who).page
        page.locator(".sls-thread-item__open", has_text=TITLE).click()
        page.get_by_role("link", name=f"Read the whole entry: {TITLE}").click()
        root = page.locator(".sls-blog")
        expect(root).to_have_attribute("data-sls-ready", "1")
        if readable:
            expect(root.locator('[data-sls="entry"] h3')).to_have_text(TITLE)
        else:
            expect(root.locator('[data-sls="alert"]')).to_contain_text("Entry not found")
