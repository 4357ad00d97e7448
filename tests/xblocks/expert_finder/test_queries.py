"""SQL queries per request of the expert finder: the same whatever the number of people and evidence, and within
a budget. Each request is measured as a front door serves it (placement, roles, group, then the api)."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import COURSE_KEY
from xblocks.core.context import build_context, get_placement, local_roles
from xblocks.core.groups import LocalGroups
from xblocks.core.models import LocalGroupMembership, Placement
from xblocks.expert_finder import api, ask, profiles, suggestions
from xblocks.expert_finder import terms as terms_mod
from xblocks.expert_finder.frontdoor import FINDER
from xblocks.expert_finder.models import Evidence, EvidenceTerm, Membership, Profile, ProfileTerm, Skill

# Reads: a search is at most 12 (with a misspelled word: the trigram candidates and their words; the course's
# newest contributions for each person's helpfulness).
READ_BUDGET = 12
# Suggestions: my profile and skills, the search over what I want to learn, who shares my interests, then the
# threads about them (my groups, the threads, which are hidden).
SUGGESTIONS_BUDGET = 16
# Asking: who the person is, the forum both read and its placement, then the forum's own thread creation (its
# api's write budget), with what the finder's receivers record when the forum tells of the new thread (its
# topic words, the evidence row and its words, the vocabulary, the membership, in a savepoint): so this also
# measures that the receivers' cost does not grow with the finder's data.
ASK_BUDGET = 23
WRITE_BUDGET = 15
SETTINGS = {**FINDER.defaults, "allow_platform": True}
TOPICS = ("pricing", "forecasting", "negotiation", "budgeting", "coaching", "logistics", "onboarding", "hiring")


def front_door(user):
    placement = get_placement(Placement.LOCAL, COURSE_KEY, "finder-under-test")
    return build_context(user=user, placement=placement, scope="cohort", roles=local_roles(user, COURSE_KEY),
                         backend=LocalGroups(), requested_group=None)


def seed(course, people, per_person):
    """``people`` learners in cohort A with a profile and ``per_person`` pieces of evidence each, on rotating topics."""
    placement = get_placement(Placement.LOCAL, COURSE_KEY, "forum-of-cohorts")
    users = get_user_model().objects.bulk_create([get_user_model()(username=f"p{people}-{i}") for i in range(people)])
    LocalGroupMembership.objects.bulk_create([LocalGroupMembership(group=course.cohort_a, user=u, context_key=COURSE_KEY,
                                                                   kind="cohort") for u in users])
    Membership.objects.bulk_create([Membership(user=u, context_key=COURSE_KEY, group_key=key) for u in users
                                    for key in ("course", course.group_a)])
    now = timezone.now()
    profile_rows = Profile.objects.bulk_create([Profile(user=u, headline="Analyst", updated=now) for u in users])
    Skill.objects.bulk_create([Skill(profile=p, name=TOPICS[i % len(TOPICS)], level=1 + i % 4)
                               for i, p in enumerate(profile_rows)])
    tokens = {}
    term_rows, evidence_rows = [], []
    for i, user in enumerate(users):
        topic = TOPICS[i % len(TOPICS)]
        for token in terms_mod.word_tokens(topic):
            tokens[token] = topic
            term_rows.append(ProfileTerm(user=user, token=token, field="skill", label=topic, level=1 + i % 4))
        for j in range(per_person):
            evidence_rows.append(Evidence(
                user=user, component="cohort_forum", placement=placement, context_key=COURSE_KEY,
                audience=course.group_a, object_type="post", object_id=people * 1000 + i * per_person + j,
                kind="reply", upvotes=j % 3, endorsed=j % 5 == 0, created=now - timedelta(days=j)))
    ProfileTerm.objects.bulk_create(term_rows)
    evidence_rows = Evidence.objects.bulk_create(evidence_rows, batch_size=2000)
    EvidenceTerm.objects.bulk_create([
        EvidenceTerm(evidence=e, context_key=COURSE_KEY, token=token, weight=2, created=e.created)
        for n, e in enumerate(evidence_rows) for token in terms_mod.word_tokens(TOPICS[(n + e.object_id) % len(TOPICS)])
    ], batch_size=5000)
    terms_mod.remember(tokens)
    return users


REQUESTS = {
    "search course": lambda ctx, other: api.search(ctx, {"q": "pricing forecasting", "scope": "course"}, SETTINGS),
    "search cohort": lambda ctx, other: api.search(ctx, {"q": "pricing", "scope": "cohort"}, SETTINGS),
    "search platform": lambda ctx, other: api.search(ctx, {"q": "coaching", "scope": "platform"}, SETTINGS),
    "search misspelled": lambda ctx, other: api.search(ctx, {"q": "negotiaton", "scope": "course"}, SETTINGS),
    "search page 2": lambda ctx, other: api.search(ctx, {"q": "logistics", "page": 2}, SETTINGS),
    "profile": lambda ctx, other: profiles.get_profile(ctx, {"user_id": other.id}, SETTINGS),
    "my profile": lambda ctx, other: profiles.my_profile(ctx, {}, SETTINGS),
    "suggestions": lambda ctx, other: suggestions.suggestions(ctx, {}, SETTINGS),
}
WRITES = {
    "save profile": lambda ctx, other: profiles.save_profile(ctx, {
        "headline": "Buyer", "skills": [{"name": "Pricing", "level": 3}, {"name": "Hiring", "level": 2}],
        "interests": "pricing, trains", "wants_to_learn": "forecasting", "about": "I buy things for a living."},
        SETTINGS),
    "ask": lambda ctx, other: ask.ask(ctx, {"user_id": other.id, "title": f"A question for {other.username}"},
                                      SETTINGS),
    "vouch": lambda ctx, other: profiles.vouch(ctx, {"user_id": other.id, "topic": f"topic {other.username}"},
                                               SETTINGS),
}


def measure(course, people, per_person):
    """Queries of each request, after one of each was made (the placement known, Ann's profile saved)."""
    users = seed(course, people, per_person)
    for name, request in {**REQUESTS, **WRITES}.items():
        request(front_door(course.ann), users[0])
    counts = {}
    for name, request in {**REQUESTS, **WRITES}.items():
        with CaptureQueriesContext(connection) as queries:
            answer = request(front_door(course.ann), users[1])
        counts[name] = len(queries)
        if name.startswith("search") and name != "search page 2":
            assert answer["results"], name  # the measure is of a search that finds people
    return counts


@pytest.mark.django_db
def test_queries_do_not_grow_with_people_and_evidence(course):
    small = measure(course, 20, 5)
    large = measure(course, 200, 25)
    assert small == large
    for name, count in small.items():
        budget = {"suggestions": SUGGESTIONS_BUDGET, "ask": ASK_BUDGET}.get(
            name, WRITE_BUDGET if name in WRITES else READ_BUDGET)
        assert count <= budget, (name, count)
