"""Ownership: not built yet.

- a learner exports their whole blog (Markdown and HTML in a zip, with media);
- deletes one entry (``api.delete_entry``) or the whole blog: deleting removes it from every feed, count,
  search and summary;
- retirement (``xblocks.core.signals.user_retired``) removes it all;
- quote an excerpt of one's own entry into the cohort forum (through the forum's api) with a link back;
- the benchmark in ``make bench`` (5,000 learners, 100,000 entries).
"""
ACTIONS = {}
JS_STRINGS = ()
JS_PLURALS = ()


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    """``(init, context)`` this module adds to the page."""
    return {}, {}
