"""Every forum action that names something by id, asked through the XBlock by someone of another cohort:
refused with the one error shape, nothing of the other cohort's text in the answer, nothing written
(the table is in isolation.py; the tool runs the same table in tests/lti/test_isolation.py)."""
import pytest

from tests.factories import MembershipFactory, RoleFactory, UserFactory
from tests.xblocks.cohort_forum.isolation import CASES, check_refusal, ids_of, write_both_cohorts
from tests.xblocks.cohort_forum.test_api import snapshot

pytestmark = pytest.mark.urls("workbench.urls")
XML = '<social_cohort_forum display_name="Forum" allow_anonymous="true"/>'


@pytest.fixture
def setup(course, make_block, call_handler):
    first = make_block(XML, "ann")
    advocate_b = UserFactory(username="bea", first_name="Bea", last_name="Advocate")
    MembershipFactory(group=course.cohort_b, user=advocate_b)
    RoleFactory(user=advocate_b, role="advocate")

    def call(username, action, data):
        return call_handler(make_block.as_user(first, username), action, data)

    return call, write_both_cohorts(call)


@pytest.mark.parametrize("name, role, action, payload", CASES, ids=ids_of())
def test_another_cohorts_ids_are_refused_in_the_xblock(setup, name, role, action, payload):
    call, ids = setup
    before = snapshot()
    status, body = call("bea" if role == "advocate" else "bob", action, payload(ids))
    check_refusal(status, body, name)
    assert snapshot() == before
