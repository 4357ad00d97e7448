"""The cohort forum api, as the people using it see it.

The ``course`` fixture (conftest.py): Cohort A has ann, cara and ada (a community advocate);
Cohort B has bob; sam is course staff in no cohort.
"""
from datetime import timedelta

import json

import pytest
from django.utils import timezone

from tests.factories import PlacementFactory, UserFactory
from xblocks.cohort_forum import api
from xblocks.cohort_forum.models import Flag, Post, Thread, ThreadState, Vote
from xblocks.core import signals
from xblocks.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationError


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    """Tests post a lot; the rate limit has its own tests below."""
    settings.SOCIAL_LEARNING = {"POSTS_PER_WINDOW": 1000}


@pytest.fixture
def ctx(course, make_context):
    """Contexts by person: ``ctx.ann``, ``ctx.staff``; ``ctx.staff_in(group)`` for the switcher."""

    class People:
        def __getattr__(self, name):
            return make_context(getattr(course, name))

        def staff_in(self, group):
            return make_context(course.staff, group=group)

    return People()


def new_thread(ctx, title="How do I start?", body="Some text to discuss.", **extra):
    return api.create_thread(ctx, {"title": title, "body": body, **extra})["id"]


def new_reply(ctx, thread_id, body="A reply.", **extra):
    return api.create_reply(ctx, {"thread": thread_id, "body": body, **extra})["id"]


def titles(ctx, **query):
    return [t["title"] for t in api.list_threads(ctx, query)["threads"]]


def snapshot():
    """Everything a write could change, to prove that a refused request wrote nothing."""
    return {
        "threads": list(Thread.objects.order_by("id").values()),
        "posts": list(Post.objects.order_by("id").values()),
        "votes": Vote.objects.count(),
        "flags": Flag.objects.count(),
        "states": list(ThreadState.objects.order_by("id").values()),
    }


def age(thread_id, minutes):
    """Move a thread back in time (creation and last activity), so orderings are unambiguous."""
    when = timezone.now() - timedelta(minutes=minutes)
    Thread.objects.filter(pk=thread_id).update(created=when, last_activity=when)
    ThreadState.objects.filter(thread_id=thread_id).update(read_at=when)


# ----- cohort isolation -------------------------------------------------------------------------
class TestCohortIsolation:
    def test_each_cohort_lists_only_its_own_threads(self, ctx):
        new_thread(ctx.ann, title="Cohort A question")
        new_thread(ctx.bob, title="Cohort B question")
        assert titles(ctx.ann) == ["Cohort A question"]
        assert titles(ctx.cara) == ["Cohort A question"]
        assert titles(ctx.bob) == ["Cohort B question"]
        assert api.list_threads(ctx.bob, {})["total"] == 1

    def test_a_thread_of_another_cohort_is_not_found(self, ctx):
        thread = new_thread(ctx.ann, title="Private to A")
        with pytest.raises(NotFound) as err:
            api.get_thread(ctx.bob, {"id": thread})
        assert "Private to A" not in err.value.message
        # Exactly as for an id that does not exist: nothing tells B the thread is there.
        with pytest.raises(NotFound) as missing:
            api.get_thread(ctx.bob, {"id": thread + 1000})
        assert missing.value.message == err.value.message

    @pytest.mark.parametrize("action, payload", [
        (api.create_reply, lambda t, p: {"thread": t, "body": "sneaky"}),
        (api.create_reply, lambda t, p: {"thread": t, "parent": p, "body": "sneaky"}),
        (api.vote, lambda t, p: {"target": "thread", "id": t}),
        (api.vote, lambda t, p: {"target": "post", "id": p}),
        (api.flag, lambda t, p: {"target": "thread", "id": t}),
        (api.flag, lambda t, p: {"target": "post", "id": p}),
        (api.follow, lambda t, p: {"id": t}),
        (api.edit, lambda t, p: {"target": "thread", "id": t, "title": "x", "body": "y"}),
        (api.edit, lambda t, p: {"target": "post", "id": p, "body": "y"}),
        (api.delete, lambda t, p: {"target": "thread", "id": t}),
        (api.delete, lambda t, p: {"target": "post", "id": p}),
        (api.get_thread, lambda t, p: {"id": t}),
        (api.mention_candidates, lambda t, p: {"thread": t, "q": "a"}),
    ])
    def test_crafted_ids_from_another_cohort_touch_nothing(self, ctx, course, action, payload):
        thread = new_thread(ctx.ann, title="Cohort A only")
        reply = new_reply(ctx.cara, thread)
        before = snapshot()
        with pytest.raises(NotFound):
            action(ctx.bob, payload(thread, reply))
        assert snapshot() == before

    @pytest.mark.parametrize("action, payload", [
        (api.endorse, lambda t, p: {"id": p}),
        (api.pin, lambda t, p: {"id": t}),
        (api.highlight, lambda t, p: {"id": t}),
    ])
    def test_an_advocate_curates_only_their_own_cohort(self, ctx, action, payload):
        thread = new_thread(ctx.bob, title="Cohort B only")
        reply = new_reply(ctx.bob, thread)
        before = snapshot()
        with pytest.raises(NotFound):
            action(ctx.advocate, payload(thread, reply))
        assert snapshot() == before

    def test_commenting_with_a_reply_of_another_thread_is_refused(self, ctx):
        mine = new_thread(ctx.ann, title="Mine")
        other = new_thread(ctx.cara, title="Other")
        reply = new_reply(ctx.cara, other)
        before = snapshot()
        with pytest.raises(NotFound):
            api.create_reply(ctx.ann, {"thread": mine, "parent": reply, "body": "x"})
        with pytest.raises(NotFound):
            api.create_reply(ctx.staff, {"thread": mine, "parent": reply, "body": "x"})
        assert snapshot() == before

    def test_comments_go_on_replies_not_on_comments(self, ctx):
        thread = new_thread(ctx.ann)
        reply = new_reply(ctx.cara, thread)
        comment = new_reply(ctx.ann, thread, parent=reply)
        before = snapshot()
        with pytest.raises(NotFound):
            new_reply(ctx.cara, thread, parent=comment)
        assert snapshot() == before

    def test_bob_cannot_comment_on_a_reply_of_cohort_a_through_his_own_thread(self, ctx):
        a_thread = new_thread(ctx.ann)
        a_reply = new_reply(ctx.cara, a_thread)
        b_thread = new_thread(ctx.bob)
        before = snapshot()
        with pytest.raises(NotFound):
            api.create_reply(ctx.bob, {"thread": b_thread, "parent": a_reply, "body": "x"})
        assert snapshot() == before

    # MariaDB's full-text index sees committed rows only: searched data is committed, as in production.
    @pytest.mark.django_db(transaction=True)
    def test_search_never_reaches_another_cohort(self, ctx):
        new_thread(ctx.ann, title="Quarterly pineapple report")
        assert titles(ctx.bob, search="pineapple") == []
        assert titles(ctx.ann, search="pineapple") == ["Quarterly pineapple report"]

    def test_another_placement_is_another_forum(self, ctx, course, make_context):
        new_thread(ctx.ann, title="In the first forum")
        other = PlacementFactory(resource_key="another-forum")
        assert titles(make_context(course.ann, placement=other)) == []


