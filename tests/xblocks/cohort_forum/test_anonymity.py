"""Anonymity to peers in every payload a peer receives: the list (every filter and sort), the thread with
its replies and comments, the rendered page with its init data, mention suggestions and the answer to a
mention, in the XBlock door (the tool: tests/lti/test_anonymity.py). Staff still see who wrote it."""
import json

import pytest


XML = '<social_cohort_forum display_name="Forum" allow_anonymous="true"/>'
NAMES = ("Ann Peeters", '"ann"', "ann@")


def no_trace_of_ann(payload, where):
    text = payload if isinstance(payload, str) else json.dumps(payload)
    for name in NAMES:
        assert name not in text, (where, name)


def peer_payloads(call, thread_id):
    """Everything Cara (Ann's cohort) can ask about the anonymous thread."""
    out = []
    for data in ({}, {"filter": "mentions"}, {"filter": "unread"}, {"sort": "votes"}, {"search": "secret"},
                 {"filter": "following"}):
        out.append((f"list {data}", call("list_threads", data)))
    out.append(("thread", call("get_thread", {"id": thread_id})))
    out.append(("mention suggestions", call("mention_candidates", {"thread": thread_id, "q": "c"})))
    return out


@pytest.mark.urls("workbench.urls")
def test_in_the_xblock(course, make_block, call_handler):
    first = make_block(XML, "ann")

    def call_as(username):
        block = make_block.as_user(first, username)
        return lambda action, data: call_handler(block, action, data)[1]

    ann = call_as("ann")
    thread = ann("create_thread", {"title": "A secret question", "body": "Help, @cara?", "anonymous": True,
                                   "kind": "question"})
    reply = call_as("cara")("create_reply", {"thread": thread["id"], "body": "Sure, what about?"})
    comment = ann("create_reply", {"thread": thread["id"], "parent": reply["id"], "body": "Thanks @cara",
                                   "anonymous": True})
    ann("create_reply", {"thread": thread["id"], "body": "More from me", "anonymous": True})
    assert "cara" in comment["mentioned"]  # the author's own answer may name whom they mentioned

    cara = call_as("cara")
    for where, payload in peer_payloads(cara, thread["id"]):
        no_trace_of_ann(payload, where)
    page = make_block.as_user(first, "cara")
    no_trace_of_ann(page.runtime.render(page, "student_view", {}).content, "rendered page")

    staff = call_as("sam")("get_thread", {"id": thread["id"], "group": "all"})
    assert staff["author"]["name"] == "Ann Peeters" and staff["author"]["anonymous"] is True
