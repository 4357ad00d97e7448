"""Quoting an excerpt of one's own entry into a cohort forum of the course, through the XBlock door (the Workbench,
and the LMS with edx-platform faked behind ``compat``): the thread lands in the learner's own group of that forum
with the excerpt quoted and a link back; every crafted id is refused with nothing written; the cost is the same
on a busy course."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import openedx
from tests.factories import COURSE_KEY, PlacementFactory
from tests.xblocks.cohort_forum.test_queries_every_action import suite_queries
from tests.xblocks.reflection_blog.test_queries import READ_BUDGET, WRITE_BUDGET
from xblocks.cohort_forum.models import Thread
from xblocks.core import compat, signals
from xblocks.reflection_blog.models import Entry

pytestmark = pytest.mark.urls("workbench.urls")

BLOG_XML = '<social_reflection_blog display_name="Learning journal"/>'
FORUM_XML = '<social_cohort_forum display_name="Cohort forum"/>'
TEAM_FORUM_XML = '<social_cohort_forum display_name="Project forum" group_scope="team" teamset_id="projects"/>'
BODY = "I tried **active listening** in the Monday meeting.\n\nIt felt slow at first, but people said more."


@pytest.fixture
def blocks(course, make_block, call_handler):
    """Ann's blog and a cohort forum of the same course (shown once, as the course does, so core knows it)."""
    blog = make_block(BLOG_XML, "ann")
    forum = make_block(FORUM_XML, "ann")
    forum.runtime.render(forum, "student_view", {})

    def as_user(block, user):
        return make_block.as_user(block, user.username)

    def call(block, user, action, data=None):
        return call_handler(as_user(block, user), action, data or {})

    return blog, forum, call


def write(call, blog, user, visibility="private", body=BODY, title="Listening at work"):
    status, entry = call(blog, user, "create_entry", {"title": title, "body": body, "visibility": visibility})
    assert status == 200, entry
    return entry


def forum_id(forum):
    return Thread._meta.get_field("placement").related_model.objects.get(resource_key=str(forum.scope_ids.usage_id)).id


def test_a_learner_quotes_their_entry_into_their_group_of_the_forum(course, blocks):
    blog, forum, call = blocks
    entry = write(call, blog, course.ann)
    status, offered = call(blog, course.ann, "quote_forums")
    assert status == 200 and offered == {"forums": [{"id": forum_id(forum), "title": "Cohort forum"}], "limit": 1000}

    quote = {"id": entry["id"], "forum": forum_id(forum), "title": "What listening changed",
             "excerpt": "I tried **active listening** in the Monday meeting."}
    status, preview = call(blog, course.ann, "quote_preview", quote)
    assert status == 200, preview
    assert "<blockquote>" in preview["body_html"] and "<strong>active listening</strong>" in preview["body_html"]
    assert preview["group"] == "Cohort A"
    assert "people in the forum see only this excerpt" in preview["warning"]
    assert Thread.objects.count() == 0  # a preview writes nothing

    heard = []
    receiver = lambda sender, **kw: heard.append(kw)  # noqa: E731
    signals.contribution_created.connect(receiver)
    try:
        status, posted = call(blog, course.ann, "quote_entry", quote)
    finally:
        signals.contribution_created.disconnect(receiver)
    assert status == 200, posted
    thread = Thread.objects.get()
    assert (thread.author, thread.group_key, thread.title) == (course.ann, course.group_a, "What listening changed")
    assert [(h["component"], h["user"], h["group_key"]) for h in heard] == [
        ("cohort_forum", course.ann, course.group_a)]
    anchor = f"#sls-blog-{Entry.objects.get().placement_id}-entry-{entry['id']}"
    # In the Workbench every block of the course shares one page: the link is the entry's fragment.
    assert f'href="{anchor}"' in thread.body_html and "Read the whole entry: Listening at work" in thread.body_html

    # Cara (same cohort) reads it in the forum; Bob (another cohort) does not.
    status, page = call(forum, course.cara, "list_threads")
    assert [t["title"] for t in page["threads"]] == ["What listening changed"]
    status, page = call(forum, course.bob, "list_threads")
    assert page["threads"] == []
    # Following the link: Cara may not read Ann's private entry (the blog's 404); Ann may.
    assert call(blog, course.cara, "get_entry", {"id": entry["id"]})[0] == 404
    assert call(blog, course.ann, "get_entry", {"id": entry["id"]})[0] == 200


