"""Every blog action through the XBlock door (the Workbench runtime: who is asking, roles, group, the action,
drafts, score and completion) costs the same number of queries on a small and on a busy blog, and at most the
budgets of test_queries.py."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.xblocks.cohort_forum.test_queries_every_action import suite_queries
from tests.xblocks.reflection_blog.actions_table import fresh_ids, requests
from tests.xblocks.reflection_blog.test_queries import READ_BUDGET, WRITE_BUDGET, seed
from xblocks.reflection_blog.frontdoor import BLOG

pytestmark = pytest.mark.urls("workbench.urls")
# Graded, with a requirement nobody meets here: every entry counts participation and reports a score.
XML = '<social_reflection_blog participation_required="1000" has_score="true" author_tags="module 1, at work"/>'


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("listening", (False, True), ids=("alone", "with-every-receiver"))
def test_every_action_costs_the_same_on_a_busy_blog(course, make_block, call_handler, listening):
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

    first.social_context()
    course.placement = Placement.objects.get(resource_key=str(first.scope_ids.usage_id))
    seed(course, per_person=8, comments=1)
    small = measure()
    seed(course, per_person=200, comments=3)
    large = measure()
    print("\n".join(f"{name:36} {small[name]:3} {count:3}" for name, count in large.items()))
    assert large == small
    if listening:  # the other components' receivers add their own fixed cost: measured by them
        return
    writes = {name for name, _who, action, _data in requests({k: 1 for k in ("entry", "version", "comment", "lonely",
                                                                               "cursor")})
              if action == "save_draft" or BLOG.actions[action].writes}
    over = {name: count for name, count in large.items()
            if count > (WRITE_BUDGET if name in writes else READ_BUDGET)}
    assert over == {}
