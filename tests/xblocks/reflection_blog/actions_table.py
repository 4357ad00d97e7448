"""Every blog action with a valid request, for the query-budget tests of both doors.

``requests(ids)`` lists (name, who, action, payload): who asks (a username of the ``course`` fixture, or
``"staff"``), which action, with which data. ``fresh_ids(course, front_door)`` makes this round's objects through
the api: ``entry`` (Ann's, shared with her group, with Cara's comment ``comment``), ``lonely`` (Ann's, for
deletion), ``prompt`` (a prompt the course team wrote, which ``entry`` answers), ``assignment`` (a coach of Cara,
for removal; the round's other assignments are removed first) and ``coach`` (a username to assign).
"""
from xblocks.reflection_blog import api, coaches, prompts
from xblocks.reflection_blog.models import CoachAssignment
from xblocks.reflection_blog.frontdoor import BLOG

SETTINGS = {**BLOG.defaults, "author_tags": "module 1, at work"}


def fresh_ids(course, front_door):
    prompt = prompts.save_prompt(front_door(course.staff), {"text": "What did you apply?"}, SETTINGS)["editor"][-1]
    CoachAssignment.objects.all().delete()
    assignment = coaches.assign_coach(front_door(course.staff), {"coach": course.bob.username,
                                                                 "learner": course.cara.username}, SETTINGS)
    entry = api.create_entry(front_door(course.ann), {"title": "Mine", "body": "What I learned about feedback",
                                                      "visibility": "group", "tags": ["module 1"],
                                                      "prompt": prompt["id"]}, SETTINGS)
    comment = api.add_comment(front_door(course.cara), {"entry": entry["id"], "body": "Hi"}, SETTINGS)["comment"]
    lonely = api.create_entry(front_door(course.ann), {"title": "Alone", "body": "x", "visibility": "private"},
                              SETTINGS)
    cursor = api.list_entries(front_door(course.cara), {}, SETTINGS)["next"]
    return {"entry": entry["id"], "version": entry["version"], "comment": comment["id"], "lonely": lonely["id"],
            "cursor": cursor, "prompt": prompt["id"], "assignment": assignment["assignments"][0]["id"],
            "coach": course.cara.username}


def requests(ids):
    ids = {**dict.fromkeys(("prompt", "assignment", "coach"), 1), **ids}  # the names alone need no real ids
    return [
        ("feed", "cara", "list_entries", {}),
        ("feed next page", "cara", "list_entries", {"cursor": ids["cursor"]}),
        ("feed by tag", "cara", "list_entries", {"tag": "module 1"}),
        ("feed by person", "cara", "list_entries", {"author": "ann"}),
        ("feed my group", "cara", "list_entries", {"view": "group"}),
        ("feed search", "cara", "list_entries", {"search": "feedback learned"}),
        ("staff feed", "staff", "list_entries", {"group": "all"}),
        ("entry", "cara", "get_entry", {"id": ids["entry"]}),
        ("staff entry", "staff", "get_entry", {"id": ids["entry"]}),
        ("versions", "ann", "list_versions", {"id": ids["entry"]}),
        ("tags", "cara", "list_tags", {}),
        ("people", "cara", "list_people", {}),
        ("save draft", "ann", "save_draft", {"key": "new", "title": "Half", "body": "a thought", "tags": ["x"]}),
        ("create entry (forgets the draft)", "ann", "create_entry",
         {"title": "New", "body": "Text", "tags": ["module 1", "new tag"], "visibility": "course"}),
        ("save edit draft", "ann", "save_draft", {"key": str(ids["entry"]), "title": "Mine", "body": "More",
                                                   "version": ids["version"]}),
        ("edit entry (forgets the draft)", "ann", "edit_entry",
         {"id": ids["entry"], "version": ids["version"], "title": "Edited", "body": "New", "tags": ["at work"]}),
        ("visibility", "ann", "set_visibility", {"id": ids["entry"], "visibility": "course"}),
        ("save comment draft", "cara", "save_draft", {"key": f"c{ids['entry']}", "body": "Half a comm"}),
        ("comment (forgets the draft)", "cara", "add_comment", {"entry": ids["entry"], "body": "Nice"}),
        ("coach comment", "staff", "add_comment", {"entry": ids["entry"], "body": "Well done"}),
        ("kudos", "cara", "kudos", {"id": ids["entry"]}),
        ("kudos back", "cara", "kudos", {"id": ids["entry"], "on": False}),
        ("flag", "cara", "flag", {"id": ids["entry"], "reason": "x"}),
        ("flag queue", "staff", "flag_queue", {}),
        ("dismiss flags", "staff", "dismiss_flags", {"id": ids["entry"]}),
        ("hide comment", "ann", "hide_comment", {"id": ids["comment"]}),
        ("staff hide", "staff", "hide", {"target": "comment", "id": ids["comment"], "reason": "r"}),
        ("delete comment", "staff", "delete_comment", {"id": ids["comment"]}),
        ("delete entry", "ann", "delete_entry", {"id": ids["lonely"]}),
        ("prompts", "ann", "list_prompts", {}),
        ("feed by prompt", "cara", "list_entries", {"prompt": ids["prompt"]}),
        ("staff prompts", "staff", "list_prompts", {}),
        ("add prompt", "staff", "save_prompt", {"text": "What will you try?", "due": "2030-01-31T23:59",
                                                "min_words": 10}),
        ("edit prompt", "staff", "save_prompt", {"id": ids["prompt"], "text": "What did you apply this week?"}),
        ("move prompt", "staff", "move_prompt", {"id": ids["prompt"], "direction": "down"}),
        ("answer a prompt", "ann", "create_entry", {"title": "Answer", "body": "I applied it", "prompt": ids["prompt"]}),
        ("coach view", "staff", "coach_view", {}),
        ("coach view of a coach", "bob", "coach_view", {}),
        ("coaches", "staff", "list_coaches", {}),
        ("assign coach", "staff", "assign_coach", {"coach": ids["coach"], "whom": "*"}),
        ("unassign coach", "staff", "unassign_coach", {"id": ids["assignment"]}),
        ("delete prompt", "staff", "delete_prompt", {"id": ids["prompt"]}),
        ("what deleting my blog deletes", "cara", "blog_summary", {}),
        ("delete my whole blog", "cara", "delete_blog", {"confirm": True}),
    ]
