"""An optional photo on a person's introduction.

- Uploaded (``upload_photo``, at most ``PHOTO_MAX_BYTES``) once the introduction is posted; opened with Pillow and
  refused when it is not a JPEG, PNG, GIF or WebP image or claims more than ``PHOTO_MAX_PIXELS`` pixels or a side
  longer than ``PHOTO_MAX_SIDE`` (a decompression bomb is refused before its pixels are decoded); then turned by its
  orientation, cropped to a square of ``PHOTO_SIDE`` pixels and re-encoded as JPEG from its pixels alone: no EXIF
  (no GPS position), no comments, no colour profile.
- Kept in Django's storage (``default_storage``: the platform's in Open edX, ``MEDIA_ROOT`` in the sandbox) under
  a random name (``Introduction.photo_name``); a new photo, ``remove_photo`` and any deletion of the introduction
  (a retired learner's) delete the old file once the transaction is committed.
- Served by the ``photo`` file action only to people who may read the introduction (its group, staff); anyone
  else gets 404, as for an introduction that does not exist.
"""
import io
import logging
import uuid
import warnings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xblocks.core import ratelimit
from xblocks.core.component import FILE, UPLOAD, Action
from xblocks.core.errors import NotFound, PayloadTooLarge, PermissionDenied, RateLimited, UnsupportedMediaType, \
    ValidationError
from xblocks.core.files import FileAnswer
from xblocks.core.validation import data_dict, ident

from .api import readable_introduction
from .conf import conf
from .models import Introduction

log = logging.getLogger(__name__)
HAS_CSS = False
SETTINGS = ()
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
EVENT_PREFIX = "social_learning.introductions."
JS_STRINGS = (
    gettext_noop("Your photo (optional)"),
    gettext_noop("Post your introduction first; then you can add a photo."),
    gettext_noop("Upload photo"),
    gettext_noop("Remove photo"),
    gettext_noop("Photo saved."),
    gettext_noop("Photo removed."),
    gettext_noop("Photo of {name}"),
    gettext_noop("A JPEG, PNG, GIF or WebP image; it is cropped to a square. Only your group and the course team see it."),
)
JS_PLURALS = ()


def _remove_file(name):
    try:
        default_storage.delete(name)
    except Exception:  # pylint: disable=broad-except  # a file left behind must not undo the deletion
        log.exception("Could not delete the photo %s", name)


def _forget_later(name):
    if name:
        transaction.on_commit(lambda: _remove_file(name))


@receiver(post_delete, sender=Introduction, dispatch_uid="introductions_photo_file")
def _delete_file(sender, instance, **kwargs):  # pylint: disable=unused-argument
    """Any deletion of an introduction (a retired learner's, a deleted course's) removes its photo once committed."""
    _forget_later(instance.photo_name)


def _too_many_pixels():
    return ValidationError(
        _("This image is too large in pixels: at most {pixels} million pixels and {side} pixels on a side. "
          "Make it smaller and upload it again.").format(pixels=conf("PHOTO_MAX_PIXELS") // 1_000_000,
                                                         side=conf("PHOTO_MAX_SIDE")),
        fields={"file": _("Too many pixels.")})


