"""Images and videos of entries through the api: what is kept (re-encoded images without metadata, videos
recognised by their bytes), what is refused and with which message, who may fetch a file (404 for anyone who may
not read the entry), a draft's media attached when the entry is saved, and files deleted from storage with their
item or entry."""
import io
import os

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from tests.xblocks.reflection_blog.media_files import (
    HTML, MP4, SVG, WEBM, gps_exif, gps_of, jpeg, png, png_bomb, upload,
)
from xblocks.core.errors import NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationError
from xblocks.core.files import FileAnswer
from xblocks.reflection_blog import api, media
from xblocks.reflection_blog.models import Media


@pytest.fixture
def add_image(ctx_of):
    def _add(user, content=None, alt="A whiteboard with our plan", name="photo.png"):
        return media.upload_media(ctx_of(user), {"alt": alt, "files": {"file": upload(content or png(), name)}})["media"]

    return _add


def fetch(ctx, media_id):
    answer = media.media_file(ctx, {"id": media_id})
    assert isinstance(answer, FileAnswer)
    return answer


def test_an_image_is_re_encoded_without_its_gps_position(course, ctx_of, add_image):
    original = png(exif=gps_exif())
    assert gps_of(original)  # the upload carries a GPS position...
    item = add_image(course.ann, original)
    answer = fetch(ctx_of(course.ann), item["id"])
    assert answer.content_type == "image/jpeg" and answer.content[:3] == b"\xff\xd8\xff"
    assert gps_of(answer.content) == {}  # ...the kept image does not
    kept = Image.open(io.BytesIO(answer.content))
    assert not kept.getexif() and "exif" not in kept.info and kept.size == (40, 30)
    assert item["alt"] == "A whiteboard with our plan" and (item["width"], item["height"]) == (40, 30)


def test_a_jpeg_loses_its_exif_and_a_transparent_png_stays_png(course, ctx_of, add_image):
    item = add_image(course.ann, jpeg(exif=gps_exif()), name="holiday.jpg")
    answer = fetch(ctx_of(course.ann), item["id"])
    assert gps_of(answer.content) == {} and b"Pocket camera" not in answer.content
    clear = add_image(course.ann, png(mode="RGBA", colour=(0, 0, 0, 0)))
    answer = fetch(ctx_of(course.ann), clear["id"])
    assert answer.content_type == "image/png" and answer.content.startswith(b"\x89PNG")


def test_a_large_image_is_scaled_to_the_stored_size(course, ctx_of, add_image, settings):
    settings.SOCIAL_LEARNING = {"reflection_blog": {"IMAGE_STORED_SIDE": 100, "POSTS_PER_WINDOW": 1000}}
    item = add_image(course.ann, png(size=(400, 200)))
    assert (item["width"], item["height"]) == (100, 50)


@pytest.mark.parametrize("content,name", [(SVG, "drawing.png"), (HTML, "page.png"), (b"GIF89a nonsense", "a.gif"),
                                          (MP4, "movie.png")])
def test_what_is_not_an_image_is_refused_whatever_its_name(course, add_image, content, name):
    with pytest.raises(UnsupportedMediaType) as refused:
        add_image(course.ann, content, name=name)
    assert "JPEG, PNG, GIF or WebP" in refused.value.message and refused.value.status == 415
    assert not Media.objects.exists()


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(course, add_image):
    for bomb in (png_bomb(), png_bomb(9000, 9000), png_bomb(20000, 100)):
        with pytest.raises(ValidationError) as refused:
            add_image(course.ann, bomb)
        assert "too large in pixels" in refused.value.message and refused.value.fields == {"file": "Too many pixels."}
    assert not Media.objects.exists()


def stored_files():
    """Every file the blog keeps in storage."""
    found, folders = [], [media.conf("STORAGE_PREFIX")]
    while folders:
        folder = folders.pop()
        if not default_storage.exists(folder):
            continue
        subfolders, names = default_storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        found += [f"{folder}/{name}" for name in names]
    return set(found)