def test_a_course_entry_gets_no_warning_and_the_blog_page_opens_the_linked_entry(course, blocks):
    blog, forum, call = blocks
    entry = write(call, blog, course.ann, visibility="course")
    status, preview = call(blog, course.ann, "quote_preview", {
        "id": entry["id"], "forum": forum_id(forum), "excerpt": BODY.split("\n\n")[1]})
    assert status == 200 and preview["warning"] == "" and preview["title"] == "Listening at work"
    html = blog.runtime.render(blog, "student_view", {}).content
    assert re.search(r'"placement": %d' % Entry.objects.get().placement_id, html)


def count_threads():
    return Thread.objects.count()


@pytest.mark.parametrize("case", ["someone_elses_entry", "not_from_the_entry", "another_course", "team_forum",
                                  "not_a_forum", "no_forum", "hidden_entry", "too_long"])
def test_crafted_quotes_are_refused_and_write_nothing(course, blocks, make_block, case, settings):
    blog, forum, call = blocks
    entry = write(call, blog, course.ann)
    cara_entry = write(call, blog, course.cara, visibility="course", title="Cara's plan")
    quote = {"id": entry["id"], "forum": forum_id(forum), "excerpt": "active listening"}
    expected = 404
    if case == "someone_elses_entry":  # readable by Ann, but not hers
        quote["id"] = cara_entry["id"]
        quote["excerpt"] = "active listening"
    elif case == "not_from_the_entry":
        quote["excerpt"] = "I never listen to anyone."
        expected = 400
    elif case == "another_course":
        other = PlacementFactory(context_key="course-v1:Other+X+1", resource_key="their-forum",
                                 component="cohort_forum", group_scope="cohort")
        quote["forum"] = other.id
    elif case == "team_forum":  # a forum of the course whose group (a team) Ann is not in
        team_forum = make_block(TEAM_FORUM_XML, "cara")
        team_forum.runtime.render(team_forum, "student_view", {})
        quote["forum"] = forum_id(team_forum)
        expected = 403
    elif case == "not_a_forum":
        quote["forum"] = Entry.objects.get(pk=entry["id"]).placement_id
    elif case == "no_forum":
        del quote["forum"]
        expected = 400
    elif case == "hidden_entry":
        Entry.objects.filter(pk=entry["id"]).update(hidden=True)
        expected = 403
    elif case == "too_long":
        quote["excerpt"] = "a" * 1001
        expected = 400
    for action in ("quote_preview", "quote_entry"):
        status, body = call(blog, course.ann, action, quote)
        assert status == expected, (action, body)
        assert set(body) == {"error"} and body["error"]["message"]
    assert count_threads() == 0


def test_the_forums_rate_limit_applies_and_a_refused_quote_writes_nothing(course, blocks, settings):
    blog, forum, call = blocks
    settings.SOCIAL_LEARNING = {**settings.SOCIAL_LEARNING, "cohort_forum": {"POSTS_PER_WINDOW": 1}}
    entry = write(call, blog, course.ann, visibility="course")
    quote = {"id": entry["id"], "forum": forum_id(forum), "excerpt": "active listening"}
    assert call(blog, course.ann, "quote_entry", quote)[0] == 200
    status, body = call(blog, course.ann, "quote_entry", quote)
    assert status == 429 and body["error"]["code"] == "rate_limited"
    assert count_threads() == 1


def test_quoting_costs_the_same_on_a_busy_course(course, blocks, make_block):
    blog, forum, call = blocks
    entry = write(call, blog, course.ann, visibility="course")
    quote = {"id": entry["id"], "forum": forum_id(forum), "excerpt": "active listening"}

    def measure():
        counts = {}
        for action in ("quote_forums", "quote_preview", "quote_entry"):
            with CaptureQueriesContext(connection) as queries:
                status, body = call(blog, course.ann, action, quote)
            assert status == 200, body
            counts[action] = suite_queries(queries.captured_queries)
        return counts

    small = measure()
    print("QUERIES", small)
    assert small["quote_forums"] <= READ_BUDGET and small["quote_preview"] <= READ_BUDGET
    assert small["quote_entry"] <= WRITE_BUDGET
    for n in range(6):  # more entries, more threads, more forums
        write(call, blog, course.ann, title=f"More {n}")
        call(forum, course.cara, "create_thread", {"title": f"Thread {n}", "body": "More talk"})
        other = make_block(FORUM_XML.replace("Cohort forum", f"Forum {n}"), "ann")
        other.runtime.render(other, "student_view", {})
    assert measure() == small


