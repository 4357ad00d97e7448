"""Staff review flags through the tool's generic API (``/lti/api/v1/cohort_forum/<action>/``), as in Open edX."""
import pytest

from tests.lti.conftest import forum_init

pytestmark = pytest.mark.django_db(transaction=True)
BASE = "/lti/api/v1/cohort_forum/"


def launch(platform, tool, user_id, name, cohort=None, role="student"):
    page = tool.launch(platform.consumer(user_id=user_id, name=name, role=role,
                                         custom={"cohort": cohort} if cohort else None))
    assert page.status_code == 200, page.text[:1000]
    return forum_init(page.text)


def call(tool, init, action, data):
    assert init["urls"][action] == BASE + action + "/"
    response = tool.http.post(tool.platform.tool_url + BASE + action + "/", json=data,
                              headers=init["client"]["headers"])
    return response.status_code, response.json()


def test_staff_read_the_reasons_dismiss_and_hide_with_a_reason_the_author_reads(platform, tool):
    ann = launch(platform, tool, "ann", "Ann Peeters", "Antwerp")
    cara = launch(platform, tool, "cara", "Cara Maes", "Antwerp")
    bob = launch(platform, tool, "bob", "Bob Janssens", "Brussels")
    sam = launch(platform, tool, "sam", "Sam Staff", role="staff")
    first = call(tool, ann, "create_thread", {"title": "Cheap watches", "body": "Buy them here."})[1]["id"]
    second = call(tool, ann, "create_thread", {"title": "Rude one", "body": "You all know nothing."})[1]["id"]
    for thread, reason in ((first, "Advert"), (second, "Insulting")):
        assert call(tool, cara, "flag", {"target": "thread", "id": thread, "reason": reason})[0] == 200

    for learner in (ann, cara, bob):
        status, body = call(tool, learner, "flag_queue", {})
        assert status == 403 and body["error"]["message"]
        assert call(tool, learner, "dismiss_flags", {"target": "thread", "id": first})[0] == 403

    status, page = call(tool, sam, "flag_queue", {"group": "all"})
    assert status == 200 and page["total"] == 2
    reasons = {item["id"]: [(f["reason"], f["by"]["name"]) for f in item["flags"]] for item in page["items"]}
    assert reasons == {first: [("Advert", "Cara Maes")], second: [("Insulting", "Cara Maes")]}
    assert {item["group"]["name"] for item in page["items"]} == {"Antwerp"}

    status, body = call(tool, sam, "dismiss_flags", {"target": "thread", "id": first, "group": "all"})
    assert status == 200 and body["dismissed"] == 1
    status, body = call(tool, sam, "hide", {"target": "thread", "id": second, "on": True, "group": "all",
                                             "reason": "Please stay kind."})
    assert status == 200 and body["hidden_reason"] == "Please stay kind."
    assert call(tool, sam, "flag_queue", {"group": "all"})[1]["items"] == []

    status, thread = call(tool, ann, "get_thread", {"id": second})
    assert status == 200 and (thread["hidden"], thread["hidden_reason"]) == (True, "Please stay kind.")
    assert call(tool, cara, "get_thread", {"id": second})[0] == 404

    status, body = call(tool, sam, "hide", {"target": "thread", "id": first, "group": "all", "reason": "x" * 301})
    assert status == 400 and body["error"]["fields"]["reason"]
    assert call(tool, ann, "get_thread", {"id": first})[1]["hidden"] is False
