"""Images and short videos of entries.

- **Images** are uploaded (at most ``IMAGE_MAX_BYTES``), opened with Pillow, refused when they are not a JPEG,
  PNG, GIF or WebP image, when they claim more than ``IMAGE_MAX_PIXELS`` pixels or a side longer than
  ``IMAGE_MAX_SIDE`` (a decompression bomb is refused before its pixels are decoded), then turned by their
  orientation, scaled to fit ``IMAGE_STORED_SIDE`` and re-encoded (PNG when they have transparency, else JPEG)
  from their pixels alone: no EXIF (no GPS position), no comments, no colour profile, nothing that could run.
  Alt text is required.
- **Videos** are a link to YouTube or Vimeo (embedded from the platform's own privacy-friendly player address,
  built here from the video's id: never an address a person typed) or an upload of at most
  ``VIDEO_MAX_BYTES`` whose container (MP4, WebM, Ogg) is recognised by its bytes, never by its name.
- Files are kept in Django's storage (``default_storage``: the platform's storage in Open edX, ``MEDIA_ROOT``
  in the sandbox) under a random name, as :class:`~xblocks.reflection_blog.models.Media` rows.
- Served by the ``media_file`` action only to people who may read the entry (``api.readable_entry``: anyone
  else gets 404, as for an id that does not exist), or to their owner while the entry is a draft; with the
  content type found here, ``nosniff``, a ``Content-Disposition`` and a CSP that lets nothing run.
- A draft's media are the owner's media without an entry; the page lists them so that a reload keeps them, and
  ``api`` calls :func:`attach` inside the entry's transaction with the ids the form sent (``data["media"]``).
- Deleting a media item, or its entry (``api.delete_entry`` calls :func:`delete_of_entry`), deletes its files from
  storage once the transaction is committed; so does any deletion of its row (a retired learner's data).
"""
import io
import logging
import re
import uuid
import warnings
from urllib.parse import parse_qs, urlsplit

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xblocks.core import ratelimit
from xblocks.core.component import FILE, UPLOAD, Action, ngettext_noop
from xblocks.core.errors import NotFound, PayloadTooLarge, RateLimited, UnsupportedMediaType, ValidationError
from xblocks.core.files import FileAnswer
from xblocks.core.settings import component_conf
from xblocks.core.validation import data_dict, ident, text

from .models import Media

log = logging.getLogger(__name__)
KEY = "reflection_blog"
EVENT_PREFIX = "social_learning.blog."
DEFAULTS = {
    "IMAGE_MAX_BYTES": 8 * 1024 * 1024,
    "IMAGE_MAX_PIXELS": 40_000_000,
    "IMAGE_MAX_SIDE": 12_000,
    "IMAGE_STORED_SIDE": 2_000,
    "VIDEO_MAX_BYTES": 20 * 1024 * 1024,
    "MEDIA_PER_ENTRY": 10,
    # Unattached uploads (a draft's) a person may keep per blog.
    "DRAFT_MEDIA_MAX": 20,
    # Uploads per person per window.
    "UPLOADS_PER_WINDOW": 20,
    "UPLOAD_WINDOW_SECONDS": 600,
    "STORAGE_PREFIX": "social_learning/reflection_blog",
}
ALT_MAX = 500
IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")


def conf(name):
    return component_conf(KEY, name, DEFAULTS)


def _mb(size):
    return f"{round(size / (1024 * 1024), 1):g}"


# ----- storage ------------------------------------------------------------------------------------------
def _store(ctx, content, extension):
    name = f"{conf('STORAGE_PREFIX')}/{ctx.placement.id}/{uuid.uuid4().hex}.{extension}"
    return default_storage.save(name, ContentFile(content))


def _remove_file(name):
    try:
        default_storage.delete(name)
    except Exception:  # pylint: disable=broad-except  # a file left behind must not undo the deletion
        log.exception("Could not delete the media file %s", name)


