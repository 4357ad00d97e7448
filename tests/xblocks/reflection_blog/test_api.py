"""The blog's api as a learner, a coach and staff meet it: entries, visibility, versions, the feed, comments,
kudos and moderation."""
from datetime import timedelta

import pytest
from django.utils import timezone

from xblocks.core import signals
from xblocks.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from xblocks.reflection_blog import api
from xblocks.reflection_blog.models import Comment, Entry, EntryVersion, Flag, Tag


def ids(listing):
    return [entry["id"] for entry in listing["entries"]]


# ----- writing ---------------------------------------------------------------------------------------
def test_an_entry_is_rendered_tagged_and_says_who_can_read_it(course, write, ctx_of, blog_settings):
    entry = write(course.ann, body="# Heading\nI tried <script>alert(1)</script> **this**.", visibility="group",
                  tags=["At work", "my own tag", "at  WORK"])
    assert "<script>" not in entry["body_html"] and "<strong>this</strong>" in entry["body_html"]
    assert "<h3>Heading</h3>" in entry["body_html"]
    # The author's tag keeps the author's spelling; a repeated tag counts once.
    assert [t["name"] for t in entry["tags"]] == ["at work", "my own tag"]
    assert entry["audience"] == "You, your group (Cohort A), your coach and course staff can read this entry."
    assert entry["word_count"] == 8  # as a reader sees them: Heading I tried script alert 1 script this
    cara_sees = api.get_entry(ctx_of(course.cara), {"id": entry["id"]}, blog_settings)
    assert cara_sees["audience"] == "Ann Peeters's group (Cohort A), their coach and course staff can read this entry."
    assert cara_sees["body"] is None and cara_sees["can"]["edit"] is False


def test_the_author_sets_the_default_and_the_allowed_levels(course, ctx_of, blog_settings):
    settings = {**blog_settings, "default_visibility": "group", "allow_course": False}
    entry = api.create_entry(ctx_of(course.ann), {"title": "T", "body": "B"}, settings)
    assert entry["visibility"] == "group"
    with pytest.raises(ValidationError) as err:
        api.create_entry(ctx_of(course.ann), {"title": "T", "body": "B", "visibility": "course"}, settings)
    assert err.value.fields == {"visibility": "This blog does not allow that choice of who can read an entry."}
    # A course-wide blog has no group to share with.
    with pytest.raises(ValidationError):
        api.create_entry(ctx_of(course.ann), {"title": "T", "body": "B", "visibility": "group"},
                         {**blog_settings, "group_scope": "course"})


def test_tags_follow_the_authors_rules(course, ctx_of, blog_settings):
    closed = {**blog_settings, "free_tags": False, "tags_required": True}
    with pytest.raises(ValidationError) as err:
        api.create_entry(ctx_of(course.ann), {"title": "T", "body": "B"}, closed)
    assert err.value.fields["tags"] == "Add at least one tag."
    with pytest.raises(ValidationError) as err:
        api.create_entry(ctx_of(course.ann), {"title": "T", "body": "B", "tags": ["mine"]}, closed)
    assert "“mine” is not one of them" in err.value.message
    entry = api.create_entry(ctx_of(course.ann), {"title": "T", "body": "B", "tags": ["QUESTION"]}, closed)
    assert [t["name"] for t in entry["tags"]] == ["question"]
    assert Tag.objects.get(key="question").author_defined is True
    with pytest.raises(ValidationError):
        api.create_entry(ctx_of(course.ann), {"title": "T", "body": "B", "tags": [f"t{i}" for i in range(11)]},
                         blog_settings)


def test_bad_input_is_refused_with_a_message_and_nothing_is_written(course, ctx_of, blog_settings):
    for data in ({"title": "", "body": "B"}, {"title": "T", "body": ""}, {"title": "T" * 201, "body": "B"},
                 {"title": "T", "body": "B", "tags": "x" * 41}, {"title": "T", "body": "B", "visibility": "world"},
                 {"title": "T", "body": "B", "prompt": 123}, {"title": ["T"], "body": "B"}):
        with pytest.raises((ValidationError, NotFound)) as err:
            api.create_entry(ctx_of(course.ann), data, blog_settings)
        assert err.value.message
    assert not Entry.objects.exists()