class TestStaffView:
    def test_staff_see_every_cohort_with_its_name(self, ctx, course):
        new_thread(ctx.ann, title="From A")
        new_thread(ctx.bob, title="From B")
        page = api.list_threads(ctx.staff, {})
        assert sorted(t["title"] for t in page["threads"]) == ["From A", "From B"]
        groups = {t["title"]: t["group"] for t in page["threads"]}
        assert groups["From A"] == {"key": course.group_a, "name": "Cohort A"}
        assert groups["From B"] == {"key": course.group_b, "name": "Cohort B"}

    def test_staff_switch_to_one_cohort(self, ctx, course):
        new_thread(ctx.ann, title="From A")
        new_thread(ctx.bob, title="From B")
        assert titles(ctx.staff_in(course.group_b)) == ["From B"]
        assert titles(ctx.staff_in(course.group_a)) == ["From A"]

    def test_staff_post_in_the_picked_cohort_and_only_that_cohort_sees_it(self, ctx, course):
        new_thread(ctx.staff_in(course.group_b), title="Welcome, B")
        assert titles(ctx.bob) == ["Welcome, B"]
        assert titles(ctx.ann) == []

    def test_staff_must_pick_a_cohort_to_start_a_thread(self, ctx):
        before = snapshot()
        with pytest.raises(PermissionDenied) as err:
            new_thread(ctx.staff, title="Where does this go?")
        assert "Choose a group" in err.value.message
        assert snapshot() == before

    def test_staff_reply_from_the_all_groups_view_lands_in_the_thread(self, ctx):
        thread = new_thread(ctx.bob, title="Help")
        new_reply(ctx.staff, thread, body="Here to help @bob")
        detail = api.get_thread(ctx.bob, {"id": thread})
        assert detail["replies"][0]["author"]["name"] == "Sam Staff"
        assert '<span class="sls-mention">@bob</span>' in detail["replies"][0]["body_html"]


class TestLearnerWithoutAGroup:
    def test_the_space_is_closed_with_a_clear_message(self, ctx, course, make_context):
        new_thread(ctx.ann, title="From A")
        loner = make_context(UserFactory(username="loner"))
        with pytest.raises(PermissionDenied) as err:
            api.list_threads(loner, {})
        assert "not in a group" in err.value.message

    def test_nothing_can_be_written(self, ctx, make_context):
        thread = new_thread(ctx.ann, title="From A")
        loner = make_context(UserFactory(username="loner"))
        before = snapshot()
        with pytest.raises(PermissionDenied):
            new_thread(loner)
        with pytest.raises(PermissionDenied):
            new_reply(loner, thread)
        with pytest.raises(PermissionDenied):
            api.vote(loner, {"target": "thread", "id": thread})
        assert snapshot() == before

    def test_no_mention_suggestions(self, make_context, course):
        loner = make_context(UserFactory(username="loner"))
        assert api.mention_candidates(loner, {"q": "a"}) == {"members": []}

    def test_a_course_wide_forum_is_open_to_them(self, ctx, course, make_context):
        loner = UserFactory(username="loner")
        new_thread(make_context(loner, scope="course"), title="Hello everyone")
        assert titles(make_context(course.bob, scope="course")) == ["Hello everyone"]


# ----- curation: endorse, pin, highlight ----------------------------------------------------------
class TestCuration:
    def test_advocate_endorses_an_answer_and_the_question_is_answered(self, ctx, course):
        question = new_thread(ctx.ann, title="What is X?", kind="question")
        first = new_reply(ctx.cara, question, body="Maybe Y")
        answer = new_reply(ctx.cara, question, body="It is X because Z")
        assert titles(ctx.ann, sort="unanswered") == ["What is X?"]
        assert api.endorse(ctx.advocate, {"id": answer}) == {"id": answer, "endorsed": True}
        detail = api.get_thread(ctx.ann, {"id": question})
        assert detail["answered"] is True
        # The endorsed answer comes first in a question.
        assert [r["id"] for r in detail["replies"]] == [answer, first]
        assert detail["replies"][0]["endorsed_by"] == "Ada Advocate"
        assert titles(ctx.ann, sort="unanswered") == []

    def test_removing_the_endorsement_reopens_the_question(self, ctx):
        question = new_thread(ctx.ann, kind="question")
        answer = new_reply(ctx.cara, question)
        api.endorse(ctx.staff, {"id": answer})
        api.endorse(ctx.staff, {"id": answer, "on": False})
        detail = api.get_thread(ctx.ann, {"id": question})
        assert detail["answered"] is False
        assert detail["replies"][0]["endorsed"] is False

    def test_learners_cannot_endorse_pin_or_highlight(self, ctx):
        thread = new_thread(ctx.ann, kind="question")
        reply = new_reply(ctx.cara, thread)
        before = snapshot()
        with pytest.raises(PermissionDenied):
            api.endorse(ctx.ann, {"id": reply})
        with pytest.raises(PermissionDenied):
            api.pin(ctx.ann, {"id": thread})
        with pytest.raises(PermissionDenied):
            api.highlight(ctx.cara, {"id": thread})
        assert snapshot() == before

    def test_comments_cannot_be_endorsed(self, ctx):
        thread = new_thread(ctx.ann, kind="question")
        reply = new_reply(ctx.cara, thread)
        comment = new_reply(ctx.ann, thread, parent=reply)
        with pytest.raises(ValidationError):
            api.endorse(ctx.advocate, {"id": comment})

    def test_pinned_threads_come_first_in_every_sort(self, ctx):
        old = new_thread(ctx.ann, title="House rules")
        age(old, 60)
        new_thread(ctx.cara, title="Fresh topic")
        assert titles(ctx.ann) == ["Fresh topic", "House rules"]
        assert api.pin(ctx.advocate, {"id": old}) == {"id": old, "pinned": True}
        for sort in ("activity", "newest", "votes"):
            assert titles(ctx.ann, sort=sort)[0] == "House rules"
        api.pin(ctx.advocate, {"id": old, "on": False})
        assert titles(ctx.ann) == ["Fresh topic", "House rules"]

    def test_highlight(self, ctx):
        thread = new_thread(ctx.ann)
        api.highlight(ctx.advocate, {"id": thread})
        assert api.list_threads(ctx.cara, {})["threads"][0]["highlighted"] is True
        api.highlight(ctx.staff, {"id": thread, "on": False})
        assert api.get_thread(ctx.cara, {"id": thread})["highlighted"] is False

    def test_endorsing_is_news_for_readers_but_not_for_the_endorser(self, ctx):
        thread = new_thread(ctx.ann, kind="question")
        reply = new_reply(ctx.cara, thread)
        api.get_thread(ctx.ann, {"id": thread})
        api.get_thread(ctx.advocate, {"id": thread})
        api.endorse(ctx.advocate, {"id": reply})
        assert api.list_threads(ctx.ann, {})["threads"][0]["unread"] is True
        assert api.list_threads(ctx.advocate, {})["threads"][0]["unread"] is False


