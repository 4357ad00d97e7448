"""What a learner owns: deleting one entry or their whole blog, and being forgotten when retired."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xblocks.core import signals
from xblocks.core.errors import PermissionDenied, ValidationError
from xblocks.core.models import SearchEntry, SearchTerm
from xblocks.reflection_blog import api, ownership
from tests.lti.test_queries import in_process_platform  # noqa: F401  (fixture)
from xblocks.reflection_blog.models import Comment, Entry, EntryTag, EntryVersion, Flag, Kudos, Media


def ids(listing):
    return [entry["id"] for entry in listing["entries"]]


@pytest.fixture
def changed():
    """The ``contribution_changed`` signals sent while the test runs."""
    sent = []
    signals.contribution_changed.connect(lambda **kw: sent.append(kw), weak=False, dispatch_uid="t-own")
    yield sent
    signals.contribution_changed.disconnect(dispatch_uid="t-own")


def terms_of(entry_id):
    return SearchTerm.objects.filter(component="reflection_blog", object_type="entry", object_id=entry_id).count()


def busy_blog(course, write, ctx_of, blog_settings):
    """Ann's entries (one edited, tagged, with kudos, flags and comments by Cara and the coach) and Cara's entry
    with Ann's comment, kudos and flag on it."""
    ann, cara = ctx_of(course.ann), ctx_of(course.cara)
    first = write(course.ann, title="Negotiation practice", tags=["at work"])
    api.edit_entry(ann, {"id": first["id"], "version": 1, "body": "Negotiation, again."}, blog_settings)
    second = write(course.ann, title="Feedback loop", visibility="group")
    api.add_comment(cara, {"entry": first["id"], "body": "Cara's thoughts"}, blog_settings)
    api.add_comment(ctx_of(course.staff), {"entry": first["id"], "body": "Coach says"}, blog_settings)
    api.kudos(cara, {"id": first["id"]}, blog_settings)
    api.flag(cara, {"id": second["id"], "reason": "x"}, blog_settings)
    hers = write(course.cara, title="Cara writes about listening")
    api.add_comment(ann, {"entry": hers["id"], "body": "Ann comments"}, blog_settings)
    api.add_comment(ann, {"entry": hers["id"], "body": "Ann coaches, nearly"}, blog_settings)
    api.kudos(ann, {"id": hers["id"]}, blog_settings)
    api.flag(ann, {"id": hers["id"], "reason": "y"}, blog_settings)
    Media.objects.create(placement=course.placement, entry_id=first["id"], owner=course.ann, kind=Media.VIDEO_LINK,
                         url="https://video.example/1")
    Media.objects.create(placement=course.placement, owner=course.ann, kind=Media.VIDEO_LINK,
                         url="https://video.example/draft")
    return first, second, hers


# ----- one entry --------------------------------------------------------------------------------------------
def test_deleting_one_entry_drops_its_search_words_and_tells_the_other_components(course, write, ctx_of,
                                                                                   blog_settings, changed):
    entry = write(course.ann, title="Negotiation practice")
    assert terms_of(entry["id"]) > 0
    api.delete_entry(ctx_of(course.ann), {"id": entry["id"]}, blog_settings)
    assert terms_of(entry["id"]) == 0
    assert not SearchEntry.objects.filter(component="reflection_blog", object_id=entry["id"]).exists()
    assert [(c["object_id"], c["visibility"]) for c in changed] == [(entry["id"], None)]


# ----- the whole blog ------------------------------------------------------------------------------------------
def test_the_page_can_say_what_deleting_the_blog_deletes(course, write, ctx_of, blog_settings):
    busy_blog(course, write, ctx_of, blog_settings)
    assert ownership.blog_summary(ctx_of(course.ann), {}) == {"entries": 2, "others_comments": 2}
    assert ownership.blog_summary(ctx_of(course.bob), {}) == {"entries": 0, "others_comments": 0}


def test_deleting_the_whole_blog_needs_a_confirmation(course, write, ctx_of, blog_settings):
    entry = write(course.ann)
    for data in ({}, {"confirm": "yes"}, {"confirm": False}):
        with pytest.raises(ValidationError) as err:
            ownership.delete_blog(ctx_of(course.ann), data)
        assert err.value.fields["confirm"].startswith("Tick the box to confirm that you want to delete your whole blog")
    assert Entry.objects.filter(pk=entry["id"]).exists()


