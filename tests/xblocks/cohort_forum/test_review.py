"""Staff review flags in the forum: the queue, dismissing (flags kept as history), hiding with a reason the
author reads, deleting; and who may do it.

The ``course`` fixture (conftest.py): Cohort A has ann, cara and ada (a community advocate);
Cohort B has bob; sam is course staff in no cohort.
"""
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.xblocks.cohort_forum.test_api import ctx, generous_rate_limit, new_reply, new_thread, snapshot  # noqa: F401
from xblocks.cohort_forum import api
from xblocks.cohort_forum.models import Flag, Post, Thread
from xblocks.core.errors import NotFound, PermissionDenied, ValidationError


def queue(context, **data):
    return api.flag_queue(context, data)


def queued(context):
    """(target, id) of every item in the first page of the queue."""
    return [(i["target"], i["id"]) for i in queue(context)["items"]]


def flag(context, target, obj_id, reason=""):
    return api.flag(context, {"target": target, "id": obj_id, "reason": reason})


@pytest.fixture
def flagged(ctx):
    """In Cohort A a thread of ann flagged by cara and ada, and a reply of cara flagged by ann; in Cohort B a
    thread of bob flagged by staff."""
    thread = new_thread(ctx.ann, title="Buy cheap watches", body="Visit my shop for **cheap** watches.")
    reply = new_reply(ctx.cara, new_thread(ctx.ann, title="Calm thread"), body="You are all idiots.")
    other = new_thread(ctx.bob, title="Cohort B thread")
    flag(ctx.cara, "thread", thread, "Spam: an advert")
    flag(ctx.advocate, "thread", thread, "Advertising")
    flag(ctx.ann, "post", reply, "Insulting")
    flag(ctx.staff, "thread", other, "Check this")
    return {"thread": thread, "reply": reply, "other": other}


class TestQueue:
    def test_staff_read_every_flag_with_reason_who_and_when_newest_first(self, ctx, flagged):
        Flag.objects.filter(post_id=flagged["reply"]).update(created=timezone.now() + timedelta(minutes=1))
        page = queue(ctx.staff)
        assert page["total"] == 3 and page["pages"] == 1
        first, second, third = page["items"]
        assert (first["target"], first["id"], first["kind"]) == ("post", flagged["reply"], "reply")
        assert first["excerpt"] == "You are all idiots."
        assert first["author"]["username"] == "cara"
        assert first["thread"]["title"] == "Calm thread"
        assert [(f["reason"], f["by"]["username"]) for f in first["flags"]] == [("Insulting", "ann")]
        assert first["flags"][0]["created"]
        assert first["group"]["name"] == "Cohort A"
        assert {second["id"], third["id"]} == {flagged["thread"], flagged["other"]}
        spam = second if second["id"] == flagged["thread"] else third
        assert spam["excerpt"] == "Visit my shop for cheap watches."
        assert sorted(f["reason"] for f in spam["flags"]) == ["Advertising", "Spam: an advert"]
        assert spam["flag_count"] == 2

    def test_the_switcher_limits_the_queue_to_one_group(self, ctx, flagged, course):
        assert queued(ctx.staff_in(course.group_b)) == [("thread", flagged["other"])]
        assert set(queued(ctx.staff_in(course.group_a))) == {("thread", flagged["thread"]), ("post", flagged["reply"])}

    def test_learners_and_advocates_are_refused(self, ctx, flagged):
        for person in (ctx.ann, ctx.advocate, ctx.bob):
            with pytest.raises(PermissionDenied):
                queue(person)
            with pytest.raises(PermissionDenied):
                api.dismiss_flags(person, {"target": "thread", "id": flagged["thread"]})
        assert Flag.objects.filter(pending=True).count() == 4

    def test_deleted_items_and_withdrawn_flags_leave_the_queue(self, ctx, flagged):
        api.flag(ctx.ann, {"target": "post", "id": flagged["reply"], "on": False})
        api.delete(ctx.staff, {"target": "thread", "id": flagged["other"]})
        assert queued(ctx.staff) == [("thread", flagged["thread"])]

    def test_pages(self, ctx, settings):
        settings.SOCIAL_LEARNING = {"POSTS_PER_WINDOW": 1000, "PAGE_SIZE": 2}
        threads = [new_thread(ctx.ann, title=f"T{i}") for i in range(5)]
        for i, thread in enumerate(threads):
            flag(ctx.cara, "thread", thread)
            Flag.objects.filter(thread_id=thread).update(created=timezone.now() - timedelta(minutes=10 - i))
        assert [i["thread"]["title"] for i in queue(ctx.staff)["items"]] == ["T4", "T3"]
        last = queue(ctx.staff, page=9)
        assert (last["page"], last["pages"], [i["thread"]["title"] for i in last["items"]]) == (3, 3, ["T0"])


