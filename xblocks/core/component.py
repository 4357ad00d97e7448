"""The component contract: what every component declares once, and the registry both front doors read.

A component (the cohort forum, the reflection blog, ...) is one folder with its own Django app. It
declares a :class:`Component` in its ``frontdoor.py`` and registers it from its ``AppConfig.ready()``
with :func:`register`. From that one declaration:

- the XBlock's author fields, Studio's form and its validation (:func:`xblocks.core.xblock_base.component_mixin`),
  the LTI tool's Deep Linking form and the custom parameters of a link are all derived from
  :attr:`Component.settings` (a list of :class:`Setting`) and :attr:`Component.validate`;
- both doors run the page's actions through :func:`xblocks.core.actions.run_action` over
  :attr:`Component.actions` (which write, which contribute, which draft they forget);
- both doors render :attr:`Component.page` (templates, init data, JavaScript entry point, CSS, the JS
  string catalogue) the same way;
- insights read :attr:`Component.summary` and nothing else of the component.

Nothing here knows XBlock or LTI beyond building XBlock field objects for the XBlock door.
"""
import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from django.utils.translation import gettext_noop

_ = gettext_noop


def ngettext_noop(singular, plural):
    """Mark a plural pair for translation (it is translated when shown)."""
    return (singular, plural)


# The strings of the shared front end (xblocks/core/static/core/): in every component's catalogue.
CORE_JS_STRINGS = (
    _("Draft kept on this device; it will be sent when the connection is back."),
    _("Draft restored."),
    _("Draft saved."),
    _("Mention suggestions: use the up and down arrow keys, then Enter."),
    _("Please correct the marked field."),
    _("The draft could not be saved: {message}"),
)
CORE_JS_PLURALS = (
    ngettext_noop("{count} character left", "{count} characters left"),
    ngettext_noop("{count} character too many", "{count} characters too many"),
)

TEXT = "text"
MULTILINE = "multiline"
CHOICE = "choice"
BOOLEAN = "boolean"
INTEGER = "integer"
FLOAT = "float"
KINDS = (TEXT, MULTILINE, CHOICE, BOOLEAN, INTEGER, FLOAT)


@dataclass(frozen=True)
class Setting:
    """One author setting: everything Studio's form, the Deep Linking form and a link's custom
    parameters need. ``label`` and ``help`` are marked, untranslated strings (translated when shown).

    ``choices``: ``[{"value", "display_name"}]`` for :data:`CHOICE`; ``minimum``/``maximum``/``step``
    for numbers; ``max_length`` for text; ``follows_language``: while the value is still the default,
    each person sees the default in their own language (the default name and guidelines); ``strip``:
    kept without surrounding spaces.
    """

    name: str
    kind: str
    default: object
    label: str
    help: str = ""
    choices: tuple = ()
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    step: Optional[float] = None
    max_length: Optional[int] = None
    follows_language: bool = False
    strip: bool = False

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown setting kind {self.kind!r}")

    def xblock_field(self):
        """The XBlock field (``Scope.settings``) for this setting."""
        from xblock.fields import Boolean, Float, Integer, Scope, String  # pylint: disable=import-outside-toplevel

        options = {"display_name": self.label, "help": self.help, "scope": Scope.settings, "default": self.default}
        if self.kind in (TEXT, MULTILINE, CHOICE):
            if self.kind == MULTILINE:
                options["multiline_editor"] = True
            if self.kind == CHOICE:
                options["values"] = [dict(choice) for choice in self.choices]
            return String(**options)
        if self.kind == BOOLEAN:
            return Boolean(**options)
        values = {key: value for key, value in (("min", self.minimum), ("max", self.maximum), ("step", self.step))
                  if value is not None}
        if values:
            options["values"] = values
        return (Integer if self.kind == INTEGER else Float)(**options)

    def problem(self, value):
        """What the spec alone finds wrong with a converted value (a marked message with ``{label}``,
        ``{minimum}``, ``{maximum}``), or None."""
        if self.kind in (TEXT, MULTILINE) and self.max_length and isinstance(value, str) and len(value) > self.max_length:
            return _("“{label}” is too long: at most {maximum} characters.")
        if self.kind == CHOICE and value not in [choice["value"] for choice in self.choices]:
            return _("Choose one of the offered values for “{label}”.")
        if self.kind in (INTEGER, FLOAT) and isinstance(value, (int, float)):
            if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
                return _("“{label}” is out of range.")
        return None

    def convert(self, value):
        """A submitted value (a form's text, a link's JSON) as the Python value; ValueError/TypeError when
        it is of the wrong kind. The same conversion as the XBlock field's ``from_json``."""
        value = self.xblock_field().from_json(value)
        if self.strip and isinstance(value, str):
            value = value.strip()
        return value


