"""The request context: who asks, where, in which group, with which roles."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import COURSE_KEY, LocalGroupFactory, MembershipFactory, RoleFactory, UserFactory
from xblocks.core.context import (
    ADVOCATE, LEARNER, STAFF, build_context, get_placement, local_roles,
)
from xblocks.core.errors import NotFound, PermissionDenied
from xblocks.core.groups import LocalGroups
from xblocks.core.models import Placement


def context_for(course, user, group=None, scope="cohort", roles=None):
    return build_context(
        user=user, placement=course.placement, scope=scope,
        roles=local_roles(user, COURSE_KEY) if roles is None else roles,
        backend=LocalGroups(), requested_group=group,
    )


class TestLearners:
    def test_learner_acts_in_their_own_cohort(self, course):
        ctx = context_for(course, course.ann)
        assert ctx.group.key == course.group_a
        assert not ctx.view_all and not ctx.is_staff and not ctx.is_advocate
        assert ctx.group_key_for_read() == course.group_a
        assert ctx.require_group_for_write() == course.group_a
        assert [g.key for g in ctx.available_groups()] == [course.group_a]

    def test_learner_may_name_their_own_group(self, course):
        assert context_for(course, course.ann, group=course.group_a).group.key == course.group_a

    def test_learner_cannot_request_another_group(self, course):
        with pytest.raises(PermissionDenied) as err:
            context_for(course, course.ann, group=course.group_b)
        assert "your own group" in err.value.message

    def test_learner_asking_for_every_group_still_gets_only_their_own(self, course):
        ctx = context_for(course, course.ann, group="all")
        assert ctx.group.key == course.group_a
        assert not ctx.view_all
        assert ctx.group_key_for_read() == course.group_a

    def test_learner_asking_for_an_unknown_group_is_refused(self, course):
        with pytest.raises(PermissionDenied):
            context_for(course, course.ann, group="cohort:999999")

    def test_learner_without_a_group_can_neither_read_nor_write(self, course):
        loner = UserFactory(username="loner")
        ctx = context_for(course, loner)
        assert ctx.group is None and not ctx.view_all
        assert ctx.available_groups() == []
        with pytest.raises(PermissionDenied) as read:
            ctx.group_key_for_read()
        assert "not in a group" in read.value.message
        with pytest.raises(PermissionDenied) as write:
            ctx.require_group_for_write()
        assert "not in a group" in write.value.message


class TestStaff:
    def test_staff_without_a_group_see_every_group(self, course):
        ctx = context_for(course, course.staff)
        assert ctx.is_staff and ctx.is_advocate
        assert ctx.view_all and ctx.group is None
        assert ctx.group_key_for_read() is None
        assert [g.key for g in ctx.available_groups()] == [course.group_a, course.group_b]

    def test_staff_switch_to_a_group(self, course):
        ctx = context_for(course, course.staff, group=course.group_b)
        assert ctx.group.key == course.group_b and ctx.group.name == "Cohort B"
        assert not ctx.view_all
        assert ctx.group_key_for_read() == course.group_b
        assert ctx.require_group_for_write() == course.group_b

    def test_staff_all_groups_view_reads_everything_but_asks_for_a_group_to_post(self, course):
        ctx = context_for(course, course.staff, group="all")
        assert ctx.view_all
        assert ctx.group_key_for_read() is None
        with pytest.raises(PermissionDenied) as err:
            ctx.require_group_for_write()
        assert "Choose a group" in err.value.message

    def test_staff_in_a_cohort_also_start_with_every_group_and_can_switch_to_theirs(self, course):
        MembershipFactory(group=course.cohort_b, user=course.staff)
        assert context_for(course, course.staff).view_all
        assert context_for(course, course.staff, group=course.group_b).group.key == course.group_b

    def test_unknown_group_is_not_found(self, course):
        with pytest.raises(NotFound):
            context_for(course, course.staff, group="cohort:999999")

    def test_group_of_another_course_is_not_found(self, course):
        other = LocalGroupFactory(context_key="course-v1:Other+X+1", name="Elsewhere")
        with pytest.raises(NotFound):
            context_for(course, course.staff, group=f"cohort:{other.id}")

    @pytest.mark.parametrize("group", [7, ["cohort:1"], {"key": "x"}])
    def test_a_group_that_is_not_text_is_not_found(self, course, group):
        with pytest.raises(NotFound):
            context_for(course, course.staff, group=group)


class TestCourseScope:
    def test_everyone_shares_the_course_space(self, course):
        loner = UserFactory(username="loner")
        for user in (course.ann, course.bob, loner):
            ctx = context_for(course, user, scope="course")
            assert ctx.group.key == "course"
            assert ctx.group_key_for_read() == "course"

    def test_staff_post_in_the_course_space_even_when_asking_for_all(self, course):
        ctx = context_for(course, course.staff, group="all", scope="course")
        assert ctx.group.key == "course" and not ctx.view_all
        assert ctx.require_group_for_write() == "course"

    def test_a_cohort_key_does_not_exist_in_a_course_scope(self, course):
        with pytest.raises(NotFound):
            context_for(course, course.staff, group=course.group_a, scope="course")
        with pytest.raises(PermissionDenied):
            context_for(course, course.ann, group=course.group_b, scope="course")


class TestRefusals:
    @pytest.mark.parametrize("user", [None, AnonymousUser()])
    def test_anonymous_visitors_are_refused(self, course, user):
        with pytest.raises(PermissionDenied) as err:
            build_context(user=user, placement=course.placement, scope="cohort", roles=frozenset([STAFF]),
                          backend=LocalGroups())
        assert "Sign in" in err.value.message

    def test_unknown_scope_is_refused(self, course):
        with pytest.raises(NotFound):
            context_for(course, course.ann, scope="galaxy")


class TestRoles:
    def test_learner(self, course):
        assert local_roles(course.ann, COURSE_KEY) == {LEARNER}

    def test_staff_and_advocate_roles(self, course):
        assert local_roles(course.staff, COURSE_KEY) == {LEARNER, STAFF}
        assert local_roles(course.advocate, COURSE_KEY) == {LEARNER, ADVOCATE}
        ctx = context_for(course, course.advocate)
        assert ctx.is_advocate and not ctx.is_staff

    def test_roles_are_per_course(self, course):
        RoleFactory(user=course.ann, role="staff", context_key="course-v1:Other+X+1")
        assert local_roles(course.ann, COURSE_KEY) == {LEARNER}

    def test_superusers_are_staff(self, course):
        root = UserFactory(username="root", is_superuser=True)
        assert STAFF in local_roles(root, COURSE_KEY)

    @pytest.mark.parametrize("user", [None, AnonymousUser()])
    def test_nobody_signed_out_has_a_role(self, db, user):
        assert local_roles(user, COURSE_KEY) == frozenset()


class TestPlacement:
    def test_created_once_then_served_from_the_cache(self, db):
        first = get_placement(Placement.LOCAL, COURSE_KEY, "block-1", "Forum")
        with CaptureQueriesContext(connection) as queries:
            again = get_placement(Placement.LOCAL, COURSE_KEY, "block-1", "Forum")
        assert again.id == first.id
        assert len(queries) == 0
        assert Placement.objects.filter(context_key=COURSE_KEY, resource_key="block-1").count() == 1

    def test_distinct_blocks_have_distinct_placements(self, db):
        a = get_placement(Placement.LOCAL, COURSE_KEY, "block-1")
        b = get_placement(Placement.LOCAL, COURSE_KEY, "block-2")
        c = get_placement(Placement.LOCAL, "course-v1:Other+X+1", "block-1")
        assert len({a.id, b.id, c.id}) == 3

    def test_long_keys_sharing_a_prefix_do_not_collide(self, db):
        prefix = "block-v1:Org+Course+Run+type@social_cohort_forum+block@" + "x" * 180
        a = get_placement(Placement.OPENEDX, COURSE_KEY, prefix + "a")
        b = get_placement(Placement.OPENEDX, COURSE_KEY, prefix + "b")
        assert a.id != b.id
        assert get_placement(Placement.OPENEDX, COURSE_KEY, prefix + "b").id == b.id
