"""What both front doors of the cohort forum share: the XBlock (``block.py``) and the LTI tool (``lti/``).

Each door turns its runtime into a core :class:`~xblocks.core.context.Context`, keeps the learner's
private state (drafts, completion) where its runtime keeps it, and calls this module for everything
else, so that the forum has one behaviour whichever door a person comes through:

- :data:`FORUM`, the forum's declaration for core's component contract (settings, actions, page,
  participation, drafts, strings, insights summary), from which both doors are built;
- the author settings (:data:`SETTINGS`) and :func:`validate_settings` (one message per bad field);
- the forum page: :func:`base_context` (heading, prompt, guidelines) and :func:`page_data`, the init
  JSON ``forum.js`` starts from and the template's context (the door supplies its endpoint URLs);
- the JavaScript string catalogue (:data:`JS_STRINGS`, :data:`JS_PLURALS`, :data:`JS_CONTEXT_STRINGS`);
- the draft rules (:func:`update_drafts`, pure).

Nothing here knows XBlock or LTI. Messages are translated with the ``gettext`` the door passes (the
XBlock runtime's i18n service, or Django's in the tool); strings are marked with a no-op ``_``.
"""
import re

from django.utils import timezone

from xblocks.core import actions as core_actions
from xblocks.core.component import BOOLEAN, CHOICE, FLOAT, INTEGER, MULTILINE, TEXT, Action, Component, Page, \
    Participation, Setting
from xblocks.core.context import ALL_GROUPS
from xblocks.core.errors import ValidationError
from xblocks.core.groups import COHORT, COURSE, SCOPES, TEAM
from xblocks.core.text import render_markdown

from . import api
from .conf import conf


def _(text):
    """Mark a string for translation; it is translated when shown, with the door's ``gettext``."""
    return text


def ngettext_noop(singular, plural):
    return (singular, plural)


def pgettext_noop(context, text):
    """Mark a string with a context (what it is said of) for translation; see JS_CONTEXT_STRINGS."""
    return (context, text)


SORT_CHOICES = [
    {"display_name": _("Recent activity"), "value": "activity"},
    {"display_name": _("Newest"), "value": "newest"},
    {"display_name": _("Most votes"), "value": "votes"},
    {"display_name": _("Unanswered"), "value": "unanswered"},
]
SCOPE_CHOICES = [
    {"display_name": _("Each cohort has its own space"), "value": COHORT},
    {"display_name": _("Each team (of a teamset) has its own space"), "value": TEAM},
    {"display_name": _("One space for the whole course"), "value": COURSE},
]
DEFAULT_NAME = _("Cohort forum")
DEFAULT_GUIDELINES = _(
    "- **Be kind and assume good intent.** Everyone here is learning, and questions are welcome.\n"
    "- **Share what you know and what you are unsure about.** Half-finished thoughts start good conversations.\n"
    "- **Stay on topic** and search before you post: someone may have asked already.\n"
    "- **Respect privacy.** Do not share other people's personal or confidential information.\n"
    "- **Flag** anything that breaks these guidelines; staff will take a look."
)
PROMPT_MAX = 5000
GUIDELINES_MAX = 10000
REQUIREMENT_MAX = 1000
NAME_MAX = 255

