"""The sandbox's Celery application: tasks of the suite's apps (``tasks.py``), configured by the Django settings
named ``CELERY_*``. Open edX runs the same tasks with its own application; a standalone tool deployment makes
one like this. ``celery -A sandbox.celery worker`` runs a worker (with ``CELERY_TASK_ALWAYS_EAGER`` off)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")

app = Celery("social_learning")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
