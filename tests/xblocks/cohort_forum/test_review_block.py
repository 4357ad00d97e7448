"""Staff review flags through the XBlock's handlers in the Workbench runtime (``flag_queue``, ``dismiss_flags``,
``hide`` with a reason), with their tracking events."""
import pytest

from tests.xblocks.cohort_forum.test_block import events, forum, thread_of_ann  # noqa: F401  (fixtures)

pytestmark = pytest.mark.urls("workbench.urls")


def test_staff_review_in_the_workbench_runtime(forum, call_handler, thread_of_ann, published, course):
    sam, cara, bob = forum("sam"), forum("cara"), forum("bob")
    reply = call_handler(forum.ann, "create_reply", {"thread": thread_of_ann, "body": "Nobody cares."})[1]["id"]
    call_handler(cara, "flag", {"target": "thread", "id": thread_of_ann, "reason": "Off topic"})
    call_handler(cara, "flag", {"target": "post", "id": reply, "reason": "Unkind"})

    for learner in (cara, forum("ada"), bob):
        status, body = call_handler(learner, "flag_queue", {})
        assert status == 403 and body["error"]["message"]
        assert call_handler(learner, "dismiss_flags", {"target": "post", "id": reply})[0] == 403

    status, page = call_handler(sam, "flag_queue", {"group": "all"})
    assert status == 200 and page["total"] == 2
    item = next(i for i in page["items"] if i["target"] == "post")
    assert (item["kind"], item["excerpt"], item["thread"]["id"]) == ("reply", "Nobody cares.", thread_of_ann)
    assert [(f["reason"], f["by"]["username"]) for f in item["flags"]] == [("Unkind", "cara")]

    status, body = call_handler(sam, "dismiss_flags", {"target": "thread", "id": thread_of_ann, "group": "all"})
    assert status == 200 and body["dismissed"] == 1
    status, body = call_handler(sam, "hide", {"target": "post", "id": reply, "on": True, "group": "all",
                                              "reason": "Please be kind."})
    assert status == 200 and body["hidden_reason"] == "Please be kind."
    assert call_handler(sam, "flag_queue", {"group": "all"})[1]["total"] == 0
    own = call_handler(forum.ann, "get_thread", {"id": thread_of_ann})[1]["replies"]
    assert [(r["hidden"], r["hidden_reason"]) for r in own] == [(True, "Please be kind.")]
    assert call_handler(cara, "get_thread", {"id": thread_of_ann})[1]["replies"] == []

    reviewed = events(published, "social_learning.forum.thread.flags_reviewed", user="sam")
    assert [e[2] for e in reviewed] == [{"id": thread_of_ann, "outcome": "dismissed", "flags": 1}]
    hidden = events(published, "social_learning.forum.post.flags_reviewed", user="sam")
    assert [e[2] for e in hidden] == [{"id": reply, "outcome": "hidden", "flags": 1}]

    # A group the staff member switched away from: another cohort's id is refused, nothing changes.
    bob_thread = call_handler(bob, "create_thread", {"title": "B", "body": "Cohort B"})[1]["id"]
    call_handler(sam, "flag", {"target": "thread", "id": bob_thread, "group": "all"})
    status, body = call_handler(sam, "dismiss_flags", {"target": "thread", "id": bob_thread, "group": course.group_a})
    assert status == 404 and "group" in body["error"]["message"]
    assert call_handler(sam, "flag_queue", {"group": course.group_b})[1]["total"] == 1