# The author settings, in the order Studio shows them: Studio's fields and form, the Deep Linking form and a
# link's custom parameters are derived from these.
SETTINGS = (
    Setting("display_name", TEXT, DEFAULT_NAME, _("Display name"), _("The heading learners see above the forum."),
            max_length=NAME_MAX, follows_language=True, strip=True),
    Setting("prompt", MULTILINE, "", _("Prompt"), _("What should people talk about? Shown above the forum (Markdown)."),
            max_length=PROMPT_MAX),
    Setting("guidelines", MULTILINE, DEFAULT_GUIDELINES, _("Community guidelines"),
            _("Shown next to every place where people write (Markdown). Keep them short and friendly."),
            max_length=GUIDELINES_MAX, follows_language=True),
    Setting("group_scope", CHOICE, COHORT, _("Who talks together"),
            _("Each cohort or team gets its own space that other groups cannot see, or the whole course shares one."),
            choices=tuple(SCOPE_CHOICES)),
    Setting("teamset_id", TEXT, "", _("Teamset ID"),
            _("Required when each team has its own space: the ID of the teamset in the course's team settings."),
            max_length=NAME_MAX, strip=True),
    Setting("allow_anonymous", BOOLEAN, False, _("Allow anonymous posts"),
            _("Learners may hide their name from other learners; staff still see who wrote a post.")),
    Setting("participation_required", INTEGER, 1, _("Contributions required for completion"),
            _("How many threads, replies or comments a learner writes to complete this component. "
              "0 completes it when the learner views the forum."), minimum=0, maximum=REQUIREMENT_MAX, step=1),
    Setting("has_score", BOOLEAN, False, _("Graded participation"),
            _("Give a participation score: contributions made out of the number required (needs at least 1).")),
    Setting("weight", FLOAT, 1.0, _("Problem weight"),
            _("How much the participation score counts in the course grade (only when graded)."), minimum=0, step=0.1),
    Setting("default_sort", CHOICE, "activity", _("Default sort"),
            _("How the thread list is sorted when learners open the forum."), choices=tuple(SORT_CHOICES)),
)
EDITABLE = tuple(setting.name for setting in SETTINGS)
DEFAULTS = {setting.name: setting.default for setting in SETTINGS}

MAX_REPLY_DRAFTS = 20
DRAFT_KEY_RE = re.compile(r"^(new|\d{1,18}|\d{1,18}:\d{1,18})$")

# Every string the front end shows that is not in the template: translated here and sent to the
# JavaScript in its init data (tests check that forum.js uses no string missing from this list).
JS_STRINGS = [
    _('Answer'),
    _('Answer, endorsed by {name}'),
    _('Answered'),
    _('Cancel'),
    _('Changes saved.'),
    _('Choose a group to post in.'),
    _('Please correct the marked field.'),
    _('Comment'),
    _('Comment on this reply'),
    _('Comment posted.'),
    _('Could not reach the server. Your text is still here; please try again.'),
    _('Delete'),
    _('Delete this post? This cannot be undone.'),
    _('Delete this thread and all its replies? This cannot be undone.'),
    _('Draft restored.'),
    _('Draft saved.'),
    _('Edit'),
    _('Endorse'),
    _('Endorsed'),
    _('Endorsed by {name}'),
    _('Flag'),
    _('Flag withdrawn.'),
    _('Follow'),
    _('Followed'),
    _('Hidden from learners'),
    _('Hidden from learners.'),
    _('Hide'),
    _('Highlight'),
    _('Highlighted'),
    _('Last activity {time}'),
    _('Load more replies'),
    _('Loading…'),
    _('Mark as answer'),
    _('Marked as answer'),
    _('Mention suggestions: use the up and down arrow keys, then Enter.'),
    _('No replies yet. Be the first to reply.'),
    _('No threads here yet.'),
    _('No threads match your search.'),
    _('No threads yet. Start the first conversation!'),
    _('Only you and staff can see this: it was hidden by staff.'),
    _('Page {page} of {pages}'),
    _('Pin'),
    _('Pinned'),
    _('Post comment'),
    _('Post deleted.'),
    _('Question'),
    _('Remove highlight'),
    _('Remove upvote'),
    _('Reply posted.'),
    _('Restore'),
    _('Restored: learners can see it again.'),
    _('Showing threads matching “{search}”.'),
    _('Started by {name}'),
    _('Thank you. Staff will review it.'),
    _('The draft could not be saved: {message}'),
    _('Thread deleted.'),
    _('Thread not found: it may have been deleted.'),
    _('Thread posted.'),
    _('Unfollow'),
    _('Unmark'),
    _('Unpin'),
    _('Unread'),
    _('Withdraw flag'),
    _('Withdraw endorsement'),
    _('You'),
    _('You flagged this.'),
    _("You have met this forum's participation goal."),
    _('anonymous to other learners'),
    _('edited'),
    _('in {group}'),
    # Staff's review of flags.
    _('Thread “{title}”'),
    _('Reply in “{title}”'),
    _('Comment in “{title}”'),
    _('Written by {name}'),
    _('Flags and their reasons'),
    _('No reason given'),
    _('Flagged by {name}, {time}'),
    _('Open in thread'),
    _('Dismiss flags'),
    _('Flags dismissed. The post stays as it is.'),
    _('Hidden from learners. Its author can read your reason.'),
    _('Nothing to review: no open flags.'),
    _('Hidden by staff: {reason}'),
]
JS_PLURALS = [
    ngettext_noop('Your participation: {count} of {required} contributions.',  # English: the same in both
                  'Your participation: {count} of {required} contributions.'),
    ngettext_noop('Flagged {count} time', 'Flagged {count} times'),
    ngettext_noop('Remove upvote ({count} vote)', 'Remove upvote ({count} votes)'),
    ngettext_noop('Upvote ({count} vote)', 'Upvote ({count} votes)'),
    ngettext_noop('{count} character left', '{count} characters left'),
    ngettext_noop('{count} post to review', '{count} posts to review'),
    ngettext_noop('{count} character too many', '{count} characters too many'),
    ngettext_noop('{count} reply', '{count} replies'),
    ngettext_noop('{count} thread', '{count} threads'),
    ngettext_noop('{count} vote', '{count} votes'),
]
# Badges that agree with what they are said of (French: "Nouvelle" réponse, "Nouveau" commentaire,
# "Masqué" sujet, "Masquée" réponse): forum.js asks for them with p_(kind, text).
JS_CONTEXT_STRINGS = [
    pgettext_noop("thread", "Hidden"),
    pgettext_noop("reply", "Hidden"),
    pgettext_noop("comment", "Hidden"),
    pgettext_noop("reply", "New"),
    pgettext_noop("comment", "New"),
]
# What forum.js reads its translations from when a runtime serves a JavaScript catalogue.
I18N_NAMESPACE = "SocialCohortForumI18N"
# The init data the page's start-up call receives (the rest stays in the page's JSON script).
CLIENT_ARGS = ("urls", "handlers", "settings", "roles")


