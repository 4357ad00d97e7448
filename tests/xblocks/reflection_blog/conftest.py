"""Fixtures of the blog's tests: the author settings, a front door's context for a person, and writing an entry.

The course (root ``conftest.py``): Ann and Cara in cohort A, Bob in cohort B, Sam staff (who coaches everyone
while no coach is assigned), Ada an advocate in cohort A.
"""
import pytest

from xblocks.reflection_blog import api
from xblocks.reflection_blog.frontdoor import BLOG


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.SOCIAL_LEARNING = {"reflection_blog": {"POSTS_PER_WINDOW": 100000}}


@pytest.fixture
def blog_settings():
    return {**BLOG.defaults, "author_tags": "module 1, at work, question"}


@pytest.fixture
def ctx_of(make_context):
    """``ctx_of(user, group=None, events=None)``: the context a front door builds for that person."""
    def _ctx(user, group=None, events=None):
        return make_context(user, group=group, events=events)

    return _ctx


@pytest.fixture
def write(ctx_of, blog_settings):
    """``write(user, title=..., body=..., visibility=..., tags=[...], **more)``: the entry as the api returns it."""
    def _write(user, title="What I tried", body="I tried **active listening** at work.", visibility="course",
               **more):
        data = {"title": title, "body": body, "visibility": visibility, **more}
        return api.create_entry(ctx_of(user), data, blog_settings)

    return _write
