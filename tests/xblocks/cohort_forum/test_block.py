"""The cohort forum XBlock through the real XBlock Workbench runtime.

Every handler is called the way the browser calls it (a POST with a JSON body through
``runtime.handle``); views are rendered by the runtime. The ``course`` fixture has Cohort A (ann,
cara and the advocate ada), Cohort B (bob) and the staff member sam.
"""
import json
import re
from pathlib import Path

import pytest
import webob

from xblocks.cohort_forum import block as block_module
from xblocks.cohort_forum.block import CohortForumBlock
from xblocks.cohort_forum.frontdoor import HANDLERS, JS_CONTEXT_STRINGS, JS_PLURALS, JS_STRINGS

FORUM_JS = Path(block_module.__file__).parent / "static" / "cohort_forum" / "forum.js"
XML = '<social_cohort_forum display_name="Week 1 forum" allow_anonymous="true" participation_required="2"/>'
SCRIPT = "<script>alert('pwned')</script>"

# Handler URLs are reversed from the Workbench's own URLs: these tests need no other part of the site.
pytestmark = pytest.mark.urls("workbench.urls")


# ----- helpers -----------------------------------------------------------------------------------
def raw_call(block, name, body, method="POST"):
    """Call a handler and return the raw webob response (status and bytes as the browser gets them)."""
    request = webob.Request.blank("/")
    request.method = method
    request.body = body if isinstance(body, bytes) else json.dumps(body).encode()
    request.content_type = "application/json"
    return block.runtime.handle(block, name, request)


def render(block, view="student_view"):
    return block.runtime.render(block, view, {})


def init_data(frag):
    """The init object the page gives the JavaScript (the escaped JSON script inside the block)."""
    match = re.search(r'<script type="application/json" class="sls-forum-data">(.*?)</script>', frag.content, re.S)
    assert match, "the forum's init JSON is missing"
    return json.loads(match.group(1))


def events(published, name=None, user=None):
    return [(u, kind, data) for u, kind, data in published
            if (name is None or kind == name) and (user is None or u == user)]


@pytest.fixture
def forum(course, make_block):
    """The forum as seen by each person of the course (same usage, one runtime per person)."""
    first = make_block(XML, "ann")

    def as_user(username):
        return make_block.as_user(first, username)

    as_user.ann = first
    return as_user


@pytest.fixture
def thread_of_ann(forum, call_handler):
    status, body = call_handler(forum.ann, "create_thread", {"title": "Reading list", "body": "What should we read?"})
    assert status == 200, body
    return body["id"]


# ----- student_view --------------------------------------------------------------------------------
def test_student_view_renders_the_forum_with_its_strings_and_init_json(forum):
    frag = render(forum("ann"))
    html = frag.content
    assert "Week 1 forum" in html
    for text in ("New thread", "Search threads", "Sort by", "Recent activity", "Most votes", "Unanswered",
                 "Started by me", "Mentioning me", "Community guidelines", "Be kind and assume good intent",
                 "Post anonymously", "This is the space of Cohort A"):
        assert text in html, text
    assert "Flagged for staff" not in html  # staff-only filter
    init = init_data(frag)
    assert set(init["urls"]) == set(HANDLERS)
    assert all(f"/{name}/" in url for name, url in init["urls"].items())
    assert init["settings"]["allow_anonymous"] is True
    assert init["settings"]["participation_required"] == 2
    assert init["settings"]["title_max"] == 200 and init["settings"]["body_max"] == 20000
    assert init["roles"] == {"is_staff": False, "is_advocate": False}
    assert init["user"]["username"] == "ann"
    assert init["current_group"]["name"] == "Cohort A"
    assert init["groups"] == [] and init["group"] is None
    assert init["drafts"] == {}
    assert init["participation"] == {"required": 2, "count": 0, "complete": False}
    assert init["initial"]["threads"] == []
    assert init["i18n"]["strings"]["Reply posted."] == "Reply posted."
    assert init["i18n"]["plurals"]["{count} reply"] == {"one": "{count} reply", "other": "{count} replies"}
    # The runtime's own init args carry the endpoints too, but no free text.
    runtime_args = json.loads(re.search(r'class="xblock_json_init_args">(.*?)</script>', frag.content, re.S).group(1))
    assert set(runtime_args["urls"]) == set(HANDLERS) and runtime_args["handlers"] == list(HANDLERS)
    assert runtime_args["roles"] == {"is_staff": False, "is_advocate": False}
    assert "drafts" not in runtime_args and "user" not in runtime_args
    # Its script is linked, not inlined, and the runtime starts it by name.
    assert "<script src='/resource/social_cohort_forum/static/cohort_forum/forum.js'" in frag.foot_html()
    assert "SocialCohortForumBlock" in frag.content


