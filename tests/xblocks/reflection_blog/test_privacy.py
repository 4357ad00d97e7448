"""Privacy: a private or coach-only entry is never shown to a peer, in no feed, search, count or answer of any
action, whether through the api or the XBlock's handlers; staff see only what the visibility allows them
(a private entry never; a coach-only one while they coach its author, which course staff do by default).

Ann writes one entry at each level; Cara (her cohort), Ada (an advocate of her cohort) and Bob (another cohort)
are the peers who try every way in."""
import json

import pytest

from xblocks.core.errors import NotFound
from xblocks.reflection_blog import api
from xblocks.reflection_blog.models import Comment, Entry, Flag, Kudos

SECRET = {"private": "Zanzibar diary", "coach": "Quixotic confession", "group": "Antwerp plan"}
SECRET_TAG = {"private": "hushhush", "coach": "coachonly", "group": "grouptag"}
PEERS = ("cara", "advocate", "bob")


@pytest.fixture
def entries(course, write):
    """Ann's entries, one per level, each with a comment by Ann (so that a comment's text could leak too)."""
    made = {}
    for level in ("private", "coach", "group"):
        made[level] = write(course.ann, title=SECRET[level], body=f"{SECRET[level]} text", visibility=level,
                            tags=[SECRET_TAG[level]])
    return made


def peer(course, name):
    return getattr(course, name)


def readers_of(level):
    """Who may read an entry of Ann's at ``level`` among the peers (Cara and Ada share cohort A)."""
    return {"private": set(), "coach": set(), "group": {"cara", "advocate"}}[level]


def every_read(ctx, settings):
    """The answers of every read a learner can make, as one text."""
    answers = []
    for data in ({}, {"view": "mine"}, {"view": "course"}, {"author": "ann"}, {"tag": "hushhush"},
                 {"tag": "coachonly"}):
        found = api.list_entries(ctx, data, settings)
        found.pop("filters")  # the filters as asked (the tag's name repeated): not a leak
        answers.append(found)
    if ctx.group is not None:
        answers.append(api.list_entries(ctx, {"view": "group"}, settings))
    for level in SECRET:
        for words in (SECRET[level], SECRET[level].split()[0], SECRET_TAG[level]):
            found = api.list_entries(ctx, {"search": words}, settings)
            assert found.pop("search") == words  # the answer repeats the search: not a leak
            found.pop("filters")
            answers.append(found)
    answers.append(api.list_tags(ctx, {}, settings))
    answers.append(api.list_people(ctx, {}, settings))
    return json.dumps(answers)


@pytest.mark.parametrize("name", PEERS)
def test_no_feed_search_tag_or_person_list_shows_a_peer_what_is_not_shared_with_them(course, entries, ctx_of,
                                                                                   blog_settings, name):
    seen = every_read(ctx_of(peer(course, name)), blog_settings)
    for level in SECRET:
        shown = SECRET[level] in seen or SECRET_TAG[level] in seen
        assert shown == (name in readers_of(level)), (level, name)
    if name == "bob":
        assert '"ann"' not in seen  # Ann shares nothing with Bob's cohort: not even her name in the people list


@pytest.mark.parametrize("name", PEERS)
@pytest.mark.parametrize("level", ["private", "coach"])
def test_every_action_on_a_private_or_coach_entry_is_not_found_for_a_peer(course, entries, ctx_of, blog_settings,
                                                                          level, name):
    ctx = ctx_of(peer(course, name))
    entry_id = entries[level]["id"]
    comment = api.add_comment(ctx_of(course.ann), {"entry": entry_id, "body": f"{SECRET[level]} comment"},
                              blog_settings)["comment"]
    before = (Entry.objects.values_list("id", "title", "visibility", "version", "comment_count", "kudos_count",
                                        "flag_count").order_by("id").values(),
              Comment.objects.count(), Kudos.objects.count(), Flag.objects.count())
    before = (list(before[0]), *before[1:])
    calls = [
        (api.get_entry, {"id": entry_id}), (api.list_versions, {"id": entry_id}),
        (api.edit_entry, {"id": entry_id, "version": 1, "title": "x"}),
        (api.set_visibility, {"id": entry_id, "visibility": "course"}), (api.delete_entry, {"id": entry_id}),
        (api.add_comment, {"entry": entry_id, "body": "hi"}), (api.kudos, {"id": entry_id}),
        (api.flag, {"id": entry_id}), (api.flag, {"target": "comment", "id": comment["id"]}),
        (api.hide_comment, {"id": comment["id"]}), (api.delete_comment, {"id": comment["id"]}),
    ]
    for function, data in calls:
        with pytest.raises(NotFound) as err:
            function(ctx, data, blog_settings)
        assert SECRET[level] not in err.value.message, function.__name__
    after = (list(Entry.objects.values_list("id", "title", "visibility", "version", "comment_count", "kudos_count",
                                            "flag_count").order_by("id").values()),
             Comment.objects.count(), Kudos.objects.count(), Flag.objects.count())
    assert after == before