def test_deleting_the_whole_blog_removes_it_from_everything(course, write, ctx_of, blog_settings, changed):
    first, second, hers = busy_blog(course, write, ctx_of, blog_settings)
    gone = write(course.ann, title="Already deleted")
    api.delete_entry(ctx_of(course.ann), {"id": gone["id"]}, blog_settings)
    comments = set(Comment.objects.filter(entry_id__in=[first["id"], second["id"]]).values_list("id", flat=True))
    changed.clear()
    result = ownership.delete_blog(ctx_of(course.ann), {"confirm": True})
    assert result == {"deleted": True, "entries": 2, "comments": 2}
    mine = [first["id"], second["id"], gone["id"]]
    assert not Entry.objects.filter(pk__in=mine).exists()
    for model in (EntryVersion, EntryTag, Comment, Kudos, Flag, Media):
        assert not model.objects.filter(entry_id__in=mine).exists(), model
    assert not Media.objects.filter(owner=course.ann).exists()  # the draft's upload too
    assert not SearchEntry.objects.filter(component="reflection_blog", object_id__in=mine).exists()
    assert sum(terms_of(i) for i in mine) == 0
    for person in (course.ann, course.cara, course.staff, course.bob):
        ctx = ctx_of(person)
        assert set(ids(api.list_entries(ctx, {}, blog_settings))) <= {hers["id"]}
        assert set(ids(api.list_entries(ctx, {"search": "negotiation"}, blog_settings))) == set()
        assert api.list_people(ctx, {}, blog_settings)["people"] in ([], [
            {"username": "cara", "name": "Cara Maes", "is_you": person == course.cara, "count": 1}])
        assert all(t["count"] == 0 for t in api.list_tags(ctx, {}, blog_settings)["author_tags"])
    assert api.own_entry_count(ctx_of(course.ann)) == 0
    assert [row["entries"] for row in api.summary(course.key)] == [1]  # Cara's entry only
    # Ann's comments, kudos and flag on Cara's entry stay: they are not her blog.
    cara_entry = api.get_entry(ctx_of(course.cara), {"id": hers["id"]}, blog_settings)
    assert len(cara_entry["comments"]) == 2 and cara_entry["kudos_count"] == 1
    # The other components hear of each entry shown until now and each comment that went with them: one signal
    # for the entries and one for the comments, whatever their number.
    assert [(c["object_type"], c["object_ids"], c["visibility"]) for c in changed] == [
        ("entry", sorted([first["id"], second["id"]]), None), ("comment", sorted(comments), None)]
    assert changed[0]["user_id"] == course.ann.id


def test_deleting_the_blog_is_refused_while_read_only(course, write, ctx_of):
    write(course.ann)
    ctx = ctx_of(course.ann)
    ctx.read_only = "Viewing as a learner"
    with pytest.raises(PermissionDenied):
        ownership.delete_blog(ctx, {"confirm": True})
    assert Entry.objects.filter(author=course.ann).count() == 1


def test_deleting_the_blog_costs_the_same_whatever_its_size(course, write, ctx_of, blog_settings):
    def cost(count):
        for i in range(count):
            entry = write(course.ann, title=f"Entry {i}", tags=["at work", f"tag {i}"])
            api.add_comment(ctx_of(course.cara), {"entry": entry["id"], "body": "Nice"}, blog_settings)
            api.kudos(ctx_of(course.cara), {"id": entry["id"]}, blog_settings)
        with CaptureQueriesContext(connection) as queries:
            ownership.delete_blog(ctx_of(course.ann), {"confirm": True})
        return len(queries.captured_queries)

    assert cost(2) == cost(30)


# ----- retirement ----------------------------------------------------------------------------------------------
def test_a_retired_person_is_forgotten_in_every_blog(course, write, ctx_of, blog_settings, changed):
    first, second, hers = busy_blog(course, write, ctx_of, blog_settings)
    signals.retire_user(sender=None, user=course.ann)  # what Open edX's USER_RETIRE_LMS_CRITICAL calls
    assert not Entry.objects.filter(author=course.ann).exists()
    assert not Comment.objects.filter(author=course.ann).exists()
    assert not Kudos.objects.filter(user=course.ann).exists()
    assert not Flag.objects.filter(user=course.ann).exists()
    assert not Media.objects.filter(owner=course.ann).exists()
    assert not EntryVersion.objects.filter(entry_id=first["id"]).exists()
    assert not EntryTag.objects.filter(entry_id=first["id"]).exists()
    assert not SearchEntry.objects.filter(author=course.ann).exists()
    assert terms_of(first["id"]) == terms_of(second["id"]) == 0
    # Cara's comment and the coach's on Ann's entry went with it; the counts on Cara's entry are right again.
    assert not Comment.objects.filter(entry_id=first["id"]).exists()
    entry = Entry.objects.get(pk=hers["id"])
    assert (entry.comment_count, entry.kudos_count, entry.flag_count) == (0, 0, 0)
    cara_sees = api.get_entry(ctx_of(course.cara), {"id": hers["id"]}, blog_settings)
    assert cara_sees["comments"] == [] and cara_sees["kudos_count"] == 0
    assert ids(api.list_entries(ctx_of(course.staff), {"search": "negotiation"}, blog_settings)) == []
    assert [(c["object_ids"], c["visibility"]) for c in changed] == [(sorted([first["id"], second["id"]]), None)]


