"""The cohort forum through the tool: the XBlock's template, JavaScript and api, driven by a launch token.

The page renders ``cohort_forum/forum.html`` with the context :mod:`xblocks.cohort_forum.frontdoor`
builds for both front doors and starts ``forum.js`` with the tool's endpoint URLs and the launch
token as the client's ``Authorization`` header. Each endpoint builds a core :class:`Context` from
the token and calls the same :mod:`xblocks.cohort_forum.api` function as the XBlock handler of the
same name; permissions and validation are the api's, drafts, completion and the participation
score follow the front-door module's rules. The learner's private state (drafts, completion) is a
:class:`~lti.models.LearnerState` row; the score goes to the platform's gradebook through AGS.
"""
import logging
from types import SimpleNamespace

from django.utils.translation import gettext, ngettext
from xblock.utils.resources import ResourceLoader

from xblocks.cohort_forum import api, frontdoor
from xblocks.core.assets import CORE_CSS, CORE_JS
from xblocks.core.context import build_context
from xblocks.core.groups import COURSE, Group, LocalGroups
from xblocks.core.xblock_base import SocialXBlockMixin

from . import services
from .models import LearnerState

log = logging.getLogger(__name__)
tracking_log = logging.getLogger("social_learning.tracking")

HANDLERS = frontdoor.HANDLERS
loader = ResourceLoader("xblocks.cohort_forum.block")  # the forum's templates and static files


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


def catalog():
    """The forum's JavaScript strings in the language of the request."""
    return frontdoor.catalog(gettext, ngettext)


def shown(value, default):
    """A setting as people see it: translated while it is still the default text."""
    return frontdoor.shown(value, default, gettext)


def learner_state(placement, user):
    state, _created = LearnerState.objects.get_or_create(placement=placement, user=user)
    return state


def _base_context(lti_placement):
    context = frontdoor.base_context(lti_placement.settings, gettext)
    context["block"] = SimpleNamespace(display_name=context["display_name"])
    return context


def render_page(token_value, token, user, lti_placement, urls):
    """(HTML, start-up arguments) of the forum page for this launch.

    Raises an :class:`~xblocks.core.errors.ApiError` when the person cannot see the forum (no group
    yet...); the caller shows the XBlock's "closed" template instead.
    """
    placement = lti_placement.placement
    ctx = make_context(token, user, lti_placement)
    state = LearnerState.objects.filter(placement=placement, user=user).first()  # written only once shown

    def complete_on_view():
        if state is None:  # a launch makes the row; in case it went since
            LearnerState.objects.update_or_create(placement=placement, user=user, defaults={"completed": True})
            return
        state.completed = True
        state.save(update_fields=["completed", "modified"])

    init, page = frontdoor.page_data(
        ctx, lti_placement.settings, urls=urls, drafts=state.drafts if state else {},
        completed=bool(state and state.completed), complete_on_view=complete_on_view, gettext=gettext,
        ngettext=ngettext)
    init["client"] = {"headers": {"Authorization": f"Bearer {token_value}"}}
    context = _base_context(lti_placement)
    context.update(page)
    context.update({
        "init_json": SocialXBlockMixin.json_script(init),
        "uid": frontdoor.dom_id("sls-lti-", lti_placement.placement.id),
    })
    html = loader.render_django_template("templates/cohort_forum/forum.html", context)
    return html, frontdoor.client_args(init)


def render_closed(lti_placement, message):
    """The XBlock's "closed" forum (no group yet...), with the reason."""
    context = _base_context(lti_placement)
    context["message"] = message
    return loader.render_django_template("templates/cohort_forum/closed.html", context)


def assets():
    """The forum's CSS and JavaScript, as the XBlock's fragment carries them."""
    core = SocialXBlockMixin.loader
    css = [core.load_unicode(path) for path in CORE_CSS] + [loader.load_unicode("static/cohort_forum/forum.css")]
    js = [core.load_unicode(path) for path in CORE_JS] + [loader.load_unicode("static/cohort_forum/forum.js")]
    return "\n".join(css), js


# ----- the JSON endpoints: one per XBlock handler ----------------------------------------------
def _after_contribution(ctx, lti_placement, user, state, draft_key):
    """After a new thread, reply or comment: forget its draft, then completion and the score, as the
    XBlock reports them (at most one write of the learner's state)."""
    state = state or learner_state(lti_placement.placement, user)
    changed = []
    drafts = frontdoor.forget_draft(state.drafts, draft_key)
    if drafts is not None:
        state.drafts = drafts
        changed.append("drafts")
    result, score = frontdoor.contribution(ctx, lti_placement.settings, state.completed)
    if score is not None:
        services.send_score(lti_placement, user, score[0], score[1], result["complete"],
                            subject=getattr(state, "lti_subject", None))
    if result["complete"] and not state.completed:
        state.completed = True
        changed.append("completed")
    if changed:
        state.save(update_fields=changed + ["modified"])
    return result


def handle(action, token, user, lti_placement, data, state=None):
    """Run one forum action for the launch; returns the JSON-ready result or raises an ApiError.

    ``state``: the learner's :class:`LearnerState` here, when the caller read it already."""
    ctx = make_context(token, user, lti_placement, frontdoor.requested_group(data, gettext))
    allow_anonymous = bool(lti_placement.settings["allow_anonymous"])
    if action == "create_thread":
        result = api.create_thread(ctx, data, allow_anonymous=allow_anonymous)
        result["participation"] = _after_contribution(ctx, lti_placement, user, state, "new")
        return result
    if action == "create_reply":
        result = api.create_reply(ctx, data, allow_anonymous=allow_anonymous)
        key = frontdoor.reply_draft_key(result["thread"], data.get("parent"))
        result["participation"] = _after_contribution(ctx, lti_placement, user, state, key)
        return result
    if action == "save_draft":
        return save_draft(lti_placement.placement, user, data, state)
    return getattr(api, action)(ctx, data)


def save_draft(placement, user, data, state=None):
    """The learner's unsent text, kept with the XBlock's rules; a bad draft writes nothing."""
    state = state or LearnerState.objects.filter(placement=placement, user=user).first()
    drafts, result = frontdoor.update_drafts(state.drafts if state else {}, data, gettext)
    state = state or learner_state(placement, user)
    state.drafts = drafts
    state.save(update_fields=["drafts", "modified"])
    return result
