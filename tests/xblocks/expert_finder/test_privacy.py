"""Privacy, path by path: who may find a profile, and evidence from anything private, coach-only, hidden, deleted,
anonymous or in another group is never counted or shown; when an item's readers change, the evidence follows at
once."""
import pytest

from tests.factories import MembershipFactory, PlacementFactory, UserFactory
from xblocks.cohort_forum import api as forum_api
from xblocks.core.errors import NotFound, ValidationError
from xblocks.core.signals import user_retired
from xblocks.expert_finder import ask, profiles
from xblocks.expert_finder.models import Evidence, EvidenceTerm, Message, Profile, ProfileTerm, Vouch
from xblocks.reflection_blog import api as blog_api
from xblocks.reflection_blog.frontdoor import BLOG


def names(answer):
    return [result["username"] for result in answer["results"]]


@pytest.fixture
def cara_knows_pricing(course, finder_ctx, settings_of):
    def _set(visibility, **more):
        profiles.save_profile(finder_ctx(course.cara), {"skills": [{"name": "Pricing", "level": 4}],
                                                        "visibility": visibility, **more},
                              settings_of(allow_platform=True))
    return _set


def test_a_cohort_profile_is_never_found_from_outside_the_cohort(course, cara_knows_pricing, ask, finder_ctx,
                                                                 settings_of):
    cara_knows_pricing("cohort")
    profiles.note_member(finder_ctx(course.bob))
    assert names(ask(course.ann, "pricing", scope="cohort")) == ["cara"]
    for scope in ("cohort", "course"):
        assert names(ask(course.bob, "pricing", scope=scope)) == []
    assert names(ask(course.bob, "pricing", scope="platform", allow_platform=True)) == []
    with pytest.raises(NotFound):
        profiles.get_profile(finder_ctx(course.bob), {"user_id": course.cara.id}, settings_of())
    with pytest.raises(NotFound):
        profiles.vouch(finder_ctx(course.bob), {"user_id": course.cara.id, "topic": "pricing"}, settings_of())
    assert not Vouch.objects.exists()


def test_a_course_profile_is_found_in_the_course_and_a_platform_one_beyond_it(course, cara_knows_pricing, ask,
                                                                                 make_context, settings_of):
    from xblocks.expert_finder import api

    cara_knows_pricing("course")
    assert names(ask(course.bob, "pricing")) == ["cara"]
    elsewhere = PlacementFactory(context_key="course-v1:Other+SLS+2026", resource_key="finder-elsewhere")
    zoe = UserFactory(username="zoe")
    ctx = make_context(zoe, placement=elsewhere, scope="course")
    settings = settings_of(allow_platform=True)
    assert names(api.search(ctx, {"q": "pricing", "scope": "platform"}, settings)) == []
    cara_knows_pricing("platform")
    assert names(api.search(ctx, {"q": "pricing", "scope": "platform"}, settings)) == ["cara"]
    with pytest.raises(ValidationError):  # a course that keeps profiles to itself does not look beyond it
        api.search(ctx, {"q": "pricing", "scope": "platform"}, settings_of(allow_platform=False))
    assert names(api.search(ctx, {"q": "pricing", "scope": "course"}, settings)) == []


def test_the_platform_level_is_refused_where_the_author_does_not_allow_it(course, finder_ctx, settings_of):
    with pytest.raises(ValidationError) as refused:
        profiles.save_profile(finder_ctx(course.cara), {"visibility": "platform"}, settings_of())
    assert "visibility" in refused.value.fields and not Profile.objects.exists()


def test_a_hidden_or_deleted_forum_post_is_never_counted_or_shown(course, qa, ask, forum_ctx, finder_ctx,
                                                                  settings_of):
    thread, post = qa(course.ann, "Pricing a service", "How?", course.cara, "Price by value.",
                      endorse_by=course.advocate)
    assert names(ask(course.ann, "pricing")) == ["cara"]
    forum_api.hide(forum_ctx(course.staff, group=course.group_a), {"target": "post", "id": post})
    assert names(ask(course.ann, "pricing")) == []
    assert profiles.get_profile(finder_ctx(course.ann), {"user_id": course.cara.id}, settings_of())["evidence"] == []
    forum_api.hide(forum_ctx(course.staff, group=course.group_a), {"target": "post", "id": post, "on": False})
    assert names(ask(course.ann, "pricing")) == ["cara"]
    # Hiding the thread takes its replies with it, and showing it brings them back.
    forum_api.hide(forum_ctx(course.staff, group=course.group_a), {"target": "thread", "id": thread})
    assert names(ask(course.ann, "pricing")) == []
    forum_api.hide(forum_ctx(course.staff, group=course.group_a), {"target": "thread", "id": thread, "on": False})
    assert names(ask(course.ann, "pricing")) == ["cara"]
    forum_api.delete(forum_ctx(course.staff, group=course.group_a), {"target": "post", "id": post})
    assert names(ask(course.ann, "pricing")) == []
    assert profiles.get_profile(finder_ctx(course.ann), {"user_id": course.cara.id}, settings_of())["evidence"] == []


