"""The expert finder's tables. Nothing here holds another component's text: evidence keeps what a contribution
is (component, type, id, kind, who may read it, ratings, date) and its topic words as stemmed tokens.

- :class:`Profile` and :class:`Skill`: what a person says of themselves, with who may find it.
- :class:`Membership`: the courses and groups a person was seen in (from the finder's pages and the other
  components' signals), for "my cohort" and "this course" and for profile visibility.
- :class:`Evidence` and :class:`EvidenceTerm`: expertise from activity, and its topics.
- :class:`ProfileTerm`: the stemmed words of each profile, for search.
- :class:`Vocabulary` and :class:`Gram`: every known token and its trigrams, for misspelled queries.
- :class:`Vouch`: "I learned X from her".
"""
from django.conf import settings
from django.db import models

from xblocks.core.models import Placement

COHORT, COURSE, PLATFORM = "cohort", "course", "platform"
SCOPES = (COHORT, COURSE, PLATFORM)
LEVELS = {1: "beginner", 2: "intermediate", 3: "advanced", 4: "expert"}
CONTACTS = ("forum", "finder", "email")


class Profile(models.Model):
    """One person's profile on the platform (the same in every course), shown to who ``visibility`` allows:
    their cohort (the groups they share with the reader), the courses they are in, or everyone on the platform
    (only offered where the course team allows it)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="social_finder_profile")
    headline = models.CharField(max_length=200, blank=True)
    about = models.TextField(blank=True)
    interests = models.TextField(blank=True)
    wants_to_learn = models.TextField(blank=True)
    languages = models.TextField(blank=True)
    ask_me_about = models.TextField(blank=True)
    contact = models.CharField(max_length=16, default="forum")
    visibility = models.CharField(max_length=16, default=COURSE)
    # The person does not want expertise derived from what they do: only what they say counts.
    derived_opt_out = models.BooleanField(default=False)
    updated = models.DateTimeField()


class Skill(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=100)
    level = models.PositiveSmallIntegerField(default=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]


class Membership(models.Model):
    """A person was seen in this group of this course (``course`` for the course as a whole)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    context_key = models.CharField(max_length=255)
    group_key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "context_key", "group_key"],
                                               name="social_finder_member_once")]
        indexes = [models.Index(fields=["context_key", "group_key"], name="social_finder_member_group")]


class Evidence(models.Model):
    """One contribution that tells what its author knows, as the other components reported it.

    ``audience``: who reads it (a group key of ``context_key``, or ``course``); ``visible``: the contribution is
    shown to that audience (not hidden or deleted); ``parent_visible``: the thread (or entry) it belongs to is
    too. Only rows with both count or are shown.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    component = models.CharField(max_length=32)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    context_key = models.CharField(max_length=255)
    audience = models.CharField(max_length=64)
    object_type = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    kind = models.CharField(max_length=16)
    parent_type = models.CharField(max_length=16, blank=True)
    parent_id = models.BigIntegerField(null=True)
    visible = models.BooleanField(default=True)
    parent_visible = models.BooleanField(default=True)
    upvotes = models.IntegerField(default=0)
    endorsed = models.BooleanField(default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["component", "object_type", "object_id"],
                                               name="social_finder_evidence_once")]
        indexes = [models.Index(fields=["component", "parent_type", "parent_id"], name="social_finder_ev_parent"),
                   models.Index(fields=["user", "created"], name="social_finder_ev_user"),
                   models.Index(fields=["context_key", "created"], name="social_finder_ev_course")]


class EvidenceTerm(models.Model):
    """A topic word (a stemmed token) of a piece of evidence; ``weight`` 2 for a title's or tag's word."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="terms")
    context_key = models.CharField(max_length=255)
    token = models.CharField(max_length=64)
    weight = models.PositiveSmallIntegerField(default=1)
    created = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["token", "context_key", "created"], name="social_finder_term")]


class ProfileTerm(models.Model):
    """A stemmed word of a profile: ``field`` skill|headline|ask|about|interest|learn; ``label`` the skill's
    name and ``level`` its self-rated level (for skills)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    field = models.CharField(max_length=16)
    label = models.CharField(max_length=100, blank=True)
    level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["token", "field"], name="social_finder_profile_term"),
                   models.Index(fields=["user"], name="social_finder_profile_user")]


class Vocabulary(models.Model):
    """Every token the finder knows, with a word that stands for it (for misspelled queries)."""

    token = models.CharField(max_length=64, unique=True)
    word = models.CharField(max_length=64)


class Gram(models.Model):
    """A trigram of a known token (the token padded with spaces)."""

    gram = models.CharField(max_length=3)
    token = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gram", "token"], name="social_finder_gram_once")]


class Vouch(models.Model):
    """``voucher`` learned ``topic`` from ``user``, said in ``context_key``."""

    voucher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=100)
    context_key = models.CharField(max_length=255)
    created = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["voucher", "user", "topic"], name="social_finder_vouch_once")]


class Message(models.Model):
    """A question asked to a found person in the finder, when no forum both can read exists."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    context_key = models.CharField(max_length=255)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    created = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["recipient", "created"], name="social_finder_msg_to")]
