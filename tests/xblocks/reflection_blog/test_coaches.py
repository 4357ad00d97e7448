"""Coaches: the course team coaches by default; a coach assigned to a cohort (or everyone, or one learner) reads
the coach-only entries of those learners and nobody else's; once a learner has an assigned coach, staff who are
not assigned no longer read their coach-only entries; a peer never does. The coach view groups the shared
entries by learner with what waits for a coach comment; coach comments are marked; a learner sees who their
coach is; the queries of the coach view and of a feed do not grow with the number of learners."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import MembershipFactory, RoleFactory, UserFactory
from xblocks.core.errors import NotFound, PermissionDenied, ValidationError
from xblocks.reflection_blog import api, coaches
from xblocks.reflection_blog.models import CoachAssignment, Entry


@pytest.fixture
def coach(course):
    """Cleo, a Mentor of the course (an advocate in the suite), in no cohort."""
    cleo = UserFactory(username="cleo", first_name="Cleo", last_name="Coach")
    RoleFactory(user=cleo, role="advocate")
    return cleo


def assign(ctx_of, course, coach_user, **whom):
    return coaches.assign_coach(ctx_of(course.staff), {"coach": coach_user.username, **whom}, {})


def titles(ctx, data=None):
    return {e["title"] for e in api.list_entries(ctx, data or {}, {})["entries"]}


def test_the_course_team_coaches_everyone_by_default(course, write, ctx_of):
    write(course.ann, title="For my coach", visibility="coach")
    assert titles(ctx_of(course.staff)) == {"For my coach"}
    assert coaches.is_coach(ctx_of(course.staff), course.ann, course.group_a)
    assert not coaches.is_coach(ctx_of(course.cara), course.ann, course.group_a)
    assert coaches.my_coaches(ctx_of(course.ann)) == {"names": ["Sam Staff"], "course_team": True}


def test_a_cohort_coach_reads_only_their_learners_coach_entries(course, write, ctx_of, coach):
    write(course.ann, title="Ann to coach", visibility="coach")
    write(course.bob, title="Bob to coach", visibility="coach")
    write(course.ann, title="Ann private", visibility="private")
    assert titles(ctx_of(coach)) == set()
    assign(ctx_of, course, coach, whom=course.group_a)
    cleo = ctx_of(coach)
    assert titles(cleo) == {"Ann to coach"}
    assert coaches.is_coach(cleo, course.ann, course.group_a) and not coaches.is_coach(cleo, course.bob,
                                                                                        course.group_b)
    # Staff who are not assigned keep Bob (nobody coaches cohort B) but no longer read Ann's coach-only entry.
    assert titles(ctx_of(course.staff)) == {"Bob to coach"}
    # Peers: never a coach-only entry, not even the advocate of Ann's cohort.
    for peer in (course.cara, course.advocate, course.bob):
        assert "Ann to coach" not in titles(ctx_of(peer))
    assert coaches.my_coaches(ctx_of(course.ann)) == {"names": ["Cleo Coach"], "course_team": False}
    assert coaches.my_coaches(ctx_of(course.bob))["course_team"] is True


def test_a_coach_of_one_learner_and_of_everyone(course, write, ctx_of, coach):
    write(course.ann, title="Ann to coach", visibility="coach")
    write(course.cara, title="Cara to coach", visibility="coach")
    assign(ctx_of, course, coach, learner="cara")
    assert titles(ctx_of(coach)) == {"Cara to coach"}
    other = UserFactory(username="otto")
    assign(ctx_of, course, other, whom="*")
    assert titles(ctx_of(other)) == {"Ann to coach", "Cara to coach"}
    assert titles(ctx_of(course.staff)) == set()  # everyone has a coach now


def test_coach_comments_are_marked_and_an_event_says_how_long_the_entry_waited(course, write, ctx_of, coach):
    entry = write(course.ann, title="Waiting", visibility="coach")
    Entry.objects.filter(pk=entry["id"]).update(created=timezone.now() - timedelta(hours=5))
    assign(ctx_of, course, coach, whom=course.group_a)
    events = []
    comment = api.add_comment(ctx_of(coach, events=events), {"entry": entry["id"], "body": "Good"}, {})["comment"]
    assert comment["coach"] is True
    waited = [d for name, d in events if name == "social_learning.blog.coach_comment.created"]
    assert waited[0]["first"] and 5 * 3600 <= waited[0]["waited_seconds"] < 5 * 3600 + 60
    # Staff are not Ann's coach any more: their comment (on a group entry) is not a coach comment.
    shared = write(course.ann, title="Group", visibility="group")
    assert api.add_comment(ctx_of(course.staff), {"entry": shared["id"], "body": "Hi"}, {})["comment"]["coach"] is False


def test_the_coach_view_groups_by_learner_with_what_waits(course, write, ctx_of, coach):
    assign(ctx_of, course, coach, whom=course.group_a)
    old = write(course.ann, title="Old", visibility="coach")
    Entry.objects.filter(pk=old["id"]).update(created=timezone.now() - timedelta(days=3))
    answered = write(course.ann, title="Answered", visibility="group")
    write(course.cara, title="Cara's", visibility="course")
    write(course.cara, title="Secret", visibility="private")
    write(course.bob, title="Not mine", visibility="coach")
    api.add_comment(ctx_of(coach), {"entry": answered["id"], "body": "Well done"}, {})
    view = coaches.coach_view(ctx_of(coach), {}, {})
    by_name = {row["name"]: row for row in view["learners"]}
    assert set(by_name) == {"Ann Peeters", "Cara Maes"}
    ann = by_name["Ann Peeters"]
    assert (ann["entries"], ann["waiting"]) == (2, 1)
    assert [e["title"] for e in ann["entries_waiting"]] == ["Old"] and ann["entries_waiting"][0]["waited_hours"] >= 71
    assert [e["title"] for e in by_name["Cara Maes"]["entries_waiting"]] == ["Cara's"]
    assert view["learners"][0]["name"] == "Ann Peeters"  # the longest wait first
    with pytest.raises(PermissionDenied):
        coaches.coach_view(ctx_of(course.cara), {}, {})


def test_only_staff_assign_coaches_and_bad_input_gets_one_message_per_field(course, ctx_of, coach):
    with pytest.raises(PermissionDenied):
        coaches.assign_coach(ctx_of(course.ann), {"coach": "cleo", "whom": "*"}, {})
    with pytest.raises(ValidationError) as err:
        coaches.assign_coach(ctx_of(course.staff), {"coach": "nobody", "whom": "cohort:0"}, {})
    assert set(err.value.fields) == {"coach", "whom"}
    with pytest.raises(ValidationError) as err:
        coaches.assign_coach(ctx_of(course.staff), {"coach": "ann", "learner": "ann"}, {})
    assert set(err.value.fields) == {"learner"}
    listed = assign(ctx_of, course, coach, whom=course.group_a)
    assert [(a["coach"]["username"], a["whom"]) for a in listed["assignments"]] == [("cleo", "Cohort A")]
    assert {"cleo", "sam", "ada"} <= {c["username"] for c in listed["candidates"]}
    with pytest.raises(ValidationError):
        assign(ctx_of, course, coach, whom=course.group_a)  # already
    with pytest.raises(PermissionDenied):
        coaches.unassign_coach(ctx_of(course.ann), {"id": listed["assignments"][0]["id"]}, {})
    assert coaches.unassign_coach(ctx_of(course.staff), {"id": listed["assignments"][0]["id"]}, {})[
        "assignments"] == []
    with pytest.raises(NotFound):
        coaches.unassign_coach(ctx_of(course.staff), {"id": listed["assignments"][0]["id"]}, {})
    assert not CoachAssignment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_coach_view_and_the_feed_cost_the_same_with_many_learners(course, write, ctx_of, coach):
    assign(ctx_of, course, coach, whom=course.group_a)

    def measure():
        counts = {}
        for name, call in {"coach view": lambda: coaches.coach_view(ctx_of(coach), {}, {}),
                           "coach feed": lambda: api.list_entries(ctx_of(coach), {}, {}),
                           "is coach": lambda: coaches.is_coach(ctx_of(coach), course.ann, course.group_a),
                           "my coach": lambda: coaches.my_coaches(ctx_of(course.ann))}.items():
            ctx_of(coach), ctx_of(course.ann)
            with CaptureQueriesContext(connection) as queries:
                call()
            counts[name] = len(queries)
        return counts

    def learners(n):
        for i in range(n):
            user = UserFactory()
            MembershipFactory(group=course.cohort_a, user=user)
            write(user, title=f"Entry {i}", visibility="coach")

    learners(2)
    small = measure()
    learners(30)
    large = measure()
    assert large == small
    assert large["coach view"] <= 6 and large["is coach"] <= 4


def test_a_learner_who_coaches_someone_else_never_reads_a_peers_coach_only_entry(course, write, ctx_of):
    write(course.ann, title="Quixotic confession", body="Quixotic text", visibility="coach")
    write(course.bob, title="Bob asks his coach", body="Quixotic too", visibility="coach")
    assign(ctx_of, course, course.cara, learner="bob")  # Cara, in Ann's cohort, coaches Bob
    cara = ctx_of(course.cara)
    for data in ({}, {"view": "group"}, {"author": "ann"}, {"search": "quixotic"}):
        assert "Quixotic confession" not in titles(cara, data), data
    assert titles(cara, {"search": "quixotic"}) == {"Bob asks his coach"}
    assert [row["name"] for row in coaches.coach_view(cara, {}, {})["learners"]] == ["Bob Janssens"]
    entry = Entry.objects.get(title="Quixotic confession")
    with pytest.raises(NotFound):
        api.get_entry(cara, {"id": entry.id}, {})
    with pytest.raises(NotFound):
        api.add_comment(cara, {"entry": entry.id, "body": "Hi"}, {})


def test_the_insights_summary_counts_shared_entries_and_coach_comments_only(course, write, ctx_of, coach):
    assign(ctx_of, course, coach, whom=course.group_a)
    shared = write(course.ann, title="For my coach", visibility="coach")
    write(course.ann, title="Private", visibility="private")
    gone = write(course.cara, title="Gone", visibility="course")
    api.delete_entry(ctx_of(course.cara), {"id": gone["id"]}, {})
    api.add_comment(ctx_of(coach), {"entry": shared["id"], "body": "Seen"}, {})
    rows = api.summary(course.key)
    assert rows == [{"placement": course.placement.id, "group": course.group_a, "entries": 1, "entry_authors": 1,
                     "coach_only_entries": 1, "comments": 1}]


def test_in_open_edx_the_course_team_and_time_zone_come_from_the_platform(course, ctx_of, monkeypatch, settings):
    """compat is faked as the platform answers: ``CourseAccessRole`` user ids (``student/roles.py``) and the
    LMS's ``TIME_ZONE``."""
    from xblocks.core import compat
    from xblocks.core.models import Placement
    from xblocks.reflection_blog import prompts

    teacher = UserFactory(username="tina", first_name="Tina", last_name="Teacher")
    monkeypatch.setattr(compat, "running_in_openedx", lambda: True)
    monkeypatch.setattr(compat, "course_staff_ids", lambda course_key: [teacher.id])
    Placement.objects.filter(pk=course.placement.id).update(platform=Placement.OPENEDX)
    course.placement.platform = Placement.OPENEDX
    settings.TIME_ZONE = "Europe/Paris"
    assert coaches.my_coaches(ctx_of(course.ann)) == {"names": ["Tina Teacher"], "course_team": True}
    assert [c["username"] for c in coaches.list_coaches(ctx_of(course.staff), {}, {})["candidates"]] == ["tina"]
    assert prompts.course_time_zone({"time_zone": ""}) == "Europe/Paris"
    assert prompts.course_time_zone({"time_zone": "America/Toronto"}) == "America/Toronto"