# ----- author settings ------------------------------------------------------------------------------
def shown(value, default, gettext):
    """A setting as people see it: translated while it is still the default text (name, guidelines)."""
    return gettext(default) if value == default else value


def max_score(settings):
    """The participation score's maximum (contributions required), or None when ungraded."""
    return FORUM.participation.max_score(settings)


def default_sort(settings):
    return settings["default_sort"] if settings["default_sort"] in api.SORTS else "activity"


def validate_settings(values, gettext, known_teamsets=None):
    """Every problem with a complete set of author settings: {name: message}, empty when all is well.

    ``values``: {name: value} for every name of :data:`EDITABLE`. ``known_teamsets``: a callable
    returning the course's teamset ids, or None when the runtime cannot tell (then any id is accepted).
    """
    errors = {}

    def error(name, text):
        errors.setdefault(name, gettext(text))

    name = values["display_name"]
    if not isinstance(name, str) or not name.strip():
        error("display_name", _("Enter a display name: learners see it as the forum's heading."))
    elif len(name) > NAME_MAX:
        error("display_name", _("The display name is too long: at most 255 characters."))
    if values["prompt"] is not None and len(values["prompt"]) > PROMPT_MAX:
        error("prompt", _("The prompt is too long: at most 5000 characters."))
    if values["guidelines"] is not None and len(values["guidelines"]) > GUIDELINES_MAX:
        error("guidelines", _("The community guidelines are too long: at most 10000 characters."))
    if values["group_scope"] not in SCOPES:
        error("group_scope", _("Choose who talks together: each cohort, each team, or the whole course."))
    elif values["group_scope"] == TEAM:
        teamset = (values["teamset_id"] or "").strip()
        if not teamset:
            error("teamset_id", _("Enter the teamset ID: it is required when each team has its own space."))
        else:
            known = known_teamsets() if known_teamsets is not None else None
            if known is not None and teamset not in known:
                error("teamset_id", _("This course has no teamset with that ID. Check the course's team settings."))
    required = values["participation_required"]
    if not isinstance(required, int) or isinstance(required, bool):
        error("participation_required", _("Enter a whole number of contributions required (0 or more)."))
    elif required < 0:
        error("participation_required",
              _("The number of contributions required cannot be negative; use 0 to complete on viewing."))
    elif required > REQUIREMENT_MAX:
        error("participation_required", _("The number of contributions required is too high: at most 1000."))
    elif values["has_score"] and required < 1:
        error("has_score",
              _("A graded forum needs at least 1 required contribution: the score is contributions out of it."))
    weight = values["weight"]
    if weight is None or not isinstance(weight, (int, float)) or weight < 0:
        error("weight", _("The weight must be a number of 0 or more."))
    if values["default_sort"] not in api.SORTS:
        error("default_sort", _("Choose a default sort: recent activity, newest, most votes or unanswered."))
    return errors