# ----- flags and moderation ------------------------------------------------------------------------
class TestFlags:
    def test_anyone_flags_once(self, ctx):
        thread = new_thread(ctx.ann)
        for _ in range(3):
            api.flag(ctx.cara, {"target": "thread", "id": thread, "reason": "Off topic"})
        api.flag(ctx.advocate, {"target": "thread", "id": thread})
        assert Thread.objects.get(pk=thread).flag_count == 2
        assert Flag.objects.filter(thread_id=thread).count() == 2
        assert Flag.objects.get(thread_id=thread, user__username="cara").reason == "Off topic"

    def test_a_flag_can_be_withdrawn(self, ctx):
        thread = new_thread(ctx.ann)
        reply = new_reply(ctx.ann, thread)
        api.flag(ctx.cara, {"target": "post", "id": reply})
        result = api.flag(ctx.cara, {"target": "post", "id": reply, "on": False})
        assert result["flagged"] is False
        assert Post.objects.get(pk=reply).flag_count == 0
        assert not Flag.objects.exists()

    def test_only_staff_see_flag_counts_and_the_flagged_list(self, ctx):
        flagged = new_thread(ctx.ann, title="Rude thread")
        with_flagged_reply = new_thread(ctx.ann, title="Fine thread, rude reply")
        new_thread(ctx.ann, title="Calm thread")
        api.flag(ctx.cara, {"target": "thread", "id": flagged})
        api.flag(ctx.cara, {"target": "post", "id": new_reply(ctx.ann, with_flagged_reply)})
        assert api.list_threads(ctx.cara, {})["threads"][0]["flag_count"] is None
        assert sorted(titles(ctx.staff, filter="flagged")) == ["Fine thread, rude reply", "Rude thread"]
        with pytest.raises(PermissionDenied):
            api.list_threads(ctx.cara, {"filter": "flagged"})
        with pytest.raises(PermissionDenied):
            api.list_threads(ctx.advocate, {"filter": "hidden"})

    def test_flag_reason_is_limited(self, ctx):
        thread = new_thread(ctx.ann)
        with pytest.raises(ValidationError):
            api.flag(ctx.cara, {"target": "thread", "id": thread, "reason": "x" * 501})
        assert not Flag.objects.exists()


class TestModeration:
    def test_hidden_thread_is_gone_for_peers_marked_for_its_author_and_kept_for_staff(self, ctx):
        thread = new_thread(ctx.ann, title="Oops")
        assert api.hide(ctx.staff, {"target": "thread", "id": thread}) == {"id": thread, "hidden": True, "hidden_reason": ""}
        assert titles(ctx.cara) == []
        with pytest.raises(NotFound):
            api.get_thread(ctx.cara, {"id": thread})
        with pytest.raises(NotFound):
            new_reply(ctx.cara, thread)
        mine = api.list_threads(ctx.ann, {})["threads"]
        assert [(t["title"], t["hidden"]) for t in mine] == [("Oops", True)]
        assert api.get_thread(ctx.ann, {"id": thread})["hidden"] is True
        assert titles(ctx.staff) == ["Oops"]
        assert titles(ctx.staff, filter="hidden") == ["Oops"]

    def test_restore_brings_it_back(self, ctx):
        thread = new_thread(ctx.ann, title="Oops")
        api.hide(ctx.staff, {"target": "thread", "id": thread})
        api.hide(ctx.staff, {"target": "thread", "id": thread, "on": False})
        assert titles(ctx.cara) == ["Oops"]

    def test_hidden_reply_is_gone_for_peers_and_marked_for_its_author(self, ctx):
        thread = new_thread(ctx.ann)
        reply = new_reply(ctx.cara, thread, body="Something regrettable")
        api.hide(ctx.staff, {"target": "post", "id": reply})
        assert api.get_thread(ctx.ann, {"id": thread})["replies"] == []
        own = api.get_thread(ctx.cara, {"id": thread})["replies"]
        assert [(r["id"], r["hidden"]) for r in own] == [(reply, True)]
        assert api.get_thread(ctx.staff, {"id": thread})["replies"][0]["hidden"] is True
        with pytest.raises(NotFound):
            api.vote(ctx.ann, {"target": "post", "id": reply})
        with pytest.raises(NotFound):
            new_reply(ctx.ann, thread, parent=reply)
        assert titles(ctx.staff, filter="hidden") == ["How do I start?"]

    # MariaDB's full-text index sees committed rows only: searched data is committed, as in production.
    @pytest.mark.django_db(transaction=True)
    def test_hidden_reply_text_is_not_searchable_by_peers(self, ctx):
        thread = new_thread(ctx.ann, title="Topic")
        reply = new_reply(ctx.cara, thread, body="secretword")
        api.hide(ctx.staff, {"target": "post", "id": reply})
        assert titles(ctx.ann, search="secretword") == []
        assert titles(ctx.cara, search="secretword") == ["Topic"]
        assert titles(ctx.staff, search="secretword") == ["Topic"]

    def test_only_staff_hide(self, ctx):
        thread = new_thread(ctx.ann)
        with pytest.raises(PermissionDenied):
            api.hide(ctx.advocate, {"target": "thread", "id": thread})
        assert Thread.objects.get(pk=thread).hidden is False

    def test_staff_delete_any_thread_and_nobody_sees_it(self, ctx):
        thread = new_thread(ctx.ann, title="Spam")
        new_reply(ctx.cara, thread)
        assert api.delete(ctx.staff, {"target": "thread", "id": thread}) == {"id": thread, "deleted": True}
        for person in (ctx.ann, ctx.cara, ctx.staff):
            assert titles(person) == []
            with pytest.raises(NotFound):
                api.get_thread(person, {"id": thread})
        # Kept in the database (audits), shown to nobody.
        assert Thread.objects.filter(pk=thread, deleted=True).exists()

    def test_staff_delete_a_reply_and_the_count_follows(self, ctx):
        thread = new_thread(ctx.ann)
        reply = new_reply(ctx.cara, thread)
        new_reply(ctx.ann, thread, parent=reply)
        new_reply(ctx.cara, thread)
        api.delete(ctx.staff, {"target": "post", "id": reply})
        detail = api.get_thread(ctx.ann, {"id": thread})
        assert detail["reply_count"] == 1 and len(detail["replies"]) == 1
        with pytest.raises(NotFound):
            api.delete(ctx.staff, {"target": "post", "id": reply})

    def test_deleting_the_endorsed_answer_reopens_the_question(self, ctx):
        question = new_thread(ctx.ann, kind="question")
        answer = new_reply(ctx.cara, question)
        api.endorse(ctx.staff, {"id": answer})
        api.delete(ctx.staff, {"target": "post", "id": answer})
        assert api.get_thread(ctx.ann, {"id": question})["answered"] is False


