"""The cohort forum XBlock: author settings, the learner's private drafts, and thin JSON handlers.

Every forum behaviour (who may read or write what, validation, counters, events) lives in
:mod:`xblocks.cohort_forum.api`; this module only turns the XBlock runtime into a context,
calls one api function per handler, and reports completion and the participation score.

Handlers (all POST, JSON in and out; errors as ``{"error": {"code", "message", "fields"}}``):
``list_threads``, ``get_thread``, ``create_thread``, ``create_reply``, ``edit``, ``delete``,
``vote``, ``follow``, ``flag``, ``endorse``, ``pin``, ``highlight``, ``hide``,
``mention_candidates`` and ``save_draft``. Each accepts an optional ``group`` (staff: the
group picked in the switcher, or ``"all"``).
"""
import re

from django.utils import timezone
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Boolean, Dict, Float, Integer, JSONField, Scope, String
from xblock.utils.resources import ResourceLoader
from xblock.utils.studio_editable import FutureFields, StudioEditableXBlockMixin
from xblock.validation import Validation, ValidationMessage

from xblocks.core.context import STAFF
from xblocks.core.errors import ApiError, ValidationError
from xblocks.core.groups import COHORT, COURSE, SCOPES, TEAM
from xblocks.core.settings import conf
from xblocks.core.text import render_markdown
from xblocks.core.xblock_base import SocialXBlockMixin, api_handler

from . import api

loader = ResourceLoader(__name__)


def _(text):
    """Mark a string for translation; it is translated when shown (fields are built at import)."""
    return text


def ngettext_noop(singular, plural):
    return (singular, plural)


HANDLERS = (
    "list_threads", "get_thread", "create_thread", "create_reply", "edit", "delete", "vote", "follow", "flag",
    "endorse", "pin", "highlight", "hide", "mention_candidates", "save_draft",
)
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
    _('Hidden'),
    _('Hidden from learners'),
    _('Hidden from learners.'),
    _('Hide'),
    _('Highlight'),
    _('Highlighted'),
    _('Last activity {time}'),
    _('Load more replies'),
    _('Loading…'),
    _('Mark as answer'),
    _('New'),
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
    _('Unread'),
    _('Withdraw flag'),
    _('You'),
    _('You flagged this.'),
    _("You have met this forum's participation goal."),
    _('Your participation: {count} of {required} contributions.'),
    _('anonymous to other learners'),
    _('edited'),
    _('in {group}'),
]
JS_PLURALS = [
    ngettext_noop('Flagged {count} time', 'Flagged {count} times'),
    ngettext_noop('Upvote ({count} vote)', 'Upvote ({count} votes)'),
    ngettext_noop('{count} character left', '{count} characters left'),
    ngettext_noop('{count} character too many', '{count} characters too many'),
    ngettext_noop('{count} reply', '{count} replies'),
    ngettext_noop('{count} thread', '{count} threads'),
    ngettext_noop('{count} vote', '{count} votes'),
]


def _draft_text(value, name, label, maximum, errors, gettext):
    """A draft's text, unchanged (drafts keep whitespace); a message in ``errors`` when unusable."""
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = gettext(_("{label} must be text.")).format(label=label)
        return ""
    if len(value) > maximum:
        errors[name] = gettext(_("{label} is too long to keep as a draft: {count} characters, at most {maximum}.")).format(
            label=label, count=len(value), maximum=maximum
        )
    return value