@receiver(post_delete, sender=Media, dispatch_uid="reflection_blog_media_file")
def _delete_file(sender, instance, **kwargs):  # pylint: disable=unused-argument
    """Any deletion of a media row (one item, its entry, a retired learner) removes its file once committed."""
    if instance.file_name:
        name = instance.file_name
        transaction.on_commit(lambda: _remove_file(name))


def delete_of_entry(entry_id):
    """An entry deleted by its author or staff: its media go, files included (inside the entry's transaction;
    one statement, whatever deleted the entry; a whole blog or a retirement deletes its media itself)."""
    Media.objects.filter(entry_id=entry_id).delete()


# ----- images -------------------------------------------------------------------------------------------
def clean_image(content):
    """``(bytes, content type, extension, width, height)`` of the image re-encoded from its pixels alone; or
    ValidationError / UnsupportedMediaType with a message for the person."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # pylint: disable=import-outside-toplevel

    not_image = UnsupportedMediaType(_("This file is not an image we can show: upload a JPEG, PNG, GIF or WebP "
                                       "image."), fields={"file": _("Not a JPEG, PNG, GIF or WebP image.")})
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(content), formats=IMAGE_FORMATS)
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as err:
            raise not_image from err
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
            raise _too_many_pixels() from err
        width, height = image.size
        if width * height > conf("IMAGE_MAX_PIXELS") or max(width, height) > conf("IMAGE_MAX_SIDE"):
            raise _too_many_pixels()
        try:
            image.load()
            image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
            raise _too_many_pixels() from err
        except (OSError, ValueError, SyntaxError, EOFError) as err:
            raise ValidationError(_("This image is damaged or incomplete. Try saving it again and upload it then."),
                                  fields={"file": _("Damaged image.")}) from err
    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if alpha else "RGB")
    side = conf("IMAGE_STORED_SIDE")
    if max(image.size) > side:
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
    clean = Image.new(image.mode, image.size)  # only the pixels go across: no metadata, profile or text chunks
    clean.paste(image)
    out = io.BytesIO()
    if alpha:
        clean.save(out, "PNG", optimize=True)
        kind, extension = "image/png", "png"
    else:
        clean.save(out, "JPEG", quality=85, optimize=True)
        kind, extension = "image/jpeg", "jpg"
    return out.getvalue(), kind, extension, clean.size[0], clean.size[1]


def _too_many_pixels():
    return ValidationError(
        _("This image is too large in pixels: at most {pixels} million pixels and {side} pixels on a side. "
          "Make it smaller and upload it again.").format(pixels=conf("IMAGE_MAX_PIXELS") // 1_000_000,
                                                         side=conf("IMAGE_MAX_SIDE")),
        fields={"file": _("Too many pixels.")})


# ----- videos -------------------------------------------------------------------------------------------
MP4_BRANDS = (b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"qt  ", b"dash",
              b"mmp4", b"3gp4", b"3gp5")


def video_container(head):
    """``(content type, extension)`` of a video container recognised by its first bytes, or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return ("video/quicktime", "mov") if head[8:12] == b"qt  " else ("video/mp4", "mp4")
    if head[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in head[:64]:
        return "video/webm", "webm"
    if head[:4] == b"OggS":
        return "video/ogg", "ogv"
    return None


YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com",
                 "www.youtube-nocookie.com")


