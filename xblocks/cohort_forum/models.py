"""Forum data. Only ``api.py`` reads or writes these models.

Every row carries its placement and group key, so every query filters on the learner's space.
Counters are denormalised and only ever changed with ``F()`` inside transactions. Mentions are
kept on the text they belong to (``mentioned_ids``), so writing a post with mentions costs no
extra statement and an edit replaces them in the same UPDATE.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xblocks.core.models import Placement

# At most 20 mentions per text (``xblocks.core.text.MAX_MENTIONS``), each "|<id>" of up to 20 digits.
MENTIONS_MAX_LENGTH = 500
# What staff may say to an author about why their text was hidden.
HIDDEN_REASON_MAX = 300


def mentioned_ids_value(user_ids):
    """How a text's mentioned user ids are stored: "|3|17|" ("" for none), so that
    ``mentioned_ids__contains=mention_key(id)`` finds one person's mentions."""
    ids = sorted({int(i) for i in user_ids})
    return "|" + "|".join(str(i) for i in ids) + "|" if ids else ""


def mention_key(user_id):
    return f"|{int(user_id)}|"


class Thread(models.Model):
    DISCUSSION = "discussion"
    QUESTION = "question"
    KINDS = [(DISCUSSION, _("Discussion")), (QUESTION, _("Question"))]

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    group_key = models.CharField(max_length=64)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=KINDS, default=DISCUSSION)
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField()
    anonymous = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    highlighted = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    # Why staff hid it, shown to its author and to staff ("" when no reason was given).
    hidden_reason = models.CharField(max_length=HIDDEN_REASON_MAX, blank=True, default="")
    deleted = models.BooleanField(default=False)
    answered = models.BooleanField(default=False)
    # The course members @mentioned in the text, as "|id|id|" (see ``mention_key``).
    mentioned_ids = models.CharField(max_length=MENTIONS_MAX_LENGTH, blank=True, default="")
    reply_count = models.IntegerField(default=0)
    vote_count = models.IntegerField(default=0)
    flag_count = models.IntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)
    last_activity = models.DateTimeField(default=timezone.now)

    class Meta:
        # One index per list order, with the equality prefix every list filters on (placement, group,
        # not deleted), then the sort keys and ``id`` (the tie-breaker), then the columns of the
        # "hidden unless it is yours" filter: the count and the page's ids are read from the index
        # alone, on every page.
        indexes = [
            models.Index(fields=["placement", "group_key", "deleted", "pinned", "last_activity", "id", "hidden",
                                 "author"], name="sls_thread_activity"),
            models.Index(fields=["placement", "group_key", "deleted", "pinned", "created", "id", "hidden", "author"],
                         name="sls_thread_new"),
            models.Index(fields=["placement", "group_key", "deleted", "pinned", "vote_count", "last_activity", "id",
                                 "hidden", "author"], name="sls_thread_votes"),
            # Staff reading every group of a placement (no hidden filter), by recent activity.
            models.Index(fields=["placement", "deleted", "pinned", "last_activity", "id"], name="sls_thread_all_activity"),
            models.Index(fields=["author", "created"], name="sls_thread_author"),
        ]

    def __str__(self):
        return self.title


class Post(models.Model):
    """A reply to a thread (``parent`` empty) or a comment on a reply."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    body_html = models.TextField()
    anonymous = models.BooleanField(default=False)
    endorsed = models.BooleanField(default=False)
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=HIDDEN_REASON_MAX, blank=True, default="")
    deleted = models.BooleanField(default=False)
    vote_count = models.IntegerField(default=0)
    flag_count = models.IntegerField(default=0)
    mentioned_ids = models.CharField(max_length=MENTIONS_MAX_LENGTH, blank=True, default="")
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["thread", "created"], name="sls_post_thread"),
            models.Index(fields=["author", "created"], name="sls_post_author"),
        ]


# A vote or flag is on exactly one thing: a thread or a post.
_one_target = models.Q(thread__isnull=False, post__isnull=True) | models.Q(thread__isnull=True, post__isnull=False)


class Vote(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="sls_vote_thread_once"),
            models.UniqueConstraint(fields=["user", "post"], name="sls_vote_post_once"),
            models.CheckConstraint(condition=_one_target, name="sls_vote_one_target"),
        ]


class Flag(models.Model):
    """Someone asks staff to look at a thread or post. A flag waits (``pending``) until staff review the
    item: then it is kept as history with when, by whom and what came of it (dismissed, hidden, deleted),
    and no longer counts in the item's ``flag_count``.

    ``pending`` is True while waiting and NULL once reviewed: unique constraints never compare NULLs,
    so a person has at most one waiting flag on an item, any number of reviewed ones, and may flag it
    again after a review (on every database, without partial indexes).
    """

    DISMISSED = "dismissed"
    HIDDEN = "hidden"
    DELETED = "deleted"
    OUTCOMES = [(DISMISSED, _("Dismissed")), (HIDDEN, _("Hidden")), (DELETED, _("Deleted"))]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now)
    pending = models.BooleanField(null=True, default=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    outcome = models.CharField(max_length=16, choices=OUTCOMES, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread", "pending"], name="sls_flag_thread_pending_once"),
            models.UniqueConstraint(fields=["user", "post", "pending"], name="sls_flag_post_pending_once"),
            models.CheckConstraint(condition=_one_target, name="sls_flag_one_target"),
        ]
        indexes = [
            # The review queue: waiting flags, newest first.
            models.Index(fields=["pending", "created"], name="sls_flag_queue"),
        ]


class ThreadState(models.Model):
    """One person's relation to a thread: when they last read it, and whether they follow it.

    A thread whose ``last_activity`` is later than ``read_at`` (or never read) is unread for them.
    One row per person and thread, written with a single upsert.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="states")
    read_at = models.DateTimeField(null=True, blank=True)
    following = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="sls_state_once")]


class Revision(models.Model):
    """An earlier version of a thread or post, kept when its author edits it: nothing a person wrote is
    lost by an edit. ``replaced`` is when this version stopped being the current one."""

    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    replaced = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["thread", "replaced"], name="sls_revision_thread"),
            models.Index(fields=["post", "replaced"], name="sls_revision_post"),
        ]


class GroupThreadCount(models.Model):
    """How many threads a group of a placement has (not deleted), and how many of them are hidden: the
    list's total without counting the group's threads on every request. Changed only by additive
    upserts and ``F()`` in the api, in the transaction of the change (see ``api._count_threads``)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    group_key = models.CharField(max_length=64)
    live = models.IntegerField(default=0)
    hidden = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["placement", "group_key"], name="sls_thread_count_once")]