def test_an_edit_keeps_the_earlier_version_and_a_stale_edit_is_refused(course, write, ctx_of, blog_settings):
    entry = write(course.ann, title="First", body="First text", tags=["module 1"])
    ann = ctx_of(course.ann)
    edited = api.edit_entry(ann, {"id": entry["id"], "version": 1, "title": "Second", "body": "Second text",
                                  "tags": ["at work"]}, blog_settings)
    assert edited["version"] == 2 and edited["versions"] == 1 and edited["edited"]
    # The other tab still has version 1: refused, and nothing changes.
    with pytest.raises(Conflict) as err:
        api.edit_entry(ann, {"id": entry["id"], "version": 1, "title": "Third", "body": "From the other tab"},
                       blog_settings)
    assert "changed in another window or tab" in err.value.message
    assert Entry.objects.get().title == "Second"
    versions = api.list_versions(ann, {"id": entry["id"]}, blog_settings)["versions"]
    assert [(v["version"], v["title"], v["tags"]) for v in versions] == [(1, "First", ["module 1"])]
    # Cara may read the entry, not its history.
    with pytest.raises(PermissionDenied):
        api.list_versions(ctx_of(course.cara), {"id": entry["id"]}, blog_settings)
    assert api.list_versions(ctx_of(course.staff), {"id": entry["id"]}, blog_settings)["version"] == 2
    with pytest.raises(PermissionDenied):
        api.edit_entry(ctx_of(course.cara), {"id": entry["id"], "version": 2, "title": "Mine now"}, blog_settings)


def test_changing_visibility_applies_at_once_in_feed_search_and_counts(course, write, ctx_of, blog_settings):
    entry = write(course.ann, title="Negotiation practice", visibility="course", tags=["at work"])
    bob = ctx_of(course.bob)
    assert ids(api.list_entries(bob, {}, blog_settings)) == [entry["id"]]
    assert ids(api.list_entries(bob, {"search": "negotiation"}, blog_settings)) == [entry["id"]]
    assert api.list_tags(bob, {}, blog_settings)["author_tags"][1]["count"] == 1
    changed = []
    signals.contribution_changed.connect(lambda **kw: changed.append(kw), weak=False, dispatch_uid="t-vis")
    try:
        api.set_visibility(ctx_of(course.ann), {"id": entry["id"], "visibility": "private"}, blog_settings)
    finally:
        signals.contribution_changed.disconnect(dispatch_uid="t-vis")
    assert changed and changed[0]["visibility"] == "private" and changed[0]["object_id"] == entry["id"]
    assert ids(api.list_entries(bob, {}, blog_settings)) == []
    assert ids(api.list_entries(bob, {"search": "negotiation"}, blog_settings)) == []
    assert api.list_tags(bob, {}, blog_settings)["author_tags"][1]["count"] == 0
    assert api.list_people(bob, {}, blog_settings)["people"] == []
    with pytest.raises(NotFound):
        api.get_entry(bob, {"id": entry["id"]}, blog_settings)


def test_deleting_an_entry_removes_it_everywhere(course, write, ctx_of, blog_settings):
    entry = write(course.ann, title="Negotiation practice")
    with pytest.raises(PermissionDenied):
        api.delete_entry(ctx_of(course.cara), {"id": entry["id"]}, blog_settings)
    api.delete_entry(ctx_of(course.ann), {"id": entry["id"]}, blog_settings)
    for person in (course.ann, course.cara, course.staff):
        assert ids(api.list_entries(ctx_of(person), {}, blog_settings)) == []
        assert ids(api.list_entries(ctx_of(person), {"search": "negotiation"}, blog_settings)) == []
    assert api.own_entry_count(ctx_of(course.ann)) == 0
    assert api.summary(course.key) == []


