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

from xblocks.cohort_forum import frontdoor
from xblocks.cohort_forum.frontdoor import FORUM
from xblocks.core.actions import DoorState, requested_group, run_action
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
    css = [core.load_unicode("static/core/core.css"), loader.load_unicode("static/cohort_forum/forum.css")]
    js = [core.load_unicode("static/core/core.js"), loader.load_unicode("static/cohort_forum/forum.js")]
    return "\n".join(css), js


# ----- the JSON endpoints: one per XBlock handler ----------------------------------------------
class LtiDoorState(DoorState):
    """The learner's drafts and completion in their :class:`LearnerState` row (read only when an action
    needs it, written at most once per action); the score goes to the platform's gradebook over AGS."""

    def __init__(self, lti_placement, user, state=None):
        self.lti_placement = lti_placement
        self.user = user
        self._state = state
        self._loaded = state is not None
        self._changed = []

    @property
    def state(self):
        if not self._loaded:
            self._state = LearnerState.objects.filter(placement=self.lti_placement.placement, user=self.user).first()
            self._loaded = True
        return self._state

    @property
    def drafts(self):
        return self.state.drafts if self.state else {}

    @property
    def completed(self):
        return bool(self.state and self.state.completed)

    def set_drafts(self, drafts):
        self._row().drafts = drafts
        self._changed.append("drafts")

    def report_score(self, value, maximum, complete):
        services.send_score(self.lti_placement, self.user, value, maximum, complete,
                            subject=getattr(self.state, "lti_subject", None))

    def report_completion(self):
        if not self.completed:
            self._row().completed = True
            self._changed.append("completed")

    def _row(self):
        if self.state is None:
            self._state = learner_state(self.lti_placement.placement, self.user)
        return self._state

    def save(self):
        if self._changed:
            self._row().save(update_fields=sorted(set(self._changed)) + ["modified"])
            self._changed = []


def handle(action, token, user, lti_placement, data, state=None):
    """Run one forum action for the launch; returns the JSON-ready result or raises an ApiError.

    ``state``: the learner's :class:`LearnerState` here, when the caller read it already."""
    ctx = make_context(token, user, lti_placement, requested_group(data, gettext))
    door = LtiDoorState(lti_placement, user, state)
    return run_action(FORUM, action, ctx, data, lti_placement.settings, door, gettext)