def settings_payload(settings):
    """The settings the JavaScript and the mobile app read."""
    return {
        "allow_anonymous": bool(settings["allow_anonymous"]),
        "default_sort": default_sort(settings),
        "group_scope": settings["group_scope"],
        "participation_required": settings["participation_required"] or 0,
        "graded": bool(max_score(settings)),
        "title_max": conf("TITLE_MAX"),
        "body_max": conf("BODY_MAX"),
        "page_size": conf("PAGE_SIZE"),
    }


# ----- the page ---------------------------------------------------------------------------------------
def base_context(settings, gettext):
    """What every forum template shows: the heading, the prompt and the guidelines (as safe HTML)."""
    return {
        "display_name": shown(settings["display_name"], DEFAULT_NAME, gettext),
        "prompt_html": render_markdown(settings["prompt"]) if settings["prompt"] else "",
        "guidelines_html": (render_markdown(shown(settings["guidelines"], DEFAULT_GUIDELINES, gettext))
                            if settings["guidelines"] else ""),
        "title_max": conf("TITLE_MAX"),
        "body_max": conf("BODY_MAX"),
    }


def page_data(ctx, settings, *, urls, drafts, completed, complete_on_view, gettext, ngettext):
    """The forum page for ``ctx``: ``(init, context)``.

    ``init``: the JSON ``forum.js`` starts from (``urls``: {handler name: URL}, from the door);
    ``context``: the forum template's variables besides :func:`base_context`'s. ``drafts`` and
    ``completed`` are the learner's state in the door. When the forum completes on viewing (no
    contribution required), ``complete_on_view()`` is called once the page can be shown, for the
    door to record and report completion. Raises an :class:`~xblocks.core.errors.ApiError` when
    the person cannot see the forum (no group yet...), before anything is recorded.
    """
    payload = settings_payload(settings)
    groups = ctx.available_groups() if ctx.is_staff else []
    initial = api.list_threads(ctx, {"sort": payload["default_sort"]})
    if payload["participation_required"] == 0 and not completed and not ctx.read_only:
        complete_on_view()
        completed = True
    user = ctx.user
    is_staff = ctx.is_staff
    if is_staff:
        current = ALL_GROUPS if ctx.view_all else ctx.group.key
        group_choices = [{"key": ALL_GROUPS, "name": gettext(_("All groups"))}] + [g.as_dict() for g in groups]
    else:
        current, group_choices = None, []
    init = {
        "handlers": list(FORUM.handlers),
        "urls": urls,
        "settings": payload,
        "roles": {"is_staff": is_staff, "is_advocate": ctx.is_advocate},
        "user": {"username": user.username, "name": user.get_full_name() or user.username,
                 "is_staff": is_staff, "is_advocate": ctx.is_advocate},
        "group": current,
        "current_group": ctx.group.as_dict() if ctx.group else None,
        "groups": group_choices,
        "drafts": dict(drafts or {}),
        "participation": core_actions.participation(FORUM, ctx, settings, completed),
        "initial": initial,
        "i18n": FORUM.catalog(gettext, ngettext),
        "i18n_namespace": I18N_NAMESPACE,
        "read_only": ctx.read_only,
    }
    show_group_name = settings["group_scope"] != COURSE and ctx.group is not None and not is_staff
    context = {
        "is_staff": is_staff,
        "is_advocate": ctx.is_advocate,
        "groups": group_choices,
        "current_group": current,
        "group_name": ctx.group.name if show_group_name else "",
        "allow_anonymous": bool(settings["allow_anonymous"]),
        "sorts": [{"value": c["value"], "label": gettext(c["display_name"])} for c in SORT_CHOICES],
        "default_sort": payload["default_sort"],
        "staff_filters": is_staff,
    }
    return init, context