# ----- reading ---------------------------------------------------------------------------------------
def test_the_feed_pages_filters_and_searches(course, write, ctx_of, blog_settings, settings):
    settings.SOCIAL_LEARNING = {"reflection_blog": {"PAGE_SIZE": 3, "POSTS_PER_WINDOW": 1000}}
    made = [write(course.ann if i % 2 else course.cara, title=f"Entry {i}", body=f"Text {i} about feedback",
                  tags=["module 1"] if i % 3 == 0 else []) for i in range(7)]
    made.reverse()  # newest first
    cara = ctx_of(course.cara)
    first = api.list_entries(cara, {}, blog_settings)
    second = api.list_entries(cara, {"cursor": first["next"]}, blog_settings)
    third = api.list_entries(cara, {"cursor": second["next"]}, blog_settings)
    assert ids(first) + ids(second) + ids(third) == [e["id"] for e in made]
    assert third["next"] is None
    assert ids(api.list_entries(cara, {"tag": "Module 1"}, blog_settings)) == [e["id"] for e in made if
                                                                                e["tags"]][:3]
    assert {e["author"]["username"] for e in api.list_entries(cara, {"author": "ann"}, blog_settings)["entries"]} \
        == {"ann"}
    assert {e["author"]["username"] for e in api.list_entries(cara, {"view": "mine"}, blog_settings)["entries"]} \
        == {"cara"}
    found = api.list_entries(cara, {"search": "feedbacks entry"}, blog_settings)
    assert len(found["entries"]) == 3 and found["next"] == "3"
    rest = api.list_entries(cara, {"search": "feedbacks entry", "cursor": found["next"]}, blog_settings)
    assert len(ids(found) + ids(rest)) == 6
    with pytest.raises(ValidationError):
        api.list_entries(cara, {"cursor": "not|a-cursor"}, blog_settings)


def test_people_and_tags_list_what_the_reader_may_read(course, write, ctx_of, blog_settings):
    write(course.ann, tags=["my tag"], visibility="course")
    write(course.bob, tags=["his tag"], visibility="group")
    cara = ctx_of(course.cara)
    assert [p["username"] for p in api.list_people(cara, {}, blog_settings)["people"]] == ["ann"]
    assert [t["name"] for t in api.list_tags(cara, {}, blog_settings)["tags"]] == ["my tag"]
    staff = ctx_of(course.staff)
    assert {p["username"] for p in api.list_people(staff, {}, blog_settings)["people"]} == {"ann", "bob"}


# ----- comments and kudos ----------------------------------------------------------------------------
def test_comments_count_and_a_coach_comment_is_marked(course, write, ctx_of, blog_settings):
    entry = write(course.ann, visibility="coach")
    coach = api.add_comment(ctx_of(course.staff), {"entry": entry["id"], "body": "Good **start**."}, blog_settings)
    assert coach["comment"]["coach"] is True and "<strong>start</strong>" in coach["comment"]["body_html"]
    own = api.add_comment(ctx_of(course.ann), {"entry": entry["id"], "body": "Thanks!"}, blog_settings)
    assert own["comment"]["coach"] is False
    shown = api.get_entry(ctx_of(course.ann), {"id": entry["id"]}, blog_settings)
    assert shown["comment_count"] == 2 and shown["coach_comments"] == 1
    assert [c["coach"] for c in shown["comments"]] == [True, False]
    row = Entry.objects.get()
    assert row.coach_comment_count == 1 and row.last_coach_comment is not None


