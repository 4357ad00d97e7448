"""Concurrent votes, flags and replies are never lost, never counted twice, and never deadlock.

Twenty threads of execution, each with its own database connection, act on the same thread at
the same moment. SQLite serialises every writer, so this only proves something on a server
database: it runs under ``SLS_DB=mariadb`` (MariaDB or MySQL).
"""
import threading

import pytest
from django.conf import settings
from django.db import connections

from tests.factories import MembershipFactory, UserFactory
from xblocks.cohort_forum import api
from xblocks.cohort_forum.models import Flag, Post, Thread, ThreadState, Vote

WORKERS = 20

pytestmark = [
    pytest.mark.mariadb,
    pytest.mark.skipif(
        "mysql" not in settings.DATABASES["default"]["ENGINE"],
        reason="Concurrency is proven on MariaDB/MySQL (SLS_DB=mariadb); SQLite serialises all writers.",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):  # pylint: disable=redefined-outer-name
    settings.SOCIAL_LEARNING = {"POSTS_PER_WINDOW": 1000}


def run_together(jobs):
    """Run each job in its own thread (and database connection), all released at once."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        try:
            barrier.wait(timeout=30)
            job()
        except Exception as err:  # pylint: disable=broad-except  # reported by the test below
            errors.append(repr(err))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a worker hung (deadlock?)"
    return errors


@pytest.fixture
def crowd(course):
    """Twenty learners of Cohort A."""
    people = [UserFactory(username=f"crowd{i:02d}") for i in range(WORKERS)]
    for person in people:
        MembershipFactory(group=course.cohort_a, user=person)
    return people


def test_twenty_people_vote_and_reply_at_once(course, crowd, make_context):
    thread = api.create_thread(make_context(course.ann), {"title": "Busy thread", "body": "Go!"})["id"]

    def job(person):
        def act():
            ctx = make_context(person)
            api.vote(ctx, {"target": "thread", "id": thread})
            api.create_reply(ctx, {"thread": thread, "body": f"Reply from {person.username}"})
        return act

    errors = run_together([job(person) for person in crowd])

    assert errors == []
    saved = Thread.objects.get(pk=thread)
    assert saved.vote_count == WORKERS == Vote.objects.filter(thread_id=thread).count()
    replies = Post.objects.filter(thread_id=thread, parent__isnull=True, deleted=False)
    assert saved.reply_count == WORKERS == replies.count()
    assert set(replies.values_list("author__username", flat=True)) == {p.username for p in crowd}
    assert ThreadState.objects.filter(thread_id=thread, following=True).count() == WORKERS + 1
    detail = api.get_thread(make_context(course.cara), {"id": thread})
    assert detail["vote_count"] == WORKERS and detail["reply_count"] == WORKERS


def test_one_person_voting_twenty_times_at_once_counts_once(course, make_context):
    thread = api.create_thread(make_context(course.ann), {"title": "Vote once", "body": "x"})["id"]

    errors = run_together([
        lambda: api.vote(make_context(course.cara), {"target": "thread", "id": thread}) for _ in range(WORKERS)
    ])

    assert errors == []
    assert Thread.objects.get(pk=thread).vote_count == 1
    assert Vote.objects.filter(thread_id=thread).count() == 1


def test_one_person_withdrawing_twenty_times_at_once_counts_once(course, make_context):
    thread = api.create_thread(make_context(course.ann), {"title": "Unvote once", "body": "x"})["id"]
    for person in (course.cara, course.advocate):
        api.vote(make_context(person), {"target": "thread", "id": thread})

    errors = run_together([
        lambda: api.vote(make_context(course.cara), {"target": "thread", "id": thread, "on": False})
        for _ in range(WORKERS)
    ])

    assert errors == []
    assert Thread.objects.get(pk=thread).vote_count == 1
    assert list(Vote.objects.filter(thread_id=thread).values_list("user__username", flat=True)) == ["ada"]


def test_votes_flags_and_comments_on_one_reply_at_once(course, crowd, make_context):
    thread = api.create_thread(make_context(course.ann), {"title": "One reply", "body": "x"})["id"]
    reply = api.create_reply(make_context(course.cara), {"thread": thread, "body": "The reply"})["id"]

    def job(i, person):
        def act():
            ctx = make_context(person)
            if i % 2:
                api.vote(ctx, {"target": "post", "id": reply})
                api.flag(ctx, {"target": "post", "id": reply})
            else:
                api.create_reply(ctx, {"thread": thread, "parent": reply, "body": "A comment"})
                api.vote(ctx, {"target": "thread", "id": thread})
        return act

    errors = run_together([job(i, person) for i, person in enumerate(crowd)])

    assert errors == []
    half = WORKERS // 2
    saved_reply = Post.objects.get(pk=reply)
    assert saved_reply.vote_count == half == Vote.objects.filter(post_id=reply).count()
    assert saved_reply.flag_count == half == Flag.objects.filter(post_id=reply).count()
    assert Post.objects.filter(parent_id=reply).count() == half
    saved_thread = Thread.objects.get(pk=thread)
    assert saved_thread.vote_count == half
    assert saved_thread.reply_count == 1  # comments are not replies
    detail = api.get_thread(make_context(course.ann), {"id": thread})
    assert len(detail["replies"][0]["comments"]) == half


def test_staff_deleting_replies_while_people_reply(course, crowd, make_context):
    thread = api.create_thread(make_context(course.ann), {"title": "Moderated", "body": "x"})["id"]
    doomed = [api.create_reply(make_context(course.cara), {"thread": thread, "body": f"r{i}"})["id"]
              for i in range(WORKERS // 2)]

    jobs = [lambda p=person: api.create_reply(make_context(p), {"thread": thread, "body": "new"})
            for person in crowd[:WORKERS // 2]]
    jobs += [lambda r=reply: api.delete(make_context(course.staff), {"target": "post", "id": r}) for reply in doomed]
    errors = run_together(jobs)

    assert errors == []
    live = Post.objects.filter(thread_id=thread, parent__isnull=True, deleted=False).count()
    assert live == WORKERS // 2
    assert Thread.objects.get(pk=thread).reply_count == live
