"""The reflection blog through the LTI tool: learners launched from a platform (lti-consumer-xblock's consumer,
the tool in this process) write, read and search; who reads what is the same as in the XBlock, the score goes to
the gradebook over AGS, and every action costs the same number of queries on a small and on a busy blog."""
import json
import re
import types

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lti.identity import context_key
from lti.models import LtiPerson, LtiPlacement
from tests.lti import platform as platforms
from tests.lti.test_queries import in_process_platform  # noqa: F401  (fixture)
from tests.xblocks.reflection_blog.actions_table import fresh_ids, requests
from tests.xblocks.reflection_blog.test_queries import READ_BUDGET, WRITE_BUDGET, seed
from xblocks.core import groups_api
from xblocks.core.context import build_context, local_roles
from xblocks.core.groups import LocalGroups
from xblocks.reflection_blog.frontdoor import BLOG

BLOG_DATA = re.compile(r'<script type="application/json" class="sls-blog-data">(.*?)</script>', re.S)
# Graded, with a requirement nobody meets here: every entry counts participation and sends a score.
SETTINGS = json.dumps({"participation_required": 1000, "has_score": True, "author_tags": "module 1, at work"})
# The tool's door reads the launch token, the placement and the learner's state besides what the api reads.
TOOL_EXTRA = 2


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.SOCIAL_LEARNING = {"reflection_blog": {"POSTS_PER_WINDOW": 100000}}


def launch(platform, user_id, name, cohort, role="student", settings=SETTINGS):
    custom = {"sls_component": "reflection_blog", "sls_settings": settings, **({"cohort": cohort} if cohort else {})}
    page = platforms.ClientBrowser(platform, Client()).launch(platform.consumer(
        user_id=user_id, name=name, role=role, custom=custom, resource_link_id="blog-1", link_title="My blog"))
    assert page.status_code == 200, page.content[:1000]
    html = page.content.decode()
    init = json.loads(BLOG_DATA.search(html, html.find("data-sls-lti-root")).group(1))
    user = LtiPerson.objects.get(subject=user_id).user
    if cohort:
        groups_api.put_in_cohort(user, context_key(platform.url, "course-1"), cohort)
    return init, user


def call(client, init, action, data):
    response = client.post(init["urls"][action], data=data, content_type="application/json",
                           HTTP_AUTHORIZATION=init["client"]["headers"]["Authorization"])
    return response.status_code, response.json()


def test_learners_read_what_is_shared_with_them_through_the_tool(in_process_platform, client):  # noqa: F811
    ann, _ann = launch(in_process_platform, "ann", "Ann Peeters", "Antwerp")
    cara, _cara = launch(in_process_platform, "cara", "Cara Maes", "Antwerp")
    bob, _bob = launch(in_process_platform, "bob", "Bob Janssens", "Brussels")
    ids = {}
    for level in ("private", "coach", "group", "course"):
        status, entry = call(client, ann, "create_entry", {"title": f"Ann {level} plan", "body": "Listening plan",
                                                           "visibility": level})
        assert status == 200, entry
        ids[level] = entry["id"]
    assert entry["participation"] == {"required": 1000, "count": 4, "complete": False}
    assert [score["scoreGiven"] for score in in_process_platform.scores] == [1, 2, 3, 4]

    def titles(init, data=None):
        status, page = call(client, init, "list_entries", data or {})
        assert status == 200, page
        return sorted(e["title"] for e in page["entries"])

    assert titles(cara) == ["Ann course plan", "Ann group plan"]
    assert titles(bob) == ["Ann course plan"]
    assert titles(bob, {"search": "listening plan"}) == ["Ann course plan"]
    for level in ("private", "coach"):
        status, body = call(client, cara, "get_entry", {"id": ids[level]})
        assert status == 404 and body["error"]["code"] == "not_found"
        assert f"Ann {level} plan" not in json.dumps(body)
    status, body = call(client, bob, "get_entry", {"id": ids["group"]})
    assert status == 404
    # The instructor reads what visibility allows staff: the coach-only entry (they coach everyone), never the
    # private one.
    teacher, _teacher = launch(in_process_platform, "teacher", "Tess Teacher", None, role="staff")
    assert titles(teacher) == ["Ann coach plan", "Ann course plan", "Ann group plan"]


def test_every_action_costs_the_same_on_a_busy_blog_through_the_tool(in_process_platform, client):  # noqa: F811
    inits, users = {}, {}
    for user_id, name, cohort, role in (("ann", "Ann Peeters", "Antwerp", "student"),
                                        ("cara", "Cara Maes", "Antwerp", "student"),
                                        ("bob", "Bob Janssens", "Brussels", "student"),
                                        ("staff", "Sam Staff", None, "staff")):
        inits[user_id], users[user_id] = launch(in_process_platform, user_id, name, cohort, role=role)
    placement = LtiPlacement.objects.get().placement
    course = types.SimpleNamespace(placement=placement, ann=users["ann"], cara=users["cara"], bob=users["bob"],
                                   staff=users["staff"], advocate=users["cara"],
                                   group_a=inits["ann"]["current_group"]["key"],
                                   group_b=inits["bob"]["current_group"]["key"])

    def front_door(user, group=None):
        return build_context(user=user, placement=placement, scope="cohort",
                             roles=local_roles(user, placement.context_key), backend=LocalGroups(),
                             requested_group=group)

    def measure():
        ids = fresh_ids(course, front_door)
        counts = {}
        for name, who, action, payload in requests(ids):
            with CaptureQueriesContext(connection) as queries:
                status, body = call(client, inits[who], action, payload)
            assert status == 200, (name, body)
            counts[name] = len(queries)
        return counts

    # The tool keeps the platform's access token for an hour: the first score of the hour also fetches it.
    assert call(client, inits["ann"], "create_entry", {"title": "Hello", "body": "First"})[0] == 200
    seed(course, per_person=8, comments=1)
    small = measure()
    seed(course, per_person=200, comments=3)
    large = measure()
    print("\n".join(f"{name:36} {small[name]:3} {count:3}" for name, count in large.items()))
    assert large == small
    writes = {name for name, _who, action, _data in requests(dict.fromkeys(
        ("entry", "version", "comment", "lonely", "cursor"), 1)) if action == "save_draft" or BLOG.actions[action].writes}
    over = {name: count for name, count in large.items()
            if count > (WRITE_BUDGET if name in writes else READ_BUDGET) + TOOL_EXTRA}
    assert over == {}
