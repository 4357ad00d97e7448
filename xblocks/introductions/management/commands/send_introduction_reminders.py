"""``python -m django send_introduction_reminders``: remind those who have not introduced themselves before the
next session, as each introductions' author chose (the days before). Run it from cron or a Kubernetes CronJob, as
often as you like (every hour, say): a person is reminded once per session whatever runs twice.

By default the work is queued as Celery tasks (run at once where ``CELERY_TASK_ALWAYS_EAGER`` is set, as in the
sandbox); ``--here`` does it in this process, without a worker.
"""
from celery.result import EagerResult
from django.core.management.base import BaseCommand

from xblocks.introductions import reminders, tasks


class Command(BaseCommand):
    help = "Remind people who have not introduced themselves, a chosen number of days before a session."

    def add_arguments(self, parser):
        parser.add_argument("--here", action="store_true", help="Send in this process instead of queuing tasks.")

    def handle(self, *args, **options):
        if options["here"]:
            found = reminders.due()
            for placement_id, start, title in found:
                counts = reminders.remind(placement_id, start)
                self.stdout.write(f"{placement_id} “{title}”: {counts['emailed']} e-mailed, "
                                  f"{counts['page_only']} on the page only, {counts['skipped']} already reminded")
            self.stdout.write(f"{len(found)} placement(s) with a session due.")
            return
        result = tasks.send_introduction_reminders.delay()
        if isinstance(result, EagerResult):
            self.stdout.write(f"{result.get()} placement(s) with a session due: reminded.")
        else:
            self.stdout.write(f"Queued ({result.id}): the workers remind whoever is due.")
