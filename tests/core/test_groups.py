"""Group resolution: the local backend (sandbox, LTI) and the Open edX backend over ``compat``.

edx-platform is not installed here, so the Open edX backend runs against fakes of the ``compat``
functions (the only module the suite allows to be faked).
"""
import types

import pytest

from tests import openedx
from tests.factories import COURSE_KEY, LocalGroupFactory, MembershipFactory, UserFactory
from xblocks.core import compat, groups
from xblocks.core.groups import COHORT, COURSE, TEAM, Group, LocalGroups, OpenEdxGroups, users_matching
from xblocks.core.models import LocalGroup


def member_usernames(backend, group_key, course_key=COURSE_KEY):
    return sorted(users_matching(backend.member_filter(course_key, group_key)).values_list("username", flat=True))


class TestLocalGroups:
    def test_learner_acts_in_their_cohort(self, course):
        group = LocalGroups().group_for(course.ann, COURSE_KEY, COHORT)
        assert group == Group(course.group_a, "Cohort A")

    def test_learner_without_a_cohort_has_no_group(self, course):
        loner = UserFactory(username="loner")
        assert LocalGroups().group_for(loner, COURSE_KEY, COHORT) is None

    def test_membership_in_another_course_does_not_count(self, course):
        other = LocalGroupFactory(context_key="course-v1:Other+X+1", name="Elsewhere")
        visitor = UserFactory(username="visitor")
        MembershipFactory(group=other, user=visitor)
        assert LocalGroups().group_for(visitor, COURSE_KEY, COHORT) is None

    def test_course_scope_is_one_group_for_everyone(self, course):
        loner = UserFactory(username="loner")
        assert LocalGroups().group_for(loner, COURSE_KEY, COURSE).key == "course"
        assert LocalGroups().groups(COURSE_KEY, COURSE) == [groups.course_group()]

    def test_teams_are_separate_from_cohorts(self, course):
        team = LocalGroupFactory(kind=LocalGroup.TEAM, name="Team Blue")
        MembershipFactory(group=team, user=course.ann)
        backend = LocalGroups()
        assert backend.group_for(course.ann, COURSE_KEY, TEAM) == Group(f"team:{team.id}", "Team Blue")
        assert backend.group_for(course.ann, COURSE_KEY, COHORT).key == course.group_a
        assert [g.name for g in backend.groups(COURSE_KEY, TEAM)] == ["Team Blue"]

    def test_all_groups_of_the_course_in_name_order(self, course):
        LocalGroupFactory(context_key="course-v1:Other+X+1", name="Not ours")
        assert [g.as_dict() for g in LocalGroups().groups(COURSE_KEY, COHORT)] == [
            {"key": course.group_a, "name": "Cohort A"},
            {"key": course.group_b, "name": "Cohort B"},
        ]

    def test_members_of_a_cohort(self, course):
        backend = LocalGroups()
        assert member_usernames(backend, course.group_a) == ["ada", "ann", "cara"]
        assert member_usernames(backend, course.group_b) == ["bob"]
        assert backend.member_ids(COURSE_KEY, course.group_b) == {course.bob.id}

    def test_course_roster_is_group_members_plus_role_holders(self, course):
        assert member_usernames(LocalGroups(), "course") == ["ada", "ann", "bob", "cara", "sam"]

    def test_inactive_people_are_not_members(self, course):
        course.cara.is_active = False
        course.cara.save()
        assert member_usernames(LocalGroups(), course.group_a) == ["ada", "ann"]

    @pytest.mark.parametrize("key", ["cohort:abc", "cohort:", "weird", "team:1; DROP TABLE x"])
    def test_malformed_group_keys_have_no_members(self, course, key):
        assert member_usernames(LocalGroups(), key) == []

    def test_a_cohort_key_does_not_reach_another_course(self, course):
        other = LocalGroupFactory(context_key="course-v1:Other+X+1", name="Elsewhere")
        MembershipFactory(group=other, user=UserFactory(username="outsider"))
        assert member_usernames(LocalGroups(), f"cohort:{other.id}") == []


