"""Quoting: a learner quotes an excerpt of their own entry into a cohort forum of the course, with a link back.

Three actions, all on the asker's own entry (any other id, even one they may read, answers 404 as an id that does
not exist):

- ``quote_forums``: the course's cohort forums the person may reach (core's directory, ``xblocks.core.reach``:
  in the tool, the forum activities they opened from their course) and the excerpt's limit;
- ``quote_preview``: what the forum will show (the thread's title, the quotation rendered by the suite's renderer
  as the forum renders it, the link back), the group it goes to, and a plain warning when the entry is not
  readable by the forum's audience (private, coach only, another group): nothing is written;
- ``quote_entry``: posts it. The thread is created by the forum's api (``cohort_forum.api.quote_thread``) in the
  person's own group of that forum, as their Context there says (built by their door); the forum's checks, rate
  limit (a quote is a post there), transaction and ``contribution_created`` apply.

The excerpt must come from the entry: every passage of it (split at blank lines and at "…" or "...", where the
learner cut), with its spaces evened out, must appear in the entry's text. At most ``QUOTE_MAX`` characters.
The link back opens the blog at the entry (``#sls-blog-<placement>-entry-<id>``) through the door's address for
the blog; the entry's own visibility decides who may read it there, and anyone else gets the blog's "does not
exist, or is not shared with you".
"""
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xblocks.cohort_forum import api as forum_api
from xblocks.core import reach
from xblocks.core.component import Action
from xblocks.core.errors import NotFound, PermissionDenied, ValidationError
from xblocks.core.settings import component_conf
from xblocks.core.validation import data_dict, ident, text

from .models import Entry, Visibility

KEY = "reflection_blog"
FORUM = "cohort_forum"
DEFAULTS = {"QUOTE_MAX": 1000}
CUTS = re.compile(r"\n\s*\n|…|\.\.\.")


def conf(name):
    return component_conf(KEY, name, DEFAULTS)


def anchor(placement_id, entry_id):
    """The fragment of the blog's page that opens an entry (``blog.js`` follows it)."""
    return f"sls-blog-{placement_id}-entry-{entry_id}"


def _even(value):
    return " ".join(value.split())


def _own_entry(ctx, data):
    entry = (Entry.objects.filter(pk=ident(data), placement_id=ctx.placement.id, author_id=ctx.user.id,
                                  deleted=False).only("id", "title", "body", "visibility", "group_key", "hidden")
             .first())
    if entry is None:
        raise NotFound(_("You can quote only your own entries of this blog."))
    if entry.hidden:
        raise PermissionDenied(_("Staff hid this entry, so it cannot be quoted."))
    return entry


def _excerpt(data, entry):
    excerpt = text(data, "excerpt", _("The excerpt"), conf("QUOTE_MAX"), multiline=True)
    body = _even(entry.body)
    if any(_even(piece) not in body for piece in CUTS.split(excerpt) if piece.strip()):
        raise ValidationError(_("The excerpt must come from your entry: you can shorten it, or cut a passage out "
                                "with “…”, but not add words."), fields={"excerpt": _("Not in your entry.")})
    return excerpt


def _warning(entry, forum_ctx):
    """Why people in the forum may not be able to follow the link back, or ""."""
    if entry.visibility == Visibility.COURSE:
        return ""
    if entry.visibility == Visibility.GROUP and forum_ctx.group is not None \
            and forum_ctx.group.key == entry.group_key:
        return ""
    return _("Not everyone in this forum can read your entry: people in the forum see only this excerpt; the link "
             "opens the entry only for those who may read it.")


def _prepared(ctx, data):
    """(entry, the forum's context, what the forum's api takes) after every check, before any write."""
    data = data_dict(data)
    entry = _own_entry(ctx, data)
    excerpt = _excerpt(data, entry)
    if data.get("forum") in (None, ""):
        raise ValidationError(_("Choose a forum."), fields={"forum": _("Choose a forum.")})
    forum_ctx = reach.context_in(ctx, FORUM, ident(data, "forum"))
    title = data.get("title")
    quote = {"title": entry.title if title in (None, "") else title, "excerpt": excerpt,
             "label": _("Read the whole entry: {title}").format(title=entry.title),
             "link": reach.address(ctx, ctx.placement, anchor(ctx.placement.id, entry.id)), "source": KEY}
    return entry, forum_ctx, quote


def quote_forums(ctx, data=None, settings=None):  # pylint: disable=unused-argument
    """The forums the person may quote into (``[{"id", "title"}]``, by title) and the excerpt's limit."""
    return {"forums": [{"id": p.id, "title": p.title or _("Cohort forum")} for p in reach.directory(ctx, FORUM)],
            "limit": conf("QUOTE_MAX")}


def quote_preview(ctx, data, settings=None):  # pylint: disable=unused-argument
    """What posting would show in the forum, and the warning, without writing anything."""
    entry, forum_ctx, quote = _prepared(ctx, data)
    preview = forum_api.quote_preview(forum_ctx, quote)
    return {**preview, "warning": _warning(entry, forum_ctx)}


def quote_entry(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Post the excerpt as a new thread of the chosen forum, in the person's group there; returns the thread's id,
    the forum and the warning the preview showed."""
    ctx.require_writable()
    entry, forum_ctx, quote = _prepared(ctx, data)
    thread = forum_api.quote_thread(forum_ctx, quote)
    ctx.emit("social_learning.blog.entry.quoted", {"entry_id": entry.id, "forum": forum_ctx.placement.id,
                                                   "thread_id": thread["id"], "visibility": entry.visibility})
    return {"thread": thread["id"], "forum": {"id": forum_ctx.placement.id, "title": forum_ctx.placement.title},
            "warning": _warning(entry, forum_ctx)}


ACTIONS = {
    "quote_forums": Action(run=quote_forums, writes=False),
    "quote_preview": Action(run=quote_preview, writes=False),
    "quote_entry": Action(run=quote_entry),
}
JS_STRINGS = (
    gettext_noop("Quote in the forum"),
    gettext_noop("Quote this entry in a forum"),
    gettext_noop("Excerpt"),
    gettext_noop("Your own words from this entry: shorten it, or cut a passage out with “…”."),
    gettext_noop("Forum"),
    gettext_noop("Title in the forum"),
    gettext_noop("Preview"),
    gettext_noop("Show preview"),
    gettext_noop("Post in the forum"),
    gettext_noop("Posting goes to your group in that forum."),
    gettext_noop("There is no cohort forum in this course that you can post in yet. Open the course’s forum once, "
                 "then come back."),
    gettext_noop("Quoted in “{forum}”. People there can follow the link back to your entry."),
    gettext_noop("Loading the forums…"),
    gettext_noop("In the forum, your group: {group}"),
    gettext_noop("Close"),
)
HAS_CSS = True
JS_PLURALS = ()


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    """``(init, context)`` this part adds to the page: the blog's placement, for the addresses of its entries."""
    return {"placement": ctx.placement.id}, {}
