"""SQL queries per request: constant in the amount of data, and at most 8.

Each request is measured the way a front door serves it: find the placement, read the person's
roles, resolve their group (``get_placement`` + ``local_roles`` + ``build_context`` with the local
group backend), then call the api.
"""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import COURSE_KEY
from xblocks.cohort_forum import api
from xblocks.cohort_forum.models import Flag, Post, Thread, ThreadState, Vote, mentioned_ids_value
from xblocks.core.context import build_context, get_placement, local_roles
from xblocks.core.groups import LocalGroups
from xblocks.core.models import Placement
from xblocks.core.text import render_markdown

BUDGET = 8
# A write also keeps the search index (and a new thread its group's count): one statement more.
WRITE_BUDGET = 9


def search_terms_statement():
    """A write that adds or changes text also inserts its search terms (MySQL/MariaDB and SQLite; decision 12)."""
    return 1 if connection.vendor in ("mysql", "sqlite") else 0
READS = ("list", "search", "staff list", "get_thread", "staff get_thread", "mention suggestions", "participation")


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.SOCIAL_LEARNING = {"POSTS_PER_WINDOW": 100000}


def front_door(user, group=None):
    placement = get_placement(Placement.LOCAL, COURSE_KEY, "forum-under-test")
    return build_context(user=user, placement=placement, scope="cohort", roles=local_roles(user, COURSE_KEY),
                         backend=LocalGroups(), requested_group=group)


def seed(course, threads, replies):
    """Add ``threads`` threads to each cohort, each with ``replies`` replies (half with a comment),
    votes, and read marks, the way a busy forum looks."""
    now = timezone.now()
    html = render_markdown("Some **text** to discuss, @cara.")
    rows = []
    for group, authors in ((course.group_a, (course.ann, course.cara)), (course.group_b, (course.bob,))):
        for i in range(threads):
            rows.append(Thread(
                placement=course.placement, group_key=group, author=authors[i % len(authors)],
                kind=Thread.QUESTION if i % 3 == 0 else Thread.DISCUSSION, title=f"Thread {i}",
                body="Some **text** to discuss, @cara.", body_html=html, reply_count=replies,
                vote_count=i % 4, pinned=i == 0, hidden=i % 17 == 5,
                created=now - timedelta(minutes=threads - i), last_activity=now - timedelta(minutes=threads - i),
            ))
    created = Thread.objects.bulk_create(rows)
    created = list(Thread.objects.filter(placement=course.placement).order_by("id"))
    posts = []
    for thread in created:
        for j in range(replies):
            posts.append(Post(thread=thread, author=course.cara if j % 2 else course.ann, body="A reply.",
                              body_html="<p>A reply.</p>\n", created=thread.created + timedelta(seconds=j)))
    Post.objects.bulk_create(posts)
    replies_made = list(Post.objects.filter(thread__placement=course.placement, parent__isnull=True).order_by("id"))
    Post.objects.bulk_create([
        Post(thread_id=r.thread_id, parent=r, author=course.ann, body="A comment.", body_html="<p>A comment.</p>\n")
        for r in replies_made[::2]
    ])
    Vote.objects.bulk_create([Vote(user=course.cara, thread=t) for t in created[::2]], ignore_conflicts=True)
    Vote.objects.bulk_create([Vote(user=course.ann, post=p) for p in replies_made[::3]], ignore_conflicts=True)
    ThreadState.objects.bulk_create(
        [ThreadState(user=course.ann, thread=t, read_at=now, following=True) for t in created[::2]],
        ignore_conflicts=True,
    )
    Thread.objects.filter(id__in=[t.id for t in created[::5]]).update(mentioned_ids=mentioned_ids_value([course.cara.id]))
    flagged_threads = [t.id for t in created[::7]]
    flagged_posts = [p.id for p in replies_made[::9]]
    Thread.objects.filter(id__in=flagged_threads).update(flag_count=1)
    Post.objects.filter(id__in=flagged_posts).update(flag_count=1)
    # Threads and replies flagged in turn, so that every page of the review queue holds both.
    Flag.objects.bulk_create(
        [Flag(user=course.cara, thread_id=t, reason="Off topic", created=now - timedelta(seconds=2 * i))
         for i, t in enumerate(reversed(flagged_threads))]
        + [Flag(user=course.bob, post_id=p, reason="Rude", created=now - timedelta(seconds=2 * i + 1))
           for i, p in enumerate(reversed(flagged_posts))], ignore_conflicts=True)
    api.recount(course.placement.id)  # the bulk load bypassed the api: rebuild the counts and the search index