def video_link(url):
    """``{"provider", "id", "url", "embed"}`` of a YouTube or Vimeo address, or None. ``url`` is the platform's
    canonical address and ``embed`` its player's, both built from the video's id alone."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https"):
        return None
    segments = [s for s in parts.path.split("/") if s]
    video = None
    if host == "youtu.be" and segments:
        video = segments[0]
    elif host in YOUTUBE_HOSTS:
        if segments[:1] == ["watch"]:
            video = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "live", "v"):
            video = segments[1]
    if video is not None:
        if not YOUTUBE_ID.match(video):
            return None
        return {"provider": "YouTube", "id": video, "url": f"https://www.youtube.com/watch?v={video}",
                "embed": f"https://www.youtube-nocookie.com/embed/{video}"}
    if host in ("vimeo.com", "www.vimeo.com", "player.vimeo.com") and segments:
        video = segments[1] if segments[0] == "video" and len(segments) > 1 else segments[0]
        if VIMEO_ID.match(video):
            return {"provider": "Vimeo", "id": video, "url": f"https://vimeo.com/{video}",
                    "embed": f"https://player.vimeo.com/video/{video}?dnt=1"}
    return None


# ----- what the page shows ------------------------------------------------------------------------------
def _out(item):
    """A media item as the page shows it (a dict of :meth:`QuerySet.values` or a row)."""
    get = item.get if isinstance(item, dict) else lambda name: getattr(item, name)
    out = {"id": get("id"), "kind": get("kind"), "alt": get("alt_text"), "width": get("width"),
           "height": get("height"), "content_type": get("content_type"), "size": get("size")}
    if get("kind") == Media.VIDEO_LINK:
        link = video_link(get("url")) or {}
        out.update(url=link.get("url", ""), embed=link.get("embed", ""), provider=link.get("provider", ""))
    return out


FIELDS = ("id", "entry_id", "kind", "alt_text", "width", "height", "content_type", "size", "url")


def for_entries(ctx, entry_ids):  # pylint: disable=unused-argument  # the caller read the entries for ctx
    """``{entry id: [media as the page shows it]}`` for entries the reader may read (one query)."""
    out = {}
    if not entry_ids:
        return out
    for item in Media.objects.filter(entry_id__in=list(entry_ids)).order_by("entry_id", "id").values(*FIELDS):
        out.setdefault(item["entry_id"], []).append(_out(item))
    return out


def draft_media(ctx):
    """The person's media not yet part of an entry (a draft's), newest last (one query)."""
    rows = Media.objects.filter(placement_id=ctx.placement.id, owner_id=ctx.user.id, entry__isnull=True).order_by(
        "id").values(*FIELDS)[:conf("DRAFT_MEDIA_MAX")]
    return [_out(item) for item in rows]


def attach(ctx, entry, media_ids):
    """Give the owner's media ``media_ids`` (without an entry, or already this entry's) to ``entry``, inside the
    entry's transaction; a media item that is not theirs any more refuses the whole save (nothing is written)."""
    ids = sorted(set(media_ids))
    if not ids:
        return []
    if len(ids) > conf("MEDIA_PER_ENTRY"):
        raise _too_many_per_entry()
    # Matched rows (MySQL too: Django asks it for found rows), so a media item already this entry's counts.
    attached = Media.objects.filter(pk__in=ids, owner_id=ctx.user.id, placement_id=ctx.placement.id).filter(
        Q(entry__isnull=True) | Q(entry_id=entry.id)).update(entry_id=entry.id)
    if attached < len(ids):
        raise ValidationError(_("An image or video of this entry no longer exists. Remove it from the form and "
                                "save again."), fields={"media": _("Missing.")})
    if Media.objects.filter(entry_id=entry.id).count() > conf("MEDIA_PER_ENTRY"):
        raise _too_many_per_entry()
    return ids


def _too_many_per_entry():
    return ValidationError(_("An entry can have at most {count} images and videos.").format(
        count=conf("MEDIA_PER_ENTRY")), fields={"media": _("Too many.")})


def _readable_media(ctx, media_id):
    """A media item this person may see (its entry's readers; its owner while it has no entry), or NotFound."""
    from . import api  # pylint: disable=import-outside-toplevel  # api imports this module

    item = Media.objects.filter(pk=media_id, placement_id=ctx.placement.id).first()
    missing = NotFound(_("This image or video does not exist, or it is not shared with you."))
    if item is None:
        raise missing
    if item.entry_id is None:
        if item.owner_id != ctx.user.id:
            raise missing
        return item
    try:
        api.readable_entry(ctx, item.entry_id)
    except NotFound as err:
        raise missing from err
    return item


