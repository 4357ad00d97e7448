"""The reflection blog's declaration for core's component contract, from which both doors are built (the
XBlock in ``block.py``, the LTI tool in ``lti/``): settings, actions, page, participation, drafts, strings,
insights summary.

The blog is built in parts, each in its own module, and this declaration merges what each part declares, so
that a part adds its settings, actions, page data, strings and script without editing the others:

- ``api`` (entries, visibility, versions, feed, filters, search, comments, kudos, flags and moderation);
- ``media`` (images and videos), ``prompts`` (prompts and completion), ``coaches`` (who coaches whom, the coach
  view), ``export`` (export), ``ownership`` (deleting a whole blog, retirement), ``quote`` (quoting an excerpt
  into a cohort forum with a link back).

Each part module may declare ``SETTINGS`` (a tuple of :class:`~xblocks.core.component.Setting`),
``validate_settings(values, gettext)`` ({name: message}), ``ACTIONS`` ({name: Action}), ``page_data(ctx,
settings, gettext)`` (``(init, context)`` merged into the page's), ``DRAFT_FIELDS`` ({name: cleaner(value,
gettext)}, values a draft keeps), ``JS_STRINGS``, ``JS_PLURALS`` and ``CSS`` (its style sheets, loaded after the
blog's); its script is
``static/reflection_blog/blog-<part>.js`` (see ``blog.js`` for the hooks it can use).

Nothing here knows XBlock or LTI. Messages are translated with the ``gettext`` the door passes; strings are
marked with a no-op ``_``.
"""
import re

from django.utils import timezone

from xblocks.core import actions as core_actions
from xblocks.core.component import BOOLEAN, CHOICE, FLOAT, INTEGER, MULTILINE, TEXT, Action, Component, Page, \
    Participation, Setting
from xblocks.core.context import ALL_GROUPS
from xblocks.core.errors import ValidationError
from xblocks.core.groups import COHORT, COURSE, TEAM
from xblocks.core.text import render_markdown

from . import api, coaches, export, media, ownership, prompts, quote
from .conf import conf
from .models import Visibility


def _(text):
    """Mark a string for translation; it is translated when shown, with the door's ``gettext``."""
    return text


def ngettext_noop(singular, plural):
    return (singular, plural)


# The parts of the blog besides the api, in the order their scripts load and their page data merges.
PARTS = (media, prompts, coaches, export, ownership, quote)

SCOPE_CHOICES = [
    {"display_name": _("Each learner's cohort"), "value": COHORT},
    {"display_name": _("Each learner's team (of a teamset)"), "value": TEAM},
    {"display_name": _("No groups: the whole course"), "value": COURSE},
]
VISIBILITY_CHOICES = [
    {"display_name": _("Only the learner"), "value": Visibility.PRIVATE},
    {"display_name": _("The learner and their coach"), "value": Visibility.COACH},
    {"display_name": _("The learner's group"), "value": Visibility.GROUP},
    {"display_name": _("The whole course"), "value": Visibility.COURSE},
]
# How the page names each level in its choice of who reads an entry.
VISIBILITY_LABELS = {
    Visibility.PRIVATE: _("Only me"),
    Visibility.COACH: _("Me and my coach"),
    Visibility.GROUP: _("My group"),
    Visibility.COURSE: _("The whole course"),
}
VISIBILITY_HINTS = {
    Visibility.PRIVATE: _("Nobody else, not even course staff."),
    Visibility.COACH: _("Your coach too; they can comment."),
    Visibility.GROUP: _("The people in your group, your coach and course staff."),
    Visibility.COURSE: _("Everyone in this course."),
}
DEFAULT_NAME = _("Reflection blog")
DEFAULT_INTRO = _(
    "Write down what you learned and how you applied it: what went well, what surprised you, what you will try "
    "next. Your coach reads what you share with them and answers here.")
NAME_MAX = 255
INTRO_MAX = 5000
AUTHOR_TAGS_MAX = 1000
REQUIREMENT_MAX = 1000