# What an action reads and answers (see :mod:`xblocks.core.files`): JSON in and out; an upload (a multipart
# form: its text fields and ``files``) answered with JSON; JSON in and a file (bytes) out.
JSON = "json"
UPLOAD = "upload"
FILE = "file"
ACTION_KINDS = (JSON, UPLOAD, FILE)


@dataclass(frozen=True)
class Action:
    """One thing the page asks the server: ``run(ctx, data, settings)`` returns JSON-ready data (a
    :class:`~xblocks.core.files.FileAnswer` for ``kind`` :data:`FILE`) or raises an
    :class:`~xblocks.core.errors.ApiError`.

    ``kind``: :data:`JSON` (the default), :data:`UPLOAD` (``data`` is the multipart form's text fields and
    ``files``: ``{name: Upload}``) or :data:`FILE` (answers bytes with safe headers, not JSON; errors keep the
    one JSON shape).

    ``writes``: refused while the context is read-only (staff viewing as a learner). ``contributes``:
    counts towards participation (score and completion are reported after it). ``forgets_draft``:
    ``(data, result) -> draft key`` of the draft the action used up.
    """

    run: Callable
    writes: bool = True
    contributes: bool = False
    forgets_draft: Optional[Callable] = None
    kind: str = JSON

    def __post_init__(self):
        if self.kind not in ACTION_KINDS:
            raise ValueError(f"unknown action kind {self.kind!r}")
        if self.kind == FILE and self.contributes:
            raise ValueError("an action answering a file cannot count as a contribution")


@dataclass(frozen=True)
class Participation:
    """How participation is counted: ``count(ctx, settings)`` contributions so far; the settings naming how many
    are required (0 completes on viewing) and whether the component is graded."""

    count: Callable
    required_setting: str = "participation_required"
    graded_setting: str = "has_score"

    def required(self, settings):
        return settings.get(self.required_setting) or 0

    def max_score(self, settings):
        """The participation score's maximum (contributions required), or None when ungraded."""
        required = self.required(settings)
        return required if settings.get(self.graded_setting) and required > 0 else None


@dataclass(frozen=True)
class Page:
    """The component's page, the same in both doors.

    ``template``: the page (given ``init_json`` and ``uid`` besides :attr:`data`'s context);
    ``closed_template``: shown with ``message`` when the person cannot take part; ``author_template``:
    Studio's preview. ``js``/``css``: files inside the component's package; ``entry_point``: the JS
    function both runtimes call (``window.<entry_point>(runtime, element, args)``).
    ``data(ctx, settings, *, urls, drafts, completed, complete_on_view, gettext, ngettext)`` returns
    ``(init, context)``; ``base_context(settings, gettext)`` what every template shows;
    ``author_context(settings, gettext)`` the preview's context.
    """

    template: str
    closed_template: str
    author_template: str
    js: tuple
    css: tuple
    entry_point: str
    data: Callable
    base_context: Callable
    author_context: Callable
    client_args: tuple = ("urls", "handlers", "settings", "roles")
    sign_in_message: str = _("Sign in to take part.")