def test_the_entrys_author_hides_a_comment_on_it(course, write, ctx_of, blog_settings):
    entry = write(course.ann, visibility="group")
    comment = api.add_comment(ctx_of(course.cara), {"entry": entry["id"], "body": "Off topic"}, blog_settings)
    cid = comment["comment"]["id"]
    ada = ctx_of(course.advocate)
    assert api.get_entry(ada, {"id": entry["id"]}, blog_settings)["comment_count"] == 1
    with pytest.raises(PermissionDenied):
        api.hide_comment(ada, {"id": cid}, blog_settings)
    api.hide_comment(ctx_of(course.ann), {"id": cid}, blog_settings)
    seen = api.get_entry(ada, {"id": entry["id"]}, blog_settings)
    assert seen["comments"] == [] and seen["comment_count"] == 0
    # Its author still sees it, marked; so does the entry's author, who may show it again.
    mine = api.get_entry(ctx_of(course.cara), {"id": entry["id"]}, blog_settings)["comments"]
    assert mine[0]["hidden"] and mine[0]["hidden_by"] == "author"
    api.hide_comment(ctx_of(course.ann), {"id": cid, "on": False}, blog_settings)
    assert api.get_entry(ada, {"id": entry["id"]}, blog_settings)["comment_count"] == 1
    # Staff hide it: the entry's author cannot show it again.
    api.hide(ctx_of(course.staff), {"target": "comment", "id": cid, "reason": "Off topic"}, blog_settings)
    with pytest.raises(PermissionDenied):
        api.hide_comment(ctx_of(course.ann), {"id": cid, "on": False}, blog_settings)


def test_comments_closed_on_an_entry(course, write, ctx_of, blog_settings):
    entry = write(course.ann, allow_comments=False)
    with pytest.raises(PermissionDenied):
        api.add_comment(ctx_of(course.cara), {"entry": entry["id"], "body": "Hi"}, blog_settings)
    open_entry = write(course.ann)
    with pytest.raises(PermissionDenied):
        api.add_comment(ctx_of(course.cara), {"entry": open_entry["id"], "body": "Hi"},
                        {**blog_settings, "allow_comments": False})


def test_kudos_once_per_person_not_on_ones_own(course, write, ctx_of, blog_settings):
    entry = write(course.ann)
    cara = ctx_of(course.cara)
    assert api.kudos(cara, {"id": entry["id"]}, blog_settings)["kudos_count"] == 1
    assert api.kudos(cara, {"id": entry["id"]}, blog_settings)["kudos_count"] == 1
    assert api.kudos(ctx_of(course.bob), {"id": entry["id"]}, blog_settings)["kudos_count"] == 2
    assert api.kudos(cara, {"id": entry["id"], "on": False}, blog_settings)["kudos_count"] == 1
    with pytest.raises(PermissionDenied):
        api.kudos(ctx_of(course.ann), {"id": entry["id"]}, blog_settings)
    listed = api.list_entries(ctx_of(course.bob), {}, blog_settings)["entries"][0]
    assert listed["kudos"] is True and listed["kudos_count"] == 1


# ----- flags and moderation --------------------------------------------------------------------------
def test_flag_review_as_in_the_forum(course, write, ctx_of, blog_settings):
    entry = write(course.ann, title="Rude words")
    comment = api.add_comment(ctx_of(course.ann), {"entry": entry["id"], "body": "More"}, blog_settings)["comment"]
    with pytest.raises(PermissionDenied):
        api.flag(ctx_of(course.ann), {"id": entry["id"]}, blog_settings)
    api.flag(ctx_of(course.cara), {"id": entry["id"], "reason": "Not kind"}, blog_settings)
    api.flag(ctx_of(course.bob), {"target": "comment", "id": comment["id"]}, blog_settings)
    with pytest.raises(PermissionDenied):
        api.flag_queue(ctx_of(course.cara), {}, blog_settings)
    queue = api.flag_queue(ctx_of(course.staff), {}, blog_settings)["items"]
    assert [(i["target"], i["flag_count"]) for i in queue] == [("comment", 1), ("entry", 1)]
    assert queue[1]["flags"][0]["reason"] == "Not kind"
    api.dismiss_flags(ctx_of(course.staff), {"target": "comment", "id": comment["id"]}, blog_settings)
    api.hide(ctx_of(course.staff), {"id": entry["id"], "reason": "Please rephrase"}, blog_settings)
    assert api.flag_queue(ctx_of(course.staff), {}, blog_settings)["items"] == []
    assert set(Flag.objects.values_list("outcome", flat=True)) == {"dismissed", "hidden"}
    # Hidden: gone for peers, shown to its author with the reason.
    assert ids(api.list_entries(ctx_of(course.cara), {}, blog_settings)) == []
    mine = api.get_entry(ctx_of(course.ann), {"id": entry["id"]}, blog_settings)
    assert mine["hidden"] and mine["hidden_reason"] == "Please rephrase"
    with pytest.raises(PermissionDenied):
        api.hide(ctx_of(course.cara), {"id": entry["id"]}, blog_settings)


