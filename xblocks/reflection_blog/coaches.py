"""Coaches: not built yet beyond the defaults below.

Who coaches whom: the course team by default; assignable per cohort in Studio/LTI and from the platform's
roles (:class:`~xblocks.reflection_blog.models.CoachAssignment`). A coach view of the entries shared with them,
grouped by learner, with what still waits for a coach comment and for how long; a learner sees who their
coach is.

``api`` asks this module two things, and every read of the blog follows the answers:
- :func:`is_coach`: is the person of ``ctx`` a coach of ``learner``? (coach comments are marked as such; a
  coach-only entry is shown to its author's coaches);
- :func:`coached_entries` : a filter of the entries whose author the person of ``ctx`` coaches (for feeds and
  search in one query).

The defaults below say: course staff coach everyone; nobody else coaches.
"""
from django.db.models import Q

ACTIONS = {}
JS_STRINGS = ()
JS_PLURALS = ()


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    """``(init, context)`` this module adds to the page."""
    return {}, {}


def is_coach(ctx, learner):  # pylint: disable=unused-argument
    """Whether the person of ``ctx`` coaches ``learner`` (a user or a user id) in this blog."""
    return ctx.is_staff


def coached_entries(ctx):
    """A ``Q`` over :class:`~xblocks.reflection_blog.models.Entry` matching the entries whose author the person
    of ``ctx`` coaches, or None when they coach nobody. Must stay one SQL condition (a subquery at most)."""
    return Q() if ctx.is_staff else None