@dataclass(frozen=True)
class Component:
    """What a component declares once (see the module docstring).

    ``key``: stable id (placements, LTI links, the tool's URLs); ``block_type``: the XBlock's entry point
    name; ``package``: the Python package holding its templates and static files; ``validate(values,
    gettext, known_teamsets=None)`` returns ``{setting: message}``; ``update_drafts(drafts, data,
    gettext)`` returns ``(drafts, result)``; ``js_strings``/``js_plurals``: every string the JavaScript
    shows, translated into its init data; ``summary(context_key)``: a read-only summary for insights.
    """

    key: str
    block_type: str
    title: str
    package: str
    settings: tuple
    validate: Callable
    actions: dict
    page: Page
    participation: Participation
    update_drafts: Callable
    js_strings: tuple = ()
    js_plurals: tuple = ()
    # (context, text) pairs: strings whose translation depends on what they are said of (see core.js p_).
    js_context_strings: tuple = ()
    i18n_namespace: str = ""
    summary: Optional[Callable] = None
    extra: dict = field(default_factory=dict)

    # ----- settings ------------------------------------------------------------------------------
    @property
    def setting_names(self):
        return tuple(s.name for s in self.settings)

    def setting(self, name):
        return next(s for s in self.settings if s.name == name)

    @property
    def defaults(self):
        return {s.name: s.default for s in self.settings}

    @property
    def language_defaults(self):
        """The settings whose default follows each person's language."""
        return tuple(s.name for s in self.settings if s.follows_language)

    def shown(self, name, value, gettext):
        """A setting as people see it: translated while it is still the default text."""
        default = self.setting(name).default
        return gettext(default) if value == default and self.setting(name).follows_language else value

    def convert_settings(self, submitted, gettext):
        """Submitted settings as Python values: ``(values, errors)``; names not declared are ignored,
        ``errors``: {name: message} for each value of the wrong kind."""
        values, errors = {}, {}
        for spec in self.settings:
            if spec.name not in submitted:
                continue
            try:
                values[spec.name] = spec.convert(submitted[spec.name])
            except (TypeError, ValueError):
                errors[spec.name] = gettext(_("“{label}” has a value of the wrong kind.")).format(
                    label=gettext(spec.label))
        return values, errors

    def check(self, values, gettext, known_teamsets=None):
        """Every problem with a complete set of settings: the component's own messages, then what the spec
        alone tells (text too long, a value outside the choices or the range) for the settings the
        component said nothing about. Studio's form and the tool's links both call this."""
        errors = dict(self.validate(values, gettext, known_teamsets))
        for spec in self.settings:
            if spec.name in errors or spec.name not in values:
                continue
            message = spec.problem(values[spec.name])
            if message:
                errors[spec.name] = gettext(message).format(label=gettext(spec.label), minimum=spec.minimum,
                                                            maximum=spec.max_length or spec.maximum)
        return errors

    def clean_settings(self, submitted, gettext, known_teamsets=None):
        """Complete, converted and validated settings: ``(settings, errors)``."""
        values, errors = self.convert_settings(submitted, gettext)
        settings = {**self.defaults, **values}
        if not errors:
            errors = self.check(settings, gettext, known_teamsets)
        return settings, errors

    # ----- actions -------------------------------------------------------------------------------
    def action_kind(self, name):
        """What action ``name`` reads and answers (``save_draft`` and unknown names: JSON)."""
        action = self.actions.get(name)
        return action.kind if action is not None else JSON

    @property
    def handlers(self):
        """Every action's name: the XBlock handlers and the tool's ``api/v1/<key>/<name>/`` endpoints."""
        return tuple(self.actions) + ("save_draft",)

    def catalog(self, gettext, ngettext):
        """The JavaScript's strings in the person's language (the component's and the shared front end's):
        ``{"strings": {...}, "plurals": {...}}``."""
        strings = {text: gettext(text) for text in CORE_JS_STRINGS + tuple(self.js_strings)}
        for context, text in self.js_context_strings:
            key = f"{context}\x04{text}"
            translated = gettext(key)  # how gettext keys a string with a context, as Django's pgettext does
            strings[key] = text if "\x04" in translated else translated
        plurals = {singular: {"one": ngettext(singular, plural, 1), "other": ngettext(singular, plural, 2)}
                   for singular, plural in CORE_JS_PLURALS + tuple(self.js_plurals)}
        return {"strings": strings, "plurals": plurals}


def dom_id(prefix, key):
    """An id for a component's root element, unique on the page: ``prefix`` + the placement's key."""
    return prefix + re.sub(r"[^A-Za-z0-9_-]", "-", str(key))


_REGISTRY = {}


def register(component):
    """Add a component to the registry (from its app's ``ready()``); registering the same key twice
    with another declaration is an error."""
    existing = _REGISTRY.get(component.key)
    if existing is not None and existing is not component:
        raise ValueError(f"component {component.key!r} is registered already")
    _REGISTRY[component.key] = component
    return component


def get(key):
    """The registered component with that key, or None."""
    return _REGISTRY.get(key)


def all_components():
    """Every registered component, in registration order."""
    return list(_REGISTRY.values())


def for_block_type(block_type):
    return next((c for c in _REGISTRY.values() if c.block_type == block_type), None)
