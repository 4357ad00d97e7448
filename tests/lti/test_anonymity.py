"""Anonymity to peers in every payload through the tool: the API's answers and the page a peer opens."""
import pytest

from tests.lti.conftest import forum_init
from tests.xblocks.cohort_forum.test_anonymity import no_trace_of_ann, peer_payloads


@pytest.mark.django_db(transaction=True)
def test_through_the_tool(platform, tool):
    def launch(user_id, name, role="student"):
        page = tool.launch(platform.consumer(user_id=user_id, name=name, email=f"{user_id}@example.com", role=role,
                                             custom={"cohort": "Antwerp", "allow_anonymous": "true"}))
        assert page.status_code == 200, page.text[:500]
        return page

    def caller(init):
        def call(action, data):
            response = tool.http.post(tool.platform.tool_url + init["urls"][action], json=data,
                                      headers=init["client"]["headers"])
            return response.json()
        return call

    ann = caller(forum_init(launch("ann", "Ann Peeters").text))
    cara_init = forum_init(launch("cara", "Cara Maes").text)
    cara = caller(cara_init)
    thread = ann("create_thread", {"title": "A secret question", "body": "Help, @cara?", "anonymous": True})
    reply = cara("create_reply", {"thread": thread["id"], "body": "Sure"})
    ann("create_reply", {"thread": thread["id"], "parent": reply["id"], "body": "Thanks", "anonymous": True})

    for where, payload in peer_payloads(cara, thread["id"]):
        no_trace_of_ann(payload, where)
    no_trace_of_ann(launch("cara", "Cara Maes").text, "the tool's page")
