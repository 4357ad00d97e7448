"""SQL queries per request of the tool's forum API: constant in the amount of data, and at most 10.

Learners launch from the test platform (Django's test client is the browser; the platform serves its
keys over HTTP), then each API request goes through the whole tool: URL, launch token, placement and
person, the api call, drafts, completion. Who is asking, their roles and their group come from the
launch token, so no request reads them again, and nothing is read row by row.
"""
import json
import types

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lti import keys
from lti.identity import context_key
from lti.models import LearnerState, LtiPerson, LtiPlacement
from tests.xblocks.cohort_forum.test_queries import search_terms_statement, seed
from tests.lti.conftest import forum_init
from tests.lti import platform as platforms
from xblocks.cohort_forum.models import Post, Thread
from xblocks.core import groups_api

BUDGET = 10
# Never met during the test: every contribution counts the learner's participation and sends the score to the
# platform's gradebook (the dearest path).
SETTINGS = json.dumps({"participation_required": 1000, "has_score": True, "allow_anonymous": True})


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.SOCIAL_LEARNING = {"POSTS_PER_WINDOW": 100000}


@pytest.fixture
def in_process_platform(transactional_db):
    platform = platforms.TestPlatform("http://testserver").start()
    platforms.register(platform)
    platform.tool_key = keys.current_key().public_key
    yield platform
    platform.stop()


def launch(platform, user_id, name, cohort, role="student"):
    """The activity's launch names the learner's cohort (which applies to it only); the instructor put them in
    the same cohort of the course too (as on the tool's groups page), so that the XBlock's door agrees."""
    custom = {"sls_settings": SETTINGS, **({"cohort": cohort} if cohort else {})}
    page = platforms.ClientBrowser(platform, Client()).launch(platform.consumer(
        user_id=user_id, name=name, role=role, custom=custom))
    assert page.status_code == 200, page.content[:1000]
    init = forum_init(page.content.decode())
    user = LtiPerson.objects.get(subject=user_id).user
    if cohort:
        groups_api.put_in_cohort(user, context_key(platform.url, "course-1"), cohort)
    return init, user


def measure(client, init, thread_id, reply_id):
    """Queries of each request of the learner whose launch gave ``init``."""
    headers = {"HTTP_AUTHORIZATION": init["client"]["headers"]["Authorization"]}
    calls = [
        ("list_threads", {}),
        ("list_threads", {"page": 2, "sort": "votes"}),
        ("list_threads", {"search": "discuss reply"}),
        ("get_thread", {"id": thread_id}),
        ("save_draft", {"key": "new", "title": "Half", "body": "a thought"}),
        ("create_thread", {"title": "New", "body": "Hello", "anonymous": True}),  # forgets the draft
        ("save_draft", {"key": str(thread_id), "body": "A repl"}),
        ("create_reply", {"thread": thread_id, "body": "A reply"}),  # forgets that draft
        ("create_reply", {"thread": thread_id, "parent": reply_id, "body": "A comment"}),
        ("vote", {"target": "thread", "id": thread_id}),
        ("vote", {"target": "post", "id": reply_id}),
    ]
    counts = {}
    for number, (action, data) in enumerate(calls, 1):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(init["urls"][action], data=data, content_type="application/json", **headers)
        assert response.status_code == 200, (action, response.content[:500])
        counts[f"{number}. {action} {sorted(data)}"] = len(queries)
    return counts


def test_forum_api_queries_do_not_grow_with_the_data_and_stay_within_budget(in_process_platform, client):
    ann_init, ann = launch(in_process_platform, "ann", "Ann Peeters", "Antwerp")
    _cara_init, cara = launch(in_process_platform, "cara", "Cara Maes", "Antwerp")
    bob_init, bob = launch(in_process_platform, "bob", "Bob Janssens", "Brussels")
    # The one measured: a learner of Antwerp whom the seeded data leaves alone (no posts, votes or read marks).
    dan_init, dan = launch(in_process_platform, "dan", "Dan Claes", "Antwerp")
    course = types.SimpleNamespace(
        placement=LtiPlacement.objects.get().placement, ann=ann, cara=cara, bob=bob,
        group_a=ann_init["current_group"]["key"], group_b=bob_init["current_group"]["key"])

    def newest_thread_of_cara():
        thread = Thread.objects.filter(group_key=course.group_a, author=cara, hidden=False, pinned=False).latest("id")
        return thread.id, Post.objects.filter(thread=thread, parent__isnull=True).order_by("id").first().id

    # The tool keeps the platform's access token for an hour: the first score of the hour also fetches it.
    warm_up = {"HTTP_AUTHORIZATION": dan_init["client"]["headers"]["Authorization"]}
    with CaptureQueriesContext(connection) as first_score:
        client.post(dan_init["urls"]["create_thread"], data={"title": "Hello", "body": "First post"},
                    content_type="application/json", **warm_up)
    assert in_process_platform.token_requests == 1 and len(in_process_platform.scores) == 1
    assert len(first_score) <= BUDGET + search_terms_statement()
    seed(course, threads=5, replies=2)
    small = measure(client, dan_init, *newest_thread_of_cara())
    seed(course, threads=200, replies=6)
    large = measure(client, dan_init, *newest_thread_of_cara())
    print("\n".join(f"{name:48} {count:3} {small[name]:3}" for name, count in large.items()))
    assert large == small
    assert {name: count for name, count in large.items() if count > BUDGET + search_terms_statement()} == {}
    # The requests did what they say: two threads posted, and the draft forgotten once the thread was.
    assert Thread.objects.filter(title="New", author=dan, anonymous=True).count() == 2
    assert len(in_process_platform.scores) == 1 + 2 * 3 and in_process_platform.token_requests == 1
    assert LearnerState.objects.get(user=dan).drafts == {}