def test_staff_read_coach_and_group_entries_never_private_ones(course, entries, ctx_of, blog_settings):
    staff = ctx_of(course.staff)
    seen = every_read(staff, blog_settings)
    assert SECRET["private"] not in seen and SECRET_TAG["private"] not in seen
    assert SECRET["coach"] in seen and SECRET["group"] in seen
    with pytest.raises(NotFound):
        api.get_entry(staff, {"id": entries["private"]["id"]}, blog_settings)
    with pytest.raises(NotFound):
        api.hide(staff, {"id": entries["private"]["id"]}, blog_settings)
    with pytest.raises(NotFound):
        api.delete_entry(staff, {"id": entries["private"]["id"]}, blog_settings)
    # What staff read says so: the coach-only entry is shown to them as Ann's coach.
    coach_entry = api.get_entry(staff, {"id": entries["coach"]["id"]}, blog_settings)
    assert coach_entry["audience"] == "Only Ann Peeters and their coach can read this entry."


def test_staff_who_coach_nobody_do_not_read_coach_only_entries(course, entries, ctx_of, blog_settings, monkeypatch):
    """When the coach assignment says that this staff member is not Ann's coach, her coach-only entry is closed
    to them too: visibility decides, not the role."""
    from xblocks.reflection_blog import coaches  # pylint: disable=import-outside-toplevel

    monkeypatch.setattr(coaches, "coached_entries", lambda ctx: None)
    monkeypatch.setattr(coaches, "is_coach", lambda ctx, learner: False)
    staff = ctx_of(course.staff)
    seen = every_read(staff, blog_settings)
    assert SECRET["coach"] not in seen and SECRET["group"] in seen
    with pytest.raises(NotFound):
        api.get_entry(staff, {"id": entries["coach"]["id"]}, blog_settings)


def test_a_flagged_entry_made_private_leaves_the_staff_queue(course, entries, ctx_of, blog_settings):
    api.flag(ctx_of(course.cara), {"id": entries["group"]["id"]}, blog_settings)
    assert len(api.flag_queue(ctx_of(course.staff), {}, blog_settings)["items"]) == 1
    api.set_visibility(ctx_of(course.ann), {"id": entries["group"]["id"], "visibility": "private"}, blog_settings)
    assert api.flag_queue(ctx_of(course.staff), {}, blog_settings)["items"] == []


def test_insights_never_count_private_entries(course, entries):
    (row,) = api.summary(course.key)
    assert row["entries"] == 2 and row["coach_only_entries"] == 1


XML = '<social_reflection_blog display_name="Blog"/>'


@pytest.mark.urls("workbench.urls")
@pytest.mark.parametrize("name", ["cara", "bob"])
def test_the_xblocks_page_and_handlers_show_a_peer_nothing_private(course, make_block, call_handler, name):
    block = make_block(XML, "ann")
    for level in ("private", "coach"):
        status, body = call_handler(block, "create_entry", {"title": SECRET[level], "body": "x", "visibility": level,
                                                            "tags": [SECRET_TAG[level]]})
        assert status == 200, body
    entry_ids = [e.id for e in Entry.objects.order_by("id")]
    theirs = make_block.as_user(block, name)
    html = theirs.runtime.render(theirs, "student_view", {}).content
    answers = [html]
    for action, data in (("list_entries", {}), ("list_entries", {"search": "Zanzibar"}), ("list_tags", {}),
                         ("list_people", {}), ("list_entries", {"author": "ann"})):
        status, body = call_handler(theirs, action, data)
        assert status == 200
        answers.append(json.dumps(body))
    for entry_id in entry_ids:
        for action, data in (("get_entry", {"id": entry_id}), ("kudos", {"id": entry_id}),
                             ("add_comment", {"entry": entry_id, "body": "hi"}), ("list_versions", {"id": entry_id})):
            status, body = call_handler(theirs, action, data)
            assert status == 404 and body["error"]["code"] == "not_found", (action, body)
            answers.append(json.dumps(body))
    text = "".join(answers)
    for level in ("private", "coach"):
        assert SECRET[level] not in text and SECRET_TAG[level] not in text
