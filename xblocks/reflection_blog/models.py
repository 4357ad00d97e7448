"""Reflection blog data. Only the blog's own modules (``api.py``, ``media.py``, ``prompts.py``,
``coaches.py``, ``export.py``) read or write these models.

Every row carries its placement (an entry also its author's group key at the time of writing and its
visibility), so every read filters on the reader's reach. Counters (comments, kudos, flags, coach
comments) are denormalised on the entry and only ever changed with ``F()`` inside transactions, so a
feed page costs the same few queries whatever the number of comments and kudos.

Drafts are not rows: an entry being written lives in the learner's draft state of the door (the XBlock's
user state, the tool's ``LearnerState``), so every ``Entry`` is published at its visibility.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xblocks.core.models import Placement

TITLE_MAX_LENGTH = 200
# What staff may say to an author about why their text was hidden.
HIDDEN_REASON_MAX = 300
TAG_MAX_LENGTH = 40
FLAG_REASON_MAX = 500


class Visibility:
    """Who can read an entry, from the narrowest to the widest.

    - ``private``: its author only (staff neither);
    - ``coach``: its author and their coaches (``coaches.is_coach``);
    - ``group``: besides those, the members of the author's group when they wrote it (``Entry.group_key``)
      and course staff;
    - ``course``: everyone who can open the blog in the course.
    """

    PRIVATE = "private"
    COACH = "coach"
    GROUP = "group"
    COURSE = "course"
    ORDER = (PRIVATE, COACH, GROUP, COURSE)
    CHOICES = [(PRIVATE, _("Only me")), (COACH, _("Me and my coach")), (GROUP, _("My group")),
               (COURSE, _("The whole course"))]


class Prompt(models.Model):
    """A question the author schedules ("What did you apply from module 2 this week?"), open from ``opens``
    and due at ``due`` (stored in UTC; shown in the course's time zone). An entry can answer one prompt."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    opens = models.DateTimeField(null=True, blank=True)
    due = models.DateTimeField(null=True, blank=True)
    required = models.BooleanField(default=False)
    # The fewest words an answer needs to count for completion (0: any answer counts).
    min_words = models.PositiveIntegerField(default=0)
    position = models.IntegerField(default=0)
    deleted = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["placement", "deleted", "position", "id"], name="slb_prompt_order")]

    def __str__(self):
        return self.text[:60]


class Entry(models.Model):
    """A published blog entry.

    ``version`` counts edits: an edit names the version it started from and is refused when the entry
    changed since (a stale edit from another tab); the replaced text is kept as an :class:`EntryVersion`.
    """

    VISIBILITIES = Visibility.CHOICES

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The author's group when they wrote it ("course" in a course-wide blog; "" when they had none):
    # ``group`` visibility shares it with that group.
    group_key = models.CharField(max_length=64)
    visibility = models.CharField(max_length=16, choices=VISIBILITIES, default=Visibility.PRIVATE)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField()
    body_html = models.TextField()
    word_count = models.PositiveIntegerField(default=0)
    prompt = models.ForeignKey(Prompt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    allow_comments = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=HIDDEN_REASON_MAX, blank=True, default="")
    deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    comment_count = models.IntegerField(default=0)
    kudos_count = models.IntegerField(default=0)
    flag_count = models.IntegerField(default=0)
    # Comments by a coach of the author, and when the last one came: what waits for a coach.
    coach_comment_count = models.IntegerField(default=0)
    last_coach_comment = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(default=timezone.now)
    # When its author last changed the text (None: never edited).
    edited = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The feed: entries of a placement at a visibility (and group), newest first.
            models.Index(fields=["placement", "deleted", "visibility", "group_key", "created", "id"],
                         name="slb_entry_feed"),
            # One person's entries (their own blog, a filter by person, completion, export).
            models.Index(fields=["placement", "author", "deleted", "created", "id"], name="slb_entry_author"),
            # Staff reading everything they may, newest first.
            models.Index(fields=["placement", "deleted", "created", "id"], name="slb_entry_recent"),
            # Answers to a prompt.
            models.Index(fields=["prompt", "author"], name="slb_entry_prompt"),
            # What waits for a coach comment, oldest first.
            models.Index(fields=["placement", "deleted", "coach_comment_count", "created"], name="slb_entry_coach"),
            # Retirement and export across placements.
            models.Index(fields=["author", "created"], name="slb_entry_author_all"),
        ]

    def __str__(self):
        return self.title


class EntryVersion(models.Model):
    """An earlier version of an entry, kept when its author edits it: nothing a person wrote is lost by an
    edit. ``replaced`` is when this version stopped being the current one."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField()
    # The tags as they were, comma-separated, and the visibility then.
    tags = models.TextField(blank=True, default="")
    visibility = models.CharField(max_length=16, choices=Visibility.CHOICES)
    created = models.DateTimeField()
    replaced = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "version"], name="slb_version_once")]


class Tag(models.Model):
    """A tag of a placement: one the author defined in the settings (``author_defined``), or a learner's
    free tag. ``key`` is the name folded for matching (lower case, spaces collapsed)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=TAG_MAX_LENGTH)
    key = models.CharField(max_length=TAG_MAX_LENGTH)
    author_defined = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["placement", "key"], name="slb_tag_once")]

    def __str__(self):
        return self.name