def clean_photo(content):
    """The photo as a square JPEG re-encoded from its pixels alone; ValidationError / UnsupportedMediaType with a
    message for the person."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # pylint: disable=import-outside-toplevel

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(content), formats=FORMATS)
            width, height = image.size
            if width * height > conf("PHOTO_MAX_PIXELS") or max(width, height) > conf("PHOTO_MAX_SIDE"):
                raise _too_many_pixels()
            image.load()
            image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
            raise _too_many_pixels() from err
        except UnidentifiedImageError as err:
            raise UnsupportedMediaType(_("This file is not an image we can show: upload a JPEG, PNG, GIF or WebP "
                                         "image."), fields={"file": _("Not a JPEG, PNG, GIF or WebP image.")}) from err
        except (OSError, ValueError, SyntaxError, EOFError) as err:
            raise ValidationError(_("This image is damaged or incomplete. Try saving it again and upload it then."),
                                  fields={"file": _("Damaged image.")}) from err
    image = image.convert("RGBA")
    flat = Image.new("RGB", image.size, (255, 255, 255))  # transparency over white; only the pixels go across
    flat.paste(image, mask=image.getchannel("A"))
    side = conf("PHOTO_SIDE")
    square = ImageOps.fit(flat, (min(side, *flat.size),) * 2, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def upload_photo(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Put a photo (``file``) on the person's own introduction, replacing the one it had."""
    ctx.require_writable()
    data = data_dict(data)
    upload = (data.get("files") or {}).get("file")
    if upload is None:
        raise ValidationError(_("Choose a file to upload."), fields={"file": _("Required.")})
    intro = Introduction.objects.filter(placement_id=ctx.placement.id, user_id=ctx.user.id).first()
    if intro is None:
        raise PermissionDenied(_("Post your introduction first; then you can add a photo."))
    limit = conf("PHOTO_MAX_BYTES")
    too_large = _("This image is too large: at most {size} MB.").format(size=limit // (1024 * 1024))
    if upload.size > limit:
        raise PayloadTooLarge(too_large, fields={"file": too_large})
    try:
        content = upload.read(limit)
    except PayloadTooLarge as err:
        raise PayloadTooLarge(too_large, fields={"file": too_large}) from err
    if not content:
        raise ValidationError(_("This file is empty."), fields={"file": _("Empty.")})
    if not ratelimit.hit(f"introductions-photo:{ctx.user.id}", conf("PHOTOS_PER_WINDOW"), 600):
        raise RateLimited(_("You have uploaded many files in a short time. Please wait a few minutes."))
    clean = clean_photo(content)
    name = default_storage.save(f"{conf('STORAGE_PREFIX')}/{ctx.placement.id}/{uuid.uuid4().hex}.jpg",
                                ContentFile(clean))
    try:
        with transaction.atomic():
            old = (Introduction.objects.select_for_update().filter(id=intro.id)
                   .values_list("photo_name", flat=True).first())
            Introduction.objects.filter(id=intro.id).update(photo_name=name)
            _forget_later(old)
    except Exception:
        _remove_file(name)
        raise
    ctx.emit(EVENT_PREFIX + "photo.uploaded", {"introduction_id": intro.id, "size": len(clean)})
    return {"id": intro.id, "has_photo": True}


def remove_photo(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Take the photo off the person's own introduction."""
    ctx.require_writable()
    data_dict(data)
    with transaction.atomic():
        intro = (Introduction.objects.select_for_update().filter(placement_id=ctx.placement.id, user_id=ctx.user.id)
                 .first())
        if intro is None or not intro.photo_name:
            raise NotFound(_("You have no photo here."))
        Introduction.objects.filter(id=intro.id).update(photo_name="")
        _forget_later(intro.photo_name)
    return {"id": intro.id, "has_photo": False}


def photo(ctx, data, settings=None):  # pylint: disable=unused-argument
    """The photo of introduction ``id``, for people who may read it; 404 for anyone else."""
    intro = readable_introduction(ctx, ident(data_dict(data)))
    missing = NotFound(_("This photo does not exist, or it is not shared with you."))
    if not intro.photo_name:
        raise missing
    try:
        with default_storage.open(intro.photo_name, "rb") as handle:
            content = handle.read()
    except (OSError, ValueError) as err:
        log.warning("Photo %s is missing from storage", intro.photo_name)
        raise missing from err
    return FileAnswer(content=content, content_type="image/jpeg", filename=f"photo-{intro.id}.jpg")


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    return {}, {}


ACTIONS = {
    "upload_photo": Action(run=upload_photo, kind=UPLOAD),
    "remove_photo": Action(run=remove_photo),
    "photo": Action(run=photo, writes=False, kind=FILE),
}
