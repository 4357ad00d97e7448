"""What a person owns in the blog: deleting their whole blog, and being forgotten when retired.

- :func:`delete_blog`: a person deletes every entry they wrote in this blog, for good, with the comments others
  wrote on them, their earlier versions, tags, kudos, flags, media and search entries. Deleting one entry is
  :func:`xblocks.reflection_blog.api.delete_entry`. Either way the entries leave every feed, count, search and
  summary at once, and ``contribution_changed`` (visibility None) tells the other components of each entry
  (and each comment that went with it), so that their evidence follows.
- :func:`retire_user` (connected to ``xblocks.core.signals.user_retired``): everything the person wrote in any
  blog goes (entries with what hangs on them, their comments, kudos and flags on other entries, their media and
  search entries), and the counts on other people's entries are corrected. A fixed number of statements
  whatever the amount (each one a set-based DELETE or UPDATE). Unsent drafts are the door's learner state (the
  XBlock's user state, the tool's ``LearnerState``), which the blog does not reach.

Every function here runs a fixed number of queries whatever the amount of data.
"""
from django.db import router, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xblocks.core import search as core_search
from xblocks.core.component import Action, ngettext_noop
from xblocks.core.errors import ValidationError
from xblocks.core.models import Placement
from xblocks.core.signals import contribution_changed, user_retired
from xblocks.core.validation import data_dict as _data

from .models import Comment, Entry, EntryTag, EntryVersion, Flag, Kudos, Media

COMPONENT = "reflection_blog"
EVENT_PREFIX = "social_learning.blog."


def _raw_delete(qs):
    """Delete the rows of ``qs`` in one statement. Only for rows whose dependent rows were deleted just before,
    in the same transaction: Django's cascading delete would read every row and delete them 100 at a time."""
    return qs._raw_delete(router.db_for_write(qs.model))  # pylint: disable=protected-access


def _forget_entries(entries, comments, media):
    """Delete ``entries`` (a query of entries) for good with everything that hangs on them, ``comments`` (a
    query of comments: those of the entries, and any more to delete) and ``media`` (a query of media: those of
    the entries, and any more). Inside a transaction; a fixed number of statements. Media rows go through the
    model's delete, so that their files go with them."""
    Flag.objects.filter(Q(entry__in=entries) | Q(comment__in=comments)).delete()
    Kudos.objects.filter(entry__in=entries).delete()
    EntryTag.objects.filter(entry__in=entries).delete()
    EntryVersion.objects.filter(entry__in=entries).delete()
    media.delete()
    core_search.forget(COMPONENT, "entry", entries.values("id"))
    _raw_delete(comments)
    _raw_delete(entries)


def _gone(placement, user_id, object_type, object_ids):
    """Tell the other components that these contributions are gone: one signal for all of them (core's
    ``object_ids``), so that receivers forget them in a fixed number of statements. Nothing is sent for none."""
    if object_ids:
        contribution_changed.send(sender=__name__, component=COMPONENT, placement=placement, user_id=user_id,
                                  object_type=object_type, object_id=None, object_ids=sorted(object_ids),
                                  group_key=None, visibility=None)


# ----- a person's whole blog ------------------------------------------------------------------------------
def _own_entries(ctx):
    return Entry.objects.filter(placement_id=ctx.placement.id, author_id=ctx.user.id)


def blog_summary(ctx, data, settings=None):  # pylint: disable=unused-argument
    """What deleting this person's whole blog would delete: ``entries`` (theirs, in this blog) and
    ``others_comments`` (comments other people wrote on them). One query."""
    _data(data)
    counts = _own_entries(ctx).filter(deleted=False).aggregate(
        entries=Count("id", distinct=True),
        others_comments=Count("comments", filter=Q(comments__deleted=False) & ~Q(comments__author_id=ctx.user.id)))
    return {"entries": counts["entries"], "others_comments": counts["others_comments"]}


def delete_blog(ctx, data, settings=None):  # pylint: disable=unused-argument
    """Delete every entry this person wrote in this blog, for good (``confirm`` must be true): with the comments
    on them (other people's too), earlier versions, tags, kudos, flags, media and search entries. Their comments
    on other people's entries stay. Returns how many entries and comments went."""
    ctx.require_writable()
    data = _data(data)
    if data.get("confirm") is not True:
        message = _("Tick the box to confirm that you want to delete your whole blog: this cannot be undone.")
        raise ValidationError(message, fields={"confirm": message})
    mine = _own_entries(ctx)
    comments = Comment.objects.filter(entry__in=mine)
    with transaction.atomic():
        # Each entry with each of its comments (the entry alone when it has none), locked: a kudos, flag or
        # comment that arrives meanwhile updates its entry's row first, so it waits and then finds no entry.
        rows = list(mine.select_for_update().values_list("id", "group_key", "deleted", "comments__id", "comments__author_id",
                                     "comments__deleted"))
        # The drafts' uploads that no entry has yet go too.
        _forget_entries(mine, comments, Media.objects.filter(
            Q(entry__in=mine) | Q(placement_id=ctx.placement.id, owner_id=ctx.user.id, entry__isnull=True)))
    shown = {entry_id: group_key for entry_id, group_key, deleted, *_comment in rows if not deleted}
    gone_comments = {(comment_id, author_id, shown[entry_id]) for entry_id, _g, _d, comment_id, author_id, deleted
                     in rows if entry_id in shown and comment_id is not None and not deleted}
    _gone(ctx.placement, ctx.user.id, "entry", list(shown))
    _gone(ctx.placement, None, "comment", [comment_id for comment_id, _a, _g in gone_comments])
    ctx.emit(EVENT_PREFIX + "blog.deleted", {"entries": len(shown), "comments": len(gone_comments)})
    return {"deleted": True, "entries": len(shown), "comments": len(gone_comments)}


