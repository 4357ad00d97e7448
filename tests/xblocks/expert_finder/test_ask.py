"""Asking a found person: a thread of a forum both read, mentioning them, through the forum's api; a message in
the finder when there is none; never someone the asker may not see."""
import pytest

from xblocks.cohort_forum import api as forum_api
from xblocks.cohort_forum.models import Thread
from xblocks.core.errors import NotFound, ValidationError
from xblocks.expert_finder import ask, profiles
from xblocks.expert_finder.models import Message


def test_a_question_becomes_a_thread_of_our_cohorts_forum_mentioning_them(course, qa, places, finder_ctx, forum_ctx,
                                                                           settings_of):
    qa(course.ann, "Pricing a service", "?", course.cara, "Price by value.")  # the cohort forum is known
    answer = ask.ask(finder_ctx(course.ann), {"user_id": course.cara.id, "title": "How do you price a workshop?",
                                              "body": "Per person or per day?"}, settings_of())
    assert answer["via"] == "forum" and answer["where"] == "Cohort forum" and answer["mentioned"]
    thread = Thread.objects.get(pk=answer["thread"])
    assert thread.placement_id == places.forum.id and thread.group_key == course.group_a
    assert thread.title == "How do you price a workshop?" and thread.body == "@cara Per person or per day?"
    assert forum_api.list_threads(forum_ctx(course.cara), {"filter": "mentions"})["threads"][0]["id"] == thread.id
    assert not Message.objects.exists()


def test_across_cohorts_the_course_forum_is_used(course, qa, finder_ctx, settings_of):
    qa(course.ann, "Onboarding", "?", course.cara, "A buddy helps.", scope="course")
    profiles.note_member(finder_ctx(course.cara))
    answer = ask.ask(finder_ctx(course.bob), {"user_id": course.cara.id, "title": "Buddies?"}, settings_of())
    assert answer["via"] == "forum" and answer["where"] == "Course Q&A"
    assert Thread.objects.get(pk=answer["thread"]).group_key == "course"


def test_without_a_shared_forum_it_is_a_message_in_the_finder(course, finder_ctx, settings_of):
    profiles.note_member(finder_ctx(course.cara))
    assert ask.ask(finder_ctx(course.bob), {"user_id": course.cara.id, "title": "Lunch?", "body": "Tuesday"},
                   settings_of()) == {"via": "message"}
    (message,) = ask.inbox(finder_ctx(course.cara))
    assert message["title"] == "Lunch?" and message["from"]["name"] == "Bob Janssens"
    assert ask.inbox(finder_ctx(course.bob)) == []


def test_nobody_asks_someone_they_may_not_see_or_themselves(course, finder_ctx, settings_of):
    profiles.save_profile(finder_ctx(course.cara), {"visibility": "cohort"}, settings_of())
    with pytest.raises(NotFound):
        ask.ask(finder_ctx(course.bob), {"user_id": course.cara.id, "title": "Hello?"}, settings_of())
    with pytest.raises(ValidationError):
        ask.ask(finder_ctx(course.ann), {"user_id": course.cara.id, "title": ""}, settings_of())
    from xblocks.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        ask.ask(finder_ctx(course.cara), {"user_id": course.cara.id, "title": "Me?"}, settings_of())
    assert not Message.objects.exists() and not Thread.objects.exists()