SETTINGS = (
    Setting("display_name", TEXT, DEFAULT_NAME, _("Display name"), _("The heading learners see above the blog."),
            max_length=NAME_MAX, follows_language=True, strip=True),
    Setting("intro", MULTILINE, DEFAULT_INTRO, _("Introduction"),
            _("Shown above the form where learners write (Markdown): what to reflect on, and why."),
            max_length=INTRO_MAX, follows_language=True),
    Setting("group_scope", CHOICE, COHORT, _("What “my group” means"),
            _("Learners may share an entry with their group: their cohort, their team, or nobody (no groups)."),
            choices=tuple(SCOPE_CHOICES)),
    Setting("teamset_id", TEXT, "", _("Teamset ID"),
            _("Required when groups are teams: the ID of the teamset in the course's team settings."),
            max_length=NAME_MAX, strip=True),
    Setting("default_visibility", CHOICE, Visibility.COACH, _("Who reads a new entry"),
            _("The choice a new entry starts with; learners may change it within the levels you allow."),
            choices=tuple(VISIBILITY_CHOICES)),
    Setting("allow_private", BOOLEAN, True, _("Allow private entries"),
            _("Learners may keep an entry to themselves (course staff cannot read it).")),
    Setting("allow_coach", BOOLEAN, True, _("Allow sharing with the coach only"),
            _("Learners may share an entry with their coach and nobody else.")),
    Setting("allow_group", BOOLEAN, True, _("Allow sharing with the group"),
            _("Learners may share an entry with their cohort or team (and their coach and course staff).")),
    Setting("allow_course", BOOLEAN, True, _("Allow sharing with the whole course"),
            _("Learners may share an entry with everyone in the course.")),
    Setting("author_tags", TEXT, "", _("Tags"),
            _("Tags you propose to learners, separated by commas (for example: module 1, at work, question)."),
            max_length=AUTHOR_TAGS_MAX),
    Setting("free_tags", BOOLEAN, True, _("Learners may add their own tags"),
            _("When off, learners choose only from your tags.")),
    Setting("tags_required", BOOLEAN, False, _("At least one tag required"),
            _("Learners must tag each entry.")),
    Setting("allow_comments", BOOLEAN, True, _("Comments"),
            _("People who may read an entry may comment on it (its author can close comments per entry).")),
    Setting("participation_required", INTEGER, 1, _("Entries required for completion"),
            _("How many entries a learner writes to complete this component. 0 completes it when the learner "
              "views the blog."), minimum=0, maximum=REQUIREMENT_MAX, step=1),
    Setting("has_score", BOOLEAN, False, _("Graded participation"),
            _("Give a participation score: entries written out of the number required (needs at least 1).")),
    Setting("weight", FLOAT, 1.0, _("Problem weight"),
            _("How much the participation score counts in the course grade (only when graded)."), minimum=0, step=0.1),
) + tuple(setting for part in PARTS for setting in getattr(part, "SETTINGS", ()))

MAX_DRAFTS = 20
DRAFT_KEY_RE = re.compile(r"^(new|\d{1,18}|c\d{1,18})$")

