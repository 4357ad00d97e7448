"""Reminders to those who have not introduced themselves, a number of days before a session (the ``reminder_days``
setting), by e-mail where the platform provides it: Open edX's e-mail framework (through ``compat``), else the
address the LTI launch shared (Django's ``send_mail``). Someone without an address is reminded on the page only
(which shows the reminder to everyone not yet introduced, see ``sessions``).

Settings live in the platform (Studio's fields, the tool's link), so the page keeps what reminders need in a
:class:`~.models.ReminderPlan` row when it is shown (written only when something changed). The scheduled work
(:mod:`.tasks`, started by the ``send_introduction_reminders`` management command from cron or a Kubernetes
CronJob) reads the plans, finds the sessions due, and reminds each person missing.

Sending twice never sends two reminders: before anything is sent, the person's :class:`~.models.Reminder` row
for this placement and session is inserted in its own transaction (a unique constraint); whoever fails to insert
it sends nothing. A failed e-mail gives the claim back, so that a later run tries again.
"""
import logging
from datetime import datetime, timedelta

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xblocks.core import compat
from xblocks.core.groups import COURSE, backend
from xblocks.core.models import Placement

from .facilitator import course_team
from .models import Introduction, Reminder, ReminderPlan

log = logging.getLogger(__name__)
PLAN_CACHE_SECONDS = 3600
# The most people one placement reminds in one run (the rest are reminded by the next run).
PEOPLE_MAX = 20000


# ----- the plan, kept by the page ------------------------------------------------------------------------------
def remember_plan(placement, title, time_zone, reminder_days, found):
    """Keep what the reminders need of this placement's settings (``found``: its parsed sessions). No query when
    nothing changed since the last page (the cache remembers what was written)."""
    sessions = [{"start": s["start"].isoformat(), "title": s["title"]} for s in found]
    wanted = {"title": title[:255], "time_zone": time_zone, "reminder_days": reminder_days, "sessions": sessions}
    key = f"sls:introductions:plan:{placement.id}"
    if cache.get(key) == wanted:
        return
    ReminderPlan.objects.update_or_create(placement_id=placement.id, defaults={**wanted, "modified": timezone.now()})
    cache.set(key, wanted, PLAN_CACHE_SECONDS)


def due(now=None):
    """``[(placement id, session start, session title)]``: for each placement with reminders, the first session
    that starts within its reminder days from ``now`` (one query)."""
    now = now or timezone.now()
    out = []
    for plan in ReminderPlan.objects.filter(reminder_days__gt=0).order_by("placement_id"):
        for session in plan.sessions:
            start = datetime.fromisoformat(session["start"])
            if now < start <= now + timedelta(days=plan.reminder_days):
                out.append((plan.placement_id, start, session["title"]))
                break
    return out


# ----- reminding ------------------------------------------------------------------------------------------------
def missing(placement, session_start):
    """The active people of the course who have not introduced themselves in this placement and have had no
    reminder for this session; the course team left out (one query)."""
    members = backend().member_filter(placement.context_key, COURSE)
    return list(get_user_model().objects.filter(members, is_active=True)
                .exclude(id__in=course_team(placement))
                .exclude(id__in=Introduction.objects.filter(placement_id=placement.id).values("user_id"))
                .exclude(id__in=Reminder.objects.filter(placement_id=placement.id, session_start=session_start)
                         .values("user_id"))
                .order_by("id")[:PEOPLE_MAX])


def _claim(placement, user, session_start, channel):
    """Insert this person's reminder for this session; False when it was there already (someone else sends)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(placement_id=placement.id, user_id=user.id, session_start=session_start,
                                    channel=channel, created=timezone.now())
    except IntegrityError:
        return False
    return True


def message(plan, user, session_start, title):
    """The reminder's subject and text for ``user``, in the platform's language."""
    from zoneinfo import ZoneInfo  # pylint: disable=import-outside-toplevel

    local = session_start.astimezone(ZoneInfo(plan.time_zone or "UTC"))
    with translation.override(django_settings.LANGUAGE_CODE):
        subject = _("Introduce yourself before “{title}”").format(title=title)
        text = _("Hello {name},\n\n“{title}” starts on {date} at {time} ({zone}). Your group is introducing "
                 "itself in “{activity}”: take a few minutes to say who you are, what you want to learn and what "
                 "you can offer, and see who else is coming.").format(
            name=user.get_full_name() or user.username, title=title, date=local.strftime("%Y-%m-%d"),
            time=local.strftime("%H:%M"), zone=plan.time_zone or "UTC", activity=plan.title)
    return subject, text


def _send(placement, user, subject, text):
    if placement.platform == Placement.OPENEDX and compat.running_in_openedx():
        compat.send_platform_email(user, subject, text)
    else:
        send_mail(subject, text, None, [user.email])


def remind(placement_id, session_start):
    """Remind everyone of placement ``placement_id`` who has not introduced themselves before the session starting
    at ``session_start`` (an aware datetime): ``{"emailed", "page_only", "skipped"}``. Safe to run twice, or on two
    workers at once."""
    plan = ReminderPlan.objects.select_related("placement").filter(placement_id=placement_id).first()
    if plan is None:
        return {"emailed": 0, "page_only": 0, "skipped": 0}
    placement = plan.placement
    title = next((s["title"] for s in plan.sessions if datetime.fromisoformat(s["start"]) == session_start), "")
    counts = {"emailed": 0, "page_only": 0, "skipped": 0}
    for user in missing(placement, session_start):
        channel = Reminder.EMAIL if user.email else Reminder.PAGE
        if not _claim(placement, user, session_start, channel):
            counts["skipped"] += 1
            continue
        if channel == Reminder.PAGE:
            counts["page_only"] += 1
            continue
        subject, text = message(plan, user, session_start, title)
        try:
            _send(placement, user, subject, text)
        except Exception:  # pylint: disable=broad-except
            # Give the claim back: the next run tries again. Nothing was sent.
            Reminder.objects.filter(placement_id=placement.id, user_id=user.id, session_start=session_start).delete()
            log.exception("Introductions: the reminder to user %s for placement %s could not be sent.", user.id,
                          placement.id)
            continue
        counts["emailed"] += 1
    return counts
