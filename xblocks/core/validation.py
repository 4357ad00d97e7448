"""Input validation every component's api uses: each helper reads one value of a request's JSON data and
returns it clean, or raises :class:`~xblocks.core.errors.ValidationError` with a message for the person
and ``fields`` naming the value at fault (both front doors turn it into the one error shape, 400).
"""
import re

from django.utils.translation import gettext as _

from .errors import ValidationError

_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


def data_dict(data):
    """The request data as a dict (front doors pass the decoded JSON body)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValidationError(_("The request must be a JSON object."))
    return data


def text(data, name, label, maximum, required=True, multiline=False):
    """A text field: trimmed (multi-line text keeps its indentation), never empty if required, never too long."""
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(_("{label} must be text.").format(label=label), fields={name: _("Must be text.")})
    value = value.replace("\x00", "")
    if multiline:
        value = _LEADING_BLANK_LINES.sub("", value.replace("\r\n", "\n")).rstrip()
    else:
        value = value.strip()
    if required and not value.strip():
        message = _("{label} cannot be empty.").format(label=label)
        raise ValidationError(message, fields={name: message})
    if len(value) > maximum:
        message = _("{label} is too long: {count} characters, at most {maximum}.").format(
            label=label, count=len(value), maximum=maximum
        )
        raise ValidationError(message, fields={name: message})
    return value


def flag(data, name, default=False):
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise ValidationError(_("'{name}' must be true or false.").format(name=name), fields={name: _("Must be true or false.")})
    return value


def ident(data, name="id"):
    value = data.get(name)
    message = _("A valid '{name}' is required.").format(name=name)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValidationError(message, fields={name: _("Required.")})
    try:
        value = int(value)
    except ValueError as err:
        raise ValidationError(message, fields={name: _("Required.")}) from err
    if value <= 0 or value > 2**62:
        raise ValidationError(message, fields={name: _("Required.")})
    return value


def positive_int(data, name, default):
    value = data.get(name, default)
    if value in (None, ""):
        return default
    if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
        raise ValidationError(_("'{name}' must be a whole number.").format(name=name), fields={name: _("Invalid.")})
    try:
        value = int(value)
    except (TypeError, ValueError) as err:
        raise ValidationError(_("'{name}' must be a whole number.").format(name=name),
                              fields={name: _("Invalid.")}) from err
    if value < 1 or value > 100000:
        raise ValidationError(_("'{name}' is out of range.").format(name=name), fields={name: _("Invalid.")})
    return value


def choice(data, name, choices, default):
    value = data.get(name) or default
    if not isinstance(value, str) or value not in choices:
        raise ValidationError(
            _("'{value}' is not a valid {name}; choose one of: {choices}.").format(
                value=str(value)[:40], name=name, choices=", ".join(choices)
            ),
            fields={name: _("Invalid choice.")},
        )
    return value
