"""Every forum action with a valid request, for the query-budget tests of both doors.

``requests(ids)`` lists (name, who, action, payload): who asks (a username of the ``course`` fixture, or
``"staff"``), which action, with which data. ``ids`` names fresh objects the caller made for this round:
``thread`` (Ann's, with replies), ``reply`` (Cara's reply to it), ``own_reply`` (Cara's, no comments),
``lonely_thread`` (Ann's, no replies), ``hidden_post`` (a reply staff hid).
"""
FILTERS = ("all", "unread", "following", "mine", "mentions")
SORTS = ("activity", "newest", "votes", "unanswered")


def requests(ids):
    out = []
    for name in FILTERS:  # Cara is mentioned in the seeded threads: every list has threads to show
        out.append((f"list filter {name}", "cara", "list_threads", {"filter": name}))
    for name in SORTS:
        out.append((f"list sort {name}", "ann", "list_threads", {"sort": name}))
    out += [
        ("list last page", "ann", "list_threads", {"page": 100000}),
        ("search", "ann", "list_threads", {"search": "discuss reply"}),
        ("staff list all", "staff", "list_threads", {"group": "all"}),
        ("staff filter flagged", "staff", "list_threads", {"group": "all", "filter": "flagged"}),
        ("staff filter hidden", "staff", "list_threads", {"group": "all", "filter": "hidden"}),
        ("get_thread", "cara", "get_thread", {"id": ids["thread"]}),
        ("get_thread again (read)", "cara", "get_thread", {"id": ids["thread"]}),
        ("staff get_thread", "staff", "get_thread", {"group": "all", "id": ids["thread"]}),
        ("save draft", "ann", "save_draft", {"key": "new", "title": "Half", "body": "a thought"}),
        ("create_thread (forgets the draft)", "ann", "create_thread", {"title": "New", "body": "Hi @cara"}),
        ("create_reply", "cara", "create_reply", {"thread": ids["thread"], "body": "Reply @ann"}),
        ("comment", "ann", "create_reply", {"thread": ids["thread"], "parent": ids["reply"], "body": "Yes @cara"}),
        ("edit thread", "ann", "edit", {"target": "thread", "id": ids["thread"], "body": "Edited @cara"}),
        ("edit reply", "cara", "edit", {"target": "post", "id": ids["reply"], "body": "Edited reply"}),
        ("vote", "cara", "vote", {"target": "thread", "id": ids["thread"]}),
        ("unvote", "cara", "vote", {"target": "thread", "id": ids["thread"], "on": False}),
        ("follow", "cara", "follow", {"id": ids["thread"]}),
        ("flag", "cara", "flag", {"target": "thread", "id": ids["thread"], "reason": "spam"}),
        ("endorse", "ada", "endorse", {"id": ids["reply"]}),
        ("pin", "ada", "pin", {"id": ids["thread"]}),
        ("unpin", "ada", "pin", {"id": ids["thread"], "on": False}),
        ("highlight", "ada", "highlight", {"id": ids["thread"]}),
        ("hide", "staff", "hide", {"group": "all", "target": "post", "id": ids["reply"]}),
        ("restore", "staff", "hide", {"group": "all", "target": "post", "id": ids["hidden_post"], "on": False}),
        ("delete own reply", "cara", "delete", {"target": "post", "id": ids["own_reply"]}),
        ("delete own thread", "ann", "delete", {"target": "thread", "id": ids["lonely_thread"]}),
        ("mention suggestions", "ann", "mention_candidates", {"q": "c"}),
    ]
    return out


def fresh_ids(course, front_door):
    """Objects for one round of requests (made with the api, outside what is measured);
    ``front_door(user, group=None)`` builds the api context in the placement under test."""
    from xblocks.cohort_forum import api  # pylint: disable=import-outside-toplevel

    thread = api.create_thread(front_door(course.ann), {"title": "Costs", "body": "Some text to discuss"})["id"]
    reply = api.create_reply(front_door(course.cara), {"thread": thread, "body": "A reply"})["id"]
    own_reply = api.create_reply(front_door(course.cara), {"thread": thread, "body": "Mine"})["id"]
    hidden = api.create_reply(front_door(course.ann), {"thread": thread, "body": "To hide"})["id"]
    api.hide(front_door(course.staff, "all"), {"target": "post", "id": hidden})
    lonely = api.create_thread(front_door(course.ann), {"title": "Alone", "body": "Nobody answers"})["id"]
    return {"thread": thread, "reply": reply, "own_reply": own_reply, "hidden_post": hidden, "lonely_thread": lonely}