# ----- authors -------------------------------------------------------------------------------------
class TestAuthors:
    def test_author_edits_their_thread(self, ctx):
        thread = new_thread(ctx.ann, title="Typo tittle", body="Frist")
        result = api.edit(ctx.ann, {"target": "thread", "id": thread, "title": "Typo title", "body": "**First**"})
        assert result["body_html"] == "<p><strong>First</strong></p>\n"
        detail = api.get_thread(ctx.cara, {"id": thread})
        assert detail["title"] == "Typo title"
        assert detail["body_html"] == "<p><strong>First</strong></p>\n"
        assert detail["edited"] is not None

    def test_author_edits_their_reply(self, ctx):
        thread = new_thread(ctx.ann)
        reply = new_reply(ctx.cara, thread, body="v1")
        api.edit(ctx.cara, {"target": "post", "id": reply, "body": "v2"})
        shown = api.get_thread(ctx.ann, {"id": thread})["replies"][0]
        assert shown["body_html"] == "<p>v2</p>\n" and shown["edited"] is not None
        # The raw text (for the edit form) goes to its author only.
        assert shown["body"] is None
        assert api.get_thread(ctx.cara, {"id": thread})["replies"][0]["body"] == "v2"

    def test_nobody_else_edits_not_even_staff(self, ctx):
        thread = new_thread(ctx.ann)
        reply = new_reply(ctx.ann, thread)
        before = snapshot()
        for person in (ctx.cara, ctx.advocate, ctx.staff):
            with pytest.raises(PermissionDenied):
                api.edit(person, {"target": "thread", "id": thread, "title": "Hijacked", "body": "x"})
            with pytest.raises(PermissionDenied):
                api.edit(person, {"target": "post", "id": reply, "body": "x"})
        assert snapshot() == before

    def test_every_earlier_version_is_kept_when_the_author_edits(self, ctx):
        from xblocks.cohort_forum.models import Revision

        thread = new_thread(ctx.ann, title="Draft title", body="First words")
        reply = new_reply(ctx.cara, thread, body="Reply v1")
        api.edit(ctx.ann, {"target": "thread", "id": thread, "title": "Better title", "body": "Second words"})
        api.edit(ctx.ann, {"target": "thread", "id": thread, "body": "Third words"})
        api.edit(ctx.cara, {"target": "post", "id": reply, "body": "Reply v2"})
        kept = list(Revision.objects.filter(thread_id=thread).order_by("replaced", "id").values_list("title", "body"))
        assert kept == [("Draft title", "First words"), ("Better title", "Second words")]
        assert list(Revision.objects.filter(post_id=reply).values_list("body", flat=True)) == ["Reply v1"]
        # Saving the same text again is no edit: no version, no new "edited" time.
        edited = api.get_thread(ctx.ann, {"id": thread})["edited"]
        assert api.edit(ctx.ann, {"target": "thread", "id": thread, "body": "Third words"})["edited"] == edited
        assert Revision.objects.filter(thread_id=thread).count() == 2

    def test_an_edit_based_on_a_stale_copy_is_refused_and_writes_nothing(self, ctx):
        from xblocks.cohort_forum import models

        thread = new_thread(ctx.ann, body="Original")
        stale = models.Thread.objects.get(pk=thread)
        api.edit(ctx.ann, {"target": "thread", "id": thread, "body": "Saved in another window"})
        before = (snapshot(), models.Revision.objects.count())
        with pytest.raises(Conflict):
            api._replace_text(models.Thread, stale, {"title": stale.title, "body": stale.body}, {  # noqa: SLF001
                "title": stale.title, "body": "Edited from an old copy", "body_html": "", "edited": timezone.now()})
        assert (snapshot(), models.Revision.objects.count()) == before
        assert api.get_thread(ctx.cara, {"id": thread})["body_html"] == "<p>Saved in another window</p>\n"

    @pytest.mark.parametrize("target", ["thread", "reply", "comment"])
    def test_an_edit_from_a_page_that_showed_an_older_version_is_refused(self, ctx, target):
        """Two windows: both read the text, the first saves, the second saves with the version it showed."""
        from xblocks.cohort_forum import models

        thread = new_thread(ctx.ann, body="Original")
        reply = new_reply(ctx.ann, thread, body="Original")
        ids = {"thread": ("thread", thread), "reply": ("post", reply),
               "comment": ("post", new_reply(ctx.ann, thread, parent=reply, body="Original"))}
        kind, obj_id = ids[target]

        def shown():  # what each window's page holds: the item with its "edited" version
            detail = api.get_thread(ctx.ann, {"id": thread})
            if target == "thread":
                return detail
            item = detail["replies"][0]
            return item if target == "reply" else item["comments"][0]

        first, second = shown(), shown()
        assert first["edited"] is None
        saved = api.edit(ctx.ann, {"target": kind, "id": obj_id, "body": "From window one",
                                   "version": first["edited"] or ""})
        before = (snapshot(), models.Revision.objects.count())
        with pytest.raises(Conflict) as err:
            api.edit(ctx.ann, {"target": kind, "id": obj_id, "body": "From window two",
                               "version": second["edited"] or ""})
        assert "changed in another window" in err.value.message
        assert (snapshot(), models.Revision.objects.count()) == before
        # The first window, told the new version by its save, edits again.
        api.edit(ctx.ann, {"target": kind, "id": obj_id, "body": "Again from one", "version": saved["edited"]})
        assert "Again from one" in json.dumps(api.get_thread(ctx.cara, {"id": thread}))

    def test_retiring_an_author_removes_their_earlier_versions_too(self, ctx, course):
        from xblocks.cohort_forum.models import Revision

        thread = new_thread(ctx.ann, body="Something personal")
        api.edit(ctx.ann, {"target": "thread", "id": thread, "body": "Edited"})
        api.retire_user(course.ann)
        assert not Revision.objects.filter(thread_id=thread).exists()

    def test_an_invalid_edit_changes_nothing(self, ctx):
        thread = new_thread(ctx.ann)
        before = snapshot()
        with pytest.raises(ValidationError):
            api.edit(ctx.ann, {"target": "thread", "id": thread, "title": "", "body": "ok"})
        with pytest.raises(ValidationError):
            api.edit(ctx.ann, {"target": "thread", "id": thread, "title": "ok", "body": "x" * 20001})
        assert snapshot() == before

    def test_author_deletes_their_thread_while_nobody_replied(self, ctx):
        thread = new_thread(ctx.ann, title="Never mind")
        assert api.get_thread(ctx.ann, {"id": thread})["can"]["delete"] is True
        api.delete(ctx.ann, {"target": "thread", "id": thread})
        assert titles(ctx.cara) == []

    def test_after_a_reply_the_thread_stays_for_the_people_who_answered(self, ctx):
        thread = new_thread(ctx.ann, title="Answered already")
        new_reply(ctx.cara, thread, body="My careful answer")
        assert api.get_thread(ctx.ann, {"id": thread})["can"] == {
            "edit": True, "delete": False, "moderate": False, "curate": False,
        }
        before = snapshot()
        with pytest.raises(Conflict) as err:
            api.delete(ctx.ann, {"target": "thread", "id": thread})
        assert "replied" in err.value.message
        assert snapshot() == before
        assert api.get_thread(ctx.staff, {"id": thread})["can"]["delete"] is True

    def test_author_deletes_their_reply_while_nobody_commented(self, ctx):
        thread = new_thread(ctx.ann)
        reply = new_reply(ctx.cara, thread)
        api.delete(ctx.cara, {"target": "post", "id": reply})
        assert api.get_thread(ctx.ann, {"id": thread})["reply_count"] == 0

    def test_a_reply_with_comments_stays(self, ctx):
        thread = new_thread(ctx.ann)
        reply = new_reply(ctx.cara, thread)
        new_reply(ctx.ann, thread, parent=reply, body="Good point")
        assert api.get_thread(ctx.cara, {"id": thread})["replies"][0]["can"]["delete"] is False
        before = snapshot()
        with pytest.raises(Conflict):
            api.delete(ctx.cara, {"target": "post", "id": reply})
        assert snapshot() == before

    def test_author_deletes_their_comment(self, ctx):
        thread = new_thread(ctx.ann)
        reply = new_reply(ctx.cara, thread)
        comment = new_reply(ctx.ann, thread, parent=reply)
        api.delete(ctx.ann, {"target": "post", "id": comment})
        detail = api.get_thread(ctx.cara, {"id": thread})
        assert detail["replies"][0]["comments"] == []
        assert detail["replies"][0]["comment_count"] == 0
        assert detail["reply_count"] == 1

    def test_nobody_else_deletes(self, ctx):
        thread = new_thread(ctx.ann)
        reply = new_reply(ctx.ann, thread)
        before = snapshot()
        for person in (ctx.cara, ctx.advocate):
            with pytest.raises(PermissionDenied):
                api.delete(person, {"target": "thread", "id": thread})
            with pytest.raises(PermissionDenied):
                api.delete(person, {"target": "post", "id": reply})
        assert snapshot() == before


