"""The introductions' tables: one introduction per person and placement, its topics (what the person wants to
learn and can offer, for the gallery's filter, the facilitator's counts and matching), waves and short replies.

Sessions are author settings (see :mod:`xblocks.introductions.sessions`), not rows.
"""
from django.conf import settings
from django.db import models

from xblocks.core.models import Placement


class Introduction(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The group the person belonged to when they posted (the gallery shows a group its own introductions).
    group_key = models.CharField(max_length=255)
    # The person's cohort when the introductions are shared beyond it (a team or the whole course), else "": matching
    # favours people of another cohort.
    home_group = models.CharField(max_length=255, blank=True, default="")
    who = models.TextField()
    fun_fact = models.CharField(max_length=1000, blank=True, default="")
    # The person agreed that the expert finder may prefill their profile with their topics (see api.COMPONENT's
    # contribution_created signal).
    share_profile = models.BooleanField(default=False)
    # The photo's name in Django's storage (see photos.py), or "".
    photo_name = models.CharField(max_length=255, blank=True, default="")
    # Lower-cased copy of everything searchable (the text and the topics), for the gallery's search.
    search_text = models.TextField(blank=True, default="")
    waves = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    created = models.DateTimeField()
    modified = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["placement", "user"], name="sls_intro_one_per_person")]
        indexes = [models.Index(fields=["placement", "group_key", "id"], name="sls_intro_gallery")]


class Topic(models.Model):
    """One topic of an introduction: something its author wants to learn (``learn``) or can offer (``offer``)."""

    LEARN = "learn"
    OFFER = "offer"
    KINDS = (LEARN, OFFER)

    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="topics")
    # Copied from the introduction so that counts per group read one table.
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    group_key = models.CharField(max_length=255)
    kind = models.CharField(max_length=8, choices=[(k, k) for k in KINDS])
    key = models.CharField(max_length=100)  # lower-cased, spaces squeezed: what filters and counts compare
    label = models.CharField(max_length=100)  # as the person wrote it
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["placement", "group_key", "key"], name="sls_intro_topic_key")]


class Wave(models.Model):
    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["introduction", "user"], name="sls_intro_one_wave")]


class Reply(models.Model):
    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.CharField(max_length=1000)
    created = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["introduction", "id"], name="sls_intro_reply_order")]


class Grouping(models.Model):
    """The groups the facilitator settled for one live session of one group: ``groups`` is a list of lists of user
    ids (everyone once). Earlier sessions' groupings are what the next suggestion avoids repeating."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    group_key = models.CharField(max_length=255, blank=True, default="")  # "" for the whole course
    session = models.PositiveSmallIntegerField()  # the session's index in the sessions setting
    groups = models.JSONField(default=list)
    modified = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["placement", "group_key", "session"],
                                               name="sls_intro_one_grouping")]


class ThemeAnswer(models.Model):
    """A learner's answer to one theme assignment (``theme``: the theme's index in the themes setting), in the group
    they were in when answering; one per person, placement and theme (answering again changes it)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group_key = models.CharField(max_length=255)
    theme = models.PositiveSmallIntegerField()
    body = models.TextField()
    created = models.DateTimeField()
    modified = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["placement", "user", "theme"], name="sls_intro_one_answer")]
        indexes = [models.Index(fields=["placement", "group_key", "theme", "id"], name="sls_intro_answers")]


class ReminderPlan(models.Model):
    """What the scheduled reminders need of a placement's settings (which live in the platform: Studio's fields or
    the tool's link), kept when its page is shown: the heading, the course's zone, the days before a session and
    the sessions' starts and titles."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=255, blank=True, default="")
    time_zone = models.CharField(max_length=64, default="UTC")
    reminder_days = models.PositiveSmallIntegerField(default=0)
    sessions = models.JSONField(default=list)  # [{"start": ISO 8601 UTC, "title": ...}], in the order written
    modified = models.DateTimeField()


class Reminder(models.Model):
    """One reminder to one person before one session of a placement: claimed (inserted) in a transaction before
    anything is sent, so that running the reminders twice, or on two workers at once, never sends two."""

    EMAIL, PAGE = "email", "page"
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_start = models.DateTimeField()
    channel = models.CharField(max_length=8, default=PAGE)  # e-mail sent, or only the page's reminder
    created = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["placement", "user", "session_start"],
                                               name="sls_intro_one_reminder")]
