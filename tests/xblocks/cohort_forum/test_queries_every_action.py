"""Every action through the XBlock door (the Workbench runtime: who is asking, roles, group, the action,
drafts, score and completion) costs the same number of queries on a small and on a busy forum, and at
most the door's budget (the tool's door: tests/lti/test_queries_every_action.py)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.xblocks.cohort_forum.actions_table import fresh_ids, requests
from tests.xblocks.cohort_forum.test_queries import search_terms_statement, seed

pytestmark = pytest.mark.urls("workbench.urls")
BUDGET = 9  # a write that adds text also indexes it for search (decision 12); reads stay within 8
# Graded, with a requirement nobody meets here: every contribution counts participation and reports a score.
XML = '<social_cohort_forum display_name="Forum" participation_required="1000" has_score="true"/>'


def suite_queries(captured):
    """The suite's queries: the Workbench keeps XBlock fields in its own table (the LMS batches those reads per
    page), and a transaction that held only those leaves an empty BEGIN/COMMIT pair behind."""
    sqls = [q["sql"] for q in captured if "workbench_xblockstate" not in q["sql"]]
    out = []
    for sql in sqls:
        if sql == "COMMIT" and out and out[-1] == "BEGIN":
            out.pop()
            continue
        out.append(sql)
    return len(out)


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.SOCIAL_LEARNING = {**settings.SOCIAL_LEARNING, "POSTS_PER_WINDOW": 100000}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("listening", (False, True), ids=("alone", "with-every-receiver"))
def test_every_action_costs_the_same_on_a_busy_forum(course, make_block, call_handler, listening):
    first = make_block(XML, "ann")
    usernames = {"staff": "sam"}

    def front_door(user, group=None):
        return make_block.as_user(first, user.username).social_context(group)

    def measure():
        ids = fresh_ids(course, front_door)
        counts = {}
        for name, who, action, payload in requests(ids):
            block = make_block.as_user(first, usernames.get(who, who))  # a new request: nothing cached on it
            with CaptureQueriesContext(connection) as queries:
                status, body = call_handler(block, action, payload)
            assert status == 200, (name, body)
            counts[name] = suite_queries(queries.captured_queries)
        return counts

    from xblocks.core.models import Placement  # pylint: disable=import-outside-toplevel

    first.social_context()  # makes the block's placement; the seed writes into it
    course.placement = Placement.objects.get(resource_key=str(first.scope_ids.usage_id))
    seed(course, threads=3, replies=1)
    small = measure()
    seed(course, threads=100, replies=4)  # busy, yet under the requirement: participation is still counted
    large = measure()
    print("\n".join(f"{name:28} {small[name]:3} {count:3}" for name, count in large.items()))
    assert large == small
    if listening:  # the other components' receivers add their own fixed cost: measured by them
        return
    assert {name: count for name, count in large.items() if count > BUDGET + search_terms_statement()} == {}
