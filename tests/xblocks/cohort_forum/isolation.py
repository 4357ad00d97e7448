"""One table of every forum action that names something by id, asked by someone of another cohort.

Each door's test (the XBlock through the Workbench runtime, the tool through the LTI test platform)
runs every case: the answer is the one error shape with 403 or 404, nothing of the other cohort's
text comes back, and nothing is written.

``ids`` holds what the other cohort wrote: ``thread``, ``reply`` (a reply to it) and ``comment`` (a
comment on that reply); ``own_thread`` is a thread of the asking person's cohort.
"""
SECRET = "Antwerp's private plan"

CASES = [
    # (case name, role needed besides learner or None, action, payload from ids)
    ("read a thread", None, "get_thread", lambda ids: {"id": ids["thread"]}),
    ("read a later page of replies", None, "get_thread", lambda ids: {"id": ids["thread"], "reply_page": 2}),
    ("reply to a thread", None, "create_reply", lambda ids: {"thread": ids["thread"], "body": "hi"}),
    ("comment on a reply", None, "create_reply",
     lambda ids: {"thread": ids["thread"], "parent": ids["reply"], "body": "hi"}),
    ("comment on a reply through an own thread", None, "create_reply",
     lambda ids: {"thread": ids["own_thread"], "parent": ids["reply"], "body": "hi"}),
    ("edit a thread", None, "edit", lambda ids: {"target": "thread", "id": ids["thread"], "body": "x"}),
    ("edit a reply", None, "edit", lambda ids: {"target": "post", "id": ids["reply"], "body": "x"}),
    ("edit a comment", None, "edit", lambda ids: {"target": "post", "id": ids["comment"], "body": "x"}),
    ("delete a thread", None, "delete", lambda ids: {"target": "thread", "id": ids["thread"]}),
    ("delete a reply", None, "delete", lambda ids: {"target": "post", "id": ids["reply"]}),
    ("vote on a thread", None, "vote", lambda ids: {"target": "thread", "id": ids["thread"]}),
    ("vote on a reply", None, "vote", lambda ids: {"target": "post", "id": ids["reply"]}),
    ("vote on a comment", None, "vote", lambda ids: {"target": "post", "id": ids["comment"]}),
    ("follow a thread", None, "follow", lambda ids: {"id": ids["thread"]}),
    ("flag a thread", None, "flag", lambda ids: {"target": "thread", "id": ids["thread"], "reason": "x"}),
    ("flag a reply", None, "flag", lambda ids: {"target": "post", "id": ids["reply"], "reason": "x"}),
    ("mention people of a thread", None, "mention_candidates", lambda ids: {"thread": ids["thread"], "q": "a"}),
    ("endorse a reply", "advocate", "endorse", lambda ids: {"id": ids["reply"]}),
    ("pin a thread", "advocate", "pin", lambda ids: {"id": ids["thread"]}),
    ("highlight a thread", "advocate", "highlight", lambda ids: {"id": ids["thread"]}),
]


def ids_of(cases=CASES):
    return [name for name, *_rest in cases]


def check_refusal(status, body, name):
    """The one error shape, 403 or 404, and none of the other cohort's words."""
    assert status in (403, 404), (name, status, body)
    assert set(body) == {"error"} and body["error"]["code"] in ("not_found", "forbidden"), (name, body)
    assert SECRET not in str(body), name


def write_both_cohorts(call):
    """Ann and Cara (Antwerp) write a thread, a reply and a comment; Bob (Brussels) a thread of his own.
    ``call(username, action, data)`` -> (status, body). Returns the ids the cases use."""
    status, thread = call("ann", "create_thread", {"title": SECRET, "body": SECRET, "kind": "question"})
    assert status == 200, thread
    status, reply = call("cara", "create_reply", {"thread": thread["id"], "body": SECRET})
    assert status == 200, reply
    status, comment = call("ann", "create_reply", {"thread": thread["id"], "parent": reply["id"], "body": SECRET})
    assert status == 200, comment
    status, own = call("bob", "create_thread", {"title": "Brussels", "body": "Ours"})
    assert status == 200, own
    return {"thread": thread["id"], "reply": reply["id"], "comment": comment["id"], "own_thread": own["id"]}