def test_an_anonymous_answer_is_never_recorded(course, forum_ctx, ask):
    thread = forum_api.create_thread(forum_ctx(course.ann), {"title": "Salary talks", "body": "?"})["id"]
    forum_api.create_reply(forum_ctx(course.cara), {"thread": thread, "body": "Salary ranges first.",
                                                    "anonymous": True}, allow_anonymous=True)
    assert not Evidence.objects.filter(user=course.cara).exists()
    assert names(ask(course.ann, "salary")) == []


def test_another_cohorts_forum_is_not_evidence_for_me(course, qa, ask):
    bea = UserFactory(username="bea")
    MembershipFactory(group=course.cohort_b, user=bea)
    qa(course.bob, "Pricing in cohort B", "?", bea, "Price by value.")
    assert names(ask(course.bob, "pricing")) == ["bea"]
    assert names(ask(course.ann, "pricing")) == []


@pytest.fixture
def blog_ctx(make_context, places):
    def _make(user, group=None):
        return make_context(user, placement=places.blog, group=group)
    return _make


def _entry(blog_ctx, user, visibility):
    return blog_api.create_entry(blog_ctx(user), {"title": "Pricing at work", "body": "I priced our new service.",
                                                  "tags": ["pricing"], "visibility": visibility}, BLOG.defaults)["id"]


@pytest.mark.parametrize("level", ["private", "coach"])
def test_a_private_or_coach_only_reflection_is_never_counted(course, blog_ctx, ask, level):
    _entry(blog_ctx, course.cara, level)
    assert not Evidence.objects.exists() and not EvidenceTerm.objects.exists()
    assert names(ask(course.ann, "pricing")) == []


def test_a_reflection_counts_while_shared_and_follows_its_readers(course, blog_ctx, ask, finder_ctx, settings_of):
    entry = _entry(blog_ctx, course.cara, "group")
    assert names(ask(course.ann, "pricing")) == ["cara"]
    assert ask(course.ann, "pricing")["results"][0]["reasons"] == ["1 shared reflection about pricing"]
    assert names(ask(course.bob, "pricing")) == []  # shared with cohort A only
    blog_api.set_visibility(blog_ctx(course.cara), {"id": entry, "visibility": "course"}, BLOG.defaults)
    assert names(ask(course.bob, "pricing")) == ["cara"]
    blog_api.set_visibility(blog_ctx(course.cara), {"id": entry, "visibility": "private"}, BLOG.defaults)
    assert names(ask(course.ann, "pricing")) == [] and not Evidence.objects.exists()
    blog_api.set_visibility(blog_ctx(course.cara), {"id": entry, "visibility": "course"}, BLOG.defaults)
    assert names(ask(course.ann, "pricing")) == ["cara"]
    blog_api.hide(blog_ctx(course.staff, group=course.group_a), {"target": "entry", "id": entry})
    assert names(ask(course.ann, "pricing")) == []
    assert profiles.get_profile(finder_ctx(course.ann), {"user_id": course.cara.id}, settings_of())["evidence"] == []
    blog_api.hide(blog_ctx(course.staff, group=course.group_a), {"target": "entry", "id": entry, "on": False})
    assert names(ask(course.ann, "pricing")) == ["cara"]
    blog_api.delete_entry(blog_ctx(course.cara), {"id": entry})
    assert names(ask(course.ann, "pricing")) == []


def test_opting_out_of_derived_expertise(course, qa, ask, cara_knows_pricing, finder_ctx, settings_of):
    qa(course.ann, "Forecasting", "?", course.cara, "Forecasting by season.", endorse_by=course.advocate)
    assert names(ask(course.ann, "forecasting")) == ["cara"]
    cara_knows_pricing("course", derived_opt_out=True)
    assert names(ask(course.ann, "forecasting")) == []
    assert names(ask(course.ann, "pricing")) == ["cara"]
    assert profiles.get_profile(finder_ctx(course.ann), {"user_id": course.cara.id}, settings_of())["evidence"] == []


def test_a_retired_person_leaves_nothing_behind(course, qa, cara_knows_pricing, finder_ctx, settings_of):
    qa(course.ann, "Forecasting", "?", course.cara, "Forecasting by season.")
    cara_knows_pricing("course")
    profiles.vouch(finder_ctx(course.cara), {"user_id": course.ann.id, "topic": "budgets"}, settings_of())
    ask.ask(finder_ctx(course.bob), {"user_id": course.cara.id, "title": "Lunch?"}, settings_of())
    user_retired.send(sender=None, user=course.cara)
    assert not Message.objects.exists()
    assert not Evidence.objects.filter(user=course.cara).exists()
    assert not Evidence.objects.filter(actor=course.cara).exists()
    assert not Profile.objects.filter(user=course.cara).exists()
    assert not ProfileTerm.objects.filter(user=course.cara).exists()
    assert not Vouch.objects.exists()


def test_many_contributions_hidden_at_once_cost_two_statements(course, qa, ask, django_assert_num_queries):
    from xblocks.core.signals import contribution_changed

    posts = [qa(course.ann, f"Pricing {i}", "?", course.cara, f"Price by value, take {i}.")[1] for i in range(3)]
    assert names(ask(course.ann, "pricing")) == ["cara"]
    with django_assert_num_queries(4):  # the two updates, in a savepoint
        contribution_changed.send(sender=None, component="cohort_forum", placement=None, user_id=None,
                                  object_type="post", object_id=None, object_ids=posts, group_key=None,
                                  visibility=None)
    assert names(ask(course.ann, "pricing")) == []
