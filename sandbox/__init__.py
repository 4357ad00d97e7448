"""A runnable local site: the XBlock Workbench with the suite's blocks, demo users and the admin."""

# The Celery application, so that the suite's tasks (shared tasks) are bound to it when Django starts.
from .celery import app as celery_app  # noqa: E402,F401
