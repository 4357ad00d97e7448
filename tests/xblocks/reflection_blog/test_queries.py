"""SQL queries per request of the blog: the same whatever the amount of data, and within a budget.

Each request is measured the way a front door serves it: find the placement, read the person's roles, resolve
their group (``get_placement`` + ``local_roles`` + ``build_context`` with the local group backend), then call the
api. Every action through the XBlock's door, drafts included: test_queries_every_action.py.
"""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import COURSE_KEY
from xblocks.core.context import build_context, get_placement, local_roles
from xblocks.core.groups import LocalGroups
from xblocks.core.models import Placement
from xblocks.reflection_blog import api
from xblocks.reflection_blog.frontdoor import BLOG
from xblocks.reflection_blog.models import Comment, Entry, EntryTag, Flag, Kudos, Tag

READ_BUDGET = 8
# The dearest write, an edit that changes the text and the tags: the entry and its tags read, the entry, its
# earlier version, its tags (old links dropped, new tags, new links), its search entry and terms, its media (as
# the answer shows them), and on SQLite BEGIN and COMMIT.
WRITE_BUDGET = 14
SETTINGS = {**BLOG.defaults, "author_tags": "module 1, at work"}


def front_door(user, group=None):
    placement = get_placement(Placement.LOCAL, COURSE_KEY, "forum-under-test")
    return build_context(user=user, placement=placement, scope="cohort", roles=local_roles(user, COURSE_KEY),
                         backend=LocalGroups(), requested_group=group)


def seed(course, per_person, comments):
    """``per_person`` entries by Ann, Cara and Bob at every level, ``comments`` comments on each, tags, kudos
    and flags: a busy blog."""
    now = timezone.now()
    levels = ("private", "coach", "group", "course")
    rows = []
    for author, group in ((course.ann, course.group_a), (course.cara, course.group_a), (course.bob, course.group_b)):
        for i in range(per_person):
            rows.append(Entry(placement=course.placement, author=author, group_key=group, visibility=levels[i % 4],
                              title=f"Entry {i} about feedback", body="What I **learned** about feedback.",
                              body_html="<p>What I <strong>learned</strong> about feedback.</p>", word_count=5,
                              comment_count=comments, created=now - timedelta(minutes=per_person - i),
                              hidden=i % 13 == 7))
    Entry.objects.bulk_create(rows)
    entries = list(Entry.objects.filter(placement=course.placement).order_by("id"))
    Comment.objects.bulk_create([Comment(entry=e, author=course.staff, body="Good.", body_html="<p>Good.</p>",
                                         is_coach_comment=True) for e in entries for _c in range(comments)])
    tag, _created = Tag.objects.get_or_create(placement=course.placement, key="module 1", defaults={"name": "module 1"})
    EntryTag.objects.bulk_create([EntryTag(entry=e, tag=tag) for e in entries[::2]], ignore_conflicts=True)
    Kudos.objects.bulk_create([Kudos(entry=e, user=course.advocate) for e in entries[::3]], ignore_conflicts=True)
    Flag.objects.bulk_create([Flag(entry=e, user=course.advocate, reason="Check") for e in entries[::5]],
                             ignore_conflicts=True)
    api.reindex(course.placement.id)


def measure(course):
    entry = api.create_entry(front_door(course.ann), {"title": "Mine", "body": "Text", "visibility": "group",
                                                      "tags": ["module 1"]}, SETTINGS)
    comment = api.add_comment(front_door(course.cara), {"entry": entry["id"], "body": "Hi"}, SETTINGS)["comment"]
    cursor = api.list_entries(front_door(course.cara), {}, SETTINGS)["next"]
    version = [1]

    def edit():
        api.edit_entry(front_door(course.ann), {"id": entry["id"], "version": version[0], "title": "Edited",
                                                "body": "New text", "tags": ["at work"]}, SETTINGS)
        version[0] += 1

    calls = {
        "read feed": lambda: api.list_entries(front_door(course.cara), {}, SETTINGS),
        "read feed, next page": lambda: api.list_entries(front_door(course.cara), {"cursor": cursor}, SETTINGS),
        "read feed by tag": lambda: api.list_entries(front_door(course.cara), {"tag": "module 1"}, SETTINGS),
        "read feed by person": lambda: api.list_entries(front_door(course.cara), {"author": "ann"}, SETTINGS),
        "read my group": lambda: api.list_entries(front_door(course.cara), {"view": "group"}, SETTINGS),
        "read search": lambda: api.list_entries(front_door(course.cara), {"search": "feedback learned"}, SETTINGS),
        "read staff feed": lambda: api.list_entries(front_door(course.staff), {}, SETTINGS),
        "read staff feed, one group": lambda: api.list_entries(front_door(course.staff, course.group_a), {}, SETTINGS),
        "read entry": lambda: api.get_entry(front_door(course.cara), {"id": entry["id"]}, SETTINGS),
        "read entry as staff": lambda: api.get_entry(front_door(course.staff), {"id": entry["id"]}, SETTINGS),
        "read versions": lambda: api.list_versions(front_door(course.ann), {"id": entry["id"]}, SETTINGS),
        "read tags": lambda: api.list_tags(front_door(course.cara), {}, SETTINGS),
        "read people": lambda: api.list_people(front_door(course.cara), {}, SETTINGS),
        "read flag queue": lambda: api.flag_queue(front_door(course.staff), {}, SETTINGS),
        "read participation": lambda: api.own_entry_count(front_door(course.ann)),
        "write entry": lambda: api.create_entry(front_door(course.cara), {
            "title": "New", "body": "Text", "tags": ["module 1", "new tag"]}, SETTINGS),
        "write edit": edit,
        "write visibility": lambda: api.set_visibility(front_door(course.ann), {"id": entry["id"],
                                                                                "visibility": "course"}, SETTINGS),
        "write comment": lambda: api.add_comment(front_door(course.staff), {"entry": entry["id"], "body": "Yes"},
                                                 SETTINGS),
        "write kudos": lambda: api.kudos(front_door(course.cara), {"id": entry["id"]}, SETTINGS),
        "write flag": lambda: api.flag(front_door(course.cara), {"id": entry["id"], "reason": "x"}, SETTINGS),
        "write hide comment": lambda: api.hide_comment(front_door(course.ann), {"id": comment["id"]}, SETTINGS),
        "write dismiss flags": lambda: api.dismiss_flags(front_door(course.staff), {"id": entry["id"]}, SETTINGS),
        "write staff hide": lambda: api.hide(front_door(course.staff), {"id": entry["id"], "reason": "r"}, SETTINGS),
        "write delete comment": lambda: api.delete_comment(front_door(course.staff), {"id": comment["id"]}, SETTINGS),
        "write delete entry": lambda: api.delete_entry(front_door(course.ann), {"id": entry["id"]}, SETTINGS),
    }
    front_door(course.ann)  # the placement id is cached from the first request on
    counts = {}
    for name, call in calls.items():
        with CaptureQueriesContext(connection) as queries:
            call()
        counts[name] = len(queries)
    return counts


# No surrounding test transaction: each request runs as in production (no SAVEPOINT around ``atomic()``).
@pytest.mark.django_db(transaction=True)
def test_queries_per_request_do_not_grow_with_the_data_and_stay_within_budget(course):
    seed(course, per_person=8, comments=1)
    small = measure(course)
    seed(course, per_person=300, comments=4)
    large = measure(course)
    print("\n".join(f"{name:28} {count}" for name, count in large.items()))
    assert large == small
    over = {name: count for name, count in large.items()
            if count > (READ_BUDGET if name.startswith("read") else WRITE_BUDGET)}
    assert over == {}