JS_STRINGS = [
    _('Add a comment'),
    _('All tags'),
    _('Cancel'),
    _('Change'),
    _('Changes saved.'),
    _('Coach comment'),
    _('Comment'),
    _('Comment deleted.'),
    _('Comment hidden. Its author and staff can still see it.'),
    _('Comment on “{title}”'),
    _('Comment posted.'),
    _('Comment shown again.'),
    _('Comments are closed on this entry.'),
    _('Could not reach the server. Your text is still here; please try again.'),
    _('Delete'),
    _('Delete this comment? This cannot be undone.'),
    _('Delete this entry? It disappears from every feed at once, with the comments people wrote on it.'),
    _('Dismiss flags'),
    _('Earlier versions'),
    _('Edit'),
    _('Edit entry'),
    _('edited'),
    _('Entry deleted.'),
    _('Entry not found: it may have been deleted, or it is no longer shared with you.'),
    _('Entry published.'),
    _('Everyone'),
    _('Filtered by tag: {tag}'),
    _('Flag'),
    _('Flag withdrawn.'),
    _('Flagged by {name}, {time}'),
    _('Flags dismissed. The entry stays as it is.'),
    _('Give kudos'),
    _('Hidden by staff: {reason}'),
    _('Hidden by the author of the entry'),
    _('Hidden from learners'),
    _('Hidden from learners.'),
    _('Hide'),
    _('Kudos given.'),
    _('More comments'),
    _('New entry'),
    _('No comments yet.'),
    _('No earlier versions.'),
    _('No entries match your search.'),
    _('No entries here yet.'),
    _('No reason given'),
    _('Nothing to review: no open flags.'),
    _('Only you and staff can see this: it was hidden by staff.'),
    _('Open'),
    _('Publish'),
    _('Reason shown to its author (optional)'),
    _('Restore'),
    _('Restored: learners can see it again.'),
    _('Save changes'),
    _('Share with'),
    _('Show'),
    _('Showing entries matching “{search}”.'),
    _('Take back kudos'),
    _('Thank you. Staff will review it.'),
    _('The newer version'),
    _('This entry was changed in another window or tab since you started these changes. The newer version is '
      'shown here; your changes are still in the form. Save them to replace it, or cancel.'),
    _('Version {version}, replaced {time}'),
    _('Who can read it'),
    _('Why are you flagging this? (optional)'),
    _('Withdraw flag'),
    _('Written by {name}'),
    _('You'),
    _("You have met this blog's participation goal."),
    _('in answer to: {prompt}'),
]
JS_PLURALS = [
    ngettext_noop('{count} comment', '{count} comments'),
    ngettext_noop('{count} kudos', '{count} kudos'),
    ngettext_noop('{count} earlier version', '{count} earlier versions'),
    ngettext_noop('Your participation: {count} of {required} entries.',
                  'Your participation: {count} of {required} entries.'),
]
I18N_NAMESPACE = "SocialReflectionBlogI18N"
CLIENT_ARGS = ("urls", "handlers", "settings", "roles")


# ----- author settings ---------------------------------------------------------------------------------
def validate_settings(values, gettext, known_teamsets=None):
    """Every problem with a complete set of author settings: {name: message}, one per field."""
    errors = {}

    def error(name, text):
        errors.setdefault(name, gettext(text))

    name = values["display_name"]
    if not isinstance(name, str) or not name.strip():
        error("display_name", _("Enter a display name: learners see it as the blog's heading."))
    if values["group_scope"] == TEAM:
        teamset = (values["teamset_id"] or "").strip()
        if not teamset:
            error("teamset_id", _("Enter the teamset ID: it is required when groups are teams."))
        else:
            known = known_teamsets() if known_teamsets is not None else None
            if known is not None and teamset not in known:
                error("teamset_id", _("This course has no teamset with that ID. Check the course's team settings."))
    allowed = [level for level in Visibility.ORDER if values.get(f"allow_{level}")]
    if values["group_scope"] == COURSE:
        allowed = [level for level in allowed if level != Visibility.GROUP]
    if not allowed:
        error("allow_private", _("Allow at least one choice of who reads an entry."))
    elif values["default_visibility"] in Visibility.ORDER and values["default_visibility"] not in allowed:
        if values["default_visibility"] == Visibility.GROUP and values["group_scope"] == COURSE:
            error("default_visibility", _("A blog without groups cannot start entries as shared with the group: "
                                          "choose another level, or what “my group” means."))
        else:
            error("default_visibility", _("New entries cannot start at a level you do not allow: allow it, or "
                                          "choose another."))
    if values["tags_required"] and not values["free_tags"] and not api.author_tags(values):
        error("tags_required", _("Learners cannot add a tag of their own, so list at least one tag for them to "
                                 "choose from."))
    elif not values["free_tags"] and not api.author_tags(values):
        error("free_tags", _("List the tags learners may choose from, or let them add their own."))
    required = values["participation_required"]
    if isinstance(required, int) and not isinstance(required, bool) and values["has_score"] and required < 1:
        error("has_score", _("A graded blog needs at least 1 required entry: the score is entries out of it."))
    for part in PARTS:
        validate = getattr(part, "validate_settings", None)
        if validate is not None:
            for field_name, message in validate(values, gettext).items():
                errors.setdefault(field_name, message)
    return errors


