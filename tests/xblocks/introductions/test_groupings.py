"""Groups for a live session: everyone placed in groups of the chosen size, the best matches together, pairs of an
earlier session not repeated, saved only when everyone is in exactly one group, for course staff only."""
import pytest
from django.contrib.auth import get_user_model

from xblocks.core.errors import PermissionDenied, ValidationError
from xblocks.core.models import LocalGroupMembership
from xblocks.introductions import groupings
from xblocks.introductions.frontdoor import INTRODUCTIONS

SETTINGS = {**INTRODUCTIONS.defaults, "sessions": "2027-03-25 18:00 | 20:00 | One\n2027-04-01 18:00 | 20:00 | Two"}


@pytest.fixture
def cohort(course, post):
    """Cohort A with six learners: Ann, Cara, Ada and three more; Ann and Dan match (SQL against SQL)."""
    extra = []
    for name in ("dan", "eve", "fay"):
        user = get_user_model().objects.create(username=name, first_name=name.title())
        LocalGroupMembership.objects.create(group=course.cohort_a, user=user, context_key=course.key, kind="cohort")
        extra.append(user)
    post(course.ann, learn=["SQL"], offer=["Excel"])
    post(extra[0], learn=["Excel"], offer=["SQL"])
    post(course.cara, learn=["knitting"], offer=[])
    return [course.ann, course.cara, course.advocate] + extra


def ids(result):
    return [sorted(member["id"] for member in group) for group in result["groups"]]


def test_everyone_is_placed_and_the_best_match_is_together(make_context, course, cohort):
    staff = make_context(course.staff, group=course.group_a)
    result = groupings.suggest_groups(staff, {"session": 0, "size": 2}, SETTINGS)
    groups = ids(result)
    assert sorted(uid for group in groups for uid in group) == sorted(u.id for u in cohort)
    assert [len(group) for group in groups] == [2, 2, 2]
    assert sorted([course.ann.id, cohort[3].id]) in groups
    trios = ids(groupings.suggest_groups(staff, {"session": 0, "size": 4}, SETTINGS))
    assert sorted(len(group) for group in trios) == [6]  # six people in groups of four: one group, nobody alone


def test_pairs_of_an_earlier_session_are_not_repeated(make_context, course, cohort):
    staff = make_context(course.staff, group=course.group_a)
    first = groupings.suggest_groups(staff, {"session": 0, "size": 2}, SETTINGS)
    groupings.save_groups(staff, {"session": 0, "groups": ids(first)}, SETTINGS)
    second = groupings.suggest_groups(staff, {"session": 1, "size": 2}, SETTINGS)
    assert second["repeats"] == 0
    earlier = {frozenset(group) for group in ids(first)}
    assert not earlier & {frozenset(group) for group in ids(second)}
    assert groupings.saved_groups(staff, {"session": 0}, SETTINGS)["groups"] == first["groups"]
    assert groupings.saved_groups(staff, {"session": 1}, SETTINGS) == {"groups": [], "repeats": 0, "session": 1,
                                                                       "saved": False}


def test_saving_needs_everyone_exactly_once(make_context, course, cohort):
    staff = make_context(course.staff, group=course.group_a)
    everyone = [u.id for u in cohort]
    for groups in ([everyone[:-1]], [everyone, [everyone[0]]], [everyone + [course.bob.id]], "all", [[]]):
        with pytest.raises(ValidationError):
            groupings.save_groups(staff, {"session": 0, "groups": groups}, SETTINGS)
    with pytest.raises(ValidationError):
        groupings.suggest_groups(staff, {"session": 2, "size": 2}, SETTINGS)
    with pytest.raises(ValidationError):
        groupings.suggest_groups(staff, {"session": 0, "size": 1}, SETTINGS)
    assert groupings.save_groups(staff, {"session": 0, "groups": [everyone[:3], everyone[3:]]}, SETTINGS)["saved"]


def test_only_staff(make_context, course, cohort):
    for action in (groupings.suggest_groups, groupings.saved_groups, groupings.save_groups):
        with pytest.raises(PermissionDenied):
            action(make_context(course.ann), {"session": 0, "size": 2, "groups": [[course.ann.id]]}, SETTINGS)


@pytest.mark.parametrize("size", [2, 3, 5])
def test_a_cohort_of_two_thousand_is_placed_whole_and_rotates(size):
    import random  # pylint: disable=import-outside-toplevel

    randomly = random.Random(12)
    topics = [f"topic {i}" for i in range(40)]
    people = list(range(1, 2001))
    profiles = {uid: (set(randomly.sample(topics, 3)), set(randomly.sample(topics, 2)), f"cohort:{uid % 4}")
                for uid in people}
    first = groupings.place(people, profiles, set(), size)
    assert sorted(uid for group in first for uid in group) == people
    assert {len(group) for group in first} <= {size, size + 1}
    met = {frozenset((a, b)) for group in first for a in group for b in group if a < b}
    second = groupings.place(people, profiles, met, size)
    assert sorted(uid for group in second for uid in group) == people
    assert not any(frozenset((a, b)) in met for group in second for a in group for b in group if a < b)