def test_staff_get_the_group_switcher_and_moderation_filters(forum):
    frag = render(forum("sam"))
    init = init_data(frag)
    assert init["roles"]["is_staff"] is True
    assert [g["name"] for g in init["groups"]] == ["All groups", "Cohort A", "Cohort B"]
    assert init["group"] == "all"
    assert ">Cohort B</option>" in frag.content
    assert "Flagged for staff" in frag.content and "Post in group" in frag.content


def test_advocate_role_reaches_the_front_end(forum):
    init = init_data(render(forum("ada")))
    assert init["roles"] == {"is_staff": False, "is_advocate": True}


def test_learner_without_a_group_sees_a_notice_and_no_forum(forum, django_user_model):
    django_user_model.objects.create(username="newbie")
    frag = render(forum("newbie"))
    assert "not in a group" in frag.content
    assert "sls-forum-data" not in frag.content and "New thread" not in frag.content


def test_signed_out_visitor_is_asked_to_sign_in(course, make_block, call_handler):
    block = make_block(XML, "ann")
    visitor = make_block.as_user(block, "")
    assert "Sign in to take part" in render(visitor).content
    status, body = call_handler(visitor, "list_threads", {})
    assert status == 403 and body["error"]["code"] == "forbidden"


def test_every_string_the_javascript_shows_is_in_the_translated_catalogue():
    source = FORUM_JS.read_text()
    string = r"""(['"])((?:\\.|(?!\{n}).)*)\{n}"""
    singles = {m[1] for m in re.findall(r"(?<![\w])_\(" + string.format(n=1), source)}
    plurals = {m[1] for m in re.findall(r"(?<![\w])n_\(" + string.format(n=1), source)}
    assert singles and plurals
    assert singles - set(JS_STRINGS) == set()
    assert plurals - {singular for singular, _plural in JS_PLURALS} == set()
    # p_(kind, 'text') with kind a variable: every (kind, text) the page can ask for is in the catalogue.
    with_context = set(re.findall(r"p_\((?:'(\w+)'|kind), " + string.format(n=2), source))
    assert with_context
    kinds = ("reply", "comment")
    asked = {(ctx, text) for ctx, _q, text in with_context if ctx} | {
        (kind, text) for ctx, _q, text in with_context if not ctx for kind in kinds}
    assert asked - set(JS_CONTEXT_STRINGS) == set()


def test_badges_agree_with_what_they_are_said_of_in_french():
    from django.utils import translation

    from xblocks.cohort_forum.frontdoor import FORUM

    with translation.override("fr"):
        strings = FORUM.catalog(translation.gettext, translation.ngettext)["strings"]
    assert strings["reply\x04New"] == "Nouvelle" and strings["comment\x04New"] == "Nouveau"
    assert strings["reply\x04Hidden"] == "Masquée" and strings["thread\x04Hidden"] == "Masqué"
    with translation.override("en"):
        assert FORUM.catalog(translation.gettext, translation.ngettext)["strings"]["reply\x04New"] == "New"


def test_student_view_data_for_the_mobile_app(forum):
    data = forum("ann").student_view_data()
    assert data["display_name"] == "Week 1 forum"
    assert data["handlers"] == list(HANDLERS)
    assert data["allow_anonymous"] is True and data["participation_required"] == 2
    assert "<li>" in data["guidelines_html"]


def test_author_view_is_a_safe_preview_that_writes_nothing(forum):
    from xblocks.core.models import Placement

    block = forum("sam")
    block.runtime.is_author_mode = True  # as in Studio
    html = render(block, "author_view").content
    assert "Posts cannot be written in Studio" in html
    assert "After 2 contributions" in html and "Allowed (staff still see the author)" in html
    assert "sls-forum-data" not in html
    assert not Placement.objects.filter(resource_key=str(block.scope_ids.usage_id)).exists()
    # Studio previews call student_view on some pages: it shows the same preview there.
    assert "Posts cannot be written in Studio" in render(block).content


def test_workbench_scenarios_are_a_course_unit_with_the_forum():
    scenarios = CohortForumBlock.workbench_scenarios()
    assert scenarios and all("<social_cohort_forum" in xml and "<vertical_demo>" in xml for _title, xml in scenarios)
    assert "<html_demo>" in scenarios[0][1]


# ----- handlers: happy paths -------------------------------------------------------------------------
def test_a_thread_is_seen_by_the_own_cohort_only(forum, call_handler, thread_of_ann):
    status, page = call_handler(forum("cara"), "list_threads", {})
    assert status == 200 and [t["title"] for t in page["threads"]] == ["Reading list"]
    assert page["threads"][0]["unread"] is True
    status, page = call_handler(forum("bob"), "list_threads", {})
    assert status == 200 and page["threads"] == [] and page["total"] == 0
    status, page = call_handler(forum("sam"), "list_threads", {"group": "all"})
    assert [t["title"] for t in page["threads"]] == ["Reading list"]
    assert page["threads"][0]["group"]["name"] == "Cohort A"


