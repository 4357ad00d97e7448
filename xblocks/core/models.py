"""Core models: where a component lives, and groups/roles managed outside Open edX.

In Open edX, cohorts, teams and roles come from the platform (see ``compat.py``); the local
models below serve the sandbox and the LTI tool, where an instructor manages groups.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Placement(models.Model):
    """One component instance: an Open edX course + usage key, or an LTI context + resource link."""

    OPENEDX = "openedx"
    LTI = "lti"
    LOCAL = "local"
    PLATFORMS = [(OPENEDX, "Open edX"), (LTI, "LTI 1.3"), (LOCAL, _("Local"))]

    platform = models.CharField(max_length=16, choices=PLATFORMS, default=OPENEDX)
    context_key = models.CharField(max_length=255, help_text=_("Course key or LTI context id."))
    resource_key = models.CharField(max_length=255, help_text=_("Usage key or LTI resource link id."))
    title = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    # What another component's action needs to reach this placement for the same person (``xblocks.core.reach``),
    # recorded by the door each time the placement is shown or launched: the component placed here and what its
    # group resolution reads (its group scope and teamset). Empty until then.
    component = models.CharField(max_length=32, blank=True, default="")
    group_scope = models.CharField(max_length=16, blank=True, default="")
    teamset_id = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["context_key", "resource_key"], name="social_placement_unique"),
        ]
        indexes = [models.Index(fields=["context_key", "component"], name="social_placement_component")]

    def __str__(self):
        return f"{self.context_key} / {self.resource_key}"


class LocalGroup(models.Model):
    """A cohort or team kept by the suite itself (sandbox, LTI instructor-managed groups)."""

    COHORT = "cohort"
    TEAM = "team"
    KINDS = [(COHORT, _("Cohort")), (TEAM, _("Team"))]

    # Where the group comes from: made in the tool by an instructor (""), mirrored from the course platform's
    # own groups (Moodle's web services), or named by the platform in launches (a custom parameter).
    TOOL = ""
    MOODLE = "moodle"
    LAUNCH = "launch"
    SOURCES = [(TOOL, _("Managed in the tool")), (MOODLE, _("Moodle")), (LAUNCH, _("A launch parameter"))]

    context_key = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(max_length=16, choices=KINDS, default=COHORT)
    name = models.CharField(max_length=255)
    source = models.CharField(max_length=16, choices=SOURCES, default=TOOL, blank=True)
    # The group's id on the platform (Moodle's group id, Canvas's group context id), for mirrored groups.
    external_id = models.CharField(max_length=64, blank=True, default="")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="LocalGroupMembership", related_name="social_local_groups"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["context_key", "kind", "name"], name="social_localgroup_unique"),
        ]
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.kind}, {self.context_key})"


class LocalGroupMembership(models.Model):
    group = models.ForeignKey(LocalGroup, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    # Denormalised so that "which cohort is this user in?" is one indexed query.
    context_key = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=LocalGroup.KINDS, default=LocalGroup.COHORT)

    class Meta:
        constraints = [
            # A learner is in at most one cohort (and one team) per course, as in Open edX.
            models.UniqueConstraint(fields=["user", "context_key", "kind"], name="social_one_group_per_kind"),
        ]

    def __str__(self):
        return f"{self.user} in {self.group.name}"

    def save(self, *args, **kwargs):
        self.context_key = self.group.context_key
        self.kind = self.group.kind
        super().save(*args, **kwargs)


class PlatformGroupMembership(models.Model):
    """A person's membership of a group mirrored from the platform, as the platform last said it (a learner may
    be in several; the activity's page lets them choose). Kept apart from :class:`LocalGroupMembership`, the
    instructor's own assignment in the tool, which it never changes."""

    group = models.ForeignKey(LocalGroup, on_delete=models.CASCADE, related_name="platform_memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    context_key = models.CharField(max_length=255)
    source = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="social_platform_member_once"),
        ]
        indexes = [models.Index(fields=["user", "context_key", "source"], name="social_platform_member_user")]


class RoleAssignment(models.Model):
    """A course role given inside the suite (sandbox, LTI): staff or community advocate."""

    STAFF = "staff"
    ADVOCATE = "advocate"
    ROLES = [(STAFF, _("Staff")), (ADVOCATE, _("Community advocate"))]

    context_key = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(max_length=16, choices=ROLES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["context_key", "user", "role"], name="social_role_unique"),
        ]

    def __str__(self):
        return f"{self.user} is {self.role} in {self.context_key}"


class SearchEntry(models.Model):
    """One searchable text of a component (a thread, a reply, ...), as stemmed tokens.

    Written only through :mod:`xblocks.core.search`. ``result_id`` is what a match shows (a reply's
    thread); ``hidden`` and ``author`` let a search apply "hidden unless it is yours". ``tokens`` holds
    the space's tokens, then each word's Snowball stems (English, Dutch, French), words separated by
    " . ", and is what the database's full-text index covers (decision 12).
    """

    component = models.CharField(max_length=32)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    group_key = models.CharField(max_length=64)
    object_type = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    result_id = models.BigIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    hidden = models.BooleanField(default=False)
    tokens = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["component", "object_type", "object_id"], name="social_search_once"),
        ]
        indexes = [models.Index(fields=["author"], name="social_search_author")]


class SearchTerm(models.Model):
    """One token of a search entry, in an ordinary index (MySQL/MariaDB and SQLite; decision 12).

    InnoDB's FULLTEXT index (and SQLite's FTS5) read a word's whole list of matches before a LIMIT applies,
    so a common word costs more as the forum grows. Here a search reads, per token, the newest entries of its space by a
    bounded range of the (placement, group, token, result) index instead. Written with its entry by
    :mod:`xblocks.core.search`; rows of an entry that was edited or deleted since stay behind and are
    dropped when the search joins them to their entry and checks its current tokens.
    """

    component = models.CharField(max_length=32)
    object_type = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    placement_id = models.BigIntegerField()
    group_key = models.CharField(max_length=64)
    token = models.CharField(max_length=64)
    result_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["component", "object_type", "object_id", "token"],
                                    name="social_search_term_once"),
        ]
        indexes = [
            models.Index(fields=["placement_id", "group_key", "token", "result_id"], name="social_term_group"),
            models.Index(fields=["placement_id", "token", "result_id"], name="social_term_placement"),
        ]
