"""Quoting a blog entry into a forum activity of the same course through the tool: only forum activities the
learner opened from the course (same course and deployment) are offered and reached; the thread is in their
group there; its link back names the blog activity, never a token, and opens it only through a POST of a page's
token, for someone who opened the blog from the course before."""
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lti import tokens
from lti.identity import context_key
from lti.models import LtiPerson, LtiPlacement
from tests.lti import platform as platforms
from tests.lti.test_queries import in_process_platform  # noqa: F401  (fixture)
from xblocks.cohort_forum.models import Thread
from xblocks.core import groups_api

DATA = re.compile(r'<script type="application/json" class="sls-(?:blog|forum)-data">(.*?)</script>', re.S)
BODY = "I tried active listening in the Monday meeting.\n\nIt felt slow at first."


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.SOCIAL_LEARNING = {"reflection_blog": {"POSTS_PER_WINDOW": 100000}}


def launch(platform, user_id, name, component, link, cohort=None, context_id="course-1"):
    custom = {"sls_component": component, **({"cohort": cohort} if cohort else {})}
    page = platforms.ClientBrowser(platform, Client()).launch(platform.consumer(
        user_id=user_id, name=name, custom=custom, resource_link_id=link, link_title=link.title(),
        context_id=context_id))
    assert page.status_code == 200, page.content[:1000]
    html = page.content.decode()
    return json.loads(DATA.search(html).group(1))


def call(client, init, action, data=None):
    response = client.post(init["urls"][action], data=data or {}, content_type="application/json",
                           HTTP_AUTHORIZATION=init["client"]["headers"]["Authorization"])
    return response.status_code, response.json()


def token_of(init):
    return init["client"]["headers"]["Authorization"].split(" ", 1)[1]


def placement_of(link):
    return LtiPlacement.objects.get(resource_link_id=link).placement_id


@pytest.fixture
def people(in_process_platform):  # noqa: F811
    """Ann and Bob in the blog; Ann in the forum activity of cohort Antwerp (the activity names it), Bob in its
    Brussels copy; a forum of another course that Ann opened too."""
    p = in_process_platform
    ann_blog = launch(p, "ann", "Ann Peeters", "reflection_blog", "blog")
    bob_blog = launch(p, "bob", "Bob Janssens", "reflection_blog", "blog")
    ann_forum = launch(p, "ann", "Ann Peeters", "cohort_forum", "forum-antwerp", cohort="Antwerp")
    bob_forum = launch(p, "bob", "Bob Janssens", "cohort_forum", "forum-brussels", cohort="Brussels")
    launch(p, "ann", "Ann Peeters", "cohort_forum", "forum-elsewhere", cohort="Ghent", context_id="course-2")
    return {"ann_blog": ann_blog, "bob_blog": bob_blog, "ann_forum": ann_forum, "bob_forum": bob_forum}


def test_a_learner_quotes_into_the_forum_activity_they_opened_and_the_link_opens_the_blog(people, client):
    ann = people["ann_blog"]
    status, entry = call(client, ann, "create_entry", {"title": "Listening", "body": BODY, "visibility": "coach"})
    assert status == 200, entry
    status, offered = call(client, ann, "quote_forums")
    assert status == 200 and [f["title"] for f in offered["forums"]] == ["Forum-Antwerp"]
    forum_id = offered["forums"][0]["id"]
    quote = {"id": entry["id"], "forum": forum_id, "excerpt": "I tried active listening in the Monday meeting."}
    status, preview = call(client, ann, "quote_preview", quote)
    assert status == 200 and preview["group"] == "Antwerp" and "only this excerpt" in preview["warning"]
    status, posted = call(client, ann, "quote_entry", quote)
    assert status == 200, posted
    thread = Thread.objects.get()
    assert thread.placement_id == forum_id and thread.group_key == people["ann_forum"]["current_group"]["key"]
    blog_id = placement_of("blog")
    link = f"/lti/open/{blog_id}/#sls-blog-{blog_id}-entry-{entry['id']}"
    assert f'href="{link}"' in thread.body_html and "launch" not in thread.body_html

    # Bob's forum (Brussels) does not show it; Ann's does.
    assert call(client, people["bob_forum"], "list_threads")[1]["threads"] == []
    assert [t["id"] for t in call(client, people["ann_forum"], "list_threads")[1]["threads"]] == [thread.id]

    # The link back, posted with the forum page's token, answers with the blog page under a new token.
    page = client.post(f"/lti/open/{blog_id}/", {"launch": token_of(people["ann_forum"])})
    assert page.status_code == 200
    html = page.content.decode()
    blog = json.loads(DATA.search(html).group(1))
    fresh = tokens.read(token_of(blog))
    assert (fresh.placement_id, fresh.component) == (blog_id, "reflection_blog")
    assert call(client, blog, "get_entry", {"id": entry["id"]})[0] == 200
    # A GET (the link opened in a new tab, or copied) opens nothing and says where to go.
    page = client.get(f"/lti/open/{blog_id}/")
    assert page.status_code == 403 and "open it there" in page.content.decode()