def test_replies_comments_and_reading_a_thread(forum, call_handler, thread_of_ann):
    cara = forum("cara")
    status, reply = call_handler(cara, "create_reply", {"thread": thread_of_ann, "body": "Chapter 1, **surely**."})
    assert status == 200 and reply["thread"] == thread_of_ann
    status, comment = call_handler(forum.ann, "create_reply",
                                   {"thread": thread_of_ann, "parent": reply["id"], "body": "Thanks!"})
    assert status == 200
    status, thread = call_handler(cara, "get_thread", {"id": thread_of_ann})
    assert status == 200
    assert thread["title"] == "Reading list" and thread["reply_count"] == 1
    assert thread["replies"][0]["body_html"] == "<p>Chapter 1, <strong>surely</strong>.</p>\n"
    assert [c["id"] for c in thread["replies"][0]["comments"]] == [comment["id"]]
    status, page = call_handler(cara, "list_threads", {})
    assert page["threads"][0]["unread"] is False


# MariaDB's full-text index sees committed rows only: searched data is committed, as in production.
@pytest.mark.django_db(transaction=True)
def test_search_sort_filter_and_pages(forum, call_handler, settings):
    settings.SOCIAL_LEARNING = {**settings.SOCIAL_LEARNING, "PAGE_SIZE": 2, "POSTS_PER_WINDOW": 100}
    ann = forum.ann
    for title in ("Alpha plan", "Beta plan", "Gamma notes"):
        assert call_handler(ann, "create_thread", {"title": title, "body": "Some text"})[0] == 200
    status, page = call_handler(ann, "list_threads", {"sort": "newest", "page": 2})
    assert status == 200 and page["pages"] == 2 and [t["title"] for t in page["threads"]] == ["Alpha plan"]
    status, page = call_handler(ann, "list_threads", {"search": "plan"})
    assert page["total"] == 2
    status, page = call_handler(forum("cara"), "list_threads", {"filter": "mine"})
    assert page["total"] == 0


def test_edit_and_delete_own_posts(forum, call_handler, thread_of_ann):
    ann = forum.ann
    status, body = call_handler(ann, "edit", {"target": "thread", "id": thread_of_ann, "title": "Reading list v2",
                                              "body": "Updated"})
    assert status == 200 and body["edited"]
    assert call_handler(forum("cara"), "get_thread", {"id": thread_of_ann})[1]["title"] == "Reading list v2"
    status, body = call_handler(forum("cara"), "edit", {"target": "thread", "id": thread_of_ann,
                                                        "title": "Hijacked", "body": "x"})
    assert status == 403 and body["error"]["code"] == "forbidden"
    status, body = call_handler(ann, "delete", {"target": "thread", "id": thread_of_ann})
    assert status == 200
    status, body = call_handler(forum("cara"), "get_thread", {"id": thread_of_ann})
    assert status == 404


def test_votes_are_toggles_with_a_count(forum, call_handler, thread_of_ann):
    cara = forum("cara")
    status, body = call_handler(cara, "vote", {"target": "thread", "id": thread_of_ann, "on": True})
    assert status == 200 and body["vote_count"] == 1 and body["voted"] is True
    status, body = call_handler(cara, "vote", {"target": "thread", "id": thread_of_ann, "on": True})
    assert body["vote_count"] == 1  # voting twice counts once
    status, body = call_handler(cara, "vote", {"target": "thread", "id": thread_of_ann, "on": False})
    assert body["vote_count"] == 0 and body["voted"] is False


def test_follow_and_the_following_filter(forum, call_handler, thread_of_ann):
    cara = forum("cara")
    assert call_handler(cara, "list_threads", {"filter": "following"})[1]["total"] == 0
    status, body = call_handler(cara, "follow", {"id": thread_of_ann, "on": True})
    assert status == 200 and body["following"] is True
    assert call_handler(cara, "list_threads", {"filter": "following"})[1]["total"] == 1


def test_flags_reach_staff_and_the_flagger_can_withdraw(forum, call_handler, thread_of_ann):
    cara = forum("cara")
    status, body = call_handler(cara, "flag", {"target": "thread", "id": thread_of_ann, "on": True,
                                               "reason": "Off topic"})
    assert status == 200 and body["flagged"] is True
    assert call_handler(cara, "get_thread", {"id": thread_of_ann})[1]["flagged"] is True
    status, page = call_handler(forum("sam"), "list_threads", {"group": "all", "filter": "flagged"})
    assert [t["flag_count"] for t in page["threads"]] == [1]
    status, page = call_handler(cara, "list_threads", {"filter": "flagged"})
    assert status == 403
    status, body = call_handler(cara, "flag", {"target": "thread", "id": thread_of_ann, "on": False})
    assert status == 200 and body["flagged"] is False