# ----- actions --------------------------------------------------------------------------------------------
def _check_uploads(ctx):
    if not ratelimit.hit(f"blog-upload:{ctx.user.id}", conf("UPLOADS_PER_WINDOW"), conf("UPLOAD_WINDOW_SECONDS")):
        raise RateLimited(_("You have uploaded many files in a short time. Please wait a few minutes."))
    drafts = Media.objects.filter(placement_id=ctx.placement.id, owner_id=ctx.user.id, entry__isnull=True).count()
    if drafts >= conf("DRAFT_MEDIA_MAX"):
        raise ValidationError(_("Too many images and videos are waiting in your drafts (at most {count}): publish "
                                "or remove some first.").format(count=conf("DRAFT_MEDIA_MAX")),
                              fields={"file": _("Too many.")})


def upload_media(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Upload an image (``file``, ``alt``: what it shows, required) or a video (``file``, ``kind`` "video") for
    the person's draft; returns it as the page shows it."""
    ctx.require_writable()
    data = data_dict(data)
    upload = (data.get("files") or {}).get("file")
    if upload is None:
        raise ValidationError(_("Choose a file to upload."), fields={"file": _("Required.")})
    kind = data.get("kind") or Media.IMAGE
    if kind not in (Media.IMAGE, Media.VIDEO_UPLOAD):
        raise ValidationError(_("Upload an image or a video."), fields={"kind": _("Invalid.")})
    alt = text(data, "alt", _("The description of the image"), ALT_MAX, required=kind == Media.IMAGE)
    if kind == Media.IMAGE:
        limit = conf("IMAGE_MAX_BYTES")
        too_large = _("This image is too large: at most {size} MB.").format(size=_mb(limit))
    else:
        limit = conf("VIDEO_MAX_BYTES")
        too_large = _("This video is too large: at most {size} MB. Upload a shorter video, or link to it on "
                      "YouTube or Vimeo.").format(size=_mb(limit))
    if upload.size > limit:
        raise PayloadTooLarge(too_large, fields={"file": too_large})
    try:
        content = upload.read(limit)
    except PayloadTooLarge as err:
        raise PayloadTooLarge(too_large, fields={"file": too_large}) from err
    if not content:
        raise ValidationError(_("This file is empty."), fields={"file": _("Empty.")})
    _check_uploads(ctx)
    width = height = None
    if kind == Media.IMAGE:
        content, content_type, extension, width, height = clean_image(content)
    else:
        found = video_container(content[:64])
        if found is None:
            raise UnsupportedMediaType(_("This file is not a video we can show: upload an MP4, WebM or Ogg video."),
                                       fields={"file": _("Not an MP4, WebM or Ogg video.")})
        content_type, extension = found
    name = _store(ctx, content, extension)
    try:
        item = Media.objects.create(placement_id=ctx.placement.id, owner=ctx.user, kind=kind, file_name=name,
                                    content_type=content_type, size=len(content), width=width, height=height,
                                    alt_text=alt)
    except Exception:
        _remove_file(name)
        raise
    ctx.emit(EVENT_PREFIX + "media.uploaded", {"media_id": item.id, "kind": kind, "size": len(content)})
    return {"media": _out(item)}


def add_video_link(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Add a link to a video on YouTube or Vimeo (``url``, ``alt``: optional title) to the person's draft."""
    ctx.require_writable()
    data = data_dict(data)
    url = text(data, "url", _("The video's address"), Media._meta.get_field("url").max_length)
    link = video_link(url)
    if link is None:
        message = _("Paste the address of a video on YouTube or Vimeo, or upload the video file.")
        raise ValidationError(message, fields={"url": message})
    alt = text(data, "alt", _("The video's title"), ALT_MAX, required=False)
    _check_uploads(ctx)
    item = Media.objects.create(placement_id=ctx.placement.id, owner=ctx.user, kind=Media.VIDEO_LINK, url=link["url"],
                                alt_text=alt)
    ctx.emit(EVENT_PREFIX + "media.linked", {"media_id": item.id, "provider": link["provider"]})
    return {"media": _out(item)}


def delete_media(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Its owner removes an image or video (``id``), from a draft or a published entry; its file goes too."""
    ctx.require_writable()
    item = _readable_media(ctx, ident(data_dict(data)))
    if item.owner_id != ctx.user.id:
        raise NotFound(_("This image or video does not exist, or it is not shared with you."))
    with transaction.atomic():
        Media.objects.filter(pk=item.id).delete()
    ctx.emit(EVENT_PREFIX + "media.deleted", {"media_id": item.id, "entry_id": item.entry_id})
    return {"id": item.id, "deleted": True}


def media_file(ctx, data, settings=None):  # pylint: disable=unused-argument
    """The bytes of an uploaded image or video (``id``), for people who may read its entry; 404 for anyone else."""
    item = _readable_media(ctx, ident(data_dict(data)))
    if not item.file_name:
        raise NotFound(_("This video is a link: it is watched on its platform."))
    try:
        with default_storage.open(item.file_name, "rb") as handle:
            content = handle.read()
    except (OSError, ValueError) as err:
        log.warning("Media file %s is missing from storage", item.file_name)
        raise NotFound(_("This image or video does not exist, or it is not shared with you.")) from err
    extension = item.file_name.rsplit(".", 1)[-1]
    return FileAnswer(content=content, content_type=item.content_type, filename=f"media-{item.id}.{extension}")


HAS_CSS = True
ACTIONS = {
    "upload_media": Action(run=upload_media, kind=UPLOAD),
    "add_video_link": Action(run=add_video_link),
    "delete_media": Action(run=delete_media),
    "media_file": Action(run=media_file, writes=False, kind=FILE),
}

JS_STRINGS = (
    gettext_noop("Images and video"),
    gettext_noop("Image"),
    gettext_noop("Describe the image for people who cannot see it"),
    gettext_noop("Add image"),
    gettext_noop("Video file"),
    gettext_noop("Upload video"),
    gettext_noop("Or a link to a video on YouTube or Vimeo"),
    gettext_noop("Add video link"),
    gettext_noop("Remove"),
    gettext_noop("Removed."),
    gettext_noop("Uploading…"),
    gettext_noop("Added."),
    gettext_noop("Choose a file first."),
    gettext_noop("Describe the image first: people who cannot see it read this description."),
    gettext_noop("Video"),
    gettext_noop("Video on {provider}"),
    gettext_noop("Watch on {provider}"),
    gettext_noop("The image could not be loaded."),
    gettext_noop("Remove this image or video from the entry? Its file is deleted."),
    gettext_noop("Images: JPEG, PNG, GIF or WebP, at most {image} MB. Videos: MP4, WebM or Ogg, at most {video} MB."),
)
JS_PLURALS = (
    ngettext_noop("{count} image or video", "{count} images or videos"),
)


def _clean_draft_media(value, gettext):
    """The media ids a draft keeps (a list of positive integers, at most the entry's limit)."""
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(i, int) and not isinstance(i, bool) and i > 0
                                              for i in value):
        raise ValidationError(gettext("The media of the entry could not be read."),
                              fields={"media": gettext("Invalid.")})
    return value[:conf("MEDIA_PER_ENTRY")]


DRAFT_FIELDS = {"media": _clean_draft_media}


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    """``(init, context)`` this module adds to the page: the draft's media and the limits for ``blog-media.js``."""
    return {"media": {"draft": draft_media(ctx), "image_max_mb": _mb(conf("IMAGE_MAX_BYTES")),
                      "video_max_mb": _mb(conf("VIDEO_MAX_BYTES")), "per_entry": conf("MEDIA_PER_ENTRY"),
                      "alt_max": ALT_MAX}}, {}
