"""The introductions through both doors: the XBlock in the Workbench runtime (page, drafts that survive a reload,
completion published once the introduction is posted, the calendar file's headers) and the LTI tool launched from a
platform (the same privacy, the score over AGS, the same calendar file). The contract test covers settings and the
error shape of every action in both doors."""
import json
import re
from pathlib import Path

import pytest
import webob
from django.test import Client

from lti.identity import context_key
from tests.lti import platform as platforms
from tests.lti.test_queries import in_process_platform  # noqa: F401  (fixture)
from xblocks.core import groups_api
from xblocks.introductions import frontdoor
from xblocks.introductions.frontdoor import INTRODUCTIONS, JS_PLURALS, JS_STRINGS, PARTS

STATIC = Path(frontdoor.__file__).parent / "static" / "introductions"
SESSIONS = "2027-03-28 10:00 | 12:00 | Kick-off; first meeting | https://meet.example.org/kick-off"
XML = f'<social_introductions time_zone="Europe/Brussels" sessions="{SESSIONS}"/>'
DATA = re.compile(r'<script type="application/json" class="sls-intros-data">(.*?)</script>', re.S)


def init_of(content):
    match = DATA.search(content)
    assert match, "the page's init JSON is missing"
    return json.loads(match.group(1))


def render(block):
    return block.runtime.render(block, "student_view", {}).content


def test_every_string_the_javascript_shows_is_in_the_catalogue():
    string = r"""(['"])((?:\\.|(?!\1).)*)\1"""
    source = "\n".join(path.read_text() for path in sorted(STATIC.glob("*.js")))
    singles = {m[1] for m in re.findall(r"(?<![\w])_\(" + string, source)}
    plurals = {m[1] for m in re.findall(r"(?<![\w])n_\(" + string, source)}
    catalog = INTRODUCTIONS.catalog(lambda text: text, lambda one, other, n: one)
    assert singles and plurals
    assert singles - set(catalog["strings"]) == set()
    assert plurals - set(catalog["plurals"]) == set()
    # Nothing listed that no script shows.
    listed = set(JS_STRINGS) | {s for part in PARTS for s in part.JS_STRINGS}
    assert listed - singles == set()
    assert {one for one, _o in JS_PLURALS + tuple(p for part in PARTS for p in part.JS_PLURALS)} - plurals == set()



def test_the_tool_takes_theme_answers_for_the_facilitator_and_completes_with_them(in_process_platform,  # noqa: F811
                                                                                  client):
    from datetime import timedelta  # pylint: disable=import-outside-toplevel

    from django.utils import timezone  # pylint: disable=import-outside-toplevel

    from xblocks.introductions.models import ThemeAnswer  # pylint: disable=import-outside-toplevel

    day = lambda n: (timezone.now() + timedelta(days=n)).strftime("%Y-%m-%d")  # noqa: E731
    themes = f"{day(-9)} | {day(-2)} | Week one | Closed\n{day(-1)} | {day(3)} | Feedback | What did you hear?"
    settings = json.dumps({"has_score": True, "themes": themes, "theme_visibility": "facilitator",
                           "themes_required": True})
    global LINK_SETTINGS  # pylint: disable=global-statement
    kept, LINK_SETTINGS = LINK_SETTINGS, settings
    try:
        ann = launch(in_process_platform, "ann", "Ann Peeters", "Antwerp")
        cara = launch(in_process_platform, "cara", "Cara Maes", "Antwerp")
    finally:
        LINK_SETTINGS = kept
    assert [t["state"] for t in ann["themes"]] == ["closed", "open"] and ann["themes_required"] is True
    posted = call(client, ann, "save_introduction", {"who": "Ann from Antwerp"}).json()
    assert posted["participation"]["complete"] is False  # the themes are required too
    empty = call(client, ann, "answer_theme", {"theme": 1, "body": "  "})
    assert empty.status_code == 400 and "body" in empty.json()["error"]["fields"]
    closed = call(client, ann, "answer_theme", {"theme": 0, "body": "Too late"})
    assert closed.status_code == 403 and closed.json()["error"]["code"] == "forbidden"
    answered = call(client, ann, "answer_theme", {"theme": 1, "body": "Only *for* the facilitator"})
    assert answered.status_code == 200, answered.content
    assert answered.json()["participation"]["complete"] is False  # week one was never answered
    assert call(client, cara, "theme_answers", {"theme": 1}).json()["answers"] == []
    assert list(ThemeAnswer.objects.values_list("body", flat=True)) == ["Only *for* the facilitator"]
    assert [score["scoreGiven"] for score in in_process_platform.scores] == [0, 0]  # a missed theme: not complete