class TestDismiss:
    def test_dismissed_flags_are_kept_and_the_item_leaves_the_queue(self, ctx, flagged):
        events = []
        staff = ctx.staff
        staff.emit = lambda name, data: events.append((name, data))
        result = api.dismiss_flags(staff, {"target": "thread", "id": flagged["thread"]})
        assert result == {"id": flagged["thread"], "target": "thread", "dismissed": 2, "flag_count": 0}
        assert ("thread", flagged["thread"]) not in queued(ctx.staff)
        kept = Flag.objects.filter(thread_id=flagged["thread"])
        assert kept.count() == 2
        assert {(f.pending, f.outcome, f.reviewed_by.username) for f in kept} == {(None, "dismissed", "sam")}
        assert all(f.reviewed_at for f in kept)
        assert Thread.objects.get(pk=flagged["thread"]).flag_count == 0
        assert api.get_thread(ctx.staff, {"id": flagged["thread"]})["flag_count"] == 0
        assert ("social_learning.forum.thread.flags_reviewed",
                {"id": flagged["thread"], "outcome": "dismissed", "flags": 2}) in events
        # the item's text and visibility are untouched
        assert api.get_thread(ctx.cara, {"id": flagged["thread"]})["title"] == "Buy cheap watches"

    def test_a_new_flag_brings_it_back_even_from_the_same_person(self, ctx, flagged):
        api.dismiss_flags(ctx.staff, {"target": "post", "id": flagged["reply"]})
        assert ("post", flagged["reply"]) not in queued(ctx.staff)
        thread_id = Post.objects.get(pk=flagged["reply"]).thread_id
        assert api.get_thread(ctx.ann, {"id": thread_id})["replies"][0]["flagged"] is False
        assert flag(ctx.ann, "post", flagged["reply"], "Still insulting")["flagged"] is True
        back = [i for i in queue(ctx.staff)["items"] if (i["target"], i["id"]) == ("post", flagged["reply"])]
        assert [(f["reason"], f["by"]["username"]) for f in back[0]["flags"]] == [("Still insulting", "ann")]
        assert Post.objects.get(pk=flagged["reply"]).flag_count == 1
        assert Flag.objects.filter(post_id=flagged["reply"]).count() == 2  # the reviewed one is kept

    def test_another_cohorts_item_is_refused_to_staff_switched_to_one_cohort(self, ctx, flagged, course):
        before = snapshot()
        with pytest.raises(NotFound):
            api.dismiss_flags(ctx.staff_in(course.group_a), {"target": "thread", "id": flagged["other"]})
        with pytest.raises(NotFound):
            api.hide(ctx.staff_in(course.group_a), {"target": "thread", "id": flagged["other"], "reason": "x"})
        assert snapshot() == before
        assert Flag.objects.filter(pending=True).count() == 4

    @pytest.mark.parametrize("payload", [{"target": "thread"}, {"target": "nope", "id": 1}, {"id": "x"}, []])
    def test_bad_input_writes_nothing(self, ctx, flagged, payload):
        before = snapshot()
        with pytest.raises((ValidationError, NotFound)):
            api.dismiss_flags(ctx.staff, payload)
        assert snapshot() == before
        assert Flag.objects.filter(pending=True).count() == 4

    def test_a_read_only_page_reads_the_queue_and_writes_nothing(self, ctx, flagged):
        staff = ctx.staff
        staff.read_only = "You are viewing the course as a learner."
        assert all(not i["can"]["review"] for i in queue(staff)["items"])
        with pytest.raises(PermissionDenied):
            api.dismiss_flags(staff, {"target": "thread", "id": flagged["thread"]})
        assert Flag.objects.filter(pending=True).count() == 4

    def test_nothing_to_dismiss_is_fine(self, ctx):
        thread = new_thread(ctx.ann)
        assert api.dismiss_flags(ctx.staff, {"target": "thread", "id": thread})["dismissed"] == 0