# ----- anonymity -----------------------------------------------------------------------------------
class TestAnonymity:
    def test_peers_see_anonymous_staff_and_the_author_see_the_name(self, ctx):
        thread = api.create_thread(ctx.ann, {"title": "Shy question", "body": "x", "anonymous": True},
                                   allow_anonymous=True)["id"]
        api.create_reply(ctx.cara, {"thread": thread, "body": "y", "anonymous": True}, allow_anonymous=True)
        peer = api.get_thread(ctx.advocate, {"id": thread})
        assert peer["author"] == {"name": "Anonymous", "username": None, "anonymous": True, "is_you": False}
        assert peer["replies"][0]["author"]["name"] == "Anonymous"
        assert api.list_threads(ctx.advocate, {})["threads"][0]["author"]["username"] is None
        staff = api.get_thread(ctx.staff, {"id": thread})
        assert staff["author"] == {"name": "Ann Peeters", "username": "ann", "anonymous": True, "is_you": False}
        assert staff["replies"][0]["author"]["name"] == "Cara Maes"
        own = api.get_thread(ctx.ann, {"id": thread})
        assert own["author"]["name"] == "Ann Peeters" and own["author"]["is_you"] is True
        assert own["replies"][0]["author"]["name"] == "Anonymous"

    def test_anonymity_must_be_allowed_by_the_forum(self, ctx):
        before = snapshot()
        with pytest.raises(ValidationError) as err:
            api.create_thread(ctx.ann, {"title": "t", "body": "b", "anonymous": True})
        assert "not allowed" in err.value.message
        assert snapshot() == before

    def test_receivers_are_told_the_contribution_is_anonymous(self, ctx):
        received = []

        def receiver(sender, **kwargs):
            received.append(kwargs)

        signals.contribution_created.connect(receiver)
        try:
            api.create_thread(ctx.ann, {"title": "t", "body": "b", "anonymous": True}, allow_anonymous=True)
        finally:
            signals.contribution_created.disconnect(receiver)
        assert received[0]["anonymous"] is True


# ----- unread, follow ------------------------------------------------------------------------------
class TestUnreadAndFollow:
    @staticmethod
    def unread(ctx_, thread_id):
        return {t["id"]: t["unread"] for t in api.list_threads(ctx_, {})["threads"]}[thread_id]

    def test_new_activity_by_someone_else_makes_a_thread_unread(self, ctx):
        thread = new_thread(ctx.ann)
        assert self.unread(ctx.ann, thread) is False  # your own thread
        assert self.unread(ctx.cara, thread) is True  # never opened
        assert api.get_thread(ctx.cara, {"id": thread})["was_unread"] is True
        assert self.unread(ctx.cara, thread) is False
        new_reply(ctx.ann, thread)
        assert self.unread(ctx.cara, thread) is True
        assert self.unread(ctx.ann, thread) is False  # your own reply

    def test_your_own_reply_keeps_the_thread_read(self, ctx):
        thread = new_thread(ctx.ann)
        api.get_thread(ctx.cara, {"id": thread})
        new_reply(ctx.cara, thread)
        assert self.unread(ctx.cara, thread) is False
        assert self.unread(ctx.ann, thread) is True
        new_reply(ctx.ann, thread, parent=Post.objects.get().id)
        assert self.unread(ctx.ann, thread) is False
        assert self.unread(ctx.cara, thread) is True

    def test_new_replies_are_marked_when_you_come_back(self, ctx):
        thread = new_thread(ctx.ann)
        old = new_reply(ctx.cara, thread)
        api.get_thread(ctx.ann, {"id": thread})
        fresh = new_reply(ctx.cara, thread)
        mine = new_reply(ctx.ann, thread)
        new_reply(ctx.advocate, thread)
        replies = api.get_thread(ctx.ann, {"id": thread})["replies"]
        assert {r["id"]: r["new"] for r in replies if r["id"] in (old, fresh, mine)} == {
            old: False, fresh: False, mine: False,
        }
        # Only the reply written after Ann's own reply (which marked the thread read) is new.
        assert [r["new"] for r in replies] == [False, False, False, True]

    def test_unread_filter(self, ctx):
        read = new_thread(ctx.ann, title="Seen")
        new_thread(ctx.ann, title="Not seen")
        api.get_thread(ctx.cara, {"id": read})
        assert titles(ctx.cara, filter="unread") == ["Not seen"]

    def test_authors_and_repliers_follow_and_anyone_can_stop(self, ctx):
        thread = new_thread(ctx.ann, title="Followed")
        new_thread(ctx.ann, title="Other")
        assert titles(ctx.cara, filter="following") == []
        new_reply(ctx.cara, thread)
        assert titles(ctx.cara, filter="following") == ["Followed"]
        assert api.follow(ctx.cara, {"id": thread, "on": False}) == {"id": thread, "following": False}
        assert titles(ctx.cara, filter="following") == []
        assert sorted(titles(ctx.ann, filter="following")) == ["Followed", "Other"]

    def test_following_without_reading_leaves_it_unread(self, ctx):
        thread = new_thread(ctx.ann)
        api.follow(ctx.cara, {"id": thread})
        listed = api.list_threads(ctx.cara, {})["threads"][0]
        assert listed["following"] is True and listed["unread"] is True


# ----- votes ---------------------------------------------------------------------------------------
class TestVotes:
    def test_one_vote_per_person_and_it_can_be_withdrawn(self, ctx):
        thread = new_thread(ctx.ann)
        for _ in range(3):
            assert api.vote(ctx.cara, {"target": "thread", "id": thread}) == {
                "id": thread, "voted": True, "vote_count": 1,
            }
        assert api.vote(ctx.advocate, {"target": "thread", "id": thread})["vote_count"] == 2
        assert api.vote(ctx.cara, {"target": "thread", "id": thread, "on": False})["vote_count"] == 1
        assert api.vote(ctx.cara, {"target": "thread", "id": thread, "on": False})["vote_count"] == 1
        listed = api.list_threads(ctx.advocate, {})["threads"][0]
        assert listed["vote_count"] == 1 and listed["voted"] is True
        assert api.list_threads(ctx.cara, {})["threads"][0]["voted"] is False

    def test_votes_on_replies_and_comments(self, ctx):
        thread = new_thread(ctx.ann)
        reply = new_reply(ctx.cara, thread)
        comment = new_reply(ctx.ann, thread, parent=reply)
        api.vote(ctx.ann, {"target": "post", "id": reply})
        api.vote(ctx.cara, {"target": "post", "id": comment})
        shown = api.get_thread(ctx.ann, {"id": thread})["replies"][0]
        assert (shown["vote_count"], shown["voted"]) == (1, True)
        assert (shown["comments"][0]["vote_count"], shown["comments"][0]["voted"]) == (1, False)