@pytest.mark.urls("workbench.urls")
def test_the_xblock_page_drafts_completion_and_calendar_file(course, make_block, call_handler, published):
    block = make_block(XML, "ann")
    init = init_of(render(block))
    assert init["sessions"][0]["start"] == "2027-03-28T08:00:00Z" and init["mine"] is None
    assert init["participation"] == {"required": 1, "count": 0, "complete": False}
    # A draft survives a reload.
    status, body = call_handler(block, "save_draft", {"key": "intro", "who": "Ann, half written", "learn": "SQL",
                                                      "share_profile": True})
    assert status == 200 and body["saved"]
    block = make_block.as_user(block, "ann")
    draft = init_of(render(block))["drafts"]["intro"]
    assert draft["who"] == "Ann, half written" and draft["share_profile"] is True
    # Posting completes the component, and forgets the draft.
    status, body = call_handler(block, "save_introduction", {"who": "Ann, customer service", "learn": "SQL, Excel"})
    assert status == 200, body
    assert body["participation"]["complete"] is True and body["introduction"]["learn"] == ["SQL", "Excel"]
    assert any(event == "completion" for _user, event, _data in published)
    again = init_of(render(make_block.as_user(block, "ann")))
    assert "intro" not in again["drafts"] and again["mine"]["who"] == "Ann, customer service"
    # Bob, in the other cohort, does not see Ann; Cara does.
    assert init_of(render(make_block.as_user(block, "bob")))["initial"]["introductions"] == []
    assert [i["author"]["username"] for i in init_of(render(make_block.as_user(block, "cara")))["initial"][
        "introductions"]] == ["ann"]
    # The calendar file, with the contract's safe headers.
    request = webob.Request.blank("/")
    request.method = "POST"
    request.body = json.dumps({"index": 0}).encode()
    request.content_type = "application/json"
    response = block.runtime.handle(block, "session_ics", request)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    text = response.body.decode()
    assert "DTSTART:20270328T080000Z" in text and "SUMMARY:Kick-off\\; first meeting" in text


# ----- the tool ---------------------------------------------------------------------------------------------
LINK_SETTINGS = json.dumps({"has_score": True, "sessions": SESSIONS, "time_zone": "Europe/Brussels"})


def launch(platform, user_id, name, cohort):
    custom = {"sls_component": "introductions", "sls_settings": LINK_SETTINGS, "cohort": cohort}
    page = platforms.ClientBrowser(platform, Client()).launch(platform.consumer(
        user_id=user_id, name=name, role="student", custom=custom, resource_link_id="intros-1",
        link_title="Meet your group"))
    assert page.status_code == 200, page.content[:1000]
    html = page.content.decode()
    init = json.loads(DATA.search(html, html.find("data-sls-lti-root")).group(1))
    from lti.models import LtiPerson  # pylint: disable=import-outside-toplevel

    groups_api.put_in_cohort(LtiPerson.objects.get(subject=user_id).user, context_key(platform.url, "course-1"),
                             cohort)
    return init


def call(client, init, action, data):
    response = client.post(init["urls"][action], data=data, content_type="application/json",
                           HTTP_AUTHORIZATION=init["client"]["headers"]["Authorization"])
    return response


def test_the_tool_serves_the_same_component(in_process_platform, client):  # noqa: F811
    ann = launch(in_process_platform, "ann", "Ann Peeters", "Antwerp")
    cara = launch(in_process_platform, "cara", "Cara Maes", "Antwerp")
    bob = launch(in_process_platform, "bob", "Bob Janssens", "Brussels")
    assert ann["sessions"][0]["start"] == "2027-03-28T08:00:00Z"
    response = call(client, ann, "save_introduction", {"who": "Ann from Antwerp", "offer": ["Excel"]})
    assert response.status_code == 200, response.content
    assert response.json()["participation"]["complete"] is True
    assert [score["scoreGiven"] for score in in_process_platform.scores] == [1]
    intro_id = response.json()["introduction"]["id"]
    seen = call(client, cara, "list_introductions", {"topic": "excel"}).json()["introductions"]
    assert [i["who"] for i in seen] == ["Ann from Antwerp"]
    assert call(client, bob, "list_introductions", {}).json()["introductions"] == []
    assert call(client, bob, "list_introductions", {"topic": "excel"}).json()["introductions"] == []
    refused = call(client, bob, "wave", {"id": intro_id})
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    refused = call(client, cara, "save_introduction", {"who": ""})
    assert refused.status_code == 400 and "who" in refused.json()["error"]["fields"]
    ics = call(client, cara, "session_ics", {"index": 0})
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert b"DTSTART:20270328T080000Z" in ics.content


@pytest.mark.urls("workbench.urls")
def test_studio_preview_lists_the_sessions_on_the_course_clock(course, make_block):
    import html  # pylint: disable=import-outside-toplevel

    block = make_block(XML, "ann")
    preview = html.unescape(block.runtime.render(block, "author_view", {}).content)
    assert "2027-03-28 10:00 – 2027-03-28 12:00 (Europe/Brussels): Kick-off; first meeting" in preview
    assert "3 days before the next session" in preview
    assert "Who are you?" in preview


def test_studio_preview_lists_the_themes_on_the_course_clock(course, make_block):
    import html  # pylint: disable=import-outside-toplevel

    xml = ('<social_introductions time_zone="Europe/Brussels" theme_visibility="facilitator" themes_required="true" '
           'themes="2027-03-26 | 2027-03-31 | Your first week | What surprised you?"/>')
    preview = html.unescape(make_block(xml, "ann").runtime.render(make_block(xml, "ann"), "author_view", {}).content)
    assert "2027-03-26 00:00 – 2027-04-01 00:00 (Europe/Brussels): Your first week" in preview
    assert "Only the facilitator reads the answers." in preview
    assert "When the introduction is posted and every theme answered" in preview