class TestOpenEdx:
    @pytest.fixture
    def lms(self, monkeypatch, course, make_block):
        cohorts = {course.ann.id: (7, "Mornings"), course.cara.id: (7, "Mornings"), course.bob.id: (8, "Evenings")}
        monkeypatch.setattr(compat, "running_in_openedx", lambda: True)
        monkeypatch.setattr(compat, "is_course_cohorted", lambda course_key: True)
        monkeypatch.setattr(compat, "get_cohort", lambda user, course_key: cohorts.get(user.id))
        monkeypatch.setattr(compat, "get_course_cohorts", lambda course_key: [(7, "Mornings"), (8, "Evenings")])
        monkeypatch.setattr(compat, "is_forum_advocate", lambda user, course_key: False)
        # lms/urls.py: r'^courses/{COURSE_ID_PATTERN}/jump_to/(?P<location>.*)$', name 'jump_to'.
        monkeypatch.setattr(compat, "jump_to_url",
                            lambda course_key, usage_key: f"/courses/{course_key}/jump_to/{usage_key}")

        def block(xml_or_block, user):
            b = (make_block(xml_or_block, user.username) if isinstance(xml_or_block, str)
                 else make_block.as_user(xml_or_block, user.username))
            openedx.lms_runtime(b.runtime, user)
            return b

        return block

    def test_the_link_back_opens_the_blogs_unit_at_the_entry_through_jump_to(self, course, lms, call_handler):
        blog = lms(BLOG_XML, course.ann)
        forum = lms(FORUM_XML, course.bob)
        forum.runtime.render(forum, "student_view", {})
        status, entry = call_handler(blog, "create_entry", {"title": "Plan", "body": BODY, "visibility": "group"})
        assert status == 200, entry
        status, posted = call_handler(lms(blog, course.ann), "quote_entry", {
            "id": entry["id"], "forum": forum_id(forum), "excerpt": "active listening"})
        assert status == 200, posted
        thread = Thread.objects.get()
        assert thread.group_key == "cohort:7"
        placement_id = Entry.objects.get().placement_id
        assert (f'href="/courses/{COURSE_KEY}/jump_to/{blog.scope_ids.usage_id}#sls-blog-{placement_id}-entry-'
                f'{entry["id"]}"') in thread.body_html
        assert posted["warning"] == ""  # a group entry quoted into the same cohort: they may all read it
        status, page = call_handler(lms(forum, course.bob), "list_threads", {})
        assert page["threads"] == []


    def test_staff_viewing_as_the_learner_cannot_quote_in_her_name(self, course, lms, make_block, call_handler):
        blog = lms(BLOG_XML, course.ann)
        forum = lms(FORUM_XML, course.ann)
        forum.runtime.render(forum, "student_view", {})
        status, entry = call_handler(blog, "create_entry", {"title": "Plan", "body": BODY, "visibility": "course"})
        as_ann = make_block.as_user(blog, course.ann.username)
        openedx.lms_runtime(as_ann.runtime, openedx.masquerade_as(course.ann, course.staff))
        status, body = call_handler(as_ann, "quote_entry", {"id": entry["id"], "forum": forum_id(forum),
                                                            "excerpt": "active listening"})
        assert status == 403 and body["error"]["code"] == "read_only"
        assert Thread.objects.count() == 0


def test_a_context_without_a_door_reaches_nothing(course, make_context):
    from xblocks.core import reach
    from xblocks.core.errors import NotFound

    other = PlacementFactory(resource_key="a-forum", component="cohort_forum", group_scope="cohort")
    ctx = make_context(course.ann)
    assert reach.directory(ctx, "cohort_forum") == []
    with pytest.raises(NotFound):
        reach.context_in(ctx, "cohort_forum", other.id)


def test_core_records_a_placements_component_once(course, django_assert_num_queries):
    from xblocks.core import reach

    placement = PlacementFactory(resource_key="a-blog")
    with django_assert_num_queries(1):
        reach.record(placement, "reflection_blog", "cohort", "")
    with django_assert_num_queries(0):
        reach.record(placement, "reflection_blog", "cohort", "")
    placement.refresh_from_db()
    assert (placement.component, placement.group_scope, placement.teamset_id) == ("reflection_blog", "cohort", "")


def test_no_forum_is_offered_before_the_course_shows_one(course, make_block, call_handler):
    blog = make_block(BLOG_XML, "ann")
    make_block(FORUM_XML, "ann")  # in the course, but never shown to anyone yet
    status, offered = call_handler(blog, "quote_forums", {})
    assert status == 200 and offered["forums"] == []