def test_advocates_endorse_pin_and_highlight_learners_cannot(forum, call_handler):
    ann, ada = forum.ann, forum("ada")
    question = call_handler(ann, "create_thread", {"kind": "question", "title": "Where is room 4?",
                                                   "body": "Lost."})[1]["id"]
    answer = call_handler(forum("cara"), "create_reply", {"thread": question, "body": "Second floor."})[1]["id"]
    status, body = call_handler(ann, "endorse", {"id": answer, "on": True})
    assert status == 403 and "endorse" in body["error"]["message"]
    assert call_handler(ada, "endorse", {"id": answer, "on": True})[0] == 200
    assert call_handler(ada, "pin", {"id": question, "on": True})[1]["pinned"] is True
    assert call_handler(ada, "highlight", {"id": question, "on": True})[1]["highlighted"] is True
    assert call_handler(ann, "pin", {"id": question, "on": True})[0] == 403
    thread = call_handler(ann, "get_thread", {"id": question})[1]
    assert thread["answered"] and thread["pinned"] and thread["highlighted"]
    assert thread["replies"][0]["endorsed"] and thread["replies"][0]["endorsed_by"] == "Ada Advocate"
    status, page = call_handler(ann, "list_threads", {"sort": "unanswered"})
    assert page["total"] == 0


def test_staff_hide_and_restore(forum, call_handler, thread_of_ann):
    sam, cara = forum("sam"), forum("cara")
    assert call_handler(cara, "hide", {"target": "thread", "id": thread_of_ann, "on": True})[0] == 403
    status, body = call_handler(sam, "hide", {"target": "thread", "id": thread_of_ann, "on": True, "group": "all"})
    assert status == 200 and body["hidden"] is True
    assert call_handler(cara, "get_thread", {"id": thread_of_ann})[0] == 404
    assert call_handler(forum.ann, "get_thread", {"id": thread_of_ann})[1]["hidden"] is True  # author still sees it
    assert call_handler(sam, "list_threads", {"group": "all", "filter": "hidden"})[1]["total"] == 1
    call_handler(sam, "hide", {"target": "thread", "id": thread_of_ann, "on": False, "group": "all"})
    assert call_handler(cara, "get_thread", {"id": thread_of_ann})[0] == 200


def test_staff_switch_groups_and_post_in_the_picked_group(forum, call_handler, course):
    sam = forum("sam")
    status, body = call_handler(sam, "create_thread", {"title": "Welcome", "body": "Hello B", "group": course.group_b})
    assert status == 200
    assert [t["title"] for t in call_handler(forum("bob"), "list_threads", {})[1]["threads"]] == ["Welcome"]
    assert call_handler(forum.ann, "list_threads", {})[1]["total"] == 0
    assert call_handler(sam, "list_threads", {"group": course.group_a})[1]["total"] == 0
    status, body = call_handler(sam, "create_thread", {"title": "To all", "body": "x", "group": "all"})
    assert status == 403 and body["error"]["message"]
    status, body = call_handler(sam, "list_threads", {"group": "cohort:999999"})
    assert status == 404


def test_mention_candidates_are_members_of_the_own_space(forum, call_handler):
    status, body = call_handler(forum.ann, "mention_candidates", {"q": "@ca"})
    assert status == 200 and [m["username"] for m in body["members"]] == ["cara"]
    assert call_handler(forum.ann, "mention_candidates", {"q": "bo"})[1]["members"] == []


# ----- handlers: errors ---------------------------------------------------------------------------------
def test_bad_input_is_a_400_with_a_message_and_field_errors(forum, call_handler):
    status, body = call_handler(forum.ann, "create_thread", {"title": "  ", "body": "Text"})
    assert status == 400
    assert body["error"]["code"] == "invalid" and "title" in body["error"]["fields"]
    status, body = call_handler(forum.ann, "create_thread", {"title": "x" * 201, "body": "Text"})
    assert status == 400 and "201" in body["error"]["fields"]["title"]
    status, body = call_handler(forum.ann, "create_thread", {"title": "Long", "body": "x" * 20001})
    assert status == 400 and "body" in body["error"]["fields"]
    status, body = call_handler(forum.ann, "list_threads", {"sort": "loudest"})
    assert status == 400 and body["error"]["fields"]["sort"]
    assert call_handler(forum.ann, "list_threads", {})[1]["total"] == 0  # nothing was written


@pytest.mark.parametrize("payload, method", [
    (b"{not json", "POST"),
    (b"[1, 2]", "POST"),
    (b"{}", "GET"),
])
def test_malformed_requests_get_the_same_error_shape(forum, payload, method):
    response = raw_call(forum.ann, "list_threads", payload, method=method)
    assert response.status_code in (400, 405)
    error = json.loads(response.body)["error"]
    assert set(error) >= {"code", "message"} and error["message"]


