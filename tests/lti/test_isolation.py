"""The isolation table of tests/xblocks/cohort_forum/isolation.py, through the tool: learners of two
cohorts launched from the test platform, every action asked with the other cohort's ids."""
import pytest

from tests.lti.conftest import forum_init
from tests.xblocks.cohort_forum.isolation import CASES, check_refusal, write_both_cohorts
from tests.xblocks.cohort_forum.test_api import snapshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(platform, tool):
    def launch(user_id, cohort, role="student"):
        page = tool.launch(platform.consumer(user_id=user_id, name=user_id.title(), role=role,
                                             custom={"cohort": cohort}))
        assert page.status_code == 200, page.text[:500]
        return forum_init(page.text)

    inits = {"ann": launch("ann", "Antwerp"), "cara": launch("cara", "Antwerp"), "bob": launch("bob", "Brussels"),
             "bea": launch("bea", "Brussels", role="Community TA")}

    def call(who, action, data):
        init = inits[who]
        response = tool.http.post(tool.platform.tool_url + init["urls"][action], json=data,
                                  headers=init["client"]["headers"])
        return response.status_code, response.json()

    assert inits["bea"]["roles"]["is_advocate"] is True
    return call, write_both_cohorts(call)


def test_another_cohorts_ids_are_refused_in_the_tool(people):
    call, ids = people
    for name, role, action, payload in CASES:
        before = snapshot()
        status, body = call("bea" if role == "advocate" else "bob", action, payload(ids))
        check_refusal(status, body, name)
        assert snapshot() == before, name
