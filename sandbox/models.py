"""What the sandbox keeps besides the suite's own data: the events blocks published."""
import json

from django.db import models


class PublishedEvent(models.Model):
    """One ``runtime.publish`` call from a block in the sandbox (see :mod:`sandbox.runtime`)."""

    TRACKING = "tracking"
    COMPLETION = "completion"
    GRADE = "grade"
    KINDS = [(TRACKING, "Tracking"), (COMPLETION, "Completion"), (GRADE, "Grade")]

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(max_length=150, blank=True)
    block_type = models.CharField(max_length=64)
    usage_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=KINDS, db_index=True)
    event_type = models.CharField(max_length=255)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"{self.event_type} by {self.username or 'anonymous'}"

    @property
    def data_json(self):
        return json.dumps(self.data, indent=2, ensure_ascii=False, sort_keys=True)

    @classmethod
    def kind_of(cls, event_type):
        return event_type if event_type in (cls.COMPLETION, cls.GRADE) else cls.TRACKING