def test_a_reader_who_may_not_read_the_entry_gets_the_blogs_404(people, client):
    ann = people["ann_blog"]
    status, entry = call(client, ann, "create_entry", {"title": "Private", "body": BODY, "visibility": "private"})
    page = client.post(f"/lti/open/{placement_of('blog')}/", {"launch": token_of(people["bob_forum"])})
    assert page.status_code == 200
    bob = json.loads(DATA.search(page.content.decode()).group(1))
    status, body = call(client, bob, "get_entry", {"id": entry["id"]})
    assert status == 404 and "Private" not in json.dumps(body)


def test_someone_who_never_opened_the_blog_is_told_to_open_it_from_the_course(in_process_platform, people, client):
    cara_forum = launch(in_process_platform, "cara", "Cara Maes", "cohort_forum", "forum-antwerp", cohort="Antwerp")
    page = client.post(f"/lti/open/{placement_of('blog')}/", {"launch": token_of(cara_forum)})
    assert page.status_code == 403 and "open it there" in page.content.decode()
    # Another course's activity, even one Ann opened, is not opened from this course's page.
    page = client.post(f"/lti/open/{placement_of('forum-elsewhere')}/", {"launch": token_of(people["ann_forum"])})
    assert page.status_code == 403
    # No token, or a forged one: refused.
    assert client.post(f"/lti/open/{placement_of('blog')}/", {"launch": "forged"}).status_code == 401


@pytest.mark.parametrize("target", ["forum-brussels", "forum-elsewhere", "blog"])
def test_crafted_forum_ids_are_refused_with_nothing_written(people, client, target):
    """Bob's group's forum activity (Ann never opened it), another course's forum (she did), a blog."""
    ann = people["ann_blog"]
    status, entry = call(client, ann, "create_entry", {"title": "Listening", "body": BODY, "visibility": "course"})
    quote = {"id": entry["id"], "forum": placement_of(target), "excerpt": "active listening"}
    for action in ("quote_preview", "quote_entry"):
        status, body = call(client, ann, action, quote)
        assert status == 404 and body["error"]["code"] == "not_found", body
    # Bob cannot quote Ann's entry, even into his own forum.
    status, body = call(client, people["bob_blog"], "quote_entry",
                        {**quote, "forum": placement_of("forum-brussels")})
    assert status == 404
    assert Thread.objects.count() == 0


def test_quoting_through_the_tool_costs_the_same_on_a_busy_course(in_process_platform, people, client):
    ann = people["ann_blog"]
    status, entry = call(client, ann, "create_entry", {"title": "Listening", "body": BODY, "visibility": "course"})
    quote = {"id": entry["id"], "forum": placement_of("forum-antwerp"), "excerpt": "active listening"}

    def measure():
        counts = {}
        for action in ("quote_forums", "quote_preview", "quote_entry"):
            with CaptureQueriesContext(connection) as queries:
                status, body = call(client, ann, action, quote)
            assert status == 200, body
            counts[action] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            assert client.post(f"/lti/open/{placement_of('blog')}/",
                               {"launch": token_of(people["ann_forum"])}).status_code == 200
        counts["open"] = len(queries)
        return counts

    small = measure()
    print("QUERIES", small)
    assert small["quote_forums"] <= 4 and small["quote_preview"] <= 8 and small["quote_entry"] <= 16
    for n in range(4):
        launch(in_process_platform, "ann", "Ann Peeters", "cohort_forum", f"forum-{n}", cohort="Antwerp")
        call(client, ann, "create_entry", {"title": f"More {n}", "body": BODY, "visibility": "course"})
        call(client, people["ann_forum"], "create_thread", {"title": f"Talk {n}", "body": "More"})
    groups_api.put_in_cohort(LtiPerson.objects.get(subject="bob").user, context_key(in_process_platform.url,
                                                                                   "course-1"), "Brussels")
    assert measure() == small
