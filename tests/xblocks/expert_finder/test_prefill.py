"""An introduction prefills the expert finder's profile only when its author ticks the box: what they want to learn
and what they can offer join their profile (nothing they wrote there is changed), and people of the course then
find them by what they offer."""
from tests.factories import PlacementFactory
from xblocks.expert_finder import profiles
from xblocks.expert_finder.models import Profile
from xblocks.introductions import api as intro_api
from xblocks.introductions.frontdoor import INTRODUCTIONS


def introduce(make_context, user, share, learn=("negotiation",), offer=("pivot tables", "budgeting")):
    placement = PlacementFactory(resource_key="introductions-of-the-course", title="Meet your group")
    ctx = make_context(user, placement=placement)
    data = {"who": "Hello, I work in finance.", "learn": list(learn), "offer": list(offer), "share_profile": share}
    return intro_api.save_introduction(ctx, data, dict(INTRODUCTIONS.defaults))


def test_without_consent_the_profile_is_left_alone(course, make_context):
    introduce(make_context, course.cara, share=False)
    assert not Profile.objects.filter(user=course.cara).exists()


def test_with_consent_an_introduction_fills_the_profile_and_the_person_is_found(course, make_context, ask):
    assert [r["username"] for r in ask(course.ann, "pivot tables")["results"]] == []
    introduce(make_context, course.cara, share=True)
    profile = Profile.objects.get(user=course.cara)
    assert (profile.wants_to_learn, profile.ask_me_about) == ("negotiation", "pivot tables, budgeting")
    assert profile.visibility == profiles.DEFAULT_VISIBILITY
    (found,) = ask(course.ann, "pivot tables")["results"]
    assert found["username"] == "cara"


def test_what_the_person_wrote_in_their_profile_stays(course, make_context, finder_ctx, settings_of):
    profiles.save_profile(finder_ctx(course.cara), {
        "headline": "Finance", "wants_to_learn": "Negotiation, Python", "ask_me_about": "expense claims",
        "visibility": "cohort", "skills": [{"name": "Budgeting", "level": 4}]}, settings_of())
    introduce(make_context, course.cara, share=True)
    profile = Profile.objects.get(user=course.cara)
    assert profile.headline == "Finance" and profile.visibility == "cohort"
    assert profile.wants_to_learn == "Negotiation, Python"  # "negotiation" is there already, in another case
    assert profile.ask_me_about == "expense claims, pivot tables, budgeting"
    assert [(s.name, s.level) for s in profile.skills.all()] == [("Budgeting", 4)]
