"""Checking a piece of evidence: shown as its component shows it to the searcher, through that component's api,
and never to someone who may not read it."""
import pytest

from xblocks.cohort_forum import api as forum_api
from xblocks.core.errors import NotFound
from xblocks.expert_finder import api
from xblocks.expert_finder.models import Evidence
from xblocks.reflection_blog import api as blog_api
from xblocks.reflection_blog.frontdoor import BLOG


def test_a_forum_answer_opens_for_who_may_read_it(course, qa, finder_ctx, forum_ctx, settings_of):
    _thread, post = qa(course.ann, "Pricing a service", "?", course.cara, "Price by **value**.",
                       endorse_by=course.advocate)
    (result,) = api.search(finder_ctx(course.ann), {"q": "pricing"}, settings_of())["results"]
    evidence_id = result["evidence"][0]["id"]
    shown = api.open_evidence(finder_ctx(course.ann), {"id": evidence_id}, settings_of())
    assert shown["title"] == "Pricing a service" and shown["author"] == "Cara Maes" and shown["endorsed"]
    assert shown["html"] == "<p>Price by <strong>value</strong>.</p>\n" and shown["where"] == "Cohort forum"
    with pytest.raises(NotFound):  # cohort B does not read cohort A's forum
        api.open_evidence(finder_ctx(course.bob), {"id": evidence_id}, settings_of())
    forum_api.hide(forum_ctx(course.staff, group=course.group_a), {"target": "post", "id": post})
    with pytest.raises(NotFound):
        api.open_evidence(finder_ctx(course.ann), {"id": evidence_id}, settings_of())


def test_a_shared_reflection_opens_until_it_is_private(course, make_context, places, finder_ctx, settings_of):
    ctx = make_context(course.cara, placement=places.blog)
    entry = blog_api.create_entry(ctx, {"title": "Pricing at work", "body": "I priced our *new* service.",
                                        "tags": ["pricing"], "visibility": "course"}, BLOG.defaults)["id"]
    evidence_id = Evidence.objects.get(object_id=entry, component="reflection_blog").id
    shown = api.open_evidence(finder_ctx(course.bob), {"id": evidence_id}, settings_of())
    assert shown["title"] == "Pricing at work" and "<em>new</em>" in shown["html"]
    blog_api.set_visibility(ctx, {"id": entry, "visibility": "private"}, BLOG.defaults)
    with pytest.raises(NotFound):
        api.open_evidence(finder_ctx(course.bob), {"id": evidence_id}, settings_of())
    with pytest.raises(NotFound):
        api.open_evidence(finder_ctx(course.cara), {"id": evidence_id}, settings_of())