def sample_threads(gettext):
    """Made-up threads for the author's preview in Studio, where no real post is shown."""
    return [
        {"title": gettext(_("Introduce yourself here")), "author": gettext(_("A learner")),
         "kind": gettext(_("Discussion")), "replies": 4, "votes": 3},
        {"title": gettext(_("Where do I find the slides of the first session?")), "author": gettext(_("A learner")),
         "kind": gettext(_("Question")), "question": True, "replies": 1, "votes": 2, "answered": True},
        {"title": gettext(_("What I tried at work this week")), "author": gettext(_("A community advocate")),
         "kind": gettext(_("Discussion")), "replies": 0, "votes": 0},
    ]


# ----- requests -----------------------------------------------------------------------------------------
# ----- drafts ----------------------------------------------------------------------------------------------
def reply_draft_key(thread_id, parent):
    """The draft key of a reply to a thread, or of a comment on its reply ``parent``."""
    return f"{thread_id}:{parent}" if parent not in (None, "") else str(thread_id)


def _draft_text(value, name, label, maximum, errors, gettext):
    """A draft's text, unchanged (drafts keep whitespace); a message in ``errors`` when unusable."""
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = gettext(_("{label} must be text.")).format(label=label)
        return ""
    if len(value) > maximum:
        message = _("{label} is too long to keep as a draft: {count} characters, at most {maximum}.")
        errors[name] = gettext(message).format(label=label, count=len(value), maximum=maximum)
    return value


def update_drafts(drafts, data, gettext):
    """Keep the learner's unsent text: ``(new drafts, result)``; raises ValidationError for bad input.

    ``data``: ``key`` ('new', a thread id, or 'thread:post'), ``title`` and ``kind`` (new threads),
    ``body``, ``anonymous``. Empty text forgets the draft. At most :data:`MAX_REPLY_DRAFTS` reply
    drafts are kept besides the new thread's (the oldest go first). ``result``: ``{key, saved}``.
    """
    key = data.get("key")
    if not isinstance(key, str) or not DRAFT_KEY_RE.match(key):
        raise ValidationError(gettext(_("This draft cannot be saved: unknown place.")),
                              fields={"key": gettext(_("Invalid."))})
    errors = {}
    title = _draft_text(data.get("title"), "title", gettext(_("The title")), conf("TITLE_MAX"), errors, gettext)
    body = _draft_text(data.get("body"), "body", gettext(_("The text")), conf("BODY_MAX"), errors, gettext)
    kind = data.get("kind") if data.get("kind") in api.KINDS else "discussion"
    anonymous = data.get("anonymous") is True
    if errors:
        raise ValidationError(next(iter(errors.values())), fields=errors)
    drafts = dict(drafts or {})
    if not title.strip() and not body.strip():
        drafts.pop(key, None)
        saved = None
    else:
        saved = timezone.now().isoformat()
        entry = {"body": body, "anonymous": anonymous, "saved": saved}
        if key == "new":
            entry.update({"title": title, "kind": kind})
        drafts.pop(key, None)
        drafts[key] = entry
        others = [k for k in drafts if k != "new"]
        for old in others[:-MAX_REPLY_DRAFTS]:  # dicts keep insertion order: oldest first
            drafts.pop(old)
    return drafts, {"key": key, "saved": saved}


# ----- Studio's preview ----------------------------------------------------------------------------------
def author_context(settings, gettext):
    """Studio's preview: the settings as learners will meet them, and made-up sample threads."""
    def label(choices, value):
        return next((gettext(c["display_name"]) for c in choices if c["value"] == value), value)

    return {
        "scope_label": label(SCOPE_CHOICES, settings["group_scope"]),
        "sort_label": label(SORT_CHOICES, settings["default_sort"]),
        "teamset_id": settings["teamset_id"] if settings["group_scope"] == TEAM else "",
        "allow_anonymous": bool(settings["allow_anonymous"]),
        "required": settings["participation_required"] or 0,
        "graded": bool(max_score(settings)),
        "weight": settings["weight"],
        "samples": sample_threads(gettext),
    }