# ----- sorting, filters, search, pages -------------------------------------------------------------
class TestSortsAndFilters:
    @pytest.fixture
    def threads(self, ctx):
        oldest = new_thread(ctx.ann, title="Oldest, lively", kind="question")
        middle = new_thread(ctx.cara, title="Middle, popular")
        newest = new_thread(ctx.ann, title="Newest, quiet", kind="question")
        age(oldest, 30)
        age(middle, 20)
        age(newest, 10)
        new_reply(ctx.cara, oldest)  # activity now
        for person in (ctx.ann, ctx.cara, ctx.advocate):
            api.vote(person, {"target": "thread", "id": middle})
        api.vote(ctx.cara, {"target": "thread", "id": newest})
        return oldest, middle, newest

    def test_recent_activity_is_the_default(self, ctx, threads):
        assert titles(ctx.ann) == ["Oldest, lively", "Newest, quiet", "Middle, popular"]
        assert titles(ctx.ann, sort="activity") == titles(ctx.ann)

    def test_newest(self, ctx, threads):
        assert titles(ctx.ann, sort="newest") == ["Newest, quiet", "Middle, popular", "Oldest, lively"]

    def test_most_votes(self, ctx, threads):
        assert titles(ctx.ann, sort="votes") == ["Middle, popular", "Newest, quiet", "Oldest, lively"]

    def test_unanswered(self, ctx, threads):
        oldest, _middle, _newest = threads
        # Questions without an endorsed answer, and threads nobody replied to.
        assert titles(ctx.ann, sort="unanswered") == ["Newest, quiet", "Middle, popular", "Oldest, lively"]
        api.endorse(ctx.advocate, {"id": Post.objects.get(thread_id=oldest).id})
        assert titles(ctx.ann, sort="unanswered") == ["Newest, quiet", "Middle, popular"]

    def test_mine(self, ctx, threads):
        assert sorted(titles(ctx.ann, filter="mine")) == ["Newest, quiet", "Oldest, lively"]

    def test_mentions(self, ctx, threads):
        new_thread(ctx.ann, title="Asking Cara", body="What do you think, @cara?")
        assert titles(ctx.cara, filter="mentions") == ["Asking Cara"]
        assert titles(ctx.ann, filter="mentions") == []

    @pytest.mark.parametrize("query", [{"sort": "random"}, {"filter": "everything"}, {"sort": ["votes"]},
                                       {"page": "two"}, {"page": 0}, {"page": -3}, {"page": True},
                                       {"search": 42}, {"search": "x" * 201}])
    def test_bad_queries_get_a_clear_message(self, ctx, query):
        with pytest.raises(ValidationError) as err:
            api.list_threads(ctx.ann, query)
        assert err.value.message


# MariaDB's full-text index sees committed rows only: searched data is committed, as in production.
@pytest.mark.django_db(transaction=True)
class TestSearch:
    @pytest.fixture
    def threads(self, ctx):
        a = new_thread(ctx.ann, title="Budget for 100% of the team", body="Plain text")
        b = new_thread(ctx.ann, title="Naming", body="Use snake_case for files")
        c = new_thread(ctx.cara, title="Onboarding", body="First week")
        new_reply(ctx.ann, c, body="The mentoring programme helps a lot")
        return a, b, c

    def test_by_title_text_or_reply(self, ctx, threads):
        assert titles(ctx.cara, search="budget") == ["Budget for 100% of the team"]
        assert titles(ctx.cara, search="SNAKE") == ["Naming"]
        assert titles(ctx.cara, search="mentoring") == ["Onboarding"]

    def test_every_word_must_match(self, ctx, threads):
        assert titles(ctx.cara, search="onboarding mentoring") == ["Onboarding"]
        assert titles(ctx.cara, search="onboarding budget") == []

    def test_quoted_phrase(self, ctx, threads):
        assert titles(ctx.cara, search='"first week"') == ["Onboarding"]
        assert titles(ctx.cara, search='"week first"') == []

    @pytest.mark.parametrize("wildcard", ["%", "100%", "_", "e_c", "\\", "%_%"])
    def test_wildcards_are_never_patterns(self, ctx, threads, wildcard):
        # A search is made of words: signs between them separate words, and a search of signs alone finds nothing.
        expected = {
            "%": [], "100%": ["Budget for 100% of the team"], "_": [], "e_c": [], "\\": [], "%_%": [],
        }[wildcard]
        assert titles(ctx.cara, search=wildcard) == expected

    def test_the_search_is_echoed(self, ctx, threads):
        page = api.list_threads(ctx.cara, {"search": "  budget  "})
        assert page["search"] == "budget" and page["total"] == 1


class TestPagination:
    @pytest.fixture
    def twelve(self, ctx, settings):
        settings.SOCIAL_LEARNING = {**settings.SOCIAL_LEARNING, "PAGE_SIZE": 5}
        for i in range(12):
            age(new_thread(ctx.ann, title=f"Thread {i:02d}"), 100 - i)

    def test_pages(self, ctx, twelve):
        first = api.list_threads(ctx.cara, {})
        assert (first["page"], first["pages"], first["total"]) == (1, 3, 12)
        assert [t["title"] for t in first["threads"]] == [f"Thread {i:02d}" for i in (11, 10, 9, 8, 7)]
        assert titles(ctx.cara, page=3) == ["Thread 01", "Thread 00"]

    def test_a_page_beyond_the_last_shows_the_last(self, ctx, twelve):
        page = api.list_threads(ctx.cara, {"page": 99})
        assert page["page"] == 3
        assert [t["title"] for t in page["threads"]] == ["Thread 01", "Thread 00"]

    def test_an_empty_forum_has_one_empty_page(self, ctx):
        page = api.list_threads(ctx.bob, {"page": 4})
        assert (page["page"], page["pages"], page["total"], page["threads"]) == (1, 1, 0, [])

    def test_reply_pages(self, ctx, monkeypatch):
        monkeypatch.setattr(api, "REPLY_PAGE_SIZE", 2)
        thread = new_thread(ctx.ann)
        replies = [new_reply(ctx.cara, thread, body=f"r{i}") for i in range(5)]
        first = api.get_thread(ctx.ann, {"id": thread})
        assert [r["id"] for r in first["replies"]] == replies[:2] and first["more_replies"] is True
        last = api.get_thread(ctx.ann, {"id": thread, "reply_page": 3})
        assert [r["id"] for r in last["replies"]] == replies[4:] and last["more_replies"] is False


