"""Profiles: saving and checking every field, the completeness meter and its prompt, what others see (the
e-mail address only when its owner chose it), vouches."""
import pytest

from tests.factories import UserFactory

from xblocks.core.errors import NotFound, PermissionDenied, ValidationError
from xblocks.expert_finder import profiles
from xblocks.expert_finder.models import Profile, Skill, Vouch


@pytest.fixture
def save(course, finder_ctx, settings_of):
    def _save(user=None, **data):
        return profiles.save_profile(finder_ctx(user or course.cara), data, settings_of())
    return _save


def test_a_new_profile_starts_empty_with_a_gentle_prompt(course, finder_ctx, settings_of):
    mine = profiles.my_profile(finder_ctx(course.cara), {}, settings_of())
    assert mine["name"] == "Cara Maes"
    assert mine["completeness"] == {"percent": 0, "prompt": "Add a headline: one line on what you do."}
    assert mine["profile"]["visibility"] == "course" and mine["profile"]["skills"] == []


def test_saving_every_field_fills_the_meter(save):
    mine = save(headline="Retail pricing analyst", about="Ten years in retail.", interests="maps, , trains ",
                wants_to_learn="negotiation", languages="Dutch, English", ask_me_about="pricing, discounts",
                contact="finder", visibility="cohort", skills=[{"name": " Pricing  strategy ", "level": 4},
                                                                {"name": "pricing strategy", "level": 1},
                                                                {"name": "", "level": 2}])
    assert mine["completeness"] == {"percent": 100, "prompt": ""}
    assert mine["profile"]["interests"] == "maps, trains"
    assert mine["profile"]["skills"] == [{"name": "Pricing strategy", "level": 4}]
    assert list(Skill.objects.values_list("name", "level")) == [("Pricing strategy", 4)]
    half = save(headline="Analyst", skills=[{"name": "Pricing", "level": 2}], ask_me_about="pricing")
    assert half["completeness"] == {"percent": 43, "prompt": "Tell a little about yourself and your work."}


@pytest.mark.parametrize("data, field", [
    ({"headline": "x" * 121}, "headline"),
    ({"about": 5}, "about"),
    ({"contact": "pigeon"}, "contact"),
    ({"visibility": "world"}, "visibility"),
    ({"skills": "pricing"}, "skills"),
    ({"skills": [{"name": "x" * 61, "level": 2}]}, "skills"),
    ({"skills": [{"name": "Pricing", "level": 9}]}, "skills"),
    ({"skills": [{"name": "Pricing", "level": True}]}, "skills"),
    ({"skills": [{"name": f"skill {i}", "level": 2} for i in range(21)]}, "skills"),
    ({"derived_opt_out": "yes"}, "derived_opt_out"),
])
def test_bad_input_is_refused_and_nothing_is_written(save, data, field):
    with pytest.raises(ValidationError) as refused:
        save(**{"headline": "Kept?", **data})
    assert field in refused.value.fields
    assert not Profile.objects.exists()


def test_others_see_the_profile_and_the_email_only_when_chosen(course, save, finder_ctx, settings_of):
    save(headline="Analyst", contact="forum", skills=[{"name": "Pricing", "level": 3}])
    seen = profiles.get_profile(finder_ctx(course.ann), {"user_id": course.cara.id}, settings_of())
    assert seen["name"] == "Cara Maes" and seen["profile"]["headline"] == "Analyst"
    assert seen["email"] == "" and seen["contact_label"] == "Ask me in the course forum"
    assert "visibility" not in seen["profile"] and "derived_opt_out" not in seen["profile"]
    save(headline="Analyst", contact="email")
    seen = profiles.get_profile(finder_ctx(course.ann), {"user_id": course.cara.id}, settings_of())
    assert seen["email"] == "cara@example.com"


def test_a_person_without_a_profile_is_found_by_nothing_but_their_page_opens_in_the_course(course, finder_ctx,
                                                                                           settings_of):
    profiles.note_member(finder_ctx(course.bob))
    seen = profiles.get_profile(finder_ctx(course.ann), {"user_id": course.bob.id}, settings_of())
    assert seen["profile"]["skills"] == [] and seen["evidence"] == []
    stranger = UserFactory(username="stranger")  # in no group of this course, never seen in it
    with pytest.raises(NotFound):
        profiles.get_profile(finder_ctx(course.ann), {"user_id": stranger.id}, settings_of())


def test_vouching_counts_once_per_topic_and_can_be_taken_back(course, save, finder_ctx, settings_of):
    save(headline="Analyst")
    ann = finder_ctx(course.ann)
    for _i in range(2):
        profiles.vouch(ann, {"user_id": course.cara.id, "topic": "Pricing"}, settings_of())
    seen = profiles.get_profile(ann, {"user_id": course.cara.id}, settings_of())
    assert seen["vouches"] == [{"topic": "Pricing", "count": 1, "mine": True}]
    assert [e["kind"] for e in seen["evidence"]] == ["vouch"]
    profiles.vouch(ann, {"user_id": course.cara.id, "topic": "pricing", "on": False}, settings_of())
    assert not Vouch.objects.exists()
    assert profiles.get_profile(ann, {"user_id": course.cara.id}, settings_of())["evidence"] == []


def test_nobody_vouches_for_themselves_or_for_nothing(course, save, finder_ctx, settings_of):
    save(headline="Analyst")
    with pytest.raises(PermissionDenied):
        profiles.vouch(finder_ctx(course.cara), {"user_id": course.cara.id, "topic": "pricing"}, settings_of())
    with pytest.raises(ValidationError):
        profiles.vouch(finder_ctx(course.ann), {"user_id": course.cara.id, "topic": "the"}, settings_of())
    with pytest.raises(ValidationError):
        profiles.vouch(finder_ctx(course.ann), {"user_id": course.cara.id, "topic": ""}, settings_of())
    assert not Vouch.objects.exists()


def test_staff_viewing_as_a_learner_cannot_write(course, finder_ctx, settings_of):
    ctx = finder_ctx(course.cara)
    ctx.read_only = "Staff view"
    with pytest.raises(PermissionDenied):
        profiles.save_profile(ctx, {"headline": "x"}, settings_of())
    assert not Profile.objects.exists()
