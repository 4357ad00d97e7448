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
from django.conf import settings as django_settings
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Boolean, Dict, Float, Integer, Scope, String
from xblock.utils.resources import ResourceLoader
from xblock.utils.studio_editable import FutureFields, StudioEditableXBlockMixin
from xblock.validation import Validation, ValidationMessage

from xblocks.core import compat
from xblocks.core.context import STAFF
from xblocks.core.errors import ApiError
from xblocks.core.groups import TEAM
from xblocks.core.text import render_markdown
from xblocks.core.xblock_base import SocialXBlockMixin, api_handler

from . import api, frontdoor
from .frontdoor import DEFAULTS, HANDLERS, REQUIREMENT_MAX, SCOPE_CHOICES, SORT_CHOICES

loader = ResourceLoader(__name__)


def _(text):
    """Mark a string for translation; it is translated when shown (fields are built at import)."""
    return text


@XBlock.needs("user")
@XBlock.wants("teams", "i18n", "teams_configuration", "studio_user_permissions")
class CohortForumBlock(SocialXBlockMixin, StudioEditableXBlockMixin, XBlock):
    """A forum inside the course unit, scoped to the learner's cohort, team or the whole course."""

    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = True
    has_author_view = True
    # Shown while staff view the course as a specific learner: read-only then (see ``read_only_reason``).
    show_in_read_only_mode = True
    icon_class = "other"
    i18n_js_namespace = frontdoor.I18N_NAMESPACE

    display_name = String(
        display_name=_("Display name"),
        help=_("The heading learners see above the forum."),
        scope=Scope.settings,
        default=DEFAULTS["display_name"],
    )
    prompt = String(
        display_name=_("Prompt"),
        help=_("What should people talk about? Shown above the forum (Markdown)."),
        scope=Scope.settings,
        default=DEFAULTS["prompt"],
        multiline_editor=True,
    )
    guidelines = String(
        display_name=_("Community guidelines"),
        help=_("Shown next to every place where people write (Markdown). Keep them short and friendly."),
        scope=Scope.settings,
        default=DEFAULTS["guidelines"],
        multiline_editor=True,
    )
    group_scope = String(
        display_name=_("Who talks together"),
        help=_("Each cohort or team gets its own space that other groups cannot see, or the whole course shares one."),
        scope=Scope.settings,
        default=DEFAULTS["group_scope"],
        values=SCOPE_CHOICES,
    )
    teamset_id = String(
        display_name=_("Teamset ID"),
        help=_("Required when each team has its own space: the ID of the teamset in the course's team settings."),
        scope=Scope.settings,
        default=DEFAULTS["teamset_id"],
    )
    allow_anonymous = Boolean(
        display_name=_("Allow anonymous posts"),
        help=_("Learners may hide their name from other learners; staff still see who wrote a post."),
        scope=Scope.settings,
        default=DEFAULTS["allow_anonymous"],
    )
    participation_required = Integer(
        display_name=_("Contributions required for completion"),
        help=_("How many threads, replies or comments a learner writes to complete this component. "
               "0 completes it when the learner views the forum."),
        scope=Scope.settings,
        default=DEFAULTS["participation_required"],
        values={"min": 0, "max": REQUIREMENT_MAX, "step": 1},
    )
    has_score = Boolean(
        display_name=_("Graded participation"),
        help=_("Give a participation score: contributions made out of the number required (needs at least 1)."),
        scope=Scope.settings,
        default=DEFAULTS["has_score"],
    )
    weight = Float(
        display_name=_("Problem weight"),
        help=_("How much the participation score counts in the course grade (only when graded)."),
        scope=Scope.settings,
        default=DEFAULTS["weight"],
        values={"min": 0, "step": 0.1},
    )
    default_sort = String(
        display_name=_("Default sort"),
        help=_("How the thread list is sorted when learners open the forum."),
        scope=Scope.settings,
        default=DEFAULTS["default_sort"],
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

    editable_fields = frontdoor.EDITABLE

    # ----- small helpers ------------------------------------------------------------------
    def _t(self, text):
        service = self.i18n_service()
        return service.gettext(text) if service is not None else text

    def _nt(self, singular, plural, count):
        service = self.i18n_service()
        if service is not None and hasattr(service, "ngettext"):
            return service.ngettext(singular, plural, count)
        return singular if count == 1 else plural

    def _settings(self):
        """The author settings as the front-door module reads them."""
        return {name: getattr(self, name) for name in frontdoor.EDITABLE}

    def shown_name(self):
        """The display name, translated while it is still the default one."""
        return frontdoor.shown(self.display_name, frontdoor.DEFAULT_NAME, self._t)

    def shown_guidelines(self):
        """The community guidelines, translated while they are still the default ones."""
        return frontdoor.shown(self.guidelines, frontdoor.DEFAULT_GUIDELINES, self._t)

    def max_score(self):
        """The participation score's maximum (contributions required), or None when ungraded."""
        return frontdoor.max_score(self._settings())

    def _handler_urls(self):
        return {name: self.runtime.handler_url(self, name) for name in HANDLERS}

    # ----- views --------------------------------------------------------------------------
    def _render(self, template, context, init=None):
        context = dict(context)
        context.update(frontdoor.base_context(self._settings(), self._t))
        context.update({
            "block": self,
            "init_json": self.json_script(init) if init is not None else "",
            "uid": frontdoor.dom_id("sls-", self.scope_ids.usage_id),
        })
        frag = self.render_fragment(
            loader, template, context,
            js_files=["static/cohort_forum/forum.js"],
            css_files=["static/cohort_forum/forum.css"],
            init_fn="SocialCohortForumBlock",
            init_args=frontdoor.client_args(init) if init is not None else None,
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

    def _complete_on_view(self):
        self.runtime.publish(self, "completion", {"completion": 1.0})
        self.completion_published = True
        self.save()

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The forum: thread list, thread view and forms, driven by forum.js over the JSON handlers."""
        if self.in_studio():
            return self.author_view(context)
        identity = self.runtime_identity()
        if identity.user is None:
            return self._render("templates/cohort_forum/closed.html", {
                "message": self._t(_("Sign in to take part in this forum.")),
            })
        try:
            init, page = frontdoor.page_data(
                self.social_context(None), self._settings(), urls=self._handler_urls(), drafts=self.drafts,
                completed=self.completion_published, complete_on_view=self._complete_on_view,
                gettext=self._t, ngettext=self._nt)
        except ApiError as err:
            return self._render("templates/cohort_forum/closed.html", {"message": err.message})
        # The page reads the CSRF cookie by the site's name for it (Open edX sites may rename it).
        init["client"] = {"csrfCookieName": django_settings.CSRF_COOKIE_NAME}
        return self._render("templates/cohort_forum/forum.html", page, init=init)

    def author_view(self, context=None):  # pylint: disable=unused-argument
        """Studio preview: the settings as learners will meet them, and sample threads (not real ones);
        no learner data is read or written here."""
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
            "samples": frontdoor.sample_threads(self._t),
        })

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """Settings and handler names for the mobile app (it calls the same JSON handlers)."""
        data = frontdoor.settings_payload(self._settings())
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
        values = {name: getattr(data, name) for name in frontdoor.EDITABLE}
        for text in frontdoor.validate_settings(values, self._t, self._known_teamsets).values():
            validation.add(ValidationMessage(ValidationMessage.ERROR, text))

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
        """Settings are saved by course authors only.

        In Studio, by those the platform lets write to the course (Studio's ``component_handler`` runs
        the handler before any author check of its own); elsewhere, by course staff.
        """
        permissions = self.studio_permissions()
        if permissions is not None:
            allowed = permissions.can_write(compat.course_key_object(self.course_key))
        else:
            identity = self.runtime_identity()
            allowed = identity.user is not None and STAFF in identity.roles
        if not allowed:
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
        defaults = data.get("defaults", []) or []
        values, errors = frontdoor.convert_settings(data.get("values", {}), self.fields, self._t)
        to_reset = [name for name in self.editable_fields
                    if name not in data.get("values", {}) and name in defaults and self.fields[name].is_set_on(self)]
        validation = Validation(self.scope_ids.usage_id)
        if not errors:
            self.validate_field_data(validation, FutureFields(values, to_reset, self))
        for text in errors.values():
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
        return self.social_context(frontdoor.requested_group(data, self._t))

    def _record_contribution(self, ctx):
        """After a new thread, reply or comment: report the score and completion once the goal is met."""
        result, score = frontdoor.contribution(ctx, self._settings(), self.completion_published)
        if score is not None:
            self.runtime.publish(self, "grade", {"value": score[0], "max_value": score[1]})
        if result["complete"] and not self.completion_published:
            self.runtime.publish(self, "completion", {"completion": 1.0})
            self.completion_published = True
        return result

    def _forget_draft(self, key):
        drafts = frontdoor.forget_draft(self.drafts, key)
        if drafts is not None:
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
        self._forget_draft(frontdoor.reply_draft_key(result["thread"], data.get("parent")))
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
        self._context(data).require_writable()  # signed in, allowed in the group, not viewing as someone
        self.drafts, result = frontdoor.update_drafts(self.drafts, data, self._t)
        return result

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
