"""Reaching another component's placement in the same course, for the same person (decision 20).

An action of one component may act in a placement of another component of the same course: the reflection blog
quotes an entry into a cohort forum. The component asks core, never a door and never the other component's
models:

- :func:`record` (called by each door when it shows or launches a placement): the placement's component and what
  its group resolution reads (group scope, teamset), kept on core's :class:`~xblocks.core.models.Placement`, so
  that core has a directory of a course's placements without knowing any component;
- :func:`directory`: the placements of a component in the person's course that their door lets them reach (one
  query);
- :func:`context_in`: the person's :class:`~xblocks.core.context.Context` in one of those placements, built by their
  door (who they are there, their roles, the group they act in), or NotFound for any other id: another course,
  another component, a placement the door does not let them reach;
- :func:`address`: where a link to an item of a placement takes a reader (the door decides: the LMS's unit in
  Open edX, the tool's authorised way in to an activity).

Each door gives the contexts it builds a :class:`Reach` (``Context.reach``); a context without one reaches
nothing.
"""
import re

from django.utils.translation import gettext as _

from .errors import NotFound
from .models import Placement

# At most this many placements of a component are offered (a course with more lists its first ones by title).
DIRECTORY_MAX = 50
ANCHOR = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


class Reach:
    """What a door lets an action reach from a context: placements of the same course, for the same person.

    A door subclasses it; every method is called with placements :func:`directory` found (same course, same
    platform, the asked component), so a door checks only what is its own."""

    def narrow(self, placements):
        """The placements (a queryset) the person may reach through this door; none by default."""
        return placements.none()

    def context_in(self, placement):
        """The person's Context in ``placement``; raises an ApiError when they may not act there."""
        raise NotFound(_("That activity does not exist in this course."))

    def address(self, placement, anchor):
        """The address that opens ``placement`` at ``anchor`` (a fragment the placement's page understands)."""
        return "#" + anchor


def record(placement, component, group_scope="", teamset_id=""):
    """Keep what reaching ``placement`` needs; writes only when it changed (one UPDATE, none otherwise)."""
    values = {"component": component[:32], "group_scope": (group_scope or "")[:16],
              "teamset_id": (teamset_id or "")[:255]}
    if all(getattr(placement, name, None) == value for name, value in values.items()):
        return
    Placement.objects.filter(pk=placement.pk).update(**values)
    for name, value in values.items():
        setattr(placement, name, value)


def _reachable(ctx, component_key):
    reach = getattr(ctx, "reach", None)
    placements = (Placement.objects.filter(context_key=ctx.course_key, component=component_key,
                                           platform=ctx.placement.platform)
                  .exclude(pk=ctx.placement.pk))
    return reach, (reach.narrow(placements) if reach is not None else placements.none())


def directory(ctx, component_key):
    """The placements of ``component_key`` in ``ctx``'s course the person may reach, by title (one query)."""
    _reach, placements = _reachable(ctx, component_key)
    return list(placements.order_by("title", "pk")[:DIRECTORY_MAX])


def context_in(ctx, component_key, placement_id):
    """The person's Context in placement ``placement_id`` of ``component_key`` in the same course; NotFound (the
    same answer as an id that does not exist) for a placement of another course or component, or one their door
    does not let them reach. The new context is read-only when ``ctx`` is."""
    reach, placements = _reachable(ctx, component_key)
    placement = placements.filter(pk=placement_id).first() if isinstance(placement_id, int) else None
    if placement is None:
        raise NotFound(_("That activity does not exist in this course, or you have not opened it yet."))
    other = reach.context_in(placement)
    if ctx.read_only and not other.read_only:
        other.read_only = ctx.read_only
    return other


def address(ctx, placement, anchor):
    """Where a link to ``anchor`` in ``placement`` (usually ``ctx``'s own) takes a reader, as the door says."""
    if not ANCHOR.match(anchor):
        raise ValueError(f"not an anchor: {anchor!r}")
    reach = getattr(ctx, "reach", None) or Reach()
    return reach.address(placement, anchor)