class TestHideWithReason:
    def test_the_author_and_staff_read_why_and_other_learners_see_nothing(self, ctx, flagged):
        result = api.hide(ctx.staff, {"target": "post", "id": flagged["reply"], "reason": "Please be kind."})
        assert result == {"id": flagged["reply"], "hidden": True, "hidden_reason": "Please be kind."}
        thread_id = Post.objects.get(pk=flagged["reply"]).thread_id
        own = api.get_thread(ctx.cara, {"id": thread_id})["replies"]
        assert [(r["hidden"], r["hidden_reason"]) for r in own] == [(True, "Please be kind.")]
        assert api.get_thread(ctx.staff, {"id": thread_id})["replies"][0]["hidden_reason"] == "Please be kind."
        assert api.get_thread(ctx.ann, {"id": thread_id})["replies"] == []
        # hiding is a review: the flags are closed as "hidden" and kept
        assert ("post", flagged["reply"]) not in queued(ctx.staff)
        assert list(Flag.objects.filter(post_id=flagged["reply"]).values_list("outcome", "pending")) == [("hidden", None)]

    def test_a_hidden_thread_tells_its_author_in_the_list_too(self, ctx, flagged):
        api.hide(ctx.staff, {"target": "thread", "id": flagged["thread"], "reason": "Adverts are not allowed."})
        mine = [t for t in api.list_threads(ctx.ann, {})["threads"] if t["id"] == flagged["thread"]]
        assert mine[0]["hidden_reason"] == "Adverts are not allowed."
        assert flagged["thread"] not in [t["id"] for t in api.list_threads(ctx.cara, {})["threads"]]

    def test_restoring_forgets_the_reason(self, ctx, flagged):
        api.hide(ctx.staff, {"target": "thread", "id": flagged["thread"], "reason": "Adverts"})
        api.hide(ctx.staff, {"target": "thread", "id": flagged["thread"], "on": False})
        assert api.get_thread(ctx.ann, {"id": flagged["thread"]})["hidden_reason"] == ""
        assert Thread.objects.get(pk=flagged["thread"]).hidden_reason == ""

    @pytest.mark.parametrize("reason", ["x" * 301, 42, ["a"]])
    def test_a_bad_reason_writes_nothing(self, ctx, flagged, reason):
        before = snapshot()
        with pytest.raises(ValidationError):
            api.hide(ctx.staff, {"target": "thread", "id": flagged["thread"], "reason": reason})
        assert snapshot() == before
        assert Flag.objects.filter(thread_id=flagged["thread"], pending=True).count() == 2

    def test_deleting_closes_the_flags_as_deleted(self, ctx, flagged):
        api.delete(ctx.staff, {"target": "post", "id": flagged["reply"]})
        assert list(Flag.objects.filter(post_id=flagged["reply"]).values_list("outcome", flat=True)) == ["deleted"]


class TestRetirement:
    def test_a_retired_persons_flags_are_forgotten_and_only_waiting_ones_counted_back(self, ctx, flagged, course):
        api.dismiss_flags(ctx.staff, {"target": "thread", "id": flagged["thread"]})
        flag(ctx.cara, "thread", flagged["thread"], "Again")
        assert Thread.objects.get(pk=flagged["thread"]).flag_count == 1
        api.retire_user(course.cara)
        assert not Flag.objects.filter(user=course.cara).exists()
        assert Thread.objects.get(pk=flagged["thread"]).flag_count == 0  # not -1: the reviewed flag no longer counted
        assert ("thread", flagged["thread"]) not in queued(ctx.staff)

    def test_a_retired_reviewer_is_no_longer_named(self, ctx, flagged, course):
        api.dismiss_flags(ctx.staff, {"target": "thread", "id": flagged["thread"]})
        api.retire_user(course.staff)
        assert set(Flag.objects.filter(thread_id=flagged["thread"]).values_list("reviewed_by", flat=True)) == {None}
        assert Flag.objects.filter(thread_id=flagged["thread"]).count() == 2
