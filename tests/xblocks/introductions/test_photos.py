"""Photos on introductions: re-encoded from their pixels (no EXIF, no GPS), cropped to a square, size-limited,
refused when they are not images, and served only to people who may read the introduction."""
import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from tests.xblocks.reflection_blog.media_files import HTML, SVG, gps_exif, gps_of, jpeg, png, png_bomb, upload
from xblocks.core.errors import NotFound, PayloadTooLarge, PermissionDenied, UnsupportedMediaType, ValidationError
from xblocks.introductions import photos
from xblocks.introductions.models import Introduction


def send(ctx, content, **more):
    return photos.upload_photo(ctx, {"files": {"file": upload(content)}, **more})


def test_a_photo_is_cleaned_cropped_and_shown_to_the_group_only(make_context, course, post):
    intro = post(course.ann)["introduction"]
    ann = make_context(course.ann)
    send(ann, jpeg(size=(1600, 900), exif=gps_exif()))
    served = photos.photo(make_context(course.cara), {"id": intro["id"]})
    assert served.content_type == "image/jpeg"
    image = Image.open(io.BytesIO(served.content))
    assert image.format == "JPEG" and image.size == (512, 512)
    assert gps_of(served.content) == {} and not image.getexif()
    for outsider in (course.bob,):  # another cohort: as if there were no such introduction
        with pytest.raises(NotFound):
            photos.photo(make_context(outsider), {"id": intro["id"]})
    assert photos.photo(make_context(course.staff), {"id": intro["id"]}).content == served.content


def test_a_small_transparent_image_is_kept_at_its_size_over_white(make_context, course, post):
    intro = post(course.ann)["introduction"]
    send(make_context(course.ann), png(size=(80, 60), mode="RGBA", colour=(0, 0, 0, 0)))
    image = Image.open(io.BytesIO(photos.photo(make_context(course.ann), {"id": intro["id"]}).content))
    assert image.size == (60, 60) and image.getpixel((30, 30))[0] > 240


@pytest.mark.parametrize("content, error", [
    (SVG, UnsupportedMediaType), (HTML, UnsupportedMediaType), (b"", ValidationError), (png_bomb(), ValidationError),
])
def test_what_is_not_a_photo_is_refused_and_nothing_is_kept(make_context, course, post, content, error):
    post(course.ann)
    with pytest.raises(error):
        send(make_context(course.ann), content)
    assert Introduction.objects.get(user=course.ann).photo_name == ""


def test_a_photo_over_the_limit_is_refused(make_context, course, post, settings):
    post(course.ann)
    settings.SOCIAL_LEARNING = {"introductions": {"PHOTO_MAX_BYTES": 1000, "POSTS_PER_WINDOW": 1000}}
    with pytest.raises(PayloadTooLarge):
        send(make_context(course.ann), jpeg(size=(400, 400)))
    assert Introduction.objects.get(user=course.ann).photo_name == ""


def test_a_photo_waits_for_the_introduction(make_context, course):
    with pytest.raises(PermissionDenied):
        send(make_context(course.ann), png())


def test_a_new_photo_or_removing_it_deletes_the_old_file(make_context, course, post, django_capture_on_commit_callbacks):
    post(course.ann)
    ann = make_context(course.ann)
    with django_capture_on_commit_callbacks(execute=True):
        send(ann, png())
    first = Introduction.objects.get(user=course.ann).photo_name
    assert default_storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        send(ann, jpeg())
    second = Introduction.objects.get(user=course.ann).photo_name
    assert second != first and not default_storage.exists(first) and default_storage.exists(second)
    with django_capture_on_commit_callbacks(execute=True):
        photos.remove_photo(ann, {})
    assert Introduction.objects.get(user=course.ann).photo_name == "" and not default_storage.exists(second)
    with pytest.raises(NotFound):
        photos.remove_photo(ann, {})


def test_deleting_an_introduction_deletes_its_photo(make_context, course, post, django_capture_on_commit_callbacks):
    post(course.ann)
    with django_capture_on_commit_callbacks(execute=True):
        send(make_context(course.ann), png())
    name = Introduction.objects.get(user=course.ann).photo_name
    with django_capture_on_commit_callbacks(execute=True):
        course.ann.delete()  # a retired learner
    assert not default_storage.exists(name)