# ----- limits, validation, rate ---------------------------------------------------------------------
class TestLimits:
    def test_title_of_200_characters_is_fine_201_is_refused(self, ctx):
        new_thread(ctx.ann, title="t" * 200)
        before = snapshot()
        with pytest.raises(ValidationError) as err:
            new_thread(ctx.ann, title="t" * 201)
        assert err.value.message == "The title is too long: 201 characters, at most 200."
        assert err.value.fields == {"title": "The title is too long: 201 characters, at most 200."}
        assert snapshot() == before

    def test_text_of_20000_characters_is_fine_20001_is_refused(self, ctx):
        thread = new_thread(ctx.ann, body="b" * 20000)
        before = snapshot()
        with pytest.raises(ValidationError) as err:
            new_thread(ctx.ann, body="b" * 20001)
        assert "at most 20000" in err.value.message
        with pytest.raises(ValidationError):
            new_reply(ctx.cara, thread, body="b" * 20001)
        assert snapshot() == before

    @pytest.mark.parametrize("payload, field", [
        ({"title": "", "body": "b"}, "title"),
        ({"title": "   ", "body": "b"}, "title"),
        ({"title": "t", "body": " \n\t "}, "body"),
        ({"title": "t"}, "body"),
        ({"title": 5, "body": "b"}, "title"),
        ({"title": "t", "body": ["b"]}, "body"),
        ({"title": "t", "body": "b", "kind": "poll"}, "kind"),
        ({"title": "t", "body": "b", "anonymous": "yes"}, "anonymous"),
    ])
    def test_bad_input_is_named_and_nothing_is_written(self, ctx, payload, field):
        before = snapshot()
        with pytest.raises(ValidationError) as err:
            api.create_thread(ctx.ann, payload, allow_anonymous=True)
        assert field in err.value.fields
        assert snapshot() == before

    @pytest.mark.parametrize("bad_id", [None, "", "abc", -1, 0, True, 1.5, [1], 2**70])
    def test_bad_ids_are_refused(self, ctx, bad_id):
        with pytest.raises(ValidationError):
            api.get_thread(ctx.ann, {"id": bad_id})

    @pytest.mark.parametrize("data", [[], "x", 3])
    def test_a_request_that_is_not_an_object_is_refused(self, ctx, data):
        with pytest.raises(ValidationError):
            api.list_threads(ctx.ann, data)

    def test_text_keeps_its_indentation_and_loses_surrounding_blank_lines(self, ctx):
        thread = new_thread(ctx.ann, body="\n\n    code block\n\ntext  \n\n")
        assert Thread.objects.get(pk=thread).body == "    code block\n\ntext"
        assert "<pre><code>code block" in Thread.objects.get(pk=thread).body_html

    def test_a_long_text_is_listed_with_a_short_excerpt(self, ctx):
        new_thread(ctx.ann, body="**Opening** words. " + "more " * 3900)
        listed = api.list_threads(ctx.cara, {})["threads"][0]
        assert listed["excerpt"].startswith("Opening words. more more")
        assert len(listed["excerpt"]) <= 180 and listed["excerpt"].endswith("…")

    def test_emoji_and_accents_survive(self, ctx):
        thread = new_thread(ctx.ann, title="Café 🎉 déjà vu", body="Ça marche 👍")
        detail = api.get_thread(ctx.cara, {"id": thread})
        assert detail["title"] == "Café 🎉 déjà vu"
        assert "Ça marche 👍" in detail["body_html"]


class TestRateLimit:
    def test_over_the_limit_is_refused_with_a_message_and_nothing_written(self, ctx, settings):
        settings.SOCIAL_LEARNING = {"POSTS_PER_WINDOW": 3, "POST_WINDOW_SECONDS": 60}
        thread = new_thread(ctx.ann)
        new_reply(ctx.ann, thread)
        new_reply(ctx.ann, thread, parent=Post.objects.get().id)
        before = snapshot()
        with pytest.raises(RateLimited) as err:
            new_reply(ctx.ann, thread, body="one more")
        assert err.value.status == 429
        assert "Please wait" in err.value.message and "your text is still here" in err.value.message
        with pytest.raises(RateLimited):
            new_thread(ctx.ann)
        assert snapshot() == before
        # Someone else is not slowed down.
        new_reply(ctx.cara, thread)

    def test_the_allowance_comes_back_in_the_next_window(self, ctx, settings, clock):
        settings.SOCIAL_LEARNING = {"POSTS_PER_WINDOW": 1, "POST_WINDOW_SECONDS": 60}
        new_thread(ctx.ann)
        clock.advance(50)
        with pytest.raises(RateLimited) as err:
            new_thread(ctx.ann)
        assert "Please wait 5 seconds," in err.value.message  # frozen 5 s into a minute, then 50 s on
        clock.advance(4)
        with pytest.raises(RateLimited) as err:
            new_thread(ctx.ann)
        assert "Please wait 1 second," in err.value.message
        clock.advance(1)
        new_thread(ctx.ann)

    def test_refused_input_does_not_use_up_the_allowance(self, ctx, settings):
        settings.SOCIAL_LEARNING = {"POSTS_PER_WINDOW": 2, "POST_WINDOW_SECONDS": 60}
        for _ in range(5):
            with pytest.raises(ValidationError):
                new_thread(ctx.ann, title="")
        new_thread(ctx.ann)
        new_thread(ctx.ann)
        with pytest.raises(RateLimited):
            new_thread(ctx.ann)

    def test_reading_voting_and_editing_are_not_limited(self, ctx, settings):
        settings.SOCIAL_LEARNING = {"POSTS_PER_WINDOW": 1, "POST_WINDOW_SECONDS": 60}
        thread = new_thread(ctx.ann)
        for _ in range(3):
            api.list_threads(ctx.ann, {})
            api.vote(ctx.ann, {"target": "thread", "id": thread})
            api.edit(ctx.ann, {"target": "thread", "id": thread, "body": "edited"})


# ----- mentions -------------------------------------------------------------------------------------
class TestMentions:
    def test_only_members_of_the_space_are_linked(self, ctx, course):
        outsider = UserFactory(username="olga")  # not in the course at all
        result = api.create_thread(ctx.ann, {"title": "Ideas", "body": "@cara @bob @olga @nobody @ann what now?"})
        assert result["mentioned"] == ["cara"]
        html = Thread.objects.get(pk=result["id"]).body_html
        assert '<span class="sls-mention">@cara</span>' in html
        for plain in ("@bob", "@olga", "@nobody", "@ann"):
            assert plain in html and f'<span class="sls-mention">{plain}</span>' not in html
        assert Thread.objects.get(pk=result["id"]).mentioned_ids == f"|{course.cara.id}|"
        assert titles(ctx.cara, filter="mentions") == ["Ideas"]
        assert titles(ctx.advocate, filter="mentions") == []
        assert outsider.id != course.cara.id

    def test_mentions_in_replies_and_comments(self, ctx, course):
        thread = new_thread(ctx.ann, title="Plans")
        new_thread(ctx.ann, title="Other plans")
        reply = new_reply(ctx.cara, thread, body="Agree with @ann")
        comment = new_reply(ctx.ann, thread, parent=reply, body="Thanks @cara and @ada")
        for person in (ctx.advocate, ctx.ann, ctx.cara):
            assert titles(person, filter="mentions") == ["Plans"]
        assert Post.objects.get(pk=comment).mentioned_ids == "|{}|{}|".format(
            *sorted([course.cara.id, course.advocate.id]))

    def test_mentions_in_deleted_replies_no_longer_count(self, ctx):
        thread = new_thread(ctx.ann, title="Plans")
        reply = new_reply(ctx.cara, thread, body="Asking @ada")
        api.delete(ctx.cara, {"target": "post", "id": reply})
        assert titles(ctx.advocate, filter="mentions") == []

    def test_editing_updates_the_mentions(self, ctx):
        thread = new_thread(ctx.ann, body="Asking @cara")
        api.edit(ctx.ann, {"target": "thread", "id": thread, "body": "Asking @ada instead"})
        assert titles(ctx.cara, filter="mentions") == []
        assert len(titles(ctx.advocate, filter="mentions")) == 1

    def test_course_wide_forum_mentions_anyone_in_the_course(self, ctx, course, make_context):
        result = api.create_thread(make_context(course.ann, scope="course"), {"title": "t", "body": "Hi @bob"})
        assert result["mentioned"] == ["bob"]

    def test_suggestions_come_from_the_space_only(self, ctx, course):
        assert api.mention_candidates(ctx.ann, {"q": ""})["members"] == [
            {"username": "ada", "name": "Ada Advocate"},
            {"username": "cara", "name": "Cara Maes"},
        ]
        assert api.mention_candidates(ctx.ann, {"q": "@Ma"})["members"] == [{"username": "cara", "name": "Cara Maes"}]
        assert api.mention_candidates(ctx.ann, {"q": "bob"})["members"] == []

    def test_staff_get_suggestions_for_the_thread_they_answer(self, ctx):
        thread = new_thread(ctx.bob)
        assert api.mention_candidates(ctx.staff, {"q": ""})["members"] == []
        assert api.mention_candidates(ctx.staff, {"thread": thread})["members"] == [
            {"username": "bob", "name": "Bob Janssens"},
        ]