def test_an_image_needs_alt_text_and_fits_the_size_limit(course, add_image, settings):
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        add_image(course.ann, alt="  ")
    assert "alt" in refused.value.fields
    settings.SOCIAL_LEARNING = {"reflection_blog": {"IMAGE_MAX_BYTES": 1024 * 1024}}
    noise = io.BytesIO()
    Image.frombytes("RGB", (800, 800), os.urandom(800 * 800 * 3)).save(noise, "PNG")
    with pytest.raises(PayloadTooLarge) as refused:
        add_image(course.ann, noise.getvalue())
    assert refused.value.status == 413 and "at most 1 MB" in refused.value.message
    assert not Media.objects.exists() and stored_files() == before


def test_a_video_is_recognised_by_its_bytes(course, ctx_of, settings):
    def send(content, name):
        return media.upload_media(ctx_of(course.ann), {"kind": "video", "files": {"file": upload(content, name, "video/mp4")}})

    mp4 = send(MP4, "clip.exe")["media"]
    assert mp4["content_type"] == "video/mp4"
    assert fetch(ctx_of(course.ann), mp4["id"]).content == MP4
    assert send(WEBM, "clip.mp4")["media"]["content_type"] == "video/webm"
    for content in (HTML, png(), b"\x00" * 300):
        with pytest.raises(UnsupportedMediaType):
            send(content, "clip.mp4")
    settings.SOCIAL_LEARNING = {"reflection_blog": {"VIDEO_MAX_BYTES": 100}}
    with pytest.raises(PayloadTooLarge) as refused:
        send(MP4, "clip.mp4")
    assert "YouTube or Vimeo" in refused.value.message


@pytest.mark.parametrize("url,embed", [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
])
def test_a_video_link_is_embedded_from_its_id_alone(course, ctx_of, url, embed):
    item = media.add_video_link(ctx_of(course.ann), {"url": url})["media"]
    assert item["embed"] == embed and item["kind"] == "video_link"


@pytest.mark.parametrize("url", [
    "https://evil.example/embed/dQw4w9WgXcQ", "javascript:alert(1)", "https://www.youtube.com/watch?v=x\"><script>",
    "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "https://vimeo.com/abc", "data:text/html,<script>",
])
def test_other_addresses_are_refused(course, ctx_of, url):
    with pytest.raises(ValidationError) as refused:
        media.add_video_link(ctx_of(course.ann), {"url": url})
    assert "YouTube or Vimeo" in refused.value.message
    assert not Media.objects.exists()


def test_a_drafts_media_attach_when_the_entry_is_saved_and_survive_a_reload(course, ctx_of, add_image, write):
    image = add_image(course.ann)
    link = media.add_video_link(ctx_of(course.ann), {"url": "https://youtu.be/dQw4w9WgXcQ"})["media"]
    # The page (after a reload too) lists the draft's media to their owner only.
    assert [m["id"] for m in media.draft_media(ctx_of(course.ann))] == [image["id"], link["id"]]
    assert media.draft_media(ctx_of(course.cara)) == []
    entry = write(course.ann, visibility="group", media=[image["id"], link["id"]])
    assert [m["id"] for m in entry["media"]] == [image["id"], link["id"]]
    assert media.draft_media(ctx_of(course.ann)) == []
    shown = api.get_entry(ctx_of(course.cara), {"id": entry["id"]}, None)
    assert [m["alt"] for m in shown["media"]] == ["A whiteboard with our plan", ""]
    assert fetch(ctx_of(course.cara), image["id"]).content[:3] == b"\xff\xd8\xff"


def test_someone_elses_media_cannot_be_attached(course, ctx_of, add_image, write):
    theirs = add_image(course.cara)
    with pytest.raises(ValidationError) as refused:
        write(course.ann, media=[theirs["id"]])
    assert "no longer exists" in refused.value.message
    assert not api.list_entries(ctx_of(course.ann), {}, None)["entries"]  # nothing was written
    assert Media.objects.get(pk=theirs["id"]).entry_id is None


@pytest.mark.parametrize("level,readers", [("private", set()), ("coach", {"sam"}),
                                           ("group", {"cara", "sam", "ada"}), ("course", {"cara", "bob", "sam", "ada"})])