# ----- retirement ------------------------------------------------------------------------------------------
def _comments_by(user_id, **filters):
    """How many comments the person has on the outer entry (a subquery), 0 for none."""
    rows = (Comment.objects.filter(entry_id=OuterRef("pk"), author_id=user_id, **filters)
            .order_by().values("entry_id").annotate(n=Count("id")).values("n")[:1])
    return Coalesce(Subquery(rows), Value(0))


def retire_user(user):
    """Forget a retired person in every blog (see the module docstring). A fixed number of statements."""
    uid = user.id
    mine = Entry.objects.filter(author_id=uid)
    their_comments = Comment.objects.filter(author_id=uid)
    counted = their_comments.filter(deleted=False, hidden=False)
    with transaction.atomic():
        entries = list(mine.filter(deleted=False).values_list("id", "placement_id", "group_key"))
        # Counts on other people's entries: their visible comments (and coach comments), kudos, waiting flags.
        Entry.objects.filter(Exists(counted.filter(entry_id=OuterRef("pk")))).exclude(author_id=uid).update(
            comment_count=F("comment_count") - _comments_by(uid, deleted=False, hidden=False),
            coach_comment_count=F("coach_comment_count") - _comments_by(uid, deleted=False, hidden=False,
                                                                        is_coach_comment=True))
        Entry.objects.filter(Exists(Kudos.objects.filter(entry_id=OuterRef("pk"), user_id=uid))).exclude(
            author_id=uid).update(kudos_count=F("kudos_count") - 1)
        Entry.objects.filter(Exists(Flag.objects.filter(entry_id=OuterRef("pk"), user_id=uid, pending=True))).update(
            flag_count=F("flag_count") - 1)
        Comment.objects.filter(Exists(Flag.objects.filter(comment_id=OuterRef("pk"), user_id=uid, pending=True))
                               ).update(flag_count=F("flag_count") - 1)
        Flag.objects.filter(reviewed_by_id=uid).update(reviewed_by=None)
        Flag.objects.filter(user_id=uid).delete()
        Kudos.objects.filter(user_id=uid).delete()
        # Their comments on other people's entries, and their entries with everything on them.
        _forget_entries(mine, Comment.objects.filter(Q(author_id=uid) | Q(entry__in=mine)),
                        Media.objects.filter(Q(owner_id=uid) | Q(entry__in=mine)))
        core_search.forget_author(uid, COMPONENT)
    by_placement = {}
    for entry_id, placement_id, _group_key in entries:
        by_placement.setdefault(placement_id, []).append(entry_id)
    for placement_id, entry_ids in sorted(by_placement.items()):  # one signal per blog the person wrote in
        _gone(Placement(id=placement_id), uid, "entry", entry_ids)


@receiver(user_retired, dispatch_uid="social_reflection_blog.retire")
def forget_retired_user(sender, user, **kwargs):  # pylint: disable=unused-argument
    retire_user(user)


# ----- the part's declaration (see frontdoor.py) ---------------------------------------------------------------
ACTIONS = {
    "blog_summary": Action(run=blog_summary, writes=False),
    "delete_blog": Action(run=delete_blog),
}
JS_STRINGS = (
    gettext_noop("Delete everything"),
    gettext_noop("Delete my whole blog"),
    gettext_noop("I understand that this cannot be undone."),
    gettext_noop("Keep my blog"),
    gettext_noop("You can delete your whole blog in this course: every entry you wrote here, with its earlier "
                 "versions, images and videos, and the comments other people wrote on it. Your comments on other "
                 "people's entries stay."),
    gettext_noop("You have no entries in this blog."),
    gettext_noop("Your blog"),
    gettext_noop("Your blog was deleted."),
)
JS_PLURALS = (
    ngettext_noop("Delete your {count} entry for good?", "Delete your {count} entries for good?"),
    ngettext_noop("{count} comment by other people goes with them.",
                  "{count} comments by other people go with them."),
)


def page_data(ctx, settings, gettext):  # pylint: disable=unused-argument
    """``(init, context)`` this module adds to the page."""
    return {}, {}
