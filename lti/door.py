"""Any registered component through the tool: its page and its actions, driven by a launch token.

The page renders the component's own template with the context its :class:`~xblocks.core.component.Page`
builds for both front doors and starts its JavaScript entry point with the tool's endpoint URLs and
the launch token as the client's ``Authorization`` header. Each endpoint builds a core
:class:`Context` from the token and runs the component's action through
:func:`xblocks.core.actions.run_action`, as the XBlock handler of the same name does. The learner's
private state (drafts, completion) is a :class:`~lti.models.LearnerState` row; the score goes to the
platform's gradebook through AGS.
"""
import logging
import time
from types import SimpleNamespace

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from xblock.utils.resources import ResourceLoader

from xblocks.core import component as components
from xblocks.core import assets as assets_mod
from xblocks.core.actions import DoorState, complete_on_view, requested_group, run_action
from xblocks.core.context import build_context
from xblocks.core.errors import NotFound
from xblocks.core.groups import COHORT, COURSE, Group, LocalGroups
from xblocks.core.models import LocalGroup
from xblocks.core.reach import Reach
from xblocks.core.xblock_base import SocialXBlockMixin

from . import services, tokens
from .models import LearnerState

log = logging.getLogger(__name__)
tracking_log = logging.getLogger("social_learning.tracking")


def loader(component):
    """The component's templates and static files (inside its package)."""
    return ResourceLoader(component.package)


class LaunchGroups(LocalGroups):
    """Local groups, with the learner's group as their launch established it.

    A group named by an activity's launch (a ``cohort`` custom parameter) applies in that placement only:
    there its learners are members of it (and not of their course-wide cohort), as their
    :class:`LearnerState` rows say; elsewhere the course's memberships apply."""

    def __init__(self, token):
        self.token = token

    def group_for(self, user, course_key, scope, teamset_id=""):
        if scope != COURSE and self.token.group and user.id == self.token.user_id:
            return Group(*self.token.group)
        return super().group_for(user, course_key, scope, teamset_id)

    def member_filter(self, course_key, group_key):
        members = super().member_filter(course_key, group_key)
        kind = group_key.partition(":")[0]
        if kind == COURSE:
            named = LearnerState.objects.filter(placement__context_key=course_key).exclude(group_key="")
            return members | Q(id__in=named.values("user_id"))
        if kind != COHORT:
            return members
        here = LearnerState.objects.filter(placement_id=self.token.placement_id).exclude(group_key="")
        return ((members & ~Q(id__in=here.exclude(group_key=group_key).values("user_id")))
                | Q(id__in=here.filter(group_key=group_key).values("user_id")))


def make_context(token, user, lti_placement, requested_group=None):  # pylint: disable=redefined-outer-name
    settings = lti_placement.settings
    placement = lti_placement.placement

    def emit(name, data):
        tracking_log.info("%s %s", name, {"placement": placement.id, "user": user.id, **(data or {})})

    return build_context(user=user, placement=placement, scope=settings.get("group_scope") or COURSE,
                         roles=token.roles, backend=LaunchGroups(token), teamset_id=settings.get("teamset_id", "") or "",
                         requested_group=requested_group, emit=emit, reach=LtiReach(token, user))


def token_for(token, state, lti_placement, issued=None):
    """A launch token of the same launch for another activity of the same course and deployment that the person
    opened before (``state``: their :class:`LearnerState` there, which keeps what their latest launch there
    established: roles and the activity's own group), or None when the group it names no longer exists."""
    group = None
    if state.group_key:
        kind, _sep, ident = state.group_key.partition(":")
        name = dict(state.group_choices or []).get(state.group_key)
        if name is None and kind == COHORT and ident.isdigit():
            name = LocalGroup.objects.filter(pk=int(ident), kind=COHORT).values_list("name", flat=True).first()
        if name is None:
            return None
        group = (state.group_key, name)
    roles = frozenset(state.roles) if state.roles is not None else token.roles
    return tokens.LaunchToken(token.user_id, lti_placement.placement_id, roles, group,
                              int(time.time()) if issued is None else issued, token.launched, token.language,
                              group is not None, lti_placement.component, lti_placement.deployment_id)


