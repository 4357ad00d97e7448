"""Uploads in and files out: what an action of kind ``upload`` receives and an action of kind ``file`` answers.

Both front doors read an upload the same way (:func:`check_upload_request`, then :func:`upload_data`) and
answer a :class:`FileAnswer` with the same headers (:meth:`FileAnswer.headers`); every refusal is an
:class:`~xblocks.core.errors.ApiError`, so the answer has the one error shape.

- An upload is a ``multipart/form-data`` POST of at most ``SOCIAL_LEARNING["UPLOAD_MAX_BYTES"]`` (25 MiB by
  default; a component checks its own, smaller limits per file): larger, 413 before the body is read;
  another content type, 415. The action's ``data`` holds the form's text fields and ``files``:
  ``{field name: Upload}``.
- A file answer is bytes, never JSON: its content type is the one the component determined from the bytes
  (never the name a person gave), with ``X-Content-Type-Options: nosniff``, a ``Content-Disposition``, a
  ``Content-Security-Policy`` that lets nothing run (``default-src 'none'; sandbox``) and
  ``Cache-Control: private, no-store`` (who may read it can change at any time).
"""
from dataclasses import dataclass
from urllib.parse import quote

from django.utils.translation import gettext as _

from .errors import PayloadTooLarge, UnsupportedMediaType, ValidationError
from .settings import conf

MULTIPART = "multipart/form-data"
MAX_FIELDS = 20


@dataclass
class Upload:
    """One file of an upload: the name and content type the browser gave (information only: never trusted),
    its size in bytes and a binary file object."""

    name: str
    content_type: str
    size: int
    file: object

    def read(self, limit):
        """The file's bytes; PayloadTooLarge when it holds more than ``limit``."""
        self.file.seek(0)
        data = self.file.read(limit + 1)
        if len(data) > limit:
            raise PayloadTooLarge(_("This file is too large."))
        return data


@dataclass
class FileAnswer:
    """What an action of kind ``file`` returns: ``content`` (bytes), its ``content_type``, the ``filename`` a
    download gets, and whether a browser may show it in the page (``inline``) or must save it."""

    content: bytes
    content_type: str
    filename: str
    inline: bool = True

    def headers(self):
        """The response headers both doors send (besides Content-Type and Content-Length)."""
        ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in self.filename)
        disposition = "inline" if self.inline else "attachment"
        return {
            "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(self.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
            "Cross-Origin-Resource-Policy": "same-origin",
        }


def check_upload_request(content_type, content_length):
    """Refuse an upload before its body is read: not multipart (415), larger than the limit (413)."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type != MULTIPART:
        raise UnsupportedMediaType(_("Send this file as a form upload (Content-Type: multipart/form-data)."))
    try:
        length = int(content_length or 0)
    except (TypeError, ValueError):
        length = 0
    limit = conf("UPLOAD_MAX_BYTES")
    if length > limit:
        raise PayloadTooLarge(_("This file is too large: at most {size} MB can be sent at once.").format(
            size=round(limit / (1024 * 1024), 1)))


def upload_data(fields, files):
    """The action's data: ``fields`` (``(name, text)`` pairs) and ``files`` (``(name, Upload)`` pairs); at most
    :data:`MAX_FIELDS` of each; a name given twice keeps its first value."""
    fields, files = list(fields), list(files)
    if len(fields) > MAX_FIELDS or len(files) > MAX_FIELDS:
        raise ValidationError(_("This upload has too many fields."))
    data = {}
    for name, value in fields:
        data.setdefault(name, value)
    data["files"] = {}
    for name, upload in files:
        data["files"].setdefault(name, upload)
    return data