# ----- the component ---------------------------------------------------------------------------------------
def _create_thread(ctx, data, settings):
    return api.create_thread(ctx, data, allow_anonymous=bool(settings["allow_anonymous"]))


def _create_reply(ctx, data, settings):
    return api.create_reply(ctx, data, allow_anonymous=bool(settings["allow_anonymous"]))


def _plain(function, writes=True):
    """An action that needs no author setting."""
    return Action(run=lambda ctx, data, settings: function(ctx, data), writes=writes)


FORUM = Component(
    key="cohort_forum",
    block_type="social_cohort_forum",
    title=_("Cohort forum"),
    package="xblocks.cohort_forum",
    settings=SETTINGS,
    validate=validate_settings,
    actions={
        "list_threads": _plain(api.list_threads, writes=False),
        "get_thread": _plain(api.get_thread, writes=False),
        "create_thread": Action(run=_create_thread, contributes=True, forgets_draft=lambda data, result: "new"),
        "create_reply": Action(run=_create_reply, contributes=True,
                               forgets_draft=lambda data, result: reply_draft_key(result["thread"], data.get("parent"))),
        "edit": _plain(api.edit),
        "delete": _plain(api.delete),
        "vote": _plain(api.vote),
        "follow": _plain(api.follow),
        "flag": _plain(api.flag),
        "endorse": _plain(api.endorse),
        "pin": _plain(api.pin),
        "highlight": _plain(api.highlight),
        "hide": _plain(api.hide),
        "flag_queue": _plain(api.flag_queue, writes=False),
        "dismiss_flags": _plain(api.dismiss_flags),
        "mention_candidates": _plain(api.mention_candidates, writes=False),
    },
    page=Page(
        template="templates/cohort_forum/forum.html",
        closed_template="templates/cohort_forum/closed.html",
        author_template="templates/cohort_forum/author.html",
        js=("static/cohort_forum/forum.js",),
        css=("static/cohort_forum/forum.css",),
        entry_point="SocialCohortForumBlock",
        data=page_data,
        base_context=base_context,
        author_context=author_context,
        client_args=CLIENT_ARGS,
        sign_in_message=_("Sign in to take part in this forum."),
    ),
    participation=Participation(count=api.participation_count),
    update_drafts=update_drafts,
    js_strings=tuple(JS_STRINGS),
    js_plurals=tuple(JS_PLURALS),
    js_context_strings=tuple(JS_CONTEXT_STRINGS),
    i18n_namespace=I18N_NAMESPACE,
    summary=api.summary,
    extra={"deep_linking": {
        # The LTI tool's Deep Linking form: teams there are groups the instructor manages, so no teamset.
        "title": _("Add a cohort forum"),
        "intro": _("A forum inside your course where each cohort talks in its own space, or the whole course "
                   "together."),
        "ids": {"display_name": "sls-dl-name", "group_scope": "sls-dl-scope", "allow_anonymous": "sls-dl-anon",
                "participation_required": "sls-dl-required", "has_score": "sls-dl-graded",
                "default_sort": "sls-dl-sort"},
        "labels": {"has_score": _("Graded participation (sent to the course gradebook)")},
        "hints": {"prompt": _("What should people talk about? Shown above the forum (Markdown)."),
                  "group_scope": _("Cohorts come from the course's groups in the tool, or from a “cohort” custom "
                                   "parameter. For one activity per group, add one forum per group with “whole "
                                   "course” and restrict each to its group in your course.")},
        "rows": {"guidelines": 6},
        "hidden": ("teamset_id",),
        "without_choices": {"group_scope": (TEAM,)},
        "required": ("display_name",),
    }},
)
# The JSON endpoints of the forum: XBlock handlers, or the tool's ``api/v1/cohort_forum/<name>/`` URLs.
HANDLERS = FORUM.handlers