class LtiReach(Reach):
    """Other activities of the launch's course for the person (``xblocks.core.reach``): those of the same
    deployment they opened from the platform before, which is how the tool knows the platform lets them in (a
    platform may restrict an activity to a group); their Context there is the one their latest launch there
    gives (roles, the activity's own group), and a link opens the activity through the tool's ``open/`` view,
    which a page posts its token to (never in the link)."""

    def __init__(self, token, user):
        self.token = token
        self.user = user

    def narrow(self, placements):
        return placements.filter(social_lti__deployment_id=self.token.deployment_id, id__in=LearnerState.objects.filter(
            user_id=self.token.user_id).values("placement_id"))

    def context_in(self, placement):
        state = (LearnerState.objects.select_related("placement__social_lti")
                 .filter(placement=placement, user_id=self.token.user_id).first())
        lti_placement = getattr(state.placement, "social_lti", None) if state is not None else None
        other = token_for(self.token, state, lti_placement, self.token.issued) if lti_placement is not None else None
        if other is None or lti_placement.deployment_id != self.token.deployment_id:
            raise NotFound(gettext("That activity does not exist in this course, or you have not opened it yet."))
        return make_context(other, self.user, lti_placement)

    def address(self, placement, anchor):
        return reverse("social_lti_open", args=[placement.pk]) + "#" + anchor


def catalog(component):
    """The component's JavaScript strings in the language of the request."""
    return component.catalog(gettext, ngettext)


def learner_state(placement, user):
    state, _created = LearnerState.objects.get_or_create(placement=placement, user=user)
    return state


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


# ----- the page ------------------------------------------------------------------------------------
def _render(component, lti_placement, template, context, init=None):
    """A component template with what every one of its templates shows (as the XBlock's ``_render``)."""
    base = component.page.base_context(lti_placement.settings, gettext)
    context = {**context, **base}
    context.update({
        "block": SimpleNamespace(display_name=base.get("display_name", "")),
        "init_json": SocialXBlockMixin.json_script(init) if init is not None else "",
        "uid": components.dom_id("sls-lti-", lti_placement.placement.id),
    })
    return loader(component).render_django_template(template, context)


def render_page(component, token_value, token, user, lti_placement, urls, state=None):
    """(HTML, start-up arguments) of the component's page for this launch (``state``: the learner's
    :class:`LearnerState` here, when the caller read it already).

    Raises an :class:`~xblocks.core.errors.ApiError` when the person cannot see it (no group yet...);
    the caller shows the component's "closed" template instead (:func:`render_closed`).
    """
    page = component.page
    settings = lti_placement.settings
    ctx = make_context(token, user, lti_placement)
    door = LtiDoorState(lti_placement, user, state)  # the row is written only once the page is shown
    init, view = page.data(
        ctx, settings, urls=urls, drafts=door.drafts, completed=door.completed,
        complete_on_view=lambda: complete_on_view(component, ctx, settings, door), gettext=gettext,
        ngettext=ngettext)
    init["client"] = {"headers": {"Authorization": f"Bearer {token_value}"}}
    html = _render(component, lti_placement, page.template, view, init=init)
    return html, {key: init[key] for key in page.client_args}


def render_closed(component, lti_placement, message):
    """The component's "closed" page (no group yet...), with the reason."""
    return _render(component, lti_placement, component.page.closed_template, {"message": message})


def assets(component):
    """``(css, js)``: the URL of each file the page loads, core's first, as the XBlock's fragment links them.

    Each URL carries a digest of its file, so the browser may keep it for a year (see ``views.assets``)."""
    css, js = assets_mod.page_files(component)
    return [asset_url(*item) for item in css], [asset_url(*item) for item in js]


def asset_url(package, path):
    return reverse("social_lti_asset", args=[package, assets_mod.digest(package, path), path])


# ----- the JSON endpoints: one per action ---------------------------------------------------------
def handle(component, action, token, user, lti_placement, data, state=None):
    """Run one of the component's actions for the launch; returns the JSON-ready result or raises an ApiError.

    ``state``: the learner's :class:`LearnerState` here, when the caller read it already."""
    ctx = make_context(token, user, lti_placement, requested_group(data, gettext))
    door = LtiDoorState(lti_placement, user, state)
    return run_action(component, action, ctx, data, lti_placement.settings, door, gettext)