# ----- participation, signals, events, retirement -------------------------------------------------
class TestParticipation:
    def test_counts_threads_replies_and_comments_in_this_forum(self, ctx, course, make_context):
        thread = new_thread(ctx.ann)
        reply = new_reply(ctx.ann, thread)
        new_reply(ctx.ann, thread, parent=reply)
        gone = new_reply(ctx.ann, thread)
        api.delete(ctx.ann, {"target": "post", "id": gone})
        new_thread(make_context(course.ann, placement=PlacementFactory(resource_key="elsewhere")))
        assert api.participation_count(ctx.ann) == 3
        assert api.participation_count(ctx.ann, {}) == 3
        assert api.participation_count(ctx.cara) == 0


class TestSignalsAndEvents:
    def test_contributions_and_endorsements_are_signalled(self, ctx, course):
        contributions, endorsements = [], []

        def on_contribution(sender, **kwargs):
            contributions.append(kwargs)

        def on_endorsement(sender, **kwargs):
            endorsements.append(kwargs)

        signals.contribution_created.connect(on_contribution)
        signals.answer_endorsed.connect(on_endorsement)
        try:
            thread = new_thread(ctx.ann, kind="question")
            reply = new_reply(ctx.cara, thread)
            comment = new_reply(ctx.ann, thread, parent=reply)
            api.endorse(ctx.advocate, {"id": reply})
            api.endorse(ctx.advocate, {"id": reply})  # already endorsed: no second signal
        finally:
            signals.contribution_created.disconnect(on_contribution)
            signals.answer_endorsed.disconnect(on_endorsement)
        assert [(c["user"].username, c["kind"], c["thread_id"], c["post_id"]) for c in contributions] == [
            ("ann", "thread", thread, None), ("cara", "reply", thread, reply), ("ann", "comment", thread, comment),
        ]
        assert all(c["placement"].id == course.placement.id and c["group_key"] == course.group_a
                   for c in contributions)
        assert len(endorsements) == 1
        assert (endorsements[0]["user"].username, endorsements[0]["actor"].username) == ("cara", "ada")
        assert (endorsements[0]["thread_id"], endorsements[0]["post_id"]) == (thread, reply)

    def test_tracking_events(self, course, make_context):
        events = []
        ann = make_context(course.ann, events=events)
        cara = make_context(course.cara, events=events)
        thread = api.create_thread(ann, {"title": "t", "body": "b"})["id"]
        reply = api.create_reply(cara, {"thread": thread, "body": "r"})["id"]
        api.vote(ann, {"target": "post", "id": reply})
        api.vote(ann, {"target": "post", "id": reply})  # no change, no event
        api.flag(ann, {"target": "post", "id": reply})
        api.follow(cara, {"id": thread, "on": False})
        assert [name for name, _data in events] == [
            "social_learning.forum.thread.created",
            "social_learning.forum.reply.created",
            "social_learning.forum.post.voted",
            "social_learning.forum.post.flagged",
            "social_learning.forum.thread.unfollowed",
        ]
        # Events carry ids and sizes, not the learner's words.
        assert events[0][1]["title_length"] == 1 and "title" not in events[0][1]


class TestRetirement:
    def test_a_retired_person_is_forgotten_and_their_votes_and_flags_no_longer_count(self, ctx, course):
        thread = new_thread(ctx.ann, title="Ann's thread", kind="question")
        ann_reply = new_reply(ctx.ann, thread)
        cara_thread = new_thread(ctx.cara, title="Cara's own thread", body="Ask @ann")
        cara_reply = new_reply(ctx.cara, thread, body="Cara's words")
        for person in (ctx.cara, ctx.advocate):
            api.vote(person, {"target": "thread", "id": thread})
            api.vote(person, {"target": "post", "id": ann_reply})
            api.flag(person, {"target": "thread", "id": thread})
            api.flag(person, {"target": "post", "id": ann_reply})
        api.endorse(ctx.advocate, {"id": cara_reply})
        new_reply(ctx.ann, thread, body="Thanks @cara")

        signals.retire_user(sender=None, user=course.cara)  # what Open edX's USER_RETIRE_LMS_CRITICAL calls

        kept = Thread.objects.get(pk=thread)
        assert (kept.vote_count, kept.flag_count) == (1, 1)
        reply = Post.objects.get(pk=ann_reply)
        assert (reply.vote_count, reply.flag_count) == (1, 1)
        assert not Vote.objects.filter(user=course.cara).exists()
        assert not Flag.objects.filter(user=course.cara).exists()
        assert not ThreadState.objects.filter(user=course.cara).exists()
        # Nobody's text mentions Cara any more, and the mentions Cara made (of Ann) went with her words.
        assert titles(ctx.cara, filter="mentions") == []
        assert not Post.objects.filter(mentioned_ids__contains=f"|{course.cara.id}|").exists()
        assert Thread.objects.get(pk=cara_thread).mentioned_ids == ""
        assert titles(ctx.ann, filter="mentions") == []
        detail = api.get_thread(ctx.ann, {"id": thread})
        removed = next(r for r in detail["replies"] if r["id"] == cara_reply)
        assert "Cara's words" not in removed["body_html"] and "removed" in removed["body_html"]
        assert removed["author"]["name"] == "Anonymous"
        assert removed["endorsed"] is True  # the answer still answers the question
        listed = {t["id"]: t for t in api.list_threads(ctx.ann, {})["threads"]}
        assert listed[cara_thread]["title"] == "[removed]"
        assert listed[cara_thread]["author"]["name"] == "Anonymous"
        assert "Ask" not in listed[cara_thread]["excerpt"]

    def test_a_retired_endorser_is_no_longer_named(self, ctx, course):
        thread = new_thread(ctx.ann, kind="question")
        reply = new_reply(ctx.cara, thread)
        api.endorse(ctx.advocate, {"id": reply})
        signals.retire_user(sender=None, user=course.advocate)
        shown = api.get_thread(ctx.ann, {"id": thread})["replies"][0]
        assert shown["endorsed"] is True and shown["endorsed_by"] is None
