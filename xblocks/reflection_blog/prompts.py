"""Prompts and completion: not built yet beyond the defaults below.

The author schedules prompts with open and due dates in the course's time zone
(:class:`~xblocks.reflection_blog.models.Prompt`); learners see what is open, due and answered; an entry can
answer a prompt (``Entry.prompt``; ``api`` calls :func:`check_answerable` before saving one). Completion when the
learner answered the required prompts with at least the author's minimum number of words (``Entry.word_count``);
the optional participation score.
"""
from django.utils.translation import gettext as _

from xblocks.core.errors import NotFound

ACTIONS = {}
JS_STRINGS = ()
JS_PLURALS = ()


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    """``(init, context)`` this module adds to the page."""
    return {}, {}


def check_answerable(ctx, prompt_id):  # pylint: disable=unused-argument
    """The :class:`~xblocks.reflection_blog.models.Prompt` an entry answers (one query at most), or NotFound when
    it is not a prompt of this blog that can be answered now. Default: no prompts yet."""
    raise NotFound(_("This prompt does not exist in this blog."))


def participation_count(ctx):
    """How many contributions count towards completion. Default: the learner's entries."""
    from . import api  # pylint: disable=import-outside-toplevel

    return api.own_entry_count(ctx)
