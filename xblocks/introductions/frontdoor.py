"""The introductions' declaration for core's component contract, from which both doors are built (the XBlock in
``block.py``, the LTI tool in ``lti/``): settings, actions, page, participation, drafts, strings, insights summary.

The component is built in parts, as the reflection blog is, and this declaration merges what each part declares:

- ``api`` (introductions, the gallery, waves and replies: this module declares their settings and actions);
- ``sessions`` (the live sessions: a setting, the countdown, the calendar file), ``facilitator`` (who has and has
  not introduced themselves, what the group wants to learn and offers), ``matching`` (people to meet, with the
  reasons), ``photos`` (an optional photo on one's introduction), ``groupings`` (pairs or small groups for a session, for
  staff).

Each part module declares ``SETTINGS``, ``validate_settings(values, gettext)`` (optional), ``ACTIONS``,
``page_data(ctx, settings, gettext)`` (``(init, context)`` merged into the page's), ``JS_STRINGS``, ``JS_PLURALS``
and ``HAS_CSS``; its script is ``static/introductions/introductions-<part>.js`` (see ``introductions.js`` for the
hooks it can use).

Nothing here knows XBlock or LTI. Messages are translated with the ``gettext`` the door passes.
"""
from django.utils import timezone

from xblocks.core import actions as core_actions
from xblocks.core.component import BOOLEAN, CHOICE, FLOAT, INTEGER, MULTILINE, TEXT, Action, Component, Page, \
    Participation, Setting, ngettext_noop
from xblocks.core.context import ALL_GROUPS
from xblocks.core.errors import ValidationError
from xblocks.core.groups import COHORT, COURSE, TEAM
from xblocks.core.text import render_markdown

from . import api, facilitator, groupings, matching, photos, sessions, themes
from .conf import conf


def _(text):
    """Mark a string for translation; it is translated when shown, with the door's ``gettext``."""
    return text


PARTS = (sessions, photos, facilitator, groupings, matching, themes)

SCOPE_CHOICES = [
    {"display_name": _("Each learner's cohort"), "value": COHORT},
    {"display_name": _("Each learner's team (of a teamset)"), "value": TEAM},
    {"display_name": _("No groups: the whole course"), "value": COURSE},
]
DEFAULT_NAME = _("Meet your group")
DEFAULT_INTRO = _("Before we meet, introduce yourself to your group and have a look at who else is coming.")
PROMPTS = {
    "prompt_who": (_("Who are you?"), _("Prompt: who are you")),
    "prompt_learn": (_("What do you want to learn?"), _("Prompt: what to learn")),
    "prompt_offer": (_("What can you offer the group?"), _("Prompt: what to offer")),
    "prompt_fun_fact": (_("A fun fact about you"), _("Prompt: fun fact")),
}
NAME_MAX = 255
INTRO_MAX = 5000
PROMPT_MAX = 300

SETTINGS = (
    Setting("display_name", TEXT, DEFAULT_NAME, _("Display name"), _("The heading learners see."),
            max_length=NAME_MAX, follows_language=True, strip=True),
    Setting("intro", MULTILINE, DEFAULT_INTRO, _("Introduction"),
            _("Shown above the sessions and the introductions (Markdown)."), max_length=INTRO_MAX,
            follows_language=True),
    Setting("group_scope", CHOICE, COHORT, _("Who meets whom"),
            _("Learners see the introductions of their cohort, of their team, or of the whole course."),
            choices=tuple(SCOPE_CHOICES)),
    Setting("teamset_id", TEXT, "", _("Teamset ID"),
            _("Required when groups are teams: the ID of the teamset in the course's team settings."),
            max_length=NAME_MAX, strip=True),
) + tuple(
    Setting(name, TEXT, default, label, _("Reword the question as you want learners to read it."),
            max_length=PROMPT_MAX, follows_language=True, strip=True)
    for name, (default, label) in PROMPTS.items()
) + (
    Setting("participation_required", INTEGER, 1, _("Introduction required for completion"),
            _("1: the component is complete when the learner has posted their introduction. 0: when they view it."),
            minimum=0, maximum=1, step=1),
    Setting("has_score", BOOLEAN, False, _("Graded participation"),
            _("Give a participation score: 1 once the introduction is posted (needs the introduction required).")),
    Setting("weight", FLOAT, 1.0, _("Problem weight"),
            _("How much the participation score counts in the course grade (only when graded)."), minimum=0, step=0.1),
) + tuple(setting for part in PARTS for setting in part.SETTINGS)