class EntryTag(models.Model):
    """An entry carries a tag (at most ``TAGS_PER_ENTRY`` per entry)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="entry_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "tag"], name="slb_entry_tag_once")]
        indexes = [models.Index(fields=["tag", "entry"], name="slb_tag_entries")]


class Comment(models.Model):
    """A comment on an entry. ``is_coach_comment``: written by a coach of the entry's author (shown as
    such). The entry's author may hide a comment on their entry (``hidden_by`` author), staff any
    (``hidden_by`` staff, with an optional reason)."""

    BY_AUTHOR = "author"
    BY_STAFF = "staff"
    HIDDEN_BY = [(BY_AUTHOR, _("The entry's author")), (BY_STAFF, _("Staff"))]

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    body_html = models.TextField()
    is_coach_comment = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    hidden_by = models.CharField(max_length=16, choices=HIDDEN_BY, blank=True, default="")
    hidden_reason = models.CharField(max_length=HIDDEN_REASON_MAX, blank=True, default="")
    deleted = models.BooleanField(default=False)
    flag_count = models.IntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["entry", "deleted", "created", "id"], name="slb_comment_entry"),
            models.Index(fields=["author", "created"], name="slb_comment_author"),
        ]


class Kudos(models.Model):
    """Someone appreciates an entry (once per person)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "user"], name="slb_kudos_once")]
        indexes = [models.Index(fields=["user", "entry"], name="slb_kudos_user")]


# A flag is on exactly one thing: an entry or a comment.
_one_target = models.Q(entry__isnull=False, comment__isnull=True) | models.Q(entry__isnull=True, comment__isnull=False)


class Flag(models.Model):
    """Someone asks staff to look at an entry or comment, as in the forum (decision 11): waiting while
    ``pending`` is True, kept as history once reviewed (``pending`` NULL, with who, when and outcome)."""

    DISMISSED = "dismissed"
    HIDDEN = "hidden"
    DELETED = "deleted"
    OUTCOMES = [(DISMISSED, _("Dismissed")), (HIDDEN, _("Hidden")), (DELETED, _("Deleted"))]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=FLAG_REASON_MAX, blank=True)
    created = models.DateTimeField(default=timezone.now)
    pending = models.BooleanField(null=True, default=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    outcome = models.CharField(max_length=16, choices=OUTCOMES, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "entry", "pending"], name="slb_flag_entry_pending_once"),
            models.UniqueConstraint(fields=["user", "comment", "pending"], name="slb_flag_comment_pending_once"),
            models.CheckConstraint(condition=_one_target, name="slb_flag_one_target"),
        ]
        indexes = [models.Index(fields=["pending", "created"], name="slb_flag_queue")]


class CoachAssignment(models.Model):
    """Who coaches whom. A coach is assigned in a course (``placement`` empty: every blog of the course) or
    one blog, to one learner or to a group (``group_key``: a cohort or team key, or "*" for everyone).
    Without any assignment, the course team coaches everyone (see ``coaches.is_coach``)."""

    COURSE_TEAM = "course_team"
    STUDIO = "studio"
    LTI = "lti"
    PLATFORM_ROLE = "platform_role"
    SOURCES = [(COURSE_TEAM, _("Course team")), (STUDIO, _("Studio")), (LTI, _("LTI")),
               (PLATFORM_ROLE, _("Platform role"))]

    context_key = models.CharField(max_length=255)
    placement = models.ForeignKey(Placement, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    group_key = models.CharField(max_length=64, blank=True, default="")
    source = models.CharField(max_length=16, choices=SOURCES, default=COURSE_TEAM)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(learner__isnull=False) | ~models.Q(group_key=""),
                                   name="slb_coach_whom"),
        ]
        indexes = [
            models.Index(fields=["context_key", "learner"], name="slb_coach_learner"),
            models.Index(fields=["context_key", "group_key"], name="slb_coach_group"),
            models.Index(fields=["coach", "context_key"], name="slb_coach_coach"),
        ]


class Media(models.Model):
    """An image or a short video of an entry: an upload kept in Django's storage (``file_name``; the
    platform's storage in Open edX), or a link to a video platform (``url``). Uploaded while the entry is
    still a draft, so ``entry`` is set once the entry is saved. Served only to people who may read the entry
    (its owner while it has none)."""

    IMAGE = "image"
    VIDEO_UPLOAD = "video"
    VIDEO_LINK = "video_link"
    KINDS = [(IMAGE, _("Image")), (VIDEO_UPLOAD, _("Video")), (VIDEO_LINK, _("Video link"))]

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="media")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=KINDS)
    file_name = models.CharField(max_length=255, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    size = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True, default="")
    alt_text = models.CharField(max_length=500, blank=True, default="")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["entry", "id"], name="slb_media_entry"),
            models.Index(fields=["owner", "placement", "entry"], name="slb_media_owner"),
        ]
