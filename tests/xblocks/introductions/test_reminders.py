"""Reminders before a session to those who have not introduced themselves: the page keeps the plan, the command
(cron, a CronJob) and the Celery tasks remind each person once per session by e-mail where there is an address,
never twice however often they run, and a failed e-mail is tried again; in Open edX through the platform's e-mail
framework. One test runs a real Celery worker against the local Redis."""
import uuid
from datetime import datetime, timedelta, timezone as dt_timezone
from io import StringIO

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command

from tests.factories import UserFactory
from xblocks.core import compat
from xblocks.core.models import Placement
from xblocks.introductions import frontdoor, reminders, sessions, tasks
from xblocks.introductions.models import Reminder, ReminderPlan

NOW = datetime(2027, 3, 26, 9, 0, tzinfo=dt_timezone.utc)
SESSIONS = ("2027-03-28 10:00 | 12:00 | Kick-off | https://meet.example.org/kick-off\n"
            "2027-04-20 09:30 | 16:00 | Classroom day | Ghent")


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    cache.clear()  # the plan is remembered in the cache between pages
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def planned(course, make_context, intro_settings):
    """The introductions' page shown once (it keeps the plan): sessions in Brussels, reminders 3 days before."""
    settings = {**intro_settings, "sessions": SESSIONS, "time_zone": "Europe/Brussels", "reminder_days": 3,
                "display_name": "Meet your cohort"}
    frontdoor.page_data(make_context(course.cara), settings, urls={}, drafts={}, completed=False,
                        complete_on_view=lambda: None, gettext=lambda s: s, ngettext=lambda s, p, n: s)
    return settings


def kick_off():
    return datetime(2027, 3, 28, 8, 0, tzinfo=dt_timezone.utc)  # 10:00 in Brussels, after the spring change


def test_the_page_keeps_the_plan_and_the_next_session_is_due(course, planned):
    plan = ReminderPlan.objects.get(placement=course.placement)
    assert plan.reminder_days == 3 and plan.time_zone == "Europe/Brussels" and plan.title == "Meet your cohort"
    assert reminders.due(NOW) == [(course.placement.id, kick_off(), "Kick-off")]
    assert reminders.due(NOW - timedelta(days=2)) == []  # four days before: not yet
    assert reminders.due(kick_off()) == []  # started: too late


def test_sending_twice_reminds_each_missing_person_once(course, planned, post):
    post(course.ann)
    course.cara.email = ""
    course.cara.save()
    out = StringIO()
    call_command("send_introduction_reminders", stdout=out)
    call_command("send_introduction_reminders", stdout=out)
    call_command("send_introduction_reminders", "--here", stdout=out)
    # Ann introduced herself; Cara has no address (the page reminds her); Sam is the course team.
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.com", "bob@example.com"]
    bob = next(m for m in mail.outbox if m.to == ["bob@example.com"])
    assert bob.subject == "Introduce yourself before “Kick-off”"
    assert "starts on 2027-03-28 at 10:00 (Europe/Brussels)" in bob.body and "“Meet your cohort”" in bob.body
    assert sorted(Reminder.objects.values_list("user__username", "channel")) == [
        ("ada", "email"), ("bob", "email"), ("cara", "page")]
    assert "1 placement(s) with a session due: reminded." in out.getvalue()


def test_a_reminder_someone_else_claimed_is_not_sent_again(course, planned):
    Reminder.objects.create(placement=course.placement, user=course.bob, session_start=kick_off(), created=NOW)
    assert not reminders._claim(course.placement, course.bob, kick_off(), Reminder.EMAIL)
    counts = reminders.remind(course.placement.id, kick_off())
    assert counts["emailed"] == 3 and "bob@example.com" not in [m.to[0] for m in mail.outbox]