JS_STRINGS = (
    _("All topics"),
    _("Can offer"),
    _("Could not reach the server. Your text is still here; please try again."),
    _("Edit my introduction"),
    _("Introduce yourself"),
    _("Introduction posted."),
    _("Introduction saved."),
    _("No introductions match."),
    _("Nobody has introduced themselves yet. Be the first!"),
    _("Post your introduction to complete this activity."),
    _("Post your introduction and answer every theme to complete this activity."),
    _("You have introduced yourself: this activity is complete."),
    _("Reply"),
    _("Reply sent."),
    _("Reply deleted."),
    _("Delete this reply?"),
    _("Delete"),
    _("Reply to {name}"),
    _("Take back the wave"),
    _("Wants to learn"),
    _("Wave"),
    _("You"),
    _("You waved."),
    _("Fun fact: {text}"),
)
JS_PLURALS = (
    ngettext_noop("{count} wave", "{count} waves"),
    ngettext_noop("{count} reply", "{count} replies"),
)
I18N_NAMESPACE = "SocialIntroductionsI18N"
MAX_DRAFTS = 20


# ----- author settings ---------------------------------------------------------------------------------
def validate_settings(values, gettext, known_teamsets=None):
    """Every problem with a complete set of author settings: {name: message}, one per field."""
    errors = {}

    def error(name, text):
        errors.setdefault(name, gettext(text))

    name = values["display_name"]
    if not isinstance(name, str) or not name.strip():
        error("display_name", _("Enter a display name: learners see it as the heading."))
    if values["group_scope"] == TEAM:
        teamset = (values["teamset_id"] or "").strip()
        if not teamset:
            error("teamset_id", _("Enter the teamset ID: it is required when groups are teams."))
        else:
            known = known_teamsets() if known_teamsets is not None else None
            if known is not None and teamset not in known:
                error("teamset_id", _("This course has no teamset with that ID. Check the course's team settings."))
    for prompt in PROMPTS:
        if not isinstance(values[prompt], str) or not values[prompt].strip():
            error(prompt, _("Write the question learners answer here."))
    required = values["participation_required"]
    if isinstance(required, int) and not isinstance(required, bool) and values["has_score"] and required < 1:
        error("has_score", _("A graded component needs the introduction required: the score is for posting it."))
    for part in PARTS:
        validate = getattr(part, "validate_settings", None)
        if validate is not None:
            for field_name, message in validate(values, gettext).items():
                errors.setdefault(field_name, message)
    return errors


def _shown(name, settings, gettext):
    return INTRODUCTIONS.shown(name, settings[name], gettext)


def settings_payload(settings, gettext):
    """The settings the JavaScript reads: the prompts in the person's language and the limits."""
    return {
        "prompts": {name[len("prompt_"):]: _shown(name, settings, gettext) for name in PROMPTS},
        "participation_required": settings["participation_required"] or 0,
        "who_max": conf("WHO_MAX"),
        "fun_fact_max": conf("FUN_FACT_MAX"),
        "topic_max": conf("TOPIC_MAX"),
        "topics_per_list": conf("TOPICS_PER_LIST"),
        "reply_max": conf("REPLY_MAX"),
        "answer_max": conf("ANSWER_MAX"),
    }


# ----- the page ------------------------------------------------------------------------------------------
def base_context(settings, gettext):
    intro = _shown("intro", settings, gettext)
    return {"display_name": _shown("display_name", settings, gettext),
            "intro_html": render_markdown(intro) if intro else ""}


