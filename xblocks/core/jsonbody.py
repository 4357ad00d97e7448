"""Reading a JSON request body, the same way in both front doors: every failure is an ApiError (the one
error shape with a 4xx), never a 500 or an HTML page.

- over ``SOCIAL_LEARNING["REQUEST_MAX_BYTES"]`` (256 KiB by default; the longest text a component accepts
  is far smaller): 413;
- a form's content type (or any other that is not JSON or plain text, which ``fetch`` sends for a string
  body and WSGI servers assume when none is given): 415;
- not UTF-8, not JSON, nested too deeply for the parser (``[`` x 100,000): 400;
- JSON that is not an object: 400.
"""
import json

from django.utils.translation import gettext as _

from .errors import PayloadTooLarge, UnsupportedMediaType, ValidationError
from .settings import conf

JSON_TYPES = ("application/json", "text/plain", "")


def parse(body, content_type):
    """The request's JSON object (a dict); ``body``: bytes, ``content_type``: the header's media type."""
    if len(body or b"") > conf("REQUEST_MAX_BYTES"):
        raise PayloadTooLarge(_("This request is too large to be read. Shorten your text and try again."))
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type not in JSON_TYPES:
        raise UnsupportedMediaType(_("Send this request as JSON (Content-Type: application/json)."))
    try:
        data = json.loads((body or b"").decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError) as err:
        raise ValidationError(_("The request could not be read: it is not valid JSON."), code="invalid") from err
    except RecursionError as err:
        raise ValidationError(_("The request could not be read: it is nested too deeply."), code="invalid") from err
    if not isinstance(data, dict):
        raise ValidationError(_("The request body must be a JSON object."), code="invalid")
    return data
