"""The components the tool serves, and their author settings as LTI custom parameters.

A Deep Linking response puts the settings in the link's custom parameters: ``sls_component``
(which component) and ``sls_settings`` (the settings as one line of JSON, so that platforms that
store custom parameters as ``key=value`` lines, such as Moodle, keep multi-line text intact). A
plain custom parameter named after a setting (``group_scope=course``) overrides it, so an
administrator can also configure a link by hand. Values are converted and validated by the
forum's front-door module, as Studio's form is (the block's fields convert them, and
``frontdoor.validate_settings`` checks them), so a link accepts exactly what Studio accepts.
"""
import json

from django.utils.translation import gettext as _

from xblocks.cohort_forum import frontdoor

from .models import FORUM

COMPONENT_PARAM = "sls_component"
SETTINGS_PARAM = "sls_settings"
# The learner's cohort, when the platform sends it (e.g. a custom parameter with a substitution).
GROUP_PARAMS = ("cohort", "group")


class SettingsError(Exception):
    """Settings refused: every message, and ``fields`` ({setting name: message}) where a setting is at fault."""

    def __init__(self, messages, fields=None):
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))
        self.fields = dict(fields or {})


def forum_defaults():
    return dict(frontdoor.DEFAULTS)


# The default name and guidelines follow each learner's language (see the block's ``shown_name``).
TRANSLATED_DEFAULTS = ("display_name", "guidelines")


def _same_text(a, b):
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def shown_defaults(values):
    """Form values with the default name and guidelines in the instructor's language."""
    defaults = forum_defaults()
    return {**values, **{name: _(defaults[name]) for name in TRANSLATED_DEFAULTS if values.get(name) == defaults[name]}}


def kept_defaults(values):
    """Submitted values with an unchanged, translated default name or guidelines stored as the default, so
    that it keeps following each learner's language."""
    defaults = forum_defaults()
    return {**values, **{name: defaults[name] for name in TRANSLATED_DEFAULTS
                         if isinstance(values.get(name), str) and _same_text(values[name], _(defaults[name]))}}


def clean_forum_settings(values):
    """Convert and validate forum settings as Studio does; returns the full settings dict.

    Raises :class:`SettingsError` with every message when a value is bad.
    """
    if not isinstance(values, dict):
        raise SettingsError([_("The settings could not be read.")])
    converted, errors = frontdoor.convert_settings(values, _)
    settings = {**forum_defaults(), **converted}
    if not errors:
        errors = frontdoor.validate_settings(settings, _)  # teams in the tool are groups managed by the instructor
    if errors:
        raise SettingsError(errors.values(), fields=errors)
    return settings


def settings_from_custom(custom):
    """(component, settings) from a launch's custom claim; raises :class:`SettingsError`."""
    custom = custom if isinstance(custom, dict) else {}
    component = custom.get(COMPONENT_PARAM) or FORUM
    if component != FORUM:
        raise SettingsError([_("This link asks for a component the tool does not have (“{name}”).").format(
            name=str(component)[:100])])
    values = {}
    raw = custom.get(SETTINGS_PARAM)
    if raw not in (None, ""):
        try:
            values = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError as err:
            raise SettingsError([_("This link's settings could not be read. Add the activity again.")]) from err
        if not isinstance(values, dict):
            raise SettingsError([_("This link's settings could not be read. Add the activity again.")])
    for name in frontdoor.EDITABLE:
        if name in custom and name != SETTINGS_PARAM:
            values[name] = custom[name]
    return component, clean_forum_settings(values)


def custom_params(component, settings):
    """The custom parameters that carry a component's settings in a link."""
    defaults = forum_defaults()
    changed = {k: v for k, v in settings.items() if defaults.get(k) != v}
    return {COMPONENT_PARAM: component, SETTINGS_PARAM: json.dumps(changed, separators=(",", ":"), ensure_ascii=False)}


def group_from_custom(custom):
    """The cohort name the platform sent, or "" (absent, empty, or an unexpanded ``$Variable``)."""
    custom = custom if isinstance(custom, dict) else {}
    for name in GROUP_PARAMS:
        value = custom.get(name)
        if isinstance(value, str) and value.strip() and not value.strip().startswith("$"):
            return value.strip()[:255]
    return ""
