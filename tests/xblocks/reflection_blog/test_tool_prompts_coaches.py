"""Prompts and coaches through the LTI tool: the instructor schedules a required prompt (the course's time zone a
setting of the tool, shown in the editor), a learner answers it and the score reaches the gradebook over AGS
once the prompt has an answer with enough words; a Mentor of the platform is offered as a coach, assigned to a
cohort, reads that cohort's coach-only entries (and not another cohort's) and comments as their coach."""
import json

from django.test import Client

from lti.models import LtiPerson
from tests.lti import platform as platforms
from tests.lti.test_queries import in_process_platform  # noqa: F401  (fixture)
from tests.xblocks.reflection_blog.test_tool import BLOG_DATA, call, generous_rate_limit, launch  # noqa: F401

MENTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"
SETTINGS = json.dumps({"participation_required": 1, "has_score": True, "min_words": 4,
                       "time_zone": "Europe/Brussels"})


def test_a_required_prompt_completes_the_blog_and_sends_the_score(in_process_platform, client):  # noqa: F811
    teacher, _teacher = launch(in_process_platform, "teacher", "Tess Teacher", None, role="staff", settings=SETTINGS)
    status, body = call(client, teacher, "save_prompt", {"text": "What did you apply from module 2?",
                                                         "due": "2030-06-30T23:59", "required": True})
    assert status == 200, body
    assert body["time_zone"] == "Europe/Brussels" and body["editor"][0]["due"] == "2030-06-30T23:59"
    assert body["prompts"][0]["due"] == "2030-06-30T21:59:00+00:00"
    status, body = call(client, teacher, "save_prompt", {"text": "", "due": "soon"})
    assert status == 400 and set(body["error"]["fields"]) == {"text", "due"}

    ann, _ann = launch(in_process_platform, "ann", "Ann Peeters", "Antwerp", settings=SETTINGS)
    assert [p["text"] for p in ann["prompts"]] == ["What did you apply from module 2?"]
    prompt_id = ann["prompts"][0]["id"]
    status, entry = call(client, ann, "create_entry", {"title": "Other", "body": "Not the prompt, many words here"})
    assert entry["participation"] == {"required": 1, "count": 0, "complete": False}
    status, entry = call(client, ann, "create_entry", {"title": "Short", "body": "Too short", "prompt": prompt_id})
    assert entry["participation"]["complete"] is False
    status, entry = call(client, ann, "edit_entry", {"id": entry["id"], "version": entry["version"],
                                                     "body": "I gave feedback with the model"})
    assert status == 200 and entry["participation"] == {"required": 1, "count": 2, "complete": True}
    assert [s["scoreGiven"] for s in in_process_platform.scores] == [0, 0, 1]
    assert in_process_platform.scores[-1]["activityProgress"] == "Completed"


def test_a_mentor_assigned_to_a_cohort_coaches_it(in_process_platform, client):  # noqa: F811
    ann, _ann = launch(in_process_platform, "ann", "Ann Peeters", "Antwerp")
    bob, _bob = launch(in_process_platform, "bob", "Bob Janssens", "Brussels")
    page = platforms.ClientBrowser(in_process_platform, Client()).launch(in_process_platform.consumer(
        user_id="mia", name="Mia Mentor", roles=[MENTOR], resource_link_id="blog-1", link_title="My blog",
        custom={"sls_component": "reflection_blog", "sls_settings": json.dumps({})}))
    assert page.status_code == 200
    html = page.content.decode()
    mia = json.loads(BLOG_DATA.search(html, html.find("data-sls-lti-root")).group(1))
    mia_user = LtiPerson.objects.get(subject="mia").user
    teacher, _teacher = launch(in_process_platform, "teacher", "Tess Teacher", None, role="staff")
    for init, title in ((ann, "Ann for her coach"), (bob, "Bob for his coach")):
        assert call(client, init, "create_entry", {"title": title, "body": "Help", "visibility": "coach"})[0] == 200

    status, listed = call(client, teacher, "list_coaches", {})
    assert mia_user.username in {c["username"] for c in listed["candidates"]}  # offered from the platform's role
    antwerp = next(g["key"] for g in listed["groups"] if g["name"] == "Antwerp")
    status, listed = call(client, teacher, "assign_coach", {"coach": mia_user.username, "whom": antwerp})
    assert status == 200 and listed["assignments"][0]["source"] == "lti"

    status, view = call(client, mia, "coach_view", {})  # the page Mia had open asks again
    assert status == 200 and [row["name"] for row in view["learners"]] == ["Ann Peeters"]
    entry_id = view["learners"][0]["entries_waiting"][0]["id"]
    status, comment = call(client, mia, "add_comment", {"entry": entry_id, "body": "Let us talk on Monday."})
    assert status == 200 and comment["comment"]["coach"] is True
    status, page = call(client, mia, "list_entries", {})
    assert [e["title"] for e in page["entries"]] == ["Ann for her coach"]
    # Bob's coach is still the course team; Ann's is Mia, and the teacher no longer reads Ann's coach-only entry.
    status, page = call(client, teacher, "list_entries", {})
    assert [e["title"] for e in page["entries"]] == ["Bob for his coach"]