def test_staff_delete_an_entry_and_its_flags_are_reviewed(course, write, ctx_of, blog_settings):
    entry = write(course.ann)
    api.flag(ctx_of(course.cara), {"id": entry["id"]}, blog_settings)
    api.delete_entry(ctx_of(course.staff), {"id": entry["id"]}, blog_settings)
    assert Flag.objects.get().outcome == "deleted"
    assert Entry.objects.get().deleted


def test_a_comment_is_deleted_by_its_author_or_staff(course, write, ctx_of, blog_settings):
    entry = write(course.ann)
    comment = api.add_comment(ctx_of(course.cara), {"entry": entry["id"], "body": "Hi"}, blog_settings)["comment"]
    with pytest.raises(PermissionDenied):
        api.delete_comment(ctx_of(course.ann), {"id": comment["id"]}, blog_settings)
    api.delete_comment(ctx_of(course.cara), {"id": comment["id"]}, blog_settings)
    assert Comment.objects.get().deleted and Entry.objects.get().comment_count == 0


# ----- events, signals, insights -------------------------------------------------------------------------
def test_tracking_events_and_the_contribution_signal(course, ctx_of, blog_settings):
    events, created = [], []
    signals.contribution_created.connect(lambda **kw: created.append(kw), weak=False, dispatch_uid="t-created")
    try:
        entry = api.create_entry(ctx_of(course.ann, events=events), {"title": "T", "body": "one two three",
                                                                     "visibility": "group"}, blog_settings)
        api.add_comment(ctx_of(course.staff, events=events), {"entry": entry["id"], "body": "Yes"}, blog_settings)
    finally:
        signals.contribution_created.disconnect(dispatch_uid="t-created")
    assert [name for name, _data in events] == ["social_learning.blog.entry.created",
                                                 "social_learning.blog.comment.created",
                                                 "social_learning.blog.coach_comment.created"]
    assert events[0][1]["words"] == 3 and events[1][1]["coach"] is True
    assert "one two" not in str(events)  # no learner text in events
    assert [(c["component"], c["kind"], c["visibility"]) for c in created] == [
        ("reflection_blog", "entry", "group"), ("reflection_blog", "comment", "group")]


def test_the_insights_summary_counts_shared_entries_only(course, write, ctx_of, blog_settings):
    write(course.ann, visibility="private")
    shared = write(course.ann, visibility="coach")
    write(course.cara, visibility="course")
    api.add_comment(ctx_of(course.staff), {"entry": shared["id"], "body": "Nice"}, blog_settings)
    rows = api.summary(course.key)
    assert rows == [{"placement": course.placement.id, "group": course.group_a, "entries": 2, "entry_authors": 2,
                     "coach_only_entries": 1, "comments": 1}]
    api.set_visibility(ctx_of(course.ann), {"id": shared["id"], "visibility": "private"}, blog_settings)
    assert api.summary(course.key)[0]["entries"] == 1 and api.summary(course.key)[0]["comments"] == 0


def test_an_old_version_keeps_its_dates(course, write, ctx_of, blog_settings):
    entry = write(course.ann, title="First")
    Entry.objects.update(created=timezone.now() - timedelta(days=3))
    api.edit_entry(ctx_of(course.ann), {"id": entry["id"], "version": 1, "title": "Second"}, blog_settings)
    version = EntryVersion.objects.get()
    assert version.created < version.replaced - timedelta(days=2)