def measure(course):
    """Queries per request for every kind of request, on the current data."""
    thread = Thread.objects.filter(group_key=course.group_a, deleted=False, hidden=False, pinned=False).order_by(
        "-id").first()
    reply = Post.objects.filter(thread=thread, parent__isnull=True, deleted=False).order_by("id").first()
    own_reply = Post.objects.create(thread=thread, author=course.cara, body="Mine", body_html="<p>Mine</p>")
    calls = {
        "list page 1": lambda: api.list_threads(front_door(course.ann), {}),
        "list last page": lambda: api.list_threads(front_door(course.ann), {"page": 100000}),
        "list by votes": lambda: api.list_threads(front_door(course.ann), {"sort": "votes"}),
        "list unanswered": lambda: api.list_threads(front_door(course.ann), {"sort": "unanswered"}),
        "list unread": lambda: api.list_threads(front_door(course.ann), {"filter": "unread"}),
        "list following": lambda: api.list_threads(front_door(course.ann), {"filter": "following"}),
        "list mentions": lambda: api.list_threads(front_door(course.cara), {"filter": "mentions"}),
        "search": lambda: api.list_threads(front_door(course.ann), {"search": "discuss reply"}),
        "staff list all groups": lambda: api.list_threads(front_door(course.staff, "all"), {}),
        "staff list flagged": lambda: api.list_threads(front_door(course.staff, "all"), {"filter": "flagged"}),
        "get_thread": lambda: api.get_thread(front_door(course.ann), {"id": thread.id}),
        "staff get_thread": lambda: api.get_thread(front_door(course.staff, "all"), {"id": thread.id}),
        "create_thread": lambda: api.create_thread(front_door(course.ann), {"title": "New", "body": "Hi @cara"}),
        "create_reply": lambda: api.create_reply(front_door(course.cara), {"thread": thread.id, "body": "Reply"}),
        "reply with mention": lambda: api.create_reply(front_door(course.cara), {"thread": thread.id, "body": "@ann"}),
        "comment with mention": lambda: api.create_reply(
            front_door(course.cara), {"thread": thread.id, "parent": reply.id, "body": "@ann yes"}),
        "staff reply with mention": lambda: api.create_reply(
            front_door(course.staff, "all"), {"thread": thread.id, "body": "@ann see this"}),
        "delete own reply": lambda: api.delete(front_door(course.cara), {"target": "post", "id": own_reply.id}),
        "vote thread": lambda: api.vote(front_door(course.advocate), {"target": "thread", "id": thread.id}),
        "vote post": lambda: api.vote(front_door(course.advocate), {"target": "post", "id": reply.id}),
        "unvote post": lambda: api.vote(front_door(course.advocate), {"target": "post", "id": reply.id, "on": False}),
        "flag": lambda: api.flag(front_door(course.advocate), {"target": "post", "id": reply.id}),
        "follow": lambda: api.follow(front_door(course.advocate), {"id": thread.id}),
        "edit": lambda: api.edit(front_door(course.ann), {"target": "thread", "id": thread.id, "body": "@cara x"})
        if thread.author_id == course.ann.id else api.edit(
            front_door(course.cara), {"target": "thread", "id": thread.id, "body": "@ann x"}),
        "endorse": lambda: api.endorse(front_door(course.advocate), {"id": reply.id}),
        "staff flag queue": lambda: api.flag_queue(front_door(course.staff, "all"), {}),
        "staff flag queue, one group": lambda: api.flag_queue(front_door(course.staff, course.group_a), {"page": 2}),
        "dismiss flags": lambda: api.dismiss_flags(front_door(course.staff, "all"), {"target": "post", "id": reply.id}),
        "hide": lambda: api.hide(front_door(course.staff, "all"), {"target": "post", "id": reply.id,
                                                                   "reason": "Off topic"}),
        "delete reply (staff)": lambda: api.delete(front_door(course.staff, "all"), {"target": "post", "id": reply.id}),
        "mention suggestions": lambda: api.mention_candidates(front_door(course.ann), {"q": "c"}),
        "participation": lambda: api.participation_count(front_door(course.ann)),
    }
    front_door(course.ann)  # the placement id is cached from the first request on
    counts = {}
    for name, call in calls.items():
        with CaptureQueriesContext(connection) as queries:
            call()
        counts[name] = len(queries)
    return counts


