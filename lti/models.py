"""What the LTI tool keeps beside django-lti's registrations, deployments, users and contexts.

- :class:`LtiPerson`: one person as a platform names them, an (issuer, subject) pair, mapped to
  the suite's person (the Django user).
- :class:`LtiPlacement`: a component placed in a platform course through a resource link, with
  the settings the author chose (carried by the link's custom parameters) and its AGS line item.
- :class:`LearnerState`: a learner's private state in one placement (drafts, completion,
  the last score sent), as the XBlock keeps it in ``Scope.user_state``, and what their latest launch
  there established: their roles and the group the activity's own launch named (a ``cohort`` or
  ``group`` custom parameter), which applies to this placement only.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xblocks.core.models import Placement



class LtiPerson(models.Model):
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="social_lti_people")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("LTI person")
        verbose_name_plural = _("LTI people")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="social_lti_person_unique"),
        ]

    def __str__(self):
        return f"{self.subject} @ {self.issuer}"


class LtiPlacement(models.Model):
    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="social_lti")
    deployment = models.ForeignKey("lti_tool.LtiDeployment", on_delete=models.CASCADE, related_name="social_placements")
    context_id = models.CharField(_("context ID on platform"), max_length=255, blank=True)
    resource_link_id = models.CharField(_("resource link ID on platform"), max_length=255)
    # A registered component's key (:func:`xblocks.core.component.get`); components register at start-up,
    # so the choices are not part of the schema.
    component = models.CharField(_("component"), max_length=32)
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    # Assignment and Grade Services: the line item of this resource link, when the platform gave one.
    lineitem_url = models.URLField(_("AGS line item URL"), max_length=1000, blank=True)
    lineitems_url = models.URLField(_("AGS line items URL"), max_length=1000, blank=True)
    ags_scopes = models.JSONField(_("AGS scopes"), default=list, blank=True)
    memberships_url = models.URLField(_("NRPS memberships URL"), max_length=1000, blank=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("LTI placement")
        verbose_name_plural = _("LTI placements")

    def __str__(self):
        return str(self.placement)


class LearnerState(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    drafts = models.JSONField(default=dict, blank=True)
    completed = models.BooleanField(default=False)
    score_sent = models.FloatField(null=True, blank=True)
    # The suite roles of the person's latest launch in the course (None: none recorded yet); a launch token
    # with other roles is refused.
    roles = models.JSONField(null=True, blank=True)
    # The group key ("cohort:<id>") the latest launch of this placement named, or "" (the course's groups apply).
    group_key = models.CharField(max_length=64, blank=True, default="")
    # The platform's groups the latest launch found the learner in here ([[key, name], ...]), when more than one:
    # the page offers them ("Your group") and the choice is kept in ``group_key``.
    group_choices = models.JSONField(default=list, blank=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["placement", "user"], name="social_lti_learner_state_unique"),
        ]


class MoodleWebService(models.Model):
    """The Moodle web service a registration's courses read their groups from (decision 16): Moodle's address and
    a token the administrator made for the tool. The token is never shown again, logged or sent anywhere but
    Moodle's ``/webservice/rest/server.php``."""

    registration = models.OneToOneField("lti_tool.LtiRegistration", on_delete=models.CASCADE,
                                        related_name="social_moodle_ws")
    base_url = models.URLField(_("Moodle's address"), max_length=500,
                               help_text=_("The address of the Moodle site, e.g. https://moodle.example.org"))
    token = models.CharField(_("web service token"), max_length=128)
    is_active = models.BooleanField(_("follow Moodle's groups"), default=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Moodle web service")
        verbose_name_plural = _("Moodle web services")

    def __str__(self):
        return self.base_url

    @property
    def endpoint(self):
        return self.base_url.rstrip("/") + "/webservice/rest/server.php"


class PlatformGroupSync(models.Model):
    """What the tool last heard from the platform about a course's groups: when, and the error if it failed."""

    context_key = models.CharField(max_length=255, unique=True)
    registration = models.ForeignKey("lti_tool.LtiRegistration", on_delete=models.CASCADE, related_name="+")
    course_id = models.CharField(max_length=64)
    synced = models.DateTimeField(null=True, blank=True)  # the last answer that was read
    error_code = models.CharField(max_length=64, blank=True, default="")
    error_message = models.CharField(max_length=500, blank=True, default="")
    error_at = models.DateTimeField(null=True, blank=True)
    # {Moodle group id: number of members in Moodle} as the last full refresh read them.
    member_counts = models.JSONField(default=dict, blank=True)
    # {Moodle grouping id: [its group ids]} and {grouping id: name}, as last read.
    groupings = models.JSONField(default=dict, blank=True)
    grouping_names = models.JSONField(default=dict, blank=True)
    modified = models.DateTimeField(auto_now=True)
