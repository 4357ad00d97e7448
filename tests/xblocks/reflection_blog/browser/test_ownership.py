"""Deleting one's whole blog in headless Chromium (the sandbox's course unit, the ``course`` fixture's people)."""
import pytest
from playwright.sync_api import expect

from tests.xblocks.reflection_blog.browser.blog import WIDTHS, no_horizontal_scroll, serious_violations
from xblocks.reflection_blog import api
from xblocks.reflection_blog.models import Comment, Entry

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_a_learner_deletes_their_whole_blog_after_a_clear_confirmation(blog, screenshot, width):
    first = blog.seed("ann", "Negotiation practice", "What I tried at work.")
    blog.seed("ann", "Feedback loop", "Asking for feedback early.", visibility="group")
    api.add_comment(blog.context("cara"), {"entry": first["id"], "body": "Cara's thoughts"}, blog.settings())
    hers = blog.seed("cara", "Cara on listening", "Listening to the end.")
    api.add_comment(blog.context("ann"), {"entry": hers["id"], "body": "Ann's comment stays"}, blog.settings())

    ann = blog.open("ann", width=width)
    expect(ann.items).to_have_count(3)
    section = ann.root.locator(".sls-blog__ownership")
    section.get_by_role("button", name="Delete my whole blog").click()
    form = section.locator(".sls-inline-form")
    expect(form).to_contain_text("Delete your 2 entries for good?")
    expect(form).to_contain_text("1 comment by other people goes with them.")
    form.scroll_into_view_if_needed()
    screenshot(ann.page, f"blog-delete-blog-{width}")
    assert serious_violations(ann.page) == []
    no_horizontal_scroll(ann.page, "delete blog")

    # Without ticking the box nothing is deleted, and the page says why.
    form.get_by_role("button", name="Delete everything").click()
    expect(form).to_contain_text("Tick the box to confirm")
    assert Entry.objects.filter(author=blog.people["ann"]).count() == 2
    # Keeping the blog closes the question.
    form.get_by_role("button", name="Keep my blog").click()
    expect(form).to_have_count(0)

    section.get_by_role("button", name="Delete my whole blog").click()
    form.get_by_label("I understand that this cannot be undone.").check()
    form.get_by_role("button", name="Delete everything").click()
    expect(ann.status).to_have_text("Your blog was deleted.")
    expect(ann.items).to_have_count(1)
    expect(ann.item("Cara on listening")).to_be_visible()
    screenshot(ann.page, f"blog-deleted-blog-{width}")
    assert not Entry.objects.filter(author=blog.people["ann"]).exists()
    assert list(Comment.objects.filter(author=blog.people["ann"]).values_list("body", flat=True)) == [
        "Ann's comment stays"]

    cara = blog.open("cara", width=width)
    expect(cara.items).to_have_count(1)
    expect(cara.root).not_to_contain_text("Negotiation practice")