def page_data(ctx, settings, *, urls, drafts, completed, complete_on_view, gettext, ngettext):
    """The page for ``ctx``: ``(init, context)``; every part adds its own."""
    payload = settings_payload(settings, gettext)
    is_staff = ctx.is_staff
    gallery = api.list_introductions(ctx, {}, settings)
    if payload["participation_required"] == 0 and not completed and not ctx.read_only:
        complete_on_view()
        completed = True
    if is_staff:
        current = ALL_GROUPS if ctx.view_all else ctx.group.key
        group_choices = [{"key": ALL_GROUPS, "name": gettext(_("All groups"))}] + [
            g.as_dict() for g in ctx.available_groups()]
    else:
        current, group_choices = None, []
    user = ctx.user
    init = {
        "handlers": list(INTRODUCTIONS.handlers),
        "urls": urls,
        "settings": payload,
        "roles": {"is_staff": is_staff, "is_advocate": ctx.is_advocate},
        "user": {"username": user.username, "name": user.get_full_name() or user.username},
        "group": current,
        "groups": group_choices,
        "drafts": dict(drafts or {}),
        "participation": core_actions.participation(INTRODUCTIONS, ctx, settings, completed),
        "initial": gallery,
        "topics": api.topics(ctx),
        "mine": api.own_introduction(ctx),
        "i18n": INTRODUCTIONS.catalog(gettext, ngettext),
        "i18n_namespace": I18N_NAMESPACE,
        "read_only": ctx.read_only,
        "now": timezone.now().isoformat(),
    }
    context = {
        "is_staff": is_staff,
        "groups": group_choices,
        "current_group": current,
        "group_name": ctx.group.name if ctx.group is not None and not is_staff and ctx.scope != COURSE else "",
        "prompts": payload["prompts"],
        "limits": payload,
    }
    for part in PARTS:
        part_init, part_context = part.page_data(ctx, settings, gettext)
        init.update(part_init)
        context.update(part_context)
    return init, context


# ----- drafts -------------------------------------------------------------------------------------------
DRAFT_FIELDS = {"who": "WHO_MAX", "learn": "WHO_MAX", "offer": "WHO_MAX", "fun_fact": "FUN_FACT_MAX"}


def _draft_key_ok(key):
    """``intro``, ``r<id>`` (a reply) or ``t<index>`` (a theme answer)."""
    return isinstance(key, str) and (key == "intro" or (key[:1] in ("r", "t") and key[1:].isdigit() and len(key) < 20))


def update_drafts(drafts, data, gettext):
    """Keep the learner's unsent text: ``(drafts, result)``. ``key``: ``intro`` (the introduction: ``who``,
    ``learn``, ``offer``, ``fun_fact``), ``r<id>`` (a reply to introduction ``id``: ``body``) or ``t<index>`` (an
    answer to theme ``index``: ``body``). Empty text forgets
    the draft; at most :data:`MAX_DRAFTS` reply drafts are kept (the oldest go first)."""
    key = data.get("key") if isinstance(data, dict) else None
    if not _draft_key_ok(key):
        raise ValidationError(gettext(_("This draft cannot be saved: unknown place.")),
                              fields={"key": gettext(_("Invalid."))})
    fields = DRAFT_FIELDS if key == "intro" else {"body": "REPLY_MAX" if key[0] == "r" else "ANSWER_MAX"}
    kept = {"share_profile": data.get("share_profile") is True} if key == "intro" else {}
    for name, limit in fields.items():
        value = data.get(name)
        value = "" if value is None else value
        if not isinstance(value, str) or len(value) > conf(limit):
            message = gettext(_("This text is too long to keep as a draft."))
            raise ValidationError(message, fields={name: message})
        kept[name] = value
    drafts = dict(drafts or {})
    drafts.pop(key, None)
    if not any(v.strip() for v in kept.values() if isinstance(v, str)):
        return drafts, {"key": key, "saved": None}
    saved = timezone.now().isoformat()
    drafts[key] = {**kept, "saved": saved}
    replies = [k for k in drafts if k != "intro"]
    for old in replies[:-MAX_DRAFTS]:
        drafts.pop(old)
    return drafts, {"key": key, "saved": saved}


