"""The cohort forum through the tool: the XBlock's template, JavaScript and api, driven by a launch token.

The page renders ``cohort_forum/forum.html`` with the same context the XBlock's ``student_view``
builds and starts ``forum.js`` with the tool's endpoint URLs and the launch token as the client's
``Authorization`` header. Each endpoint builds a core :class:`Context` from the token and calls the
same :mod:`xblocks.cohort_forum.api` function as the XBlock handler of the same name; permissions
and validation are the api's. Completion and the participation score follow the XBlock's rules;
the score goes to the platform's gradebook through AGS.
"""
import logging
import re
from types import SimpleNamespace

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xblocks.cohort_forum import api
from xblocks.cohort_forum import block as forum_block
from xblocks.core.context import ALL_GROUPS, build_context
from xblocks.core.errors import ValidationError
from xblocks.core.groups import COURSE, Group, LocalGroups
from xblocks.core.settings import conf as core_conf
from xblocks.core.text import render_markdown
from xblocks.core.xblock_base import SocialXBlockMixin

from . import services
from .models import LearnerState

log = logging.getLogger(__name__)
tracking_log = logging.getLogger("social_learning.tracking")

HANDLERS = forum_block.HANDLERS


class LaunchGroups(LocalGroups):
    """Local groups, with the learner's group as their launch established it."""

    def __init__(self, token):
        self.token = token

    def group_for(self, user, course_key, scope, teamset_id=""):
        if scope != COURSE and self.token.group and user.id == self.token.user_id:
            return Group(*self.token.group)
        return super().group_for(user, course_key, scope, teamset_id)


def make_context(token, user, lti_placement, requested_group=None):
    settings = lti_placement.settings
    placement = lti_placement.placement

    def emit(name, data):
        tracking_log.info("%s %s", name, {"placement": placement.id, "user": user.id, **(data or {})})

    return build_context(user=user, placement=placement, scope=settings["group_scope"], roles=token.roles,
                         backend=LaunchGroups(token), teamset_id=settings.get("teamset_id", "") or "",
                         requested_group=requested_group, emit=emit)


def max_score(settings):
    required = settings.get("participation_required") or 0
    return required if settings.get("has_score") and required > 0 else None


def settings_payload(settings):
    return {
        "allow_anonymous": bool(settings["allow_anonymous"]),
        "default_sort": settings["default_sort"] if settings["default_sort"] in api.SORTS else "activity",
        "group_scope": settings["group_scope"],
        "participation_required": settings["participation_required"] or 0,
        "graded": bool(max_score(settings)),
        "title_max": core_conf("TITLE_MAX"),
        "body_max": core_conf("BODY_MAX"),
        "page_size": core_conf("PAGE_SIZE"),
    }


def catalog():
    strings = {text: _(text) for text in forum_block.JS_STRINGS}
    plurals = {singular: {"one": ngettext(singular, plural, 1), "other": ngettext(singular, plural, 2)}
               for singular, plural in forum_block.JS_PLURALS}
    return {"strings": strings, "plurals": plurals}


def learner_state(placement, user):
    state, _created = LearnerState.objects.get_or_create(placement=placement, user=user)
    return state


def participation(ctx, settings, state):
    required = settings["participation_required"] or 0
    if state.completed or required == 0:
        return {"required": required, "count": None, "complete": bool(state.completed)}
    count = api.participation_count(ctx)
    return {"required": required, "count": count, "complete": count >= required}


def shown(value, default):
    """A setting as the XBlock shows it: translated while it is still the default text."""
    return _(default) if value == default else value


def render_page(token_value, token, user, lti_placement, urls):
    """(template context, template name) of the forum page for this launch."""
    settings = lti_placement.settings
    placement = lti_placement.placement
    loader = forum_block.loader
    display_name = shown(settings["display_name"], forum_block.DEFAULT_NAME)
    base = {
        "block": SimpleNamespace(display_name=display_name),
        "display_name": display_name,
        "prompt_html": render_markdown(settings["prompt"]) if settings["prompt"] else "",
        "guidelines_html": (render_markdown(shown(settings["guidelines"], forum_block.DEFAULT_GUIDELINES))
                            if settings["guidelines"] else ""),
        "uid": "sls-lti-" + re.sub(r"[^A-Za-z0-9_-]", "-", str(placement.id)),
        "title_max": core_conf("TITLE_MAX"),
        "body_max": core_conf("BODY_MAX"),
        "init_json": "",
    }
    # An ApiError here (no group yet...) is shown by the caller on the XBlock's "closed" template.
    ctx = make_context(token, user, lti_placement)
    groups = ctx.available_groups() if ctx.is_staff else []
    initial = api.list_threads(ctx, {"sort": settings_payload(settings)["default_sort"]})
    state = learner_state(placement, user)
    if (settings["participation_required"] or 0) == 0 and not state.completed:
        state.completed = True
        state.save(update_fields=["completed", "modified"])
    is_staff = ctx.is_staff
    if is_staff:
        current = ALL_GROUPS if ctx.view_all else ctx.group.key
        group_choices = [{"key": ALL_GROUPS, "name": _("All groups")}] + [g.as_dict() for g in groups]
    else:
        current, group_choices = None, []
    init = {
        "handlers": list(HANDLERS),
        "urls": urls,
        "settings": settings_payload(settings),
        "roles": {"is_staff": is_staff, "is_advocate": ctx.is_advocate},
        "user": {"username": user.username, "name": user.get_full_name() or user.username,
                 "is_staff": is_staff, "is_advocate": ctx.is_advocate},
        "group": current,
        "current_group": ctx.group.as_dict() if ctx.group else None,
        "groups": group_choices,
        "drafts": dict(state.drafts or {}),
        "participation": participation(ctx, settings, state),
        "initial": initial,
        "i18n": catalog(),
        "i18n_namespace": forum_block.CohortForumBlock.i18n_js_namespace,
        "client": {"headers": {"Authorization": f"Bearer {token_value}"}},
    }
    show_group_name = settings["group_scope"] != COURSE and ctx.group is not None and not is_staff
    context = dict(base)
    context.update({
        "init_json": SocialXBlockMixin.json_script(init),
        "is_staff": is_staff,
        "is_advocate": ctx.is_advocate,
        "groups": group_choices,
        "current_group": current,
        "group_name": ctx.group.name if show_group_name else "",
        "allow_anonymous": bool(settings["allow_anonymous"]),
        "sorts": [{"value": c["value"], "label": _(c["display_name"])} for c in forum_block.SORT_CHOICES],
        "default_sort": init["settings"]["default_sort"],
        "staff_filters": is_staff,
    })
    html = loader.render_django_template("templates/cohort_forum/forum.html", context)
    args = {key: init[key] for key in ("urls", "handlers", "settings", "roles")}
    return html, args