def max_score(settings):
    return BLOG.participation.max_score(settings)


def shown(value, default, gettext):
    return gettext(default) if value == default else value


def levels_payload(settings, ctx, gettext):
    """The choices of who reads an entry this person may make, narrowest first, with their labels and hints."""
    return [{"value": level, "label": gettext(VISIBILITY_LABELS[level]), "hint": gettext(VISIBILITY_HINTS[level])}
            for level in api.allowed_visibilities(settings, ctx)]


def settings_payload(settings):
    """The settings the JavaScript and the mobile app read."""
    return {
        "group_scope": settings["group_scope"],
        "default_visibility": settings["default_visibility"],
        "author_tags": api.author_tags(settings),
        "free_tags": bool(settings["free_tags"]),
        "tags_required": bool(settings["tags_required"]),
        "allow_comments": bool(settings["allow_comments"]),
        "participation_required": settings["participation_required"] or 0,
        "graded": bool(max_score(settings)),
        "title_max": conf("TITLE_MAX"),
        "body_max": conf("BODY_MAX"),
        "comment_max": conf("COMMENT_MAX"),
        "tag_max": conf("TAG_MAX"),
        "tags_per_entry": conf("TAGS_PER_ENTRY"),
        "page_size": conf("PAGE_SIZE"),
    }


# ----- the page ------------------------------------------------------------------------------------------
def base_context(settings, gettext):
    """What every blog template shows: the heading and the introduction (as safe HTML)."""
    intro = shown(settings["intro"], DEFAULT_INTRO, gettext)
    return {
        "display_name": shown(settings["display_name"], DEFAULT_NAME, gettext),
        "intro_html": render_markdown(intro) if intro else "",
        "title_max": conf("TITLE_MAX"),
        "body_max": conf("BODY_MAX"),
        "comment_max": conf("COMMENT_MAX"),
    }


def page_data(ctx, settings, *, urls, drafts, completed, complete_on_view, gettext, ngettext):
    """The blog page for ``ctx``: ``(init, context)``; every part adds its own (see the module docstring)."""
    payload = settings_payload(settings)
    is_staff = ctx.is_staff
    groups = ctx.available_groups() if is_staff else []
    initial = api.list_entries(ctx, {}, settings)
    if payload["participation_required"] == 0 and not completed and not ctx.read_only:
        complete_on_view()
        completed = True
    user = ctx.user
    if is_staff:
        current = ALL_GROUPS if ctx.view_all else ctx.group.key
        group_choices = [{"key": ALL_GROUPS, "name": gettext(_("All groups"))}] + [g.as_dict() for g in groups]
    else:
        current, group_choices = None, []
    levels = levels_payload(settings, ctx, gettext)
    init = {
        "handlers": list(BLOG.handlers),
        "urls": urls,
        "settings": payload,
        "roles": {"is_staff": is_staff, "is_advocate": ctx.is_advocate},
        "user": {"username": user.username, "name": user.get_full_name() or user.username, "is_staff": is_staff},
        "group": current,
        "current_group": ctx.group.as_dict() if ctx.group else None,
        "groups": group_choices,
        "levels": levels,
        "default_visibility": api.default_visibility(settings, ctx),
        "drafts": dict(drafts or {}),
        "participation": core_actions.participation(BLOG, ctx, settings, completed),
        "initial": initial,
        "i18n": BLOG.catalog(gettext, ngettext),
        "i18n_namespace": I18N_NAMESPACE,
        "read_only": ctx.read_only,
        "now": timezone.now().isoformat(),
    }
    context = {
        "is_staff": is_staff,
        "groups": group_choices,
        "current_group": current,
        "group_name": ctx.group.name if ctx.group is not None and not is_staff and ctx.scope != COURSE else "",
        "levels": levels,
        "default_visibility": init["default_visibility"],
        "author_tags": payload["author_tags"],
        "free_tags": payload["free_tags"],
        "tags_required": payload["tags_required"],
    }
    for part in PARTS:
        part_init, part_context = part.page_data(ctx, settings, gettext)
        init.update(part_init)
        context.update(part_context)
    return init, context


