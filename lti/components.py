"""The components the tool serves (the registry's), and their author settings as LTI custom parameters.

A Deep Linking response puts the settings in the link's custom parameters: ``sls_component``
(which component) and ``sls_settings`` (the settings as one line of JSON, so that platforms that
store custom parameters as ``key=value`` lines, such as Moodle, keep multi-line text intact). A
plain custom parameter named after a setting (``group_scope=course``) overrides it, so an
administrator can also configure a link by hand. Values are converted and validated by the
component's declaration (:meth:`~xblocks.core.component.Component.clean_settings`), as Studio's
form is, so a link accepts exactly what Studio accepts.
"""
import json

from django.utils.translation import gettext as _

from xblocks.core import component as registry

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


def default_component():
    """The component a link without ``sls_component`` means: the first registered (links made before
    the parameter existed)."""
    return registry.all_components()[0]


def component_for(key):
    """The registered component ``key``; raises :class:`SettingsError` when the tool has none by that name."""
    component = registry.get(key) if isinstance(key, str) else None
    if component is None:
        raise SettingsError([_("This link asks for a component the tool does not have (“{name}”).").format(
            name=str(key)[:100])])
    return component


def _same_text(a, b):
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def shown_defaults(component, values):
    """Form values with the defaults that follow each person's language in the instructor's language."""
    defaults = component.defaults
    return {**values, **{name: _(defaults[name]) for name in component.language_defaults
                         if values.get(name) == defaults[name]}}


def kept_defaults(component, values):
    """Submitted values with an unchanged, translated default (name, guidelines...) stored as the default,
    so that it keeps following each learner's language."""
    defaults = component.defaults
    return {**values, **{name: defaults[name] for name in component.language_defaults
                         if isinstance(values.get(name), str) and _same_text(values[name], _(defaults[name]))}}


def clean_settings(component, values):
    """Convert and validate a component's settings as Studio does; returns the full settings dict.

    Raises :class:`SettingsError` with every message when a value is bad.
    """
    if not isinstance(values, dict):
        raise SettingsError([_("The settings could not be read.")])
    # Teams in the tool are groups managed by the instructor: no teamset list to check against.
    settings, errors = component.clean_settings(values, _)
    if errors:
        raise SettingsError(errors.values(), fields=errors)
    return settings


def settings_from_custom(custom):
    """(component key, settings) from a launch's custom claim; raises :class:`SettingsError`."""
    custom = custom if isinstance(custom, dict) else {}
    key = custom.get(COMPONENT_PARAM) or default_component().key
    component = component_for(key)
    values = {}
    raw = custom.get(SETTINGS_PARAM)
    if raw not in (None, ""):
        try:
            values = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError as err:
            raise SettingsError([_("This link's settings could not be read. Add the activity again.")]) from err
        if not isinstance(values, dict):
            raise SettingsError([_("This link's settings could not be read. Add the activity again.")])
    for name in component.setting_names:
        if name in custom and name != SETTINGS_PARAM:
            values[name] = custom[name]
    return component.key, clean_settings(component, values)


def custom_params(component, settings):
    """The custom parameters that carry a component's settings in a link."""
    defaults = component.defaults
    changed = {k: v for k, v in settings.items() if defaults.get(k) != v}
    return {COMPONENT_PARAM: component.key,
            SETTINGS_PARAM: json.dumps(changed, separators=(",", ":"), ensure_ascii=False)}


def group_from_custom(custom):
    """The cohort name the platform sent, or "" (absent, empty, or an unexpanded ``$Variable``)."""
    custom = custom if isinstance(custom, dict) else {}
    for name in GROUP_PARAMS:
        value = custom.get(name)
        if isinstance(value, str) and value.strip() and not value.strip().startswith("$"):
            return value.strip()[:255]
    return ""