def test_a_learner_of_another_cohort_gets_404_and_no_data(forum, call_handler, thread_of_ann, course):
    reply = call_handler(forum("cara"), "create_reply", {"thread": thread_of_ann, "body": "Secret of cohort A"})[1]
    bob = forum("bob")
    attempts = [
        ("get_thread", {"id": thread_of_ann}),
        ("create_reply", {"thread": thread_of_ann, "body": "Let me in"}),
        ("vote", {"target": "thread", "id": thread_of_ann, "on": True}),
        ("vote", {"target": "post", "id": reply["id"], "on": True}),
        ("follow", {"id": thread_of_ann, "on": True}),
        ("flag", {"target": "post", "id": reply["id"], "on": True}),
        ("edit", {"target": "post", "id": reply["id"], "body": "Changed"}),
        ("delete", {"target": "thread", "id": thread_of_ann}),
    ]
    for name, data in attempts:
        response = raw_call(bob, name, data)
        assert response.status_code == 404, name
        text = response.body.decode()
        assert "Reading list" not in text and "Secret" not in text and "Ann" not in text, name
    # Asking for the other cohort's space outright is refused too.
    status, body = call_handler(bob, "list_threads", {"group": course.group_a})
    assert status == 403 and body["error"]["code"] == "forbidden"
    thread = call_handler(forum.ann, "get_thread", {"id": thread_of_ann})[1]
    assert thread["reply_count"] == 1 and thread["vote_count"] == 0  # bob changed nothing


def test_posting_too_fast_is_429_and_writes_nothing(forum, call_handler, settings):
    settings.SOCIAL_LEARNING = {**settings.SOCIAL_LEARNING, "POSTS_PER_WINDOW": 2}
    for title in ("One", "Two"):
        assert call_handler(forum.ann, "create_thread", {"title": title, "body": "x"})[0] == 200
    status, body = call_handler(forum.ann, "create_thread", {"title": "Three", "body": "My careful text"})
    assert status == 429
    assert body["error"]["code"] == "rate_limited" and "your text is still here" in body["error"]["message"]
    assert call_handler(forum.ann, "list_threads", {})[1]["total"] == 2


# ----- anonymity ---------------------------------------------------------------------------------------
def test_anonymous_posts_hide_the_author_from_peers_not_from_staff(forum, call_handler):
    thread = call_handler(forum.ann, "create_thread", {"title": "A worry", "body": "I feel lost.",
                                                       "anonymous": True})[1]["id"]
    call_handler(forum.ann, "create_reply", {"thread": thread, "body": "Me again.", "anonymous": True})
    for name in ("list_threads", "get_thread"):
        response = raw_call(forum("cara"), name, {"id": thread})
        text = response.body.decode()
        assert response.status_code == 200
        assert "ann" not in text.lower() and "Peeters" not in text, name
        assert "Anonymous" in text
    staff_view = call_handler(forum("sam"), "get_thread", {"id": thread, "group": "all"})[1]
    assert staff_view["author"] == {"name": "Ann Peeters", "username": "ann", "anonymous": True, "is_you": False}
    assert staff_view["replies"][0]["author"]["name"] == "Ann Peeters"
    own_view = call_handler(forum.ann, "get_thread", {"id": thread})[1]
    assert own_view["author"]["is_you"] is True


def test_anonymity_is_refused_when_the_author_did_not_allow_it(course, make_block, call_handler):
    block = make_block('<social_cohort_forum allow_anonymous="false"/>', "ann")
    status, body = call_handler(block, "create_thread", {"title": "Hi", "body": "x", "anonymous": True})
    assert status == 400 and body["error"]["fields"]["anonymous"]
    assert "Post anonymously" not in render(block).content
    assert call_handler(block, "list_threads", {})[1]["total"] == 0


# ----- completion, grades, tracking ------------------------------------------------------------------------
def test_completion_and_grade_follow_the_participation_requirement(course, make_block, call_handler, published):
    block = make_block('<social_cohort_forum participation_required="2" has_score="true" weight="2"/>', "ann")
    assert block.max_score() == 2
    status, first = call_handler(block, "create_thread", {"title": "Hello", "body": "First"})
    assert first["participation"] == {"required": 2, "count": 1, "complete": False}
    assert events(published, "completion") == []
    assert [d for _u, _k, d in events(published, "grade")] == [{"value": 1, "max_value": 2}]
    status, second = call_handler(block, "create_reply", {"thread": first["id"], "body": "Second"})
    assert second["participation"]["complete"] is True
    assert [d for _u, _k, d in events(published, "completion", "ann")] == [{"completion": 1.0}]
    assert events(published, "grade")[-1][2] == {"value": 2, "max_value": 2}
    before = len(published)
    call_handler(block, "create_reply", {"thread": first["id"], "body": "Third"})
    assert [kind for _u, kind, _d in published[before:] if kind in ("completion", "grade")] == []
    # Another learner's count is their own.
    cara = make_block.as_user(block, "cara")
    assert call_handler(cara, "create_reply", {"thread": first["id"], "body": "Hi"})[1]["participation"]["count"] == 1
    assert events(published, "completion", "cara") == []


def test_no_requirement_completes_on_viewing_once(course, make_block, published):
    block = make_block('<social_cohort_forum participation_required="0"/>', "ann")
    render(block)
    render(make_block.as_user(block, "ann"))
    assert [d for _u, _k, d in events(published, "completion", "ann")] == [{"completion": 1.0}]