# ----- Studio's preview ------------------------------------------------------------------------------------
def author_context(settings, gettext):
    """Studio's preview: the settings as learners will meet them; no learner data."""
    try:
        found = sessions.parse_sessions(settings)
    except ValueError:
        found = []
    zone = sessions.course_time_zone(settings)
    return {
        "reminder_days": settings.get("reminder_days") or 0,
        "scope_label": next((gettext(c["display_name"]) for c in SCOPE_CHOICES
                             if c["value"] == settings["group_scope"]), settings["group_scope"]),
        "prompts": [_shown(name, settings, gettext) for name in PROMPTS],
        "sessions": [{"title": s["title"], "place": s["place"],
                      "start": sessions.local_text(s["start"], zone), "end": sessions.local_text(s["end"], zone)}
                     for s in found],
        "time_zone": zone,
        "required": settings["participation_required"] or 0,
        "themes": [{"title": t["title"], "opens": sessions.local_text(t["opens"], zone),
                    "closes": sessions.local_text(t["closes"], zone)} for t in themes.themes_or_none(settings)],
        "themes_for_facilitator": settings.get("theme_visibility") == themes.FACILITATOR,
        "themes_required": bool(settings.get("themes_required")),
    }


# ----- the component ----------------------------------------------------------------------------------------
ACTIONS = {
    "list_introductions": Action(run=api.list_introductions, writes=False),
    "save_introduction": Action(run=api.save_introduction, contributes=True,
                                forgets_draft=lambda data, result: "intro"),
    "wave": Action(run=api.wave),
    "reply": Action(run=api.reply, forgets_draft=lambda data, result: f"r{result['id']}"),
    "delete_reply": Action(run=api.delete_reply),
    **sessions.ACTIONS,
    **facilitator.ACTIONS,
    **matching.ACTIONS,
    **photos.ACTIONS,
    **groupings.ACTIONS,
    **themes.ACTIONS,
}
JS_FILES = ("static/introductions/introductions.js",) + tuple(
    f"static/introductions/introductions-{part.__name__.rsplit('.', 1)[-1]}.js" for part in PARTS)
CSS_FILES = ("static/introductions/introductions.css",) + tuple(
    f"static/introductions/introductions-{part.__name__.rsplit('.', 1)[-1]}.css" for part in PARTS
    if getattr(part, "HAS_CSS", False))

INTRODUCTIONS = Component(
    key="introductions",
    block_type="social_introductions",
    title=_("Introductions"),
    package="xblocks.introductions",
    settings=SETTINGS,
    validate=validate_settings,
    actions=ACTIONS,
    page=Page(
        template="templates/introductions/introductions.html",
        closed_template="templates/introductions/closed.html",
        author_template="templates/introductions/author.html",
        js=JS_FILES,
        css=CSS_FILES,
        entry_point="SocialIntroductions",
        data=page_data,
        base_context=base_context,
        author_context=author_context,
        sign_in_message=_("Sign in to meet your group."),
    ),
    participation=Participation(count=api.participation_count),
    update_drafts=update_drafts,
    js_strings=JS_STRINGS + tuple(s for part in PARTS for s in part.JS_STRINGS),
    js_plurals=JS_PLURALS + tuple(p for part in PARTS for p in part.JS_PLURALS),
    i18n_namespace=I18N_NAMESPACE,
    summary=api.summary,
    extra={"deep_linking": {
        "title": _("Add introductions"),
        "intro": _("Learners introduce themselves to their group before the first live session, see who else is "
                   "coming, and add the sessions to their calendar."),
        "hints": {"group_scope": _("Groups come from the course's groups in the tool, or from a “cohort” custom "
                                   "parameter.")},
        "rows": {"intro": 3, "sessions": 4, "themes": 4},
        "hidden": ("teamset_id",),
        "without_choices": {"group_scope": (TEAM,)},
        "required": ("display_name",),
    }},
)
HANDLERS = INTRODUCTIONS.handlers