# No surrounding test transaction: each request runs as in production, where the api's outermost
# ``atomic()`` costs no query (inside a test transaction it would add a SAVEPOINT and its RELEASE).
@pytest.mark.django_db(transaction=True)
def test_queries_per_request_do_not_grow_with_the_data_and_stay_within_budget(course):
    seed(course, threads=5, replies=2)
    small = measure(course)
    seed(course, threads=200, replies=6)
    large = measure(course)
    print("\n".join(f"{name:24} {count}" for name, count in large.items()))
    assert large == small
    over = {name: count for name, count in large.items()
            if count > (BUDGET if name.startswith(READS) else WRITE_BUDGET + search_terms_statement())}
    assert over == {}


def test_the_listed_page_is_complete_on_a_late_page(course):
    """The late page is a real page (not an empty one that would be cheap to serve)."""
    seed(course, threads=200, replies=1)
    page = api.list_threads(front_door(course.ann), {"page": 9})
    assert page["page"] == 9 and page["pages"] == 10 and len(page["threads"]) == 20


@pytest.mark.django_db(transaction=True)
def test_opening_a_thread_costs_the_same_whether_it_was_read_or_not(course):
    seed(course, threads=3, replies=2)
    thread = Thread.objects.filter(group_key=course.group_a, deleted=False, hidden=False).order_by("-id").first()
    front_door(course.bob if thread.group_key == course.group_b else course.cara)
    counts = []
    for _visit in range(2):  # unread, then read
        with CaptureQueriesContext(connection) as queries:
            page = api.get_thread(front_door(course.cara), {"id": thread.id})
        counts.append((len(queries), page["was_unread"]))
    assert counts[0][0] == counts[1][0] and [unread for _n, unread in counts] == [True, False]


def test_the_total_follows_new_hidden_and_deleted_threads_without_counting_them(course):
    seed(course, threads=40, replies=0)
    learner_total = api.list_threads(front_door(course.cara), {})["total"]
    staff_total = api.list_threads(front_door(course.staff, "all"), {})["total"]
    visible = Thread.objects.filter(group_key=course.group_a, deleted=False, hidden=False).count()
    assert learner_total == visible + Thread.objects.filter(
        group_key=course.group_a, deleted=False, hidden=True, author=course.cara).count()
    assert staff_total == Thread.objects.filter(deleted=False).count()
    mine = api.create_thread(front_door(course.cara), {"title": "Mine", "body": "x"})["id"]
    other = api.create_thread(front_door(course.ann), {"title": "Ann's", "body": "x"})["id"]
    api.hide(front_door(course.staff, "all"), {"target": "thread", "id": mine})
    api.hide(front_door(course.staff, "all"), {"target": "thread", "id": other})
    api.hide(front_door(course.staff, "all"), {"target": "thread", "id": other})  # twice: counted once
    page = api.list_threads(front_door(course.cara), {})
    assert page["total"] == learner_total + 1  # their own hidden thread, not Ann's
    api.delete(front_door(course.staff, "all"), {"target": "thread", "id": mine})
    assert api.list_threads(front_door(course.cara), {})["total"] == learner_total
    assert api.list_threads(front_door(course.staff, "all"), {})["total"] == staff_total + 1
    assert api.list_threads(front_door(course.staff, "all"), {})["pages"] == -(-(staff_total + 1) // 20)
