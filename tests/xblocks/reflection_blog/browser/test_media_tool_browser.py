"""An image in the reflection blog through the LTI tool, in Chromium: the page sends the upload with its launch
token (no cookie), and Cara, launched into the same cohort, sees the image; Bob, in another cohort, does not."""
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.lti.conftest import platform, tool  # noqa: F401  (fixtures)
from tests.lti.test_browser import in_browser
from tests.xblocks.reflection_blog.media_files import png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("SLS_SCREENSHOTS", Path(settings.BASE_DIR) / "var" / "screenshots"))
ALT = "Our team's plan on the whiteboard"


PEOPLE = (("ann", "Ann Peeters", "Antwerp"), ("cara", "Cara Maes", "Antwerp"), ("bob", "Bob Janssens", "Brussels"))


def test_an_image_through_the_tools_page(platform, tool):  # noqa: F811
    consumers, pages = {}, {}
    for who, name, cohort in PEOPLE:  # each opens the blog from the platform's course page (the tool in a frame)
        consumers[who] = platform.consumer(user_id=who, name=name, resource_link_id="blog-1", link_title="My blog",
                                           custom={"sls_component": "reflection_blog", "cohort": cohort})
        pages[who] = platform.add_page(f"blog-{who}", platform.preflight_url(consumers[who], user_id=who,
                                                                             resource_link_id="blog-1"))

    def open_blog(context, who):
        platform.auth_consumer = consumers[who]  # what the platform signs for this person's launch
        page = context.new_page()
        page.goto(pages[who])
        blog = page.frame_locator("#tool").locator(".sls-blog")
        expect(blog).to_have_attribute("data-sls-ready", "1", timeout=15000)
        return page, blog

    def steps(browser):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15000)
        _page, blog = open_blog(context, "ann")
        blog.get_by_role("button", name="Write an entry").click()
        form = blog.locator('[data-sls="entry-form"]')
        form.get_by_label("Title").fill("Our plan")
        form.get_by_label("Your reflection").fill("What we drew together.")
        form.get_by_label("Image", exact=True).set_input_files(
            {"name": "plan.png", "mimeType": "image/png", "buffer": png(size=(300, 180))})
        form.get_by_label("Describe the image for people who cannot see it").fill(ALT)
        form.get_by_role("button", name="Add image").click()
        expect(form.locator(".sls-blog-media__item")).to_have_count(1)
        form.get_by_label("My group", exact=True).check()
        form.get_by_role("button", name="Publish").click()
        expect(blog.locator('[data-sls="status"]')).to_have_text("Entry published.")
        image = blog.locator('[data-sls="entry"]').get_by_role("img", name=ALT)
        expect(image).to_have_attribute("src", re.compile(r"^blob:"))
        page, blog = open_blog(context, "cara")
        blog.locator(".sls-blog__item-link", has_text="Our plan").click()
        image = blog.locator('[data-sls="entry"]').get_by_role("img", name=ALT)
        expect(image).to_have_attribute("src", re.compile(r"^blob:"))
        frame = next(f for f in page.frames if "/lti/page/" in f.url)
        frame.wait_for_function("img => img.complete && img.naturalWidth === 300", arg=image.element_handle())
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "lti-blog-media-reader-1280.png"), full_page=True)
        _page, blog = open_blog(context, "bob")
        expect(blog.locator(".sls-blog__item")).to_have_count(0)
        context.close()

    in_browser(steps)
