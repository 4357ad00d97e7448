"""Suggestions: people who could help me learn what I want (outside my group first) and people who share my
interests, each with its reason, within what I may see."""
from xblocks.cohort_forum import api as forum_api
from xblocks.expert_finder import profiles, suggestions


def names(results):
    return [result["username"] for result in results]


def test_who_could_help_me_favours_people_outside_my_group(course, qa, finder_ctx, settings_of):
    settings = settings_of()
    profiles.save_profile(finder_ctx(course.cara), {"wants_to_learn": "negotiation"}, settings)
    profiles.note_member(finder_ctx(course.bob))
    qa(course.ann, "Negotiation with suppliers", "?", course.bob, "Negotiation starts with silence.", scope="course")
    qa(course.ann, "Negotiating a raise", "?", course.advocate, "Negotiation needs numbers.", scope="course")
    answer = suggestions.suggestions(finder_ctx(course.cara), {}, settings)
    assert names(answer["could_help"]) == ["bob", "ada"]
    first = answer["could_help"][0]
    assert first["outside_group"] and not answer["could_help"][1]["outside_group"]
    assert first["reasons"] == ["could help you learn: negotiation", "1 answer about negotiation"]


def test_people_like_me_share_interests_and_stay_within_what_i_may_see(course, finder_ctx, settings_of):
    settings = settings_of()
    profiles.save_profile(finder_ctx(course.ann), {"interests": "cycling, data"}, settings)
    profiles.save_profile(finder_ctx(course.cara), {"interests": "data, cycling, maps"}, settings)
    profiles.save_profile(finder_ctx(course.bob), {"interests": "cycling"}, settings)
    profiles.save_profile(finder_ctx(course.advocate), {"interests": "cycling", "visibility": "cohort"}, settings)
    answer = suggestions.suggestions(finder_ctx(course.ann), {}, settings)
    assert names(answer["like_me"]) == ["cara", "bob", "ada"]
    assert answer["like_me"][0]["reasons"] == ["shares 2 of your interests: cycling, data"]
    assert answer["like_me"][1]["outside_group"]
    assert answer["could_help"] == []
    # Ada keeps her profile to cohort A: Bob (cohort B) is never shown her.
    assert "ada" not in names(suggestions.suggestions(finder_ctx(course.bob), {}, settings)["like_me"])


def test_nothing_to_suggest_without_a_profile(course, finder_ctx, settings_of):
    assert suggestions.suggestions(finder_ctx(course.ann), {}, settings_of()) == {"could_help": [], "like_me": [],
                                                                                  "threads": []}


def test_threads_about_my_interests_are_a_newcomers_way_in(course, qa, forum_ctx, finder_ctx, settings_of):
    settings = settings_of()
    mine, _post = qa(course.cara, "Cycling to work in winter", "Tips?", course.ann, "Good lights.")
    qa(course.cara, "Budget templates", "?", course.ann, "Use the course's.")
    other_cohort, _post = qa(course.bob, "Cycling routes in Brussels", "?", course.bob, "The canal.")
    profiles.save_profile(finder_ctx(course.ann), {"interests": "cycling"}, settings)
    threads = suggestions.suggestions(finder_ctx(course.ann), {}, settings)["threads"]
    assert [(t["thread"], t["label"], t["where"]) for t in threads] == [(mine, "Thread started", "Cohort forum")]
    forum_api.hide(forum_ctx(course.staff, group=course.group_a), {"target": "thread", "id": mine})
    assert suggestions.suggestions(finder_ctx(course.ann), {}, settings)["threads"] == []
    assert other_cohort != mine