def test_a_failed_email_is_tried_again_by_the_next_run(course, planned, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(reminders, "send_mail", broken)
    assert reminders.remind(course.placement.id, kick_off())["emailed"] == 0
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    assert reminders.remind(course.placement.id, kick_off())["emailed"] == 4


def test_no_reminders_when_the_author_chose_none(course, make_context, planned):
    frontdoor.page_data(make_context(course.cara), {**planned, "reminder_days": 0}, urls={}, drafts={},
                        completed=False, complete_on_view=lambda: None, gettext=lambda s: s,
                        ngettext=lambda s, p, n: s)
    call_command("send_introduction_reminders", stdout=StringIO())
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_in_open_edx_the_platforms_email_framework_sends(course, planned, monkeypatch, settings):
    """In Open edX the reminder goes through edX ACE (the real ``edx-ace`` package the LMS installs), here with its
    Django e-mail channel as an LMS may configure it: the introductions' ACE templates are rendered and sent."""
    sent_before = len(mail.outbox)
    settings.SOCIAL_LEARNING = {**settings.SOCIAL_LEARNING, "GROUP_BACKEND": "local"}
    settings.ACE_ENABLED_CHANNELS = ["django_email"]
    settings.ACE_CHANNEL_DEFAULT_EMAIL = "django_email"
    settings.ACE_CHANNEL_TRANSACTIONAL_EMAIL = "django_email"
    settings.ACE_ENABLED_POLICIES = []
    settings.DEFAULT_FROM_EMAIL = "courses@example.org"
    Placement.objects.filter(id=course.placement.id).update(platform=Placement.OPENEDX)
    monkeypatch.setattr(compat, "running_in_openedx", lambda: True)
    monkeypatch.setattr(compat, "course_staff_ids", lambda course_key: [course.staff.id])
    reminders.remind(course.placement.id, kick_off())
    sent = mail.outbox[sent_before:]
    assert sorted(message.to[0] for message in sent) == sorted(
        user.email for user in (course.advocate, course.ann, course.bob, course.cara))
    assert {message.subject for message in sent} == {"Introduce yourself before “Kick-off”"}
    assert all(message.from_email == "courses@example.org" for message in sent)
    html = sent[0].alternatives[0][0]
    assert "Kick-off" in sent[0].body and "Kick-off" in html


def test_the_queries_of_one_placement_grow_with_the_people_reminded_only(course, planned):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from xblocks.core.models import LocalGroupMembership
    for i in range(30):
        LocalGroupMembership.objects.create(group=course.cohort_a, user=UserFactory(username=f"late{i}", email=""),
                                            context_key=course.key, kind="cohort")
    reminders.remind(course.placement.id, kick_off())
    with CaptureQueriesContext(connection) as captured:
        assert reminders.remind(course.placement.id, kick_off()) == {"emailed": 0, "page_only": 0, "skipped": 0}
    assert len(captured.captured_queries) == 2  # the plan, then nobody left to remind


# ----- a real worker ---------------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_on_the_local_redis_sends_the_reminders(course, planned):
    from celery.contrib.testing.worker import start_worker

    from sandbox.celery import app

    queue = f"sls-test-intro-{uuid.uuid4().hex[:8]}"  # Redis is shared: a queue of this run only
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:6379/0",
                    result_backend="redis://127.0.0.1:6379/0", task_default_queue=queue)
    try:
        with start_worker(app, queues=[queue], perform_ping_check=False, pool="solo", loglevel="WARNING"):
            result = tasks.remind_placement.delay(course.placement.id, kick_off().isoformat())
            assert result.get(timeout=30) == {"emailed": 4, "page_only": 0, "skipped": 0}
            again = tasks.remind_placement.delay(course.placement.id, kick_off().isoformat())
            assert again.get(timeout=30) == {"emailed": 0, "page_only": 0, "skipped": 0}
    finally:
        app.conf.update(task_always_eager=True, result_backend=None, task_default_queue="celery")
    assert len(mail.outbox) == 4 and Reminder.objects.filter(channel="email").count() == 4