def test_ungraded_forum_publishes_no_grade(forum, call_handler, published):
    call_handler(forum.ann, "create_thread", {"title": "Hello", "body": "x"})
    assert events(published, "grade") == [] and forum.ann.max_score() is None


def test_actions_publish_tracking_events(forum, call_handler, published, thread_of_ann):
    cara = forum("cara")
    reply = call_handler(cara, "create_reply", {"thread": thread_of_ann, "body": "Hi"})[1]["id"]
    call_handler(cara, "vote", {"target": "post", "id": reply, "on": True})
    call_handler(forum("ada"), "endorse", {"id": reply, "on": True})
    names = [kind for _u, kind, _d in published]
    for expected in ("social_learning.forum.thread.created", "social_learning.forum.reply.created",
                     "social_learning.forum.post.voted", "social_learning.forum.reply.endorsed"):
        assert expected in names
    created = events(published, "social_learning.forum.thread.created")[0]
    assert created[0] == "ann" and created[2]["thread_id"] == thread_of_ann


# ----- drafts ------------------------------------------------------------------------------------------
def test_drafts_survive_reloading_as_the_same_user_only(forum, call_handler, thread_of_ann):
    ann = forum.ann
    status, body = call_handler(ann, "save_draft", {"key": "new", "title": "Half a title", "body": "Half a thought",
                                                    "kind": "question", "anonymous": True})
    assert status == 200 and body["saved"]
    call_handler(ann, "save_draft", {"key": str(thread_of_ann), "body": "My reply so far"})
    drafts = init_data(render(forum("ann")))["drafts"]
    assert drafts["new"]["title"] == "Half a title" and drafts["new"]["kind"] == "question"
    assert drafts["new"]["anonymous"] is True
    assert drafts[str(thread_of_ann)]["body"] == "My reply so far"
    assert init_data(render(forum("cara")))["drafts"] == {}
    # Posting the reply forgets its draft; an empty draft forgets it too.
    call_handler(forum("ann"), "create_reply", {"thread": thread_of_ann, "body": "My reply so far"})
    call_handler(forum("ann"), "save_draft", {"key": "new", "title": "", "body": "  "})
    assert init_data(render(forum("ann")))["drafts"] == {}


def test_bad_drafts_are_refused_and_nothing_is_saved(forum, call_handler):
    status, body = call_handler(forum.ann, "save_draft", {"key": "../etc", "body": "x"})
    assert status == 400 and body["error"]["fields"]["key"]
    status, body = call_handler(forum.ann, "save_draft", {"key": "new", "body": "x" * 20001})
    assert status == 400 and body["error"]["fields"]["body"]
    assert init_data(render(forum("ann")))["drafts"] == {}


def test_script_in_a_draft_cannot_break_out_of_the_page(forum, call_handler):
    call_handler(forum.ann, "save_draft", {"key": "new", "title": SCRIPT, "body": "</script><img src=x onerror=alert(1)>"})
    html = render(forum("ann")).content
    assert "<script>alert" not in html and "</script><img" not in html
    assert init_data(render(forum("ann")))["drafts"]["new"]["title"] == SCRIPT


# ----- safety of learner text ---------------------------------------------------------------------------
def test_script_in_learner_text_never_appears_unescaped(forum, call_handler, course):
    ann = forum.ann
    status, created = call_handler(ann, "create_thread", {"title": SCRIPT, "body": f"Hi {SCRIPT} **bold**"})
    assert status == 200
    call_handler(ann, "create_reply", {"thread": created["id"], "body": f"[x](javascript:alert(1)) {SCRIPT}"})
    responses = [
        raw_call(forum("cara"), "list_threads", {}),
        raw_call(forum("cara"), "get_thread", {"id": created["id"]}),
        raw_call(forum("sam"), "list_threads", {"group": "all", "search": "script"}),
        raw_call(ann, "create_thread", {"title": "", "body": SCRIPT}),  # an error echoing nothing unsafe
    ]
    for response in responses:
        raw = response.body.decode()
        assert "<script" not in raw.lower() and "href" not in raw.lower(), raw[:200]
    for user in ("ann", "cara", "sam"):
        html = render(forum(user)).content
        assert "<script>alert" not in html
    thread = call_handler(forum("cara"), "get_thread", {"id": created["id"]})[1]
    assert thread["title"] == SCRIPT  # kept as text: the page shows it with textContent
    assert "<script" not in thread["body_html"] and "<strong>bold</strong>" in thread["body_html"]
    assert "<a" not in thread["replies"][0]["body_html"]  # a javascript: link stays plain text


# ----- Studio ---------------------------------------------------------------------------------------------
GOOD = {
    "display_name": "Team talk", "prompt": "Discuss **week 2**.", "guidelines": "Be nice.",
    "group_scope": "team", "teamset_id": "project-teams", "allow_anonymous": True,
    "participation_required": 3, "has_score": True, "weight": 2.5, "default_sort": "votes",
}


def studio_submit(call_handler, block, values):
    return call_handler(block, "submit_studio_edits", {"values": values, "defaults": []})