def test_a_file_is_served_only_to_the_readers_of_its_entry(course, ctx_of, add_image, write, level, readers):
    image = add_image(course.ann)
    write(course.ann, visibility=level, media=[image["id"]])
    for person in (course.cara, course.bob, course.staff, course.advocate):
        if person.username in readers:
            assert fetch(ctx_of(person), image["id"]).content
        else:
            with pytest.raises(NotFound):
                media.media_file(ctx_of(person), {"id": image["id"]})
    assert fetch(ctx_of(course.ann), image["id"]).content


def test_a_drafts_media_is_its_owners_alone(course, ctx_of, add_image):
    image = add_image(course.ann)
    for person in (course.cara, course.staff):
        with pytest.raises(NotFound):
            media.media_file(ctx_of(person), {"id": image["id"]})
        with pytest.raises(NotFound):
            media.delete_media(ctx_of(person), {"id": image["id"]})


def test_making_an_entry_private_hides_its_files_at_once(course, ctx_of, add_image, write):
    image = add_image(course.ann)
    entry = write(course.ann, visibility="course", media=[image["id"]])
    assert fetch(ctx_of(course.bob), image["id"])
    api.set_visibility(ctx_of(course.ann), {"id": entry["id"], "visibility": "private"}, {
        **api_settings()})
    with pytest.raises(NotFound):
        media.media_file(ctx_of(course.bob), {"id": image["id"]})


def api_settings():
    from xblocks.reflection_blog.frontdoor import BLOG  # pylint: disable=import-outside-toplevel
    return BLOG.defaults


@pytest.mark.django_db(transaction=True)
def test_deleting_an_item_or_its_entry_deletes_the_files(course, ctx_of, add_image, write):
    one, two, three = add_image(course.ann), add_image(course.ann), add_image(course.ann)
    names = {m.id: m.file_name for m in Media.objects.all()}
    assert all(default_storage.exists(name) for name in names.values())
    media.delete_media(ctx_of(course.ann), {"id": one["id"]})
    assert not default_storage.exists(names[one["id"]]) and not Media.objects.filter(pk=one["id"]).exists()
    entry = write(course.ann, media=[two["id"], three["id"]])
    media.delete_media(ctx_of(course.ann), {"id": two["id"]})  # from a published entry
    assert not default_storage.exists(names[two["id"]])
    api.delete_entry(ctx_of(course.ann), {"id": entry["id"]})
    assert not default_storage.exists(names[three["id"]]) and not Media.objects.exists()


def test_limits_per_entry_and_per_draft(course, ctx_of, add_image, write, settings):
    settings.SOCIAL_LEARNING = {"reflection_blog": {"MEDIA_PER_ENTRY": 2, "DRAFT_MEDIA_MAX": 3,
                                                    "POSTS_PER_WINDOW": 1000}}
    ids = [add_image(course.ann)["id"] for _ in range(3)]
    with pytest.raises(ValidationError) as refused:
        add_image(course.ann)
    assert "waiting in your drafts (at most 3)" in refused.value.message
    with pytest.raises(ValidationError) as refused:
        write(course.ann, media=ids)
    assert "at most 2" in refused.value.message


@pytest.mark.django_db(transaction=True)
def test_deleting_a_whole_blog_or_retiring_deletes_the_files_too(course, ctx_of, add_image, write):
    from xblocks.core import signals  # pylint: disable=import-outside-toplevel
    from xblocks.reflection_blog import ownership  # pylint: disable=import-outside-toplevel

    published, waiting = add_image(course.ann), add_image(course.ann)  # one in an entry, one still in a draft
    write(course.ann, media=[published["id"]])
    cara_s = add_image(course.cara)
    write(course.cara, media=[cara_s["id"]])
    names = {m.id: m.file_name for m in Media.objects.all()}
    ownership.delete_blog(ctx_of(course.ann), {"confirm": True})
    assert not default_storage.exists(names[published["id"]])
    assert not default_storage.exists(names[waiting["id"]])  # the draft's images go with the blog
    later = add_image(course.ann)
    names[later["id"]] = Media.objects.get(pk=later["id"]).file_name
    signals.retire_user(sender=None, user=course.ann)
    assert not default_storage.exists(names[later["id"]]) and not Media.objects.filter(owner=course.ann).exists()
    assert default_storage.exists(names[cara_s["id"]])  # nobody else's