def test_retirement_keeps_other_peoples_counts_right_and_forgets_the_reviewer(course, write, ctx_of, blog_settings):
    hers = write(course.cara, title="Listening")
    api.add_comment(ctx_of(course.staff), {"entry": hers["id"], "body": "Coach"}, blog_settings)
    api.flag(ctx_of(course.ann), {"id": hers["id"], "reason": "r"}, blog_settings)
    api.dismiss_flags(ctx_of(course.staff), {"id": hers["id"]}, blog_settings)
    ownership.retire_user(course.staff)
    entry = Entry.objects.get(pk=hers["id"])
    assert (entry.comment_count, entry.coach_comment_count) == (0, 0)
    assert Flag.objects.get(entry_id=hers["id"]).reviewed_by is None  # the history stays, without their name


def test_retirement_costs_the_same_whatever_the_amount(course, write, ctx_of, blog_settings):
    def cost(user, count):
        for i in range(count):
            entry = write(user, title=f"Entry {i}", tags=["at work"])
            theirs = write(course.cara, title=f"Cara {i}")
            api.add_comment(ctx_of(course.cara), {"entry": entry["id"], "body": "Nice"}, blog_settings)
            api.add_comment(ctx_of(user), {"entry": theirs["id"], "body": "Thanks"}, blog_settings)
            api.kudos(ctx_of(user), {"id": theirs["id"]}, blog_settings)
            api.flag(ctx_of(user), {"id": theirs["id"]}, blog_settings)
        with CaptureQueriesContext(connection) as queries:
            ownership.retire_user(user)
        return len(queries.captured_queries)

    assert cost(course.ann, 2) == cost(course.advocate, 25)


# ----- through the doors -----------------------------------------------------------------------------------------
@pytest.mark.urls("workbench.urls")
def test_the_xblock_deletes_a_blog_only_when_confirmed(course, make_block, call_handler):
    block = make_block('<social_reflection_blog author_tags="module 1"/>', "ann")
    status, entry = call_handler(block, "create_entry", {"title": "Mine", "body": "Text", "visibility": "course"})
    assert status == 200
    status, body = call_handler(block, "delete_blog", {})
    assert status == 400 and body["error"]["code"] == "invalid"
    assert "confirm" in body["error"]["fields"]
    status, body = call_handler(block, "blog_summary", {})
    assert (status, body) == (200, {"entries": 1, "others_comments": 0})
    status, body = call_handler(block, "delete_blog", {"confirm": True})
    assert (status, body["entries"]) == (200, 1)
    assert not Entry.objects.filter(pk=entry["id"]).exists()


def test_the_tool_deletes_a_blog_only_when_confirmed(in_process_platform, client):  # noqa: F811
    from tests.xblocks.reflection_blog.test_tool import call, launch  # pylint: disable=import-outside-toplevel

    ann, _user = launch(in_process_platform, "ann", "Ann Peeters", "Antwerp")
    cara, _cara = launch(in_process_platform, "cara", "Cara Maes", "Antwerp")
    status, entry = call(client, ann, "create_entry", {"title": "Mine", "body": "Text", "visibility": "course"})
    assert status == 200
    assert call(client, cara, "add_comment", {"entry": entry["id"], "body": "Nice"})[0] == 200
    status, body = call(client, ann, "delete_blog", {"confirm": "yes"})
    assert status == 400 and "confirm" in body["error"]["fields"]
    assert call(client, ann, "blog_summary", {}) == (200, {"entries": 1, "others_comments": 1})
    # Cara cannot delete Ann's blog: hers is empty.
    assert call(client, cara, "delete_blog", {"confirm": True})[1]["entries"] == 0
    assert call(client, ann, "delete_blog", {"confirm": True})[1] == {"deleted": True, "entries": 1, "comments": 1}
    status, page = call(client, cara, "list_entries", {})
    assert status == 200 and page["entries"] == []