@pytest.mark.parametrize("bad, message", [
    ({"display_name": "   "}, "Enter a display name"),
    ({"group_scope": "team", "teamset_id": ""}, "teamset ID"),
    ({"group_scope": "everyone"}, "Choose who talks together"),
    ({"participation_required": -1}, "cannot be negative"),
    ({"participation_required": "a few"}, "wrong kind"),
    ({"participation_required": 0, "has_score": True}, "graded forum needs at least 1"),
    ({"default_sort": "random"}, "Choose a default sort"),
    ({"weight": -1}, "weight"),
    ({"prompt": "x" * 5001}, "prompt is too long"),
])
def test_studio_refuses_bad_values_with_a_message_and_saves_nothing(forum, call_handler, make_block, bad, message):
    sam = forum("sam")
    values = {**GOOD, **bad}
    status, body = studio_submit(call_handler, sam, values)
    assert status == 400
    texts = " ".join(m["text"] for m in body["error"]["messages"])
    assert message in texts
    assert body["error"]["message"] == texts
    reloaded = make_block.as_user(sam, "sam")
    assert reloaded.display_name == "Week 1 forum" and reloaded.group_scope == "cohort"
    assert reloaded.participation_required == 2 and reloaded.prompt == ""


def test_studio_saves_good_values(forum, call_handler, make_block):
    sam = forum("sam")
    status, body = studio_submit(call_handler, sam, GOOD)
    assert status == 200 and body == {"result": "success"}
    reloaded = make_block.as_user(sam, "ann")
    for name, value in GOOD.items():
        assert getattr(reloaded, name) == value, name
    assert reloaded.max_score() == 3


def test_studio_form_lists_the_editable_fields(forum):
    html = render(forum("sam"), "studio_view").content
    for label in ("Display name", "Prompt", "Community guidelines", "Who talks together", "Teamset ID",
                  "Allow anonymous posts", "Contributions required for completion", "Graded participation",
                  "Default sort"):
        assert label in html, label


def test_learners_cannot_change_settings_outside_studio(forum, call_handler, make_block):
    status, body = studio_submit(call_handler, forum("ann"), {**GOOD, "display_name": "Mine now"})
    assert status == 403
    assert make_block.as_user(forum.ann, "sam").display_name == "Week 1 forum"


def test_validate_reports_bad_stored_settings_for_studio(course, make_block):
    block = make_block('<social_cohort_forum group_scope="team" default_sort="random"/>', "sam")
    texts = " ".join(message.text for message in block.validate().messages)
    assert "teamset ID" in texts and "default sort" in texts


# ----- staff across groups, and cost ------------------------------------------------------------------------
def test_staff_reading_every_group_reply_and_remove_a_post(forum, call_handler, thread_of_ann):
    sam = forum("sam")
    status, reply = call_handler(sam, "create_reply", {"thread": thread_of_ann, "body": "Staff here.", "group": "all"})
    assert status == 200
    learner_reply = call_handler(forum("cara"), "create_reply", {"thread": thread_of_ann, "body": "Rude words"})[1]
    status, body = call_handler(sam, "delete", {"target": "post", "id": learner_reply["id"], "group": "all"})
    assert status == 200
    replies = call_handler(forum.ann, "get_thread", {"id": thread_of_ann})[1]["replies"]
    assert [r["body_html"] for r in replies] == ["<p>Staff here.</p>\n"]
    status, body = call_handler(sam, "mention_candidates", {"q": "c", "thread": thread_of_ann, "group": "all"})
    assert [m["username"] for m in body["members"]] == ["cara"]


def _suite_queries(block):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        block.runtime.render(block, "student_view", {})
    # The Workbench keeps XBlock fields in its own table (one query per field read); the LMS caches them.
    return [q["sql"] for q in captured.captured_queries if "workbench_xblockstate" not in q["sql"]
            and "SAVEPOINT" not in q["sql"]]


def test_opening_the_forum_costs_the_same_queries_with_many_threads(forum, call_handler, settings):
    settings.SOCIAL_LEARNING = {**settings.SOCIAL_LEARNING, "POSTS_PER_WINDOW": 1000}
    first = call_handler(forum.ann, "create_thread", {"title": "First", "body": "x"})[1]["id"]
    call_handler(forum("cara"), "create_reply", {"thread": first, "body": "r"})
    call_handler(forum.ann, "create_reply", {"thread": first, "body": "Thanks"})  # ann met the requirement
    few = {user: len(_suite_queries(forum(user))) for user in ("ann", "cara", "sam")}
    for number in range(30):
        thread = call_handler(forum.ann, "create_thread", {"title": f"T{number}", "body": "x"})[1]["id"]
        call_handler(forum("cara"), "create_reply", {"thread": thread, "body": "r"})
    many = {user: len(_suite_queries(forum(user))) for user in ("ann", "cara", "sam")}
    assert many["ann"] == few["ann"] and many["sam"] == few["sam"]
    # cara met the requirement meanwhile: her participation no longer needs counting.
    assert many["cara"] == few["cara"] - 1
    assert max(few.values()) <= 8


