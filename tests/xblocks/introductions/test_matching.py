"""Matching: the people a learner could meet, best first, each with its reasons, never from a group the learner
may not read; people of another cohort are favoured when the introductions are shared beyond cohorts."""
from xblocks.introductions import api, matching


def suggested(ctx):
    return [(p["username"], p["reasons"]) for p in matching.suggestions(ctx, {})["people"]]


def test_wants_to_learn_against_can_offer_comes_first(make_context, course, post):
    post(course.ann, learn=["SQL", "negotiation"], offer=["Excel"])
    post(course.cara, learn=["negotiation"], offer=[])  # shares a wish only
    post(course.advocate, learn=["Excel"], offer=["sql"])  # offers what Ann wants, wants what Ann offers
    assert suggested(make_context(course.ann)) == [
        ("ada", ["Can offer what you want to learn: sql", "Wants to learn what you can offer: Excel"]),
        ("cara", ["You both want to learn: negotiation"]),
    ]


def test_nobody_from_another_cohort_and_nobody_before_posting(make_context, course, post):
    assert matching.suggestions(make_context(course.ann), {}) == {"people": [], "introduced": False}
    post(course.ann, learn=["SQL"], offer=["Excel"])
    post(course.bob, learn=["Excel"], offer=["SQL"])  # a perfect match, but in cohort B
    assert suggested(make_context(course.ann)) == []
    post(course.cara, learn=["knitting"], offer=[])  # shares nothing
    assert suggested(make_context(course.ann)) == []


def test_across_the_course_another_cohort_is_favoured(make_context, course):
    def post(user, learn, offer):
        api.save_introduction(make_context(user, scope="course"), {"who": "Hi", "learn": learn, "offer": offer})

    post(course.ann, ["SQL"], ["Excel"])
    post(course.cara, ["SQL"], [])  # Ann's cohort
    post(course.bob, ["SQL"], [])  # cohort B: the same topic, another cohort
    found = suggested(make_context(course.ann, scope="course"))
    assert found == [("bob", ["You both want to learn: SQL", "From another cohort"]),
                     ("cara", ["You both want to learn: SQL"])]
