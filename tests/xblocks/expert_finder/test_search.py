""""Who knows about X?": evidence fed through the forum's api, word forms and misspellings, reasons, ranking,
scopes and the fixed interface ``api.search(ctx, data, settings)``."""
import datetime

import pytest
from django.db.models import F

from tests.factories import MembershipFactory, UserFactory
from xblocks.cohort_forum import api as forum_api
from xblocks.core.errors import ValidationError
from xblocks.expert_finder import profiles
from xblocks.expert_finder.models import Evidence


def names(answer):
    return [result["username"] for result in answer["results"]]


def matched(answer):
    """The people found for evidence or profile words matching the question (before the course's helpers)."""
    return [result["username"] for result in answer["results"] if result["topic_match"]]


def test_the_person_whose_answer_was_endorsed_is_found_with_the_reason(course, qa, ask):
    qa(course.ann, "How do we set prices for a new product?", "I need help with this.", course.cara,
       "Start from value-based pricing: ask customers what it is worth.", endorse_by=course.advocate)
    answer = ask(course.ann, "pricing")
    (result,) = answer["results"]
    assert result["username"] == "cara" and result["user_id"] == course.cara.id
    assert result["reasons"] == ["1 endorsed answer about pricing"]
    assert isinstance(result["score"], float) and result["score"] > 0
    (evidence,) = result["evidence"]
    assert evidence["endorsed"] and evidence["where"] == "Cohort forum" and evidence["kind"] == "reply"


def test_word_forms_and_misspellings_find_the_same_person(course, qa, ask):
    qa(course.ann, "Negotiating with suppliers", "Any advice?", course.cara, "I negotiated our contracts for years.")
    for query in ("negotiation", "negotiate", "Negotiating", "negotiatng"):
        assert names(ask(course.ann, query)) == ["cara"], query
    corrected = ask(course.ann, "negotiatng")["corrected"]
    assert corrected and corrected[0]["word"] == "negotiatng"


def test_dutch_and_french_word_forms(course, qa, ask):
    qa(course.ann, "Vergaderingen leiden", "Hoe doe je dat?", course.cara, "Ik leid elke week vergaderingen.")
    qa(course.ann, "Les réunions d'équipe", "Comment faire ?", course.advocate, "J'anime des réunions chaque jour.")
    assert matched(ask(course.ann, "vergadering")) == ["cara"]
    assert matched(ask(course.ann, "réunion")) == ["ada"]


def test_people_without_evidence_about_it_come_after_as_the_course_helpers_with_their_reason(course, qa, ask):
    qa(course.ann, "Negotiating with suppliers", "Any advice?", course.cara, "I negotiated our contracts for years.",
       scope="course")
    qa(course.ann, "Vergaderingen leiden", "Hoe doe je dat?", course.advocate, "Ik leid elke week vergaderingen.",
       endorse_by=course.advocate, voters=[course.bob], scope="course")
    answer = ask(course.ann, "negotiation")
    assert names(answer) == ["cara", "ada"]
    assert [result["topic_match"] for result in answer["results"]] == [True, False]
    assert answer["results"][0]["reasons"] == ["1 answer about negotiation"]
    assert answer["results"][1]["reasons"] == ["helps others in this course: 1 endorsed answer, upvoted 1 time"]
    # Nobody wrote about it: the most helpful first (endorsed and upvoted), never an empty list.
    nobody = ask(course.ann, "photosynthesis")
    assert names(nobody) == ["ada", "cara"]
    assert nobody["results"][1]["reasons"] == ["helps others in this course: 1 answer"]
    assert not any(result["topic_match"] for result in nobody["results"])


def test_an_endorsed_and_upvoted_answer_about_the_topic_ranks_its_author_first(course, qa, ask):
    qa(course.ann, "Counting inventory", "How?", course.cara, "We count inventory monthly.", scope="course")
    qa(course.bob, "Inventory audits", "When?", course.advocate, "Inventory audits happen yearly.",
       endorse_by=course.advocate, voters=[course.ann, course.bob], scope="course")
    assert matched(ask(course.bob, "inventory")) == ["ada", "cara"]


def test_a_long_question_is_read_for_the_words_people_wrote_about(course, qa, ask):
    qa(course.ann, "Counting inventory", "How?", course.cara, "We count inventory monthly.", scope="course")
    qa(course.ann, "Onboarding new hires", "How?", course.advocate, "Our onboarding takes a week.", scope="course")
    question = ("Hello everyone, I have been wondering about something for quite a while now and " * 8
                + "how should a small shop count its inventory?")
    assert len(question) > 600
    answer = ask(course.bob, question)
    assert matched(answer) == ["cara"] and names(answer) == ["cara", "ada"]
    assert answer["results"][0]["reasons"] == ["1 answer about count, inventory"]