# ----- drafts -------------------------------------------------------------------------------------------
def _draft_text(value, name, label, maximum, errors, gettext):
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = gettext(_("{label} must be text.")).format(label=label)
        return ""
    if len(value) > maximum:
        message = _("{label} is too long to keep as a draft: {count} characters, at most {maximum}.")
        errors[name] = gettext(message).format(label=label, count=len(value), maximum=maximum)
    return value


def _draft_tags(value, errors, gettext):
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.split(",")
    if (not isinstance(value, list) or len(value) > 50
            or not all(isinstance(t, str) and len(t) <= 200 for t in value)):
        errors["tags"] = gettext(_("The tags could not be kept as a draft."))
        return []
    return value


def _draft_int(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2 ** 62 else None


def update_drafts(drafts, data, gettext):
    """Keep the learner's unsent text: ``(new drafts, result)``; raises ValidationError for bad input.

    ``key``: ``new`` (a new entry), an entry's id (an edit of it) or ``c<entry id>`` (a comment on it).
    An entry's draft keeps ``title``, ``body``, ``tags``, ``visibility``, ``prompt``, ``allow_comments``,
    ``version`` (the version an edit started from, so that a stale edit is still refused after a reload) and
    what the parts declare in ``DRAFT_FIELDS``; a comment's draft its ``body``. Empty text forgets the draft.
    At most :data:`MAX_DRAFTS` drafts are kept besides the new entry's (the oldest go first).
    """
    key = data.get("key")
    if not isinstance(key, str) or not DRAFT_KEY_RE.match(key):
        raise ValidationError(gettext(_("This draft cannot be saved: unknown place.")),
                              fields={"key": gettext(_("Invalid."))})
    errors = {}
    comment = key.startswith("c")
    title = "" if comment else _draft_text(data.get("title"), "title", gettext(_("The title")), conf("TITLE_MAX"),
                                           errors, gettext)
    maximum = conf("COMMENT_MAX") if comment else conf("BODY_MAX")
    body = _draft_text(data.get("body"), "body", gettext(_("The text")), maximum, errors, gettext)
    entry = {}
    if not comment:
        entry["tags"] = _draft_tags(data.get("tags"), errors, gettext)
        entry["visibility"] = data.get("visibility") if data.get("visibility") in Visibility.ORDER else None
        entry["prompt"] = _draft_int(data.get("prompt"))
        entry["allow_comments"] = data.get("allow_comments") is not False
        entry["version"] = _draft_int(data.get("version"))
        for part in PARTS:
            for name, clean in getattr(part, "DRAFT_FIELDS", {}).items():
                try:
                    entry[name] = clean(data.get(name), gettext)
                except ValidationError as err:
                    errors[name] = err.message
    if errors:
        raise ValidationError(next(iter(errors.values())), fields=errors)
    drafts = dict(drafts or {})
    if not title.strip() and not body.strip():
        drafts.pop(key, None)
        saved = None
    else:
        saved = timezone.now().isoformat()
        drafts.pop(key, None)
        drafts[key] = {"title": title, "body": body, "saved": saved, **entry} if not comment else {
            "body": body, "saved": saved}
        others = [k for k in drafts if k != "new"]
        for old in others[:-MAX_DRAFTS]:  # dicts keep insertion order: oldest first
            drafts.pop(old)
    return drafts, {"key": key, "saved": saved}


# ----- Studio's preview ------------------------------------------------------------------------------------
def author_context(settings, gettext):
    """Studio's preview: the settings as learners will meet them; no learner data."""
    def label(choices, value):
        return next((gettext(c["display_name"]) for c in choices if c["value"] == value), value)

    return {
        "scope_label": label(SCOPE_CHOICES, settings["group_scope"]),
        "default_label": label(VISIBILITY_CHOICES, settings["default_visibility"]),
        "allowed_labels": [label(VISIBILITY_CHOICES, level) for level in api.allowed_visibilities(settings)],
        "teamset_id": settings["teamset_id"] if settings["group_scope"] == TEAM else "",
        "author_tags": api.author_tags(settings),
        "free_tags": bool(settings["free_tags"]),
        "tags_required": bool(settings["tags_required"]),
        "allow_comments": bool(settings["allow_comments"]),
        "required": settings["participation_required"] or 0,
        "graded": bool(max_score(settings)),
        "weight": settings["weight"],
        "time_zone": prompts.course_time_zone(settings),
        "min_words": settings.get("min_words") or 0,
    }


# ----- the component ----------------------------------------------------------------------------------------
def _reads(function):
    return Action(run=function, writes=False)


def _writes(function):
    return Action(run=function)


def _entry_draft(data, result):
    """The draft an entry's save used up: the new entry's, or the edited entry's."""
    return "new" if data.get("id") in (None, "") else str(data.get("id"))


ENTRY_ACTIONS = {
    "list_entries": _reads(api.list_entries),
    "get_entry": _reads(api.get_entry),
    "list_versions": _reads(api.list_versions),
    "list_tags": _reads(api.list_tags),
    "list_people": _reads(api.list_people),
    "create_entry": Action(run=api.create_entry, contributes=True, forgets_draft=_entry_draft),
    "edit_entry": Action(run=api.edit_entry, contributes=True, forgets_draft=_entry_draft),
    "set_visibility": _writes(api.set_visibility),
    "delete_entry": _writes(api.delete_entry),
    "add_comment": Action(run=api.add_comment, forgets_draft=lambda data, result: f"c{result['entry']}"),
    "delete_comment": _writes(api.delete_comment),
    "hide_comment": _writes(api.hide_comment),
    "kudos": _writes(api.kudos),
    "flag": _writes(api.flag),
    "hide": _writes(api.hide),
    "dismiss_flags": _writes(api.dismiss_flags),
    "flag_queue": _reads(api.flag_queue),
}
ACTIONS = {**ENTRY_ACTIONS, **media.ACTIONS, **prompts.ACTIONS, **coaches.ACTIONS, **export.ACTIONS, **ownership.ACTIONS,
           **quote.ACTIONS}

JS_FILES = ("static/reflection_blog/blog.js",) + tuple(
    f"static/reflection_blog/blog-{part.__name__.rsplit('.', 1)[-1]}.js" for part in PARTS)
# A part with styles of its own says so (``HAS_CSS``): static/reflection_blog/blog-<part>.css.
CSS_FILES = ("static/reflection_blog/blog.css",) + tuple(
    f"static/reflection_blog/blog-{part.__name__.rsplit('.', 1)[-1]}.css" for part in PARTS
    if getattr(part, "HAS_CSS", False))

BLOG = Component(
    key="reflection_blog",
    block_type="social_reflection_blog",
    title=_("Reflection blog"),
    package="xblocks.reflection_blog",
    settings=SETTINGS,
    validate=validate_settings,
    actions=ACTIONS,
    page=Page(
        template="templates/reflection_blog/blog.html",
        closed_template="templates/reflection_blog/closed.html",
        author_template="templates/reflection_blog/author.html",
        js=JS_FILES,
        css=CSS_FILES,
        entry_point="SocialReflectionBlog",
        data=page_data,
        base_context=base_context,
        author_context=author_context,
        client_args=CLIENT_ARGS,
        sign_in_message=_("Sign in to keep your reflection blog."),
    ),
    participation=Participation(count=lambda ctx, settings: prompts.participation_count(ctx, settings)),
    update_drafts=update_drafts,
    js_strings=tuple(JS_STRINGS) + tuple(s for part in PARTS for s in part.JS_STRINGS),
    js_plurals=tuple(JS_PLURALS) + tuple(p for part in PARTS for p in part.JS_PLURALS),
    i18n_namespace=I18N_NAMESPACE,
    summary=api.summary,
    extra={"deep_linking": {
        "title": _("Add a reflection blog"),
        "intro": _("Learners keep a blog of what they learned and applied, share each entry with their coach, "
                   "their group or the course, and a coach comments."),
        "hints": {"group_scope": _("Groups come from the course's groups in the tool, or from a “cohort” custom "
                                   "parameter.")},
        "rows": {"intro": 4},
        "hidden": ("teamset_id",),
        "without_choices": {"group_scope": (TEAM,)},
        "required": ("display_name",),
    }},
)
HANDLERS = BLOG.handlers
