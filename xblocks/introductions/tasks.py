"""The introductions' background work, as Celery tasks (Open edX runs its own the same way; the sandbox and the
tests run them at once, ``CELERY_TASK_ALWAYS_EAGER``).

``send_introduction_reminders`` finds the sessions due (see :mod:`.reminders`) and queues one
``remind_placement`` per placement; the ``send_introduction_reminders`` management command queues it from cron
or a Kubernetes CronJob. Both are idempotent: a person is reminded once per session whatever runs twice.
"""
from datetime import datetime

from celery import shared_task

from . import reminders


@shared_task(name="social_learning.introductions.remind_placement", ignore_result=False)
def remind_placement(placement_id, session_start):
    """Remind those missing in one placement before the session starting at ``session_start`` (ISO 8601)."""
    return reminders.remind(placement_id, datetime.fromisoformat(session_start))


@shared_task(name="social_learning.introductions.send_reminders", ignore_result=False)
def send_introduction_reminders():
    """Queue the reminders of every placement with a session due; answers how many placements were queued."""
    found = reminders.due()
    for placement_id, start, _title in found:
        remind_placement.delay(placement_id, start.isoformat())
    return len(found)