@pytest.fixture
def fake_openedx(monkeypatch, db):
    """Fake edx-platform behind ``compat``: a cohorted course with two cohorts and a teamset."""
    ann = UserFactory(username="ann")
    bob = UserFactory(username="bob")
    eve = UserFactory(username="eve")  # enrolled, in no cohort yet
    state = types.SimpleNamespace(cohorted=True, users={"ann": ann, "bob": bob, "eve": eve}, calls=[])
    cohorts = {ann.id: (7, "Mornings"), bob.id: (8, "Evenings")}
    members = {7: [ann.id], 8: [bob.id]}

    def get_cohort(user, course_key):
        state.calls.append(("get_cohort", user.username, course_key))
        return cohorts.get(user.id)

    monkeypatch.setattr(compat, "running_in_openedx", lambda: True)
    monkeypatch.setattr(compat, "is_course_cohorted", lambda course_key: state.cohorted)
    monkeypatch.setattr(compat, "get_cohort", get_cohort)
    monkeypatch.setattr(compat, "get_course_cohorts", lambda course_key: [(7, "Mornings"), (8, "Evenings")])
    monkeypatch.setattr(compat, "get_cohort_member_ids", lambda course_key, cohort_id: members.get(cohort_id, []))
    monkeypatch.setattr(compat, "get_course_member_ids", lambda course_key: [ann.id, bob.id, eve.id])
    monkeypatch.setattr(compat, "get_teams", lambda course_key, teamset_id: [("team-red", "Red"), ("team-blue", "Blue")])
    monkeypatch.setattr(compat, "get_team_member_ids", lambda team_id: [ann.id] if team_id == "team-red" else [])
    # The platform's teams service parses the course id string (compat.get_team itself is not faked).
    state.teams_service = openedx.TeamsService({(COURSE_KEY, "projects"): [("team-red", "Red", [ann])]})
    return state


class TestOpenEdxGroups:
    def test_learner_acts_in_their_cohort(self, fake_openedx):
        backend = OpenEdxGroups()
        assert backend.group_for(fake_openedx.users["ann"], COURSE_KEY, COHORT) == Group("cohort:7", "Mornings")
        assert backend.group_for(fake_openedx.users["bob"], COURSE_KEY, COHORT) == Group("cohort:8", "Evenings")

    def test_learner_without_a_cohort_has_no_group(self, fake_openedx):
        assert OpenEdxGroups().group_for(fake_openedx.users["eve"], COURSE_KEY, COHORT) is None

    def test_uncohorted_course_is_one_space(self, fake_openedx):
        fake_openedx.cohorted = False
        backend = OpenEdxGroups()
        assert backend.group_for(fake_openedx.users["eve"], COURSE_KEY, COHORT).key == "course"
        assert [g.key for g in backend.groups(COURSE_KEY, COHORT)] == ["course"]
        # Nobody's cohort is even looked up when the course is not cohorted.
        assert fake_openedx.calls == []

    def test_every_cohort_for_the_staff_switcher(self, fake_openedx):
        assert [g.as_dict() for g in OpenEdxGroups().groups(COURSE_KEY, COHORT)] == [
            {"key": "cohort:7", "name": "Mornings"},
            {"key": "cohort:8", "name": "Evenings"},
        ]

    def test_teams_come_from_the_teams_service(self, fake_openedx):
        backend = OpenEdxGroups(fake_openedx.teams_service)
        assert backend.group_for(fake_openedx.users["ann"], COURSE_KEY, TEAM, "projects") == Group("team:team-red", "Red")
        assert backend.group_for(fake_openedx.users["bob"], COURSE_KEY, TEAM, "projects") is None
        assert [g.key for g in backend.groups(COURSE_KEY, TEAM, "projects")] == ["team:team-red", "team:team-blue"]

    def test_without_a_teams_service_nobody_has_a_team(self, fake_openedx):
        assert OpenEdxGroups(None).group_for(fake_openedx.users["ann"], COURSE_KEY, TEAM, "projects") is None

    def test_course_scope(self, fake_openedx):
        assert OpenEdxGroups().group_for(fake_openedx.users["eve"], COURSE_KEY, COURSE).key == "course"

    def test_members(self, fake_openedx):
        backend = OpenEdxGroups()
        assert member_usernames(backend, "cohort:7") == ["ann"]
        assert member_usernames(backend, "cohort:8") == ["bob"]
        assert member_usernames(backend, "course") == ["ann", "bob", "eve"]
        assert member_usernames(backend, "team:team-red") == ["ann"]
        assert member_usernames(backend, "cohort:nope") == []

    def test_backend_choice(self, fake_openedx, settings):
        settings.SOCIAL_LEARNING = {"GROUP_BACKEND": "auto"}
        assert isinstance(groups.backend(), OpenEdxGroups)
        settings.SOCIAL_LEARNING = {"GROUP_BACKEND": "local"}
        assert isinstance(groups.backend(), LocalGroups)


def test_auto_backend_outside_openedx_is_local(settings):
    settings.SOCIAL_LEARNING = {}
    assert isinstance(groups.backend(), LocalGroups)
