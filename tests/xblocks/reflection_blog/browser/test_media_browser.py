"""Images in the reflection blog, in headless Chromium: Ann adds an image with its description to an entry, the
draft keeps it through a reload, she publishes for her group, and Cara (her cohort) sees the image while Bob
(another cohort) sees nothing of it. Ann exports her blog. Checked with axe at 1280 and 360 pixels wide, with
screenshots."""
import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.xblocks.reflection_blog.browser.blog import WIDTHS, check
from tests.xblocks.reflection_blog.media_files import gps_exif, png
from xblocks.reflection_blog.models import Media

pytestmark = pytest.mark.browser
ALT = "Our team's plan on the whiteboard"



def loaded(image):
    """The image was fetched and decoded (a blob from the media action)."""
    expect(image).to_have_attribute("src", re.compile(r"^blob:"))
    image.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())


@pytest.mark.parametrize("width", WIDTHS)
def test_an_image_with_its_description_reaches_the_group(blog, screenshot, width):
    ann = blog.open("ann", width=width)
    ann.write("The plan we drew", "We drew our **plan** for the next module.")
    media = ann.form.locator('[data-sls="media"]')
    media.get_by_label("Image", exact=True).set_input_files(
        {"name": "IMG_0042.png", "mimeType": "image/png", "buffer": png(size=(320, 200), exif=gps_exif())})
    media.get_by_role("button", name="Add image").click()
    expect(media.locator(".sls-field-error")).to_contain_text("Describe the image first")
    media.get_by_label("Describe the image for people who cannot see it").fill(ALT)
    media.get_by_role("button", name="Add image").click()
    item = media.locator(".sls-blog-media__item")
    expect(item).to_have_count(1)
    loaded(item.get_by_role("img", name=ALT))
    expect(ann.draft_note).to_have_text("Draft saved.")
    check(ann, screenshot, "media-form", width)

    # A reload brings the draft back with its image.
    ann = blog.open("ann", page=ann.page)
    expect(ann.compose).to_be_visible()
    expect(ann.form.get_by_label("Title")).to_have_value("The plan we drew")
    item = ann.form.locator(".sls-blog-media__item")
    expect(item).to_have_count(1)
    loaded(item.get_by_role("img", name=ALT))
    ann.form.get_by_label("My group", exact=True).check()
    ann.form.get_by_role("button", name="Publish").click()
    expect(ann.status).to_have_text("Entry published.")
    loaded(ann.entry.get_by_role("img", name=ALT))
    check(ann, screenshot, "media-entry", width)
    assert Media.objects.get().entry.title == "The plan we drew"

    cara = blog.open("cara", width=width)
    expect(cara.item("The plan we drew")).to_contain_text("1 image or video")
    cara.open_entry("The plan we drew")
    loaded(cara.entry.get_by_role("img", name=ALT))
    check(cara, screenshot, "media-entry-reader", width)

    bob = blog.open("bob", width=width)
    expect(bob.items).to_have_count(0)


def test_a_learner_exports_their_blog(blog, screenshot):
    blog.seed("ann", "My private note", "Only for me", visibility="private")
    blog.seed("cara", "Cara's note", "Shared", visibility="course")
    ann = blog.open("ann")
    with ann.page.expect_download() as download:
        ann.root.get_by_role("button", name="Export my blog").click()
    expect(ann.root.locator('[data-sls="status"]')).to_have_text("Your export is ready: it is being saved as a zip file.")
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "".join(archive.read(name).decode() for name in archive.namelist())
    assert "My private note" in text and "Cara's note" not in text
    screenshot(ann.page, "blog-media-export-1280")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_video_link_is_embedded_from_the_platforms_player_and_removed(blog, screenshot, width):
    ann = blog.open("ann", width=width)
    ann.write("A talk worth watching", "The talk I mentioned.")
    media = ann.form.locator('[data-sls="media"]')
    address = media.get_by_label("Or a link to a video on YouTube or Vimeo")
    address.fill("https://evil.example/watch?v=dQw4w9WgXcQ")
    address.press("Enter")  # adds the link; never publishes the entry
    expect(media.locator(".sls-field-error")).to_have_text(
        "Paste the address of a video on YouTube or Vimeo, or upload the video file.")
    expect(address).to_be_focused()
    address.fill("https://youtu.be/dQw4w9WgXcQ")
    media.get_by_role("button", name="Add video link").click()
    expect(media.locator(".sls-blog-media__item")).to_contain_text("Watch on YouTube")
    ann.form.get_by_label("The whole course", exact=True).check()
    ann.form.get_by_role("button", name="Publish").click()
    expect(ann.status).to_have_text("Entry published.")
    frame = ann.entry.locator("iframe")
    expect(frame).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    expect(frame).to_have_attribute("sandbox", "allow-scripts allow-same-origin allow-presentation allow-popups")
    expect(ann.entry.get_by_role("link", name="Watch on YouTube")).to_have_attribute(
        "href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    check(ann, screenshot, "media-video-link", width)
    # Editing: Remove deletes the item at once.
    ann.page.on("dialog", lambda dialog: dialog.accept())
    ann.entry.get_by_role("button", name="Edit").click()
    item = ann.form.locator(".sls-blog-media__item")
    expect(item).to_have_count(1)
    item.get_by_role("button", name="Remove: Video").click()
    expect(item).to_have_count(0)
    assert not Media.objects.exists()