def render_closed(lti_placement, message):
    """The XBlock's "closed" forum (no group yet...), with the reason."""
    settings = lti_placement.settings
    display_name = shown(settings["display_name"], forum_block.DEFAULT_NAME)
    return forum_block.loader.render_django_template("templates/cohort_forum/closed.html", {
        "message": message, "display_name": display_name, "block": SimpleNamespace(display_name=display_name),
        "prompt_html": render_markdown(settings["prompt"]) if settings["prompt"] else ""})


def assets():
    """The forum's CSS and JavaScript, as the XBlock's fragment carries them."""
    core = SocialXBlockMixin.loader
    loader = forum_block.loader
    css = [core.load_unicode("static/core/core.css"), loader.load_unicode("static/cohort_forum/forum.css")]
    js = [core.load_unicode("static/core/core.js"), loader.load_unicode("static/cohort_forum/forum.js")]
    return "\n".join(css), js


# ----- the JSON endpoints: one per XBlock handler ----------------------------------------------
def record_contribution(ctx, lti_placement, user):
    """After a new thread, reply or comment: completion and the score, as the XBlock reports them."""
    settings = lti_placement.settings
    required = settings["participation_required"] or 0
    state = learner_state(lti_placement.placement, user)
    if state.completed:
        return {"required": required, "count": None, "complete": True}
    count = api.participation_count(ctx)
    complete = count >= required
    maximum = max_score(settings)
    if maximum:
        services.send_score(lti_placement, user, min(count, required), required, complete)
    if complete:
        state.completed = True
        state.save(update_fields=["completed", "modified"])
    return {"required": required, "count": count, "complete": complete}


def handle(action, token, user, lti_placement, data):
    """Run one forum action for the launch; returns the JSON-ready result or raises an ApiError."""
    group = data.get("group")
    if group is not None and not isinstance(group, str):
        raise ValidationError(_("The group must be given as text."), fields={"group": _("Invalid.")})
    ctx = make_context(token, user, lti_placement, group or None)
    settings = lti_placement.settings
    allow_anonymous = bool(settings["allow_anonymous"])
    if action == "create_thread":
        result = api.create_thread(ctx, data, allow_anonymous=allow_anonymous)
        forget_draft(lti_placement.placement, user, "new")
        result["participation"] = record_contribution(ctx, lti_placement, user)
        return result
    if action == "create_reply":
        result = api.create_reply(ctx, data, allow_anonymous=allow_anonymous)
        parent = data.get("parent")
        forget_draft(lti_placement.placement, user,
                     f"{result['thread']}:{parent}" if parent not in (None, "") else str(result["thread"]))
        result["participation"] = record_contribution(ctx, lti_placement, user)
        return result
    if action == "save_draft":
        return save_draft(lti_placement.placement, user, data)
    return getattr(api, action)(ctx, data)


def forget_draft(placement, user, key):
    state = LearnerState.objects.filter(placement=placement, user=user).first()
    if state is not None and key in (state.drafts or {}):
        drafts = dict(state.drafts)
        drafts.pop(key)
        state.drafts = drafts
        state.save(update_fields=["drafts", "modified"])


def save_draft(placement, user, data):
    """The learner's unsent text, with the XBlock's rules (``save_draft`` handler)."""
    key = data.get("key")
    if not isinstance(key, str) or not forum_block.DRAFT_KEY_RE.match(key):
        raise ValidationError(_("This draft cannot be saved: unknown place."), fields={"key": _("Invalid.")})
    errors = {}
    draft_text = forum_block._draft_text  # pylint: disable=protected-access  # the block's own rules
    title = draft_text(data.get("title"), "title", _("The title"), core_conf("TITLE_MAX"), errors, _)
    body = draft_text(data.get("body"), "body", _("The text"), core_conf("BODY_MAX"), errors, _)
    kind = data.get("kind") if data.get("kind") in api.KINDS else "discussion"
    anonymous = data.get("anonymous") is True
    if errors:
        raise ValidationError(next(iter(errors.values())), fields=errors)
    state = learner_state(placement, user)
    drafts = dict(state.drafts or {})
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
        for old in others[:-forum_block.MAX_REPLY_DRAFTS]:
            drafts.pop(old)
    state.drafts = drafts
    state.save(update_fields=["drafts", "modified"])
    return {"key": key, "saved": saved}
