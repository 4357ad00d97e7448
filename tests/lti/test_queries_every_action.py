"""Every forum action through the tool (URL, launch token, placement and person, the action, drafts, score
over AGS, completion) costs the same number of queries on a small and on a busy forum, and at most 10: the
table of tests/xblocks/cohort_forum/actions_table.py, which the XBlock door runs too."""
import types

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lti.models import LtiPlacement
from tests.lti.test_queries import BUDGET, in_process_platform, launch  # noqa: F401  (fixture)
from tests.xblocks.cohort_forum.actions_table import fresh_ids, requests
from tests.xblocks.cohort_forum.test_queries import search_terms_statement, seed
from xblocks.core.context import build_context, local_roles
from xblocks.core.groups import LocalGroups


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.SOCIAL_LEARNING = {"POSTS_PER_WINDOW": 100000}


def test_every_action_costs_the_same_on_a_busy_forum(in_process_platform, client):  # noqa: F811
    inits, users = {}, {}
    for user_id, name, cohort, role in (("ann", "Ann Peeters", "Antwerp", "student"),
                                        ("cara", "Cara Maes", "Antwerp", "student"),
                                        ("ada", "Ada Advocate", "Antwerp", "Community TA"),
                                        ("bob", "Bob Janssens", "Brussels", "student"),
                                        ("staff", "Sam Staff", None, "staff")):
        inits[user_id], users[user_id] = launch(in_process_platform, user_id, name, cohort, role=role)
    placement = LtiPlacement.objects.get().placement
    course = types.SimpleNamespace(placement=placement, ann=users["ann"], cara=users["cara"], bob=users["bob"],
                                   staff=users["staff"], group_a=inits["ann"]["current_group"]["key"],
                                   group_b=inits["bob"]["current_group"]["key"])

    def front_door(user, group=None):
        return build_context(user=user, placement=placement, scope="cohort",
                             roles=local_roles(user, placement.context_key), backend=LocalGroups(),
                             requested_group=group)

    def measure():
        ids = fresh_ids(course, front_door)
        counts = {}
        for name, who, action, payload in requests(ids):
            init = inits[who]
            with CaptureQueriesContext(connection) as queries:
                response = client.post(init["urls"][action], data=payload, content_type="application/json",
                                       HTTP_AUTHORIZATION=init["client"]["headers"]["Authorization"])
            assert response.status_code == 200, (name, response.content[:300])
            counts[name] = len(queries)
        return counts

    # The tool keeps the platform's access token for an hour: the first score of the hour also fetches it.
    warm_up = client.post(inits["ann"]["urls"]["create_thread"], data={"title": "Hello", "body": "First"},
                          content_type="application/json",
                          HTTP_AUTHORIZATION=inits["ann"]["client"]["headers"]["Authorization"])
    assert warm_up.status_code == 200 and in_process_platform.token_requests == 1
    seed(course, threads=3, replies=1)
    small = measure()
    seed(course, threads=100, replies=4)
    large = measure()
    print("\n".join(f"{name:28} {small[name]:3} {count:3}" for name, count in large.items()))
    assert large == small
    assert {name: count for name, count in large.items() if count > BUDGET + search_terms_statement()} == {}