class FakeDutch:
    """An i18n service that marks every string it translates (the runtime's service is what the block uses)."""

    def gettext(self, text):
        return "NL " + text

    def ngettext(self, singular, plural, count):
        return "NL " + (singular if count == 1 else plural)


def test_strings_are_translated_through_the_runtime_i18n_service(course, make_block, call_handler):
    block = make_block("<social_cohort_forum/>", "ann")
    block.runtime._services["i18n"] = FakeDutch()  # pylint: disable=protected-access
    frag = render(block)
    init = init_data(frag)
    assert init["i18n"]["strings"]["Reply posted."] == "NL Reply posted."
    assert init["i18n"]["plurals"]["{count} reply"] == {"one": "NL {count} reply", "other": "NL {count} replies"}
    assert "NL Cohort forum" in frag.content  # the default name and guidelines follow the learner's language
    assert "NL - **Be kind" in block.student_view_data()["guidelines"]
    author = make_block.as_user(block, "sam")
    author.runtime._services["i18n"] = FakeDutch()  # pylint: disable=protected-access
    status, body = studio_submit(call_handler, author, {**GOOD, "display_name": ""})
    assert status == 400 and body["error"]["messages"][0]["text"].startswith("NL Enter a display name")


def test_remaining_handler_errors(forum, call_handler, thread_of_ann):
    status, body = call_handler(forum("cara"), "highlight", {"id": thread_of_ann, "on": True})
    assert status == 403 and body["error"]["code"] == "forbidden"
    status, body = call_handler(forum("ada"), "highlight", {"id": "not-a-number", "on": True})
    assert status == 400 and body["error"]["fields"]["id"]
    status, body = call_handler(forum.ann, "mention_candidates", {"q": 5})
    assert status == 400 and body["error"]["code"] == "invalid"
    status, body = call_handler(forum.ann, "get_thread", {"id": thread_of_ann + 1000})
    assert status == 404 and body["error"]["code"] == "not_found"
    status, body = call_handler(forum.ann, "follow", {"id": thread_of_ann, "on": "yes"})
    assert status == 400 and body["error"]["fields"]["on"]


def test_author_text_is_escaped_or_sanitised_too(course, make_block):
    block = make_block('<social_cohort_forum display_name="&lt;script&gt;x()&lt;/script&gt; forum" '
                       'prompt="Hi &lt;script&gt;y()&lt;/script&gt; **there**"/>', "ann")
    for view in ("student_view", "author_view"):
        html = render(block, view).content
        assert "<script>x()" not in html and "<script>y()" not in html
        assert "&lt;script&gt;x()&lt;/script&gt; forum" in html and "<strong>there</strong>" in html


def _handler_queries(call_handler, block, name, data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        status, body = call_handler(block, name, data)
    assert status == 200, body
    # The Workbench keeps XBlock fields in its own table; the LMS batches those reads for the whole page.
    return [q["sql"] for q in captured.captured_queries if "workbench_xblockstate" not in q["sql"]], body


def test_every_handler_request_stays_within_eight_queries_whatever_the_amount_of_data(forum, call_handler, settings):
    """A whole handler request (who is asking, their roles and cohort, the api call, completion) costs the
    same number of queries with 1 thread as with 40, and never more than 8."""
    settings.SOCIAL_LEARNING = {**settings.SOCIAL_LEARNING, "POSTS_PER_WINDOW": 1000}

    def costs():
        ann, cara = forum("ann"), forum("cara")
        result = {}
        result["list"], _ = _handler_queries(call_handler, cara, "list_threads", {})
        result["create_thread"], created = _handler_queries(call_handler, ann, "create_thread",
                                                            {"title": "Costs", "body": "How much?"})
        result["get_thread"], _ = _handler_queries(call_handler, cara, "get_thread", {"id": created["id"]})
        result["reply"], _ = _handler_queries(call_handler, cara, "create_reply", {"thread": created["id"], "body": "r"})
        result["vote"], _ = _handler_queries(call_handler, cara, "vote", {"target": "thread", "id": created["id"]})
        return {name: len(queries) for name, queries in result.items()}, result

    def add_threads(count):
        for number in range(count):
            thread = call_handler(forum.ann, "create_thread", {"title": f"T{number}", "body": "x"})[1]["id"]
            call_handler(forum("cara"), "create_reply", {"thread": thread, "body": "r"})
            call_handler(forum("cara"), "vote", {"target": "thread", "id": thread})

    call_handler(forum.ann, "list_threads", {})  # the placement's row is made once, on first use
    add_threads(2)  # both learners meet the participation goal (2), so neither request counts it any more
    few, _ = costs()
    add_threads(40)
    many, queries = costs()
    assert many == few
    over = {name: queries[name] for name, count in many.items() if count > 8}
    assert max(few.values()) <= 8 and not over, (few, many, over)