def test_endorsed_and_upvoted_answers_rank_above_plain_ones(course, qa, ask):
    dave = UserFactory(username="dave")
    MembershipFactory(group=course.cohort_a, user=dave)
    qa(course.ann, "Forecasting demand", "How?", dave, "Forecasting is hard, I tried a spreadsheet once.")
    qa(course.ann, "Demand forecasting models", "Which model?", course.cara,
       "For forecasting, seasonal models work well.", endorse_by=course.advocate, voters=(course.ann,))
    answer = ask(course.ann, "forecasting")
    assert names(answer) == ["cara", "dave"]
    assert answer["results"][0]["reasons"] == ["1 endorsed answer about forecasting", "upvoted 1 time"]
    assert answer["results"][1]["reasons"] == ["1 answer about forecasting"]


def test_evidence_fades_with_age(course, qa, ask):
    qa(course.ann, "Budget planning", "Tips?", course.cara, "Plan the budget per quarter.")
    fresh = ask(course.ann, "budget")["results"][0]["score"]
    Evidence.objects.update(created=F("created") - datetime.timedelta(days=365))  # a year has gone by
    assert ask(course.ann, "budget")["results"][0]["score"] < fresh
    year_later = ask(course.ann, "budget", half_life_days=3650)["results"][0]["score"]
    assert ask(course.ann, "budget")["results"][0]["score"] < year_later < fresh


def test_self_declared_skills_and_vouches_count_and_are_said(course, ask, finder_ctx, settings_of):
    settings = settings_of()
    profiles.save_profile(finder_ctx(course.cara), {"headline": "Retail analyst",
                                                    "skills": [{"name": "Pricing", "level": 3}]}, settings)
    profiles.vouch(finder_ctx(course.ann), {"user_id": course.cara.id, "topic": "pricing"}, settings)
    profiles.vouch(finder_ctx(course.advocate), {"user_id": course.cara.id, "topic": "prices"}, settings)
    (result,) = ask(course.ann, "pricing")["results"]
    assert result["reasons"] == ["vouched by 2 peers", "self-rated advanced in Pricing"]


def test_who_may_be_found_follows_the_scope(course, qa, forum_ctx, ask):
    # Bob (cohort B) answered in the course-wide Q&A: the whole course reads it.
    qa(course.ann, "Onboarding new hires", "How?", course.bob, "Our onboarding takes a week.", scope="course")
    assert names(ask(course.ann, "onboarding", scope="course")) == ["bob"]
    assert names(ask(course.ann, "onboarding", scope="cohort")) == []
    assert names(ask(course.cara, "onboarding", scope="course")) == ["bob"]


def test_the_platform_scope_needs_the_authors_leave(course, ask):
    with pytest.raises(ValidationError) as refused:
        ask(course.ann, "pricing", scope="platform")
    assert refused.value.fields == {"scope": refused.value.message}
    assert ask(course.ann, "pricing", scope="platform", allow_platform=True)["results"] == []


def test_the_searcher_is_not_among_the_results_and_pages_go_on(course, qa, ask, settings):
    settings.SOCIAL_LEARNING = {"expert_finder": {"RESULTS_PER_PAGE": 1}}
    qa(course.ann, "Coaching juniors", "How?", course.cara, "Coaching works best weekly.")
    qa(course.cara, "Coaching seniors", "How?", course.ann, "Coaching seniors is different.")
    qa(course.ann, "Coaching remote", "How?", course.advocate, "Coaching remote people needs video.")
    first = ask(course.ann, "coaching")
    assert len(first["results"]) == 1 and first["has_more"]
    second = ask(course.ann, "coaching", page=2)
    assert not second["has_more"]
    assert {names(first)[0], names(second)[0]} == {"cara", "ada"}


def test_bad_input_is_refused_with_a_message(course, ask):
    with pytest.raises(ValidationError):
        ask(course.ann, "x" * 1001)
    with pytest.raises(ValidationError):
        ask(course.ann, "pricing", scope="galaxy")
    assert ask(course.ann, "the of and")["results"] == []


def test_settings_choose_which_evidence_counts(course, qa, ask):
    qa(course.ann, "Inventory counts", "How?", course.cara, "We count inventory monthly.")
    assert names(ask(course.ann, "inventory")) == ["cara"]
    assert names(ask(course.ann, "inventory", count_forum=False)) == []


def test_feeding_a_history_through_the_forum_api_builds_evidence(course, qa, forum_ctx):
    _thread, post = qa(course.ann, "Logistics", "?", course.cara, "Logistics answer.", endorse_by=course.advocate,
                       voters=(course.ann, course.advocate))
    row = Evidence.objects.get(user=course.cara, kind="reply")
    assert row.endorsed and row.upvotes == 2 and row.audience == course.group_a
    forum_api.vote(forum_ctx(course.ann), {"target": "post", "id": post, "on": False})
    forum_api.vote(forum_ctx(course.ann), {"target": "post", "id": post, "on": False})  # idempotent
    forum_api.endorse(forum_ctx(course.advocate), {"id": post, "on": False})
    row.refresh_from_db()
    assert not row.endorsed and row.upvotes == 1