@XBlock.needs("user")
@XBlock.wants("teams", "i18n", "teams_configuration", "studio_user_permissions")
class CohortForumBlock(SocialXBlockMixin, StudioEditableXBlockMixin, XBlock):
    """A forum inside the course unit, scoped to the learner's cohort, team or the whole course."""

    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = True
    has_author_view = True
    icon_class = "other"
    i18n_js_namespace = "SocialCohortForumI18N"

    display_name = String(
        display_name=_("Display name"),
        help=_("The heading learners see above the forum."),
        scope=Scope.settings,
        default=DEFAULT_NAME,
    )
    prompt = String(
        display_name=_("Prompt"),
        help=_("What should people talk about? Shown above the forum (Markdown)."),
        scope=Scope.settings,
        default="",
        multiline_editor=True,
    )
    guidelines = String(
        display_name=_("Community guidelines"),
        help=_("Shown next to every place where people write (Markdown). Keep them short and friendly."),
        scope=Scope.settings,
        default=DEFAULT_GUIDELINES,
        multiline_editor=True,
    )
    group_scope = String(
        display_name=_("Who talks together"),
        help=_("Each cohort or team gets its own space that other groups cannot see, or the whole course shares one."),
        scope=Scope.settings,
        default=COHORT,
        values=SCOPE_CHOICES,
    )
    teamset_id = String(
        display_name=_("Teamset ID"),
        help=_("Required when each team has its own space: the ID of the teamset in the course's team settings."),
        scope=Scope.settings,
        default="",
    )
    allow_anonymous = Boolean(
        display_name=_("Allow anonymous posts"),
        help=_("Learners may hide their name from other learners; staff still see who wrote a post."),
        scope=Scope.settings,
        default=False,
    )
    participation_required = Integer(
        display_name=_("Contributions required for completion"),
        help=_("How many threads, replies or comments a learner writes to complete this component. "
               "0 completes it when the learner views the forum."),
        scope=Scope.settings,
        default=1,
        values={"min": 0, "max": REQUIREMENT_MAX, "step": 1},
    )
    has_score = Boolean(
        display_name=_("Graded participation"),
        help=_("Give a participation score: contributions made out of the number required (needs at least 1)."),
        scope=Scope.settings,
        default=False,
    )
    weight = Float(
        display_name=_("Problem weight"),
        help=_("How much the participation score counts in the course grade (only when graded)."),
        scope=Scope.settings,
        default=1.0,
        values={"min": 0, "step": 0.1},
    )
    default_sort = String(
        display_name=_("Default sort"),
        help=_("How the thread list is sorted when learners open the forum."),
        scope=Scope.settings,
        default="activity",
        values=SORT_CHOICES,
    )

    # The learner's own, private UI state. Everything other people read lives in the api's models.
    drafts = Dict(
        help="Unsent text: 'new' for a new thread, '<thread id>' for a reply, '<thread id>:<post id>' for a comment.",
        scope=Scope.user_state,
        default={},
    )
    completion_published = Boolean(
        help="Whether completion was already reported for this learner.",
        scope=Scope.user_state,
        default=False,
    )

    editable_fields = (
        "display_name", "prompt", "guidelines", "group_scope", "teamset_id", "allow_anonymous",
        "participation_required", "has_score", "weight", "default_sort",
    )

    # ----- small helpers ------------------------------------------------------------------
    def _t(self, text):
        service = self.i18n_service()
        return service.gettext(text) if service is not None else text

    def _nt(self, singular, plural, count):
        service = self.i18n_service()
        if service is not None and hasattr(service, "ngettext"):
            return service.ngettext(singular, plural, count)
        return singular if count == 1 else plural

    def shown_name(self):
        """The display name, translated while it is still the default one."""
        return self._t(DEFAULT_NAME) if self.display_name == DEFAULT_NAME else self.display_name

    def shown_guidelines(self):
        """The community guidelines, translated while they are still the default ones."""
        return self._t(DEFAULT_GUIDELINES) if self.guidelines == DEFAULT_GUIDELINES else self.guidelines

    def max_score(self):
        """The participation score's maximum (contributions required), or None when ungraded."""
        if self.has_score and self.participation_required and self.participation_required > 0:
            return self.participation_required
        return None

    def _in_studio(self):
        return bool(getattr(self.runtime, "is_author_mode", False))

    def _handler_urls(self):
        return {name: self.runtime.handler_url(self, name) for name in HANDLERS}

    # ----- views --------------------------------------------------------------------------
    def _settings_payload(self):
        return {
            "allow_anonymous": bool(self.allow_anonymous),
            "default_sort": self.default_sort if self.default_sort in api.SORTS else "activity",
            "group_scope": self.group_scope,
            "participation_required": self.participation_required or 0,
            "graded": bool(self.max_score()),
            "title_max": conf("TITLE_MAX"),
            "body_max": conf("BODY_MAX"),
            "page_size": conf("PAGE_SIZE"),
        }

    def _catalog(self):
        strings = {text: self._t(text) for text in JS_STRINGS}
        plurals = {
            singular: {"one": self._nt(singular, plural, 1), "other": self._nt(singular, plural, 2)}
            for singular, plural in JS_PLURALS
        }
        return {"strings": strings, "plurals": plurals}

    def _participation(self, ctx):
        required = self.participation_required or 0
        if self.completion_published or required == 0:
            return {"required": required, "count": None, "complete": bool(self.completion_published)}
        count = api.participation_count(ctx)
        return {"required": required, "count": count, "complete": count >= required}

    def _render(self, template, context, init=None):
        context = dict(context)
        context.update({
            "block": self,
            "prompt_html": render_markdown(self.prompt) if self.prompt else "",
            "guidelines_html": render_markdown(self.shown_guidelines()) if self.guidelines else "",
            "display_name": self.shown_name(),
            "init_json": self.json_script(init) if init is not None else "",
            "uid": "sls-" + re.sub(r"[^A-Za-z0-9_-]", "-", str(self.scope_ids.usage_id)),
            "title_max": conf("TITLE_MAX"),
            "body_max": conf("BODY_MAX"),
        })
        safe_args = None
        if init is not None:
            safe_args = {key: init[key] for key in ("urls", "handlers", "settings", "roles")}
        frag = self.render_fragment(
            loader, template, context,
            js_files=["static/cohort_forum/forum.js"],
            css_files=["static/cohort_forum/forum.css"],
            init_fn="SocialCohortForumBlock",
            init_args=safe_args,
        )
        service = self.i18n_service()
        if init is not None and service is not None and hasattr(service, "get_javascript_i18n_catalog_url"):
            try:
                url = service.get_javascript_i18n_catalog_url(self)
            except Exception:  # pylint: disable=broad-except  # older runtimes
                url = None
            if url:
                frag.add_javascript_url(url)
        return frag

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The forum: thread list, thread view and forms, driven by forum.js over the JSON handlers."""
        if self._in_studio():
            return self.author_view(context)
        identity = self.runtime_identity()
        if identity.user is None:
            return self._render("templates/cohort_forum/closed.html", {
                "message": self._t(_("Sign in to take part in this forum.")),
            })
        try:
            ctx = self.social_context(None)
            groups = ctx.available_groups() if ctx.is_staff else []
            initial = api.list_threads(ctx, {"sort": self._settings_payload()["default_sort"]})
        except ApiError as err:
            return self._render("templates/cohort_forum/closed.html", {"message": err.message})

        if (self.participation_required or 0) == 0 and not self.completion_published:
            self.runtime.publish(self, "completion", {"completion": 1.0})
            self.completion_published = True
            self.save()

        user = identity.user
        is_staff = ctx.is_staff
        if is_staff:
            current = "all" if ctx.view_all else ctx.group.key
            group_choices = [{"key": "all", "name": self._t(_("All groups"))}] + [g.as_dict() for g in groups]
        else:
            current = None
            group_choices = []
        init = {
            "handlers": list(HANDLERS),
            "urls": self._handler_urls(),
            "settings": self._settings_payload(),
            "roles": {"is_staff": is_staff, "is_advocate": ctx.is_advocate},
            "user": {"username": user.username, "name": user.get_full_name() or user.username,
                     "is_staff": is_staff, "is_advocate": ctx.is_advocate},
            "group": current,
            "current_group": ctx.group.as_dict() if ctx.group else None,
            "groups": group_choices,
            "drafts": dict(self.drafts or {}),
            "participation": self._participation(ctx),
            "initial": initial,
            "i18n": self._catalog(),
            "i18n_namespace": self.i18n_js_namespace,
        }
        show_group_name = self.group_scope != COURSE and ctx.group is not None and not is_staff
        return self._render("templates/cohort_forum/forum.html", {
            "is_staff": is_staff,
            "is_advocate": ctx.is_advocate,
            "groups": group_choices,
            "current_group": current,
            "group_name": ctx.group.name if show_group_name else "",
            "allow_anonymous": bool(self.allow_anonymous),
            "sorts": [{"value": c["value"], "label": self._t(c["display_name"])} for c in SORT_CHOICES],
            "default_sort": init["settings"]["default_sort"],
            "staff_filters": is_staff,
        }, init=init)

    def author_view(self, context=None):  # pylint: disable=unused-argument
        """Studio preview: the settings as learners will meet them; no data is read or written here."""
        scope_label = next((self._t(c["display_name"]) for c in SCOPE_CHOICES if c["value"] == self.group_scope),
                           self.group_scope)
        sort_label = next((self._t(c["display_name"]) for c in SORT_CHOICES if c["value"] == self.default_sort),
                          self.default_sort)
        return self._render("templates/cohort_forum/author.html", {
            "scope_label": scope_label,
            "sort_label": sort_label,
            "teamset_id": self.teamset_id if self.group_scope == TEAM else "",
            "allow_anonymous": bool(self.allow_anonymous),
            "required": self.participation_required or 0,
            "graded": bool(self.max_score()),
            "weight": self.weight,
        })

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """Settings and handler names for the mobile app (it calls the same JSON handlers)."""
        data = self._settings_payload()
        data.update({
            "display_name": self.shown_name(),
            "prompt": self.prompt,
            "prompt_html": render_markdown(self.prompt) if self.prompt else "",
            "guidelines": self.shown_guidelines(),
            "guidelines_html": render_markdown(self.shown_guidelines()) if self.guidelines else "",
            "handlers": list(HANDLERS),
        })
        return data

    # ----- Studio -----------------------------------------------------------------------------
    def _make_field_info(self, field_name, field):
        """Studio's form field, with its label, help and choices in the author's language (the mixin
        translates only label and help, and only through ``ugettext``, which some runtimes lack)."""
        info = super()._make_field_info(field_name, field)
        info["display_name"] = self._t(field.display_name) if field.display_name else ""
        info["help"] = self._t(field.help) if field.help else ""
        if info.get("values") and isinstance(info["values"][0], dict):
            # Copies: the choices are module constants shared by every block and request.
            info["values"] = [dict(choice, display_name=self._t(choice["display_name"])) for choice in info["values"]]
        return info

    def validate_field_data(self, validation, data):
        def error(text):
            validation.add(ValidationMessage(ValidationMessage.ERROR, self._t(text)))

        name = data.display_name
        if not isinstance(name, str) or not name.strip():
            error(_("Enter a display name: learners see it as the forum's heading."))
        elif len(name) > 255:
            error(_("The display name is too long: at most 255 characters."))
        if data.prompt is not None and len(data.prompt) > PROMPT_MAX:
            error(_("The prompt is too long: at most 5000 characters."))
        if data.guidelines is not None and len(data.guidelines) > GUIDELINES_MAX:
            error(_("The community guidelines are too long: at most 10000 characters."))
        if data.group_scope not in SCOPES:
            error(_("Choose who talks together: each cohort, each team, or the whole course."))
        elif data.group_scope == TEAM:
            teamset = (data.teamset_id or "").strip()
            if not teamset:
                error(_("Enter the teamset ID: it is required when each team has its own space."))
            else:
                known = self._known_teamsets()
                if known is not None and teamset not in known:
                    error(_("This course has no teamset with that ID. Check the course's team settings."))
        required = data.participation_required
        if not isinstance(required, int) or isinstance(required, bool):
            error(_("Enter a whole number of contributions required (0 or more)."))
        elif required < 0:
            error(_("The number of contributions required cannot be negative; use 0 to complete on viewing."))
        elif required > REQUIREMENT_MAX:
            error(_("The number of contributions required is too high: at most 1000."))
        elif data.has_score and required < 1:
            error(_("A graded forum needs at least 1 required contribution: the score is contributions out of it."))
        weight = data.weight
        if weight is None or not isinstance(weight, (int, float)) or weight < 0:
            error(_("The weight must be a number of 0 or more."))
        if data.default_sort not in api.SORTS:
            error(_("Choose a default sort: recent activity, newest, most votes or unanswered."))

    def _known_teamsets(self):
        """The teamset ids of the course, or None when the runtime cannot tell (e.g. the Workbench)."""
        try:
            service = self.runtime.service(self, "teams_configuration")
            if service is None:
                return None
            config = service.get_teams_configuration(self.scope_ids.usage_id.context_key)
            return set(config.teamsets_by_id)
        except Exception:  # pylint: disable=broad-except  # optional check; Studio's own checks still apply
            return None

    def _require_author(self):
        """Settings are saved by course authors only (Studio checks this itself; other runtimes do not)."""
        try:
            if self.runtime.service(self, "studio_user_permissions") is not None:
                return
        except Exception:  # pylint: disable=broad-except
            pass
        identity = self.runtime_identity()
        if identity.user is None or STAFF not in identity.roles:
            message = self._t(_("Only course staff can change these settings."))
            raise JsonHandlerError(403, {"code": "forbidden", "message": message,
                                         "messages": [{"type": "error", "text": message}]})

    @XBlock.json_handler
    def submit_studio_edits(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save the Studio form: every value converted and validated first, then all saved or none."""
        self._require_author()
        if not isinstance(data, dict) or not isinstance(data.get("values", {}), dict):
            message = self._t(_("The form could not be read."))
            raise JsonHandlerError(400, {"code": "invalid", "message": message,
                                         "messages": [{"type": "error", "text": message}]})
        submitted = data.get("values", {})
        defaults = data.get("defaults", []) or []
        values, to_reset, messages = {}, [], []
        for field_name in self.editable_fields:
            field = self.fields[field_name]
            if field_name in submitted:
                try:
                    if not isinstance(field, JSONField):
                        raise ValueError(field_name)
                    values[field_name] = field.from_json(submitted[field_name])
                except (TypeError, ValueError):
                    label = self._t(field.display_name)
                    messages.append(self._t(_("“{label}” has a value of the wrong kind.")).format(label=label))
            elif field_name in defaults and field.is_set_on(self):
                to_reset.append(field_name)
        if isinstance(values.get("display_name"), str):
            values["display_name"] = values["display_name"].strip()
        if isinstance(values.get("teamset_id"), str):
            values["teamset_id"] = values["teamset_id"].strip()
        validation = Validation(self.scope_ids.usage_id)
        if not messages:
            self.validate_field_data(validation, FutureFields(values, to_reset, self))
        for text in messages:
            validation.add(ValidationMessage(ValidationMessage.ERROR, text))
        if not validation:
            body = validation.to_json()
            body.update({"code": "invalid", "message": " ".join(m["text"] for m in body["messages"])})
            raise JsonHandlerError(400, body)
        for field_name, value in values.items():
            setattr(self, field_name, value)
        for field_name in to_reset:
            self.fields[field_name].delete_from(self)
        return {"result": "success"}

    # ----- JSON handlers ------------------------------------------------------------------------
    def _context(self, data):
        group = data.get("group")
        if group is not None and not isinstance(group, str):
            raise ValidationError(self._t(_("The group must be given as text.")), fields={"group": self._t(_("Invalid."))})
        return self.social_context(group or None)

    def _record_contribution(self, ctx):
        """After a new thread, reply or comment: report the score and completion once the goal is met."""
        required = self.participation_required or 0
        if self.completion_published:
            return {"required": required, "count": None, "complete": True}
        count = api.participation_count(ctx)
        if self.max_score():
            self.runtime.publish(self, "grade", {"value": min(count, required), "max_value": required})
        complete = count >= required
        if complete:
            self.runtime.publish(self, "completion", {"completion": 1.0})
            self.completion_published = True
        return {"required": required, "count": count, "complete": complete}

    def _forget_draft(self, key):
        drafts = dict(self.drafts or {})
        if drafts.pop(key, None) is not None:
            self.drafts = drafts

    @api_handler
    def list_threads(self, data, suffix=""):  # pylint: disable=unused-argument
        return api.list_threads(self._context(data), data)

    @api_handler
    def get_thread(self, data, suffix=""):  # pylint: disable=unused-argument
        return api.get_thread(self._context(data), data)

    @api_handler
    def create_thread(self, data, suffix=""):  # pylint: disable=unused-argument
        ctx = self._context(data)
        result = api.create_thread(ctx, data, allow_anonymous=bool(self.allow_anonymous))
        self._forget_draft("new")
        result["participation"] = self._record_contribution(ctx)
        return result

    @api_handler
    def create_reply(self, data, suffix=""):  # pylint: disable=unused-argument
        ctx = self._context(data)
        result = api.create_reply(ctx, data, allow_anonymous=bool(self.allow_anonymous))
        parent = data.get("parent")
        self._forget_draft(f"{result['thread']}:{parent}" if parent not in (None, "") else str(result["thread"]))
        result["participation"] = self._record_contribution(ctx)
        return result

    @api_handler
    def edit(self, data, suffix=""):  # pylint: disable=unused-argument
        return api.edit(self._context(data), data)

    @api_handler
    def delete(self, data, suffix=""):  # pylint: disable=unused-argument
        return api.delete(self._context(data), data)

    @api_handler
    def vote(self, data, suffix=""):  # pylint: disable=unused-argument
        return api.vote(self._context(data), data)

    @api_handler
    def follow(self, data, suffix=""):  # pylint: disable=unused-argument
        return api.follow(self._context(data), data)

    @api_handler
    def flag(self, data, suffix=""):  # pylint: disable=unused-argument
        return api.flag(self._context(data), data)

    @api_handler
    def endorse(self, data, suffix=""):  # pylint: disable=unused-argument
        return api.endorse(self._context(data), data)

    @api_handler
    def pin(self, data, suffix=""):  # pylint: disable=unused-argument
        return api.pin(self._context(data), data)

    @api_handler
    def highlight(self, data, suffix=""):  # pylint: disable=unused-argument
        return api.highlight(self._context(data), data)

    @api_handler
    def hide(self, data, suffix=""):  # pylint: disable=unused-argument
        return api.hide(self._context(data), data)

    @api_handler
    def mention_candidates(self, data, suffix=""):  # pylint: disable=unused-argument
        return api.mention_candidates(self._context(data), data)

    @api_handler
    def save_draft(self, data, suffix=""):  # pylint: disable=unused-argument
        """Keep the learner's unsent text (``key``: 'new', a thread id, or 'thread:post'); empty text forgets it."""
        self._context(data)  # signed in, and allowed in the requested group
        key = data.get("key")
        if not isinstance(key, str) or not DRAFT_KEY_RE.match(key):
            raise ValidationError(self._t(_("This draft cannot be saved: unknown place.")),
                                  fields={"key": self._t(_("Invalid."))})
        errors = {}
        title = _draft_text(data.get("title"), "title", self._t(_("The title")), conf("TITLE_MAX"), errors, self._t)
        body = _draft_text(data.get("body"), "body", self._t(_("The text")), conf("BODY_MAX"), errors, self._t)
        kind = data.get("kind") if data.get("kind") in api.KINDS else "discussion"
        anonymous = data.get("anonymous") is True
        if errors:
            raise ValidationError(next(iter(errors.values())), fields=errors)
        drafts = dict(self.drafts or {})
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
        self.drafts = drafts
        return {"key": key, "saved": saved}

    # ----- Workbench --------------------------------------------------------------------------
    @staticmethod
    def workbench_scenarios():
        return [
            (_("Cohort forum in a course unit"), """
<vertical_demo>
  <html_demo>
    <h2>Week 1: Welcome to your cohort</h2>
    <p>Before the first classroom session, introduce yourself to your cohort and share one thing you hope
    to learn. Questions about the programme are welcome too: advocates and staff answer them here.</p>
  </html_demo>
  <social_cohort_forum display_name="Your cohort's forum" allow_anonymous="true" participation_required="2"
    prompt="Introduce yourself: **who are you**, what do you do, and what do you hope to get out of this training?"/>
</vertical_demo>
"""),
            (_("Cohort forum, whole course, graded participation"), """
<vertical_demo>
  <social_cohort_forum display_name="Course Q&amp;A" group_scope="course" default_sort="unanswered"
    participation_required="3" has_score="true"
    prompt="Ask anything about the course. Mark your post as a *question* so it can be answered."/>
</vertical_demo>
"""),
        ]
