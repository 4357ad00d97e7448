"""Fixtures of the expert finder's tests: a finder and a cohort forum in the test course, and ``finder_ctx`` /
``forum_ctx`` to act in them as a person, as the front doors do."""
import types

import pytest

from tests.factories import PlacementFactory
from xblocks.expert_finder.frontdoor import FINDER


@pytest.fixture
def places(course):
    return types.SimpleNamespace(
        finder=PlacementFactory(resource_key="finder-under-test", title="Who knows?"),
        forum=PlacementFactory(resource_key="forum-of-cohorts", title="Cohort forum"),
        qa=PlacementFactory(resource_key="forum-of-the-course", title="Course Q&A"),
        blog=PlacementFactory(resource_key="blog-under-test", title="Reflection blog"),
    )


@pytest.fixture
def finder_ctx(make_context, places):
    def _make(user, scope="cohort"):
        return make_context(user, placement=places.finder, scope=scope)
    return _make


@pytest.fixture
def forum_ctx(make_context, places):
    def _make(user, scope="cohort", group=None):
        return make_context(user, placement=places.forum if scope == "cohort" else places.qa, scope=scope,
                            group=group)
    return _make


@pytest.fixture
def settings_of():
    def _make(**changes):
        return {**FINDER.defaults, **changes}
    return _make


@pytest.fixture
def ask(finder_ctx, settings_of):
    """``ask(user, q, scope="course", **settings)``: the search's answer for that person."""
    from xblocks.expert_finder import api

    def _ask(user, q, scope="course", page=None, **changes):
        data = {"q": q, "scope": scope}
        if page:
            data["page"] = page
        return api.search(finder_ctx(user), data, settings_of(**changes))
    return _ask


@pytest.fixture
def qa(forum_ctx):
    """``qa(asker, title, body, answerer, answer, endorse_by=None, voters=(), scope="cohort")``: a question and an
    answer through the forum's api; returns (thread id, post id)."""
    from xblocks.cohort_forum import api as forum_api

    def _qa(asker, title, body, answerer, answer, endorse_by=None, voters=(), scope="cohort"):
        thread = forum_api.create_thread(forum_ctx(asker, scope), {"kind": "question", "title": title,
                                                                  "body": body})["id"]
        post = forum_api.create_reply(forum_ctx(answerer, scope), {"thread": thread, "body": answer})["id"]
        for voter in voters:
            forum_api.vote(forum_ctx(voter, scope), {"target": "post", "id": post})
        if endorse_by is not None:
            forum_api.endorse(forum_ctx(endorse_by, scope), {"id": post})
        return thread, post
    return _qa
