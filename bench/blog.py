"""Reflection blog benchmark: server time and SQL queries per request on a large course.

    python -m bench.blog                          # 100,000 entries on the database SLS_DB selects (SQLite default)
    SLS_DB=mariadb python -m bench.blog           # on MariaDB/MySQL
    python -m bench.blog --sizes 10000,100000     # 1x and 10x, each seeded afresh, with the growth per request
    python -m bench.blog --check                  # exit 1 when a request breaks its budget

It never touches the sandbox's data (see ``bench/db.py``: a throwaway SQLite file or MariaDB database).

One course: 5,000 learners in 20 cohorts, one blog with ``--entries`` entries (bulk inserts) at every level of
visibility (course 40 %, group 30 %, coach 20 %, private 10 %), a quarter of them with two comments, a third
tagged, and the search index built from them. Each request is served as a front door does it (placement, roles,
group, then the api; a draft through the tool's learner state) and timed with ``time.perf_counter``. Budget per
request: a fixed number of SQL queries whatever the size, and a p95 under the target of the request (feed page
and opening an entry 20 ms, saving a draft 10 ms, searching the feed 50 ms).
"""
import argparse
import os
import random
import sys
import time
import types
from datetime import timedelta
from pathlib import Path

from bench.db import throwaway_database
from bench.forum import (
    budget_problems as shared_budget_problems, child_results, growth_table, measure_rounds, refresh_statistics,
    report_one, run_both, setup_django,
)

ROOT = Path(__file__).resolve().parent.parent
COURSE_KEY = "course-v1:Bench+SLS+2026"
RESOURCE_KEY = "block-v1:Bench+SLS+2026+type@social_reflection_blog+block@bench"
QUERY_BUDGET = 8
# p95 targets in ms, per request (by the start of its name).
TARGETS = {"Feed": 20.0, "Open": 20.0, "Save": 10.0, "Search": 50.0}
GROWTH_BUDGET = 1.3
LEVELS = ["course"] * 4 + ["group"] * 3 + ["coach"] * 2 + ["private"]
TITLES = [
    "What I tried in the team meeting", "Feedback on my first presentation", "Applying active listening",
    "A difficult conversation with a client", "Planning my week with the new method", "Coaching a colleague",
    "What surprised me in module 2", "Negotiation practice at work",
]
BODIES = [
    "This week I tried **active listening** in our team meeting. I let everyone finish before answering, and "
    "asked one question back. The meeting took longer, but fewer things were misunderstood.",
    "My presentation went better than expected. The feedback I got:\n\n- slow down at the start\n- fewer "
    "slides\n- one clear question at the end\n\nNext time I will rehearse with a colleague.",
    "I planned my week with the method from the course. Two of the five blocks held; meetings ate the rest. "
    "I will protect the morning block next week and see what happens.",
    "A client called about a late delivery. I used the steps from module 3: acknowledge, ask, propose. It "
    "calmed the conversation, though I still need to follow up on Friday.",
]
COMMENTS = ["Thanks for sharing, I recognise this.", "What would you do differently next time?",
            "Good reflection. Try writing down the question before the meeting."]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", choices=("env", "sqlite", "mariadb", "both"), default="env")
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--cohorts", type=int, default=20)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=100, help="repetitions of each read")
    parser.add_argument("--writes", type=int, default=50, help="repetitions of each write")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every request this many times; min and median of the rounds are reported")
    parser.add_argument("--sizes", default="", help="entries to compare, e.g. 10000,100000 (each seeded afresh)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--explain", action="store_true", help="print the plans of the feed's queries")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when the budget is broken")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# ----- seeding ------------------------------------------------------------------------------------
def seed(args):
    """One blog in one course: learners in cohorts, entries, comments, tags, learner states, the search index."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.utils import timezone  # pylint: disable=import-outside-toplevel

    from lti.models import LearnerState  # pylint: disable=import-outside-toplevel
    from xblocks.core import groups_api  # pylint: disable=import-outside-toplevel
    from xblocks.core.context import STAFF  # pylint: disable=import-outside-toplevel
    from xblocks.core.models import (  # pylint: disable=import-outside-toplevel
        LocalGroupMembership, Placement, RoleAssignment, SearchEntry, SearchTerm,
    )
    from xblocks.core.text import render_markdown  # pylint: disable=import-outside-toplevel
    from xblocks.reflection_blog import api  # pylint: disable=import-outside-toplevel
    from xblocks.reflection_blog.models import Comment, Entry, EntryTag, Tag  # pylint: disable=import-outside-toplevel

    rng = random.Random(2026)
    User = get_user_model()
    fast_bulk_load()
    placement = Placement.objects.create(platform=Placement.LOCAL, context_key=COURSE_KEY,
                                         resource_key=RESOURCE_KEY, title="Benchmark blog")
    cohorts = groups_api.bulk_create_groups(COURSE_KEY, [f"Cohort {i + 1:02d}" for i in range(args.cohorts)])
    User.objects.bulk_create([User(username=f"learner{i:05d}", first_name="Learner", last_name=str(i))
                              for i in range(args.learners)] + [User(username="staff", first_name="Sam")],
                             batch_size=5000)
    learners = list(User.objects.filter(username__startswith="learner").order_by("username"))
    staff = User.objects.get(username="staff")
    groups_api.add_role(staff, COURSE_KEY, STAFF)
    group_of = {}
    for c, cohort in enumerate(cohorts):
        people = learners[c::len(cohorts)]
        groups_api.bulk_add_members(cohort, people)
        group_of.update({person.id: f"cohort:{cohort.id}" for person in people})
    LearnerState.objects.bulk_create([LearnerState(placement=placement, user=person) for person in learners],
                                     batch_size=5000)

    now = timezone.now()
    html = {body: render_markdown(body) for body in BODIES}
    rows = []
    for i in range(args.entries):
        author = learners[rng.randrange(len(learners))]
        body = BODIES[i % len(BODIES)]
        rows.append(Entry(
            placement=placement, author=author, group_key=group_of[author.id], visibility=LEVELS[i % len(LEVELS)],
            title=f"{TITLES[i % len(TITLES)]} ({i})", body=body, body_html=html[body], word_count=len(body.split()),
            comment_count=2 if i % 4 == 0 else 0, created=now - timedelta(seconds=30 * (args.entries - i)),
            modified=now))
    Entry.objects.bulk_create(rows, batch_size=5000)
    entries = list(Entry.objects.filter(placement=placement).order_by("created", "id").values_list(
        "id", "author_id", "visibility", "group_key"))
    comment_html = {text: render_markdown(text) for text in COMMENTS}
    comments = [Comment(entry_id=entry_id, author=learners[(n + k) % len(learners)], body=COMMENTS[k],
                        body_html=comment_html[COMMENTS[k]], created=now)
                for n, (entry_id, _a, _v, _g) in enumerate(entries) if n % 4 == 0 for k in range(2)]
    Comment.objects.bulk_create(comments, batch_size=5000)
    tags = Tag.objects.bulk_create([Tag(placement=placement, name=name, key=name)
                                    for name in ("module 1", "module 2", "at work")])
    EntryTag.objects.bulk_create([EntryTag(entry_id=entry_id, tag=tags[n % 3])
                                  for n, (entry_id, _a, _v, _g) in enumerate(entries) if n % 3 == 0], batch_size=5000)
    api.reindex(placement.id)
    end_bulk_load()
    refresh_statistics([Entry, Comment, EntryTag, Tag, LearnerState, LocalGroupMembership, RoleAssignment,
                        SearchEntry, SearchTerm, User])
    shared = [e for e in entries if e[2] == "course"]
    return {"placement": placement, "learners": learners, "staff": staff, "entries": entries,
            "with_comments": [e for n, e in enumerate(entries) if n % 4 == 0 and e[2] == "course"],
            "shared": shared, "counts": (len(entries), len(comments))}


def fast_bulk_load():
    """A throwaway database may load faster than a live one: SQLite keeps 256 MB of pages in memory and does not
    wait for the disk; MariaDB skips its unique and foreign key checks for this session's bulk inserts."""
    from django.db import connection  # pylint: disable=import-outside-toplevel

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size = -262144")
            cursor.execute("PRAGMA synchronous = OFF")
        elif connection.vendor == "mysql":
            cursor.execute("SET SESSION unique_checks = 0, foreign_key_checks = 0")


def end_bulk_load():
    from django.db import connection  # pylint: disable=import-outside-toplevel

    if connection.vendor == "mysql":
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION unique_checks = 1, foreign_key_checks = 1")


# ----- measuring ----------------------------------------------------------------------------------
def front_door(user):
    """What the XBlock runtime or the LTI tool does before each api call."""
    from xblocks.core.context import build_context, get_placement, local_roles  # pylint: disable=import-outside-toplevel
    from xblocks.core.groups import LocalGroups  # pylint: disable=import-outside-toplevel
    from xblocks.core.models import Placement  # pylint: disable=import-outside-toplevel

    placement = get_placement(Placement.LOCAL, COURSE_KEY, RESOURCE_KEY)
    return build_context(user=user, placement=placement, scope="cohort", roles=local_roles(user, COURSE_KEY),
                         backend=LocalGroups())


def requests(world, args):
    """(name, repetitions, make_call) for every measured request; make_call(i) returns a callable."""
    from django.utils.translation import gettext  # pylint: disable=import-outside-toplevel

    from lti.door import LtiDoorState  # pylint: disable=import-outside-toplevel
    from xblocks.core.actions import SAVE_DRAFT, run_action  # pylint: disable=import-outside-toplevel
    from xblocks.reflection_blog import api  # pylint: disable=import-outside-toplevel
    from xblocks.reflection_blog.frontdoor import BLOG  # pylint: disable=import-outside-toplevel

    rng = random.Random(7)
    learners = world["learners"]
    settings = dict(BLOG.defaults)
    cursors = {}

    def learner(i):
        return learners[(i * 7919) % len(learners)]

    def feed(i):
        person = learner(i)
        return lambda: api.list_entries(front_door(person), {}, settings)

    def older(i):
        person = learner(i)
        if person.id not in cursors:
            page = api.list_entries(front_door(person), {}, settings)
            for _page in range(4):
                page = api.list_entries(front_door(person), {"cursor": page["next"]}, settings)
            cursors[person.id] = page["next"]
        return lambda: api.list_entries(front_door(person), {"cursor": cursors[person.id]}, settings)

    def open_entry(i):
        person = learner(i)
        entry_id = rng.choice(world["with_comments"])[0]
        return lambda: api.get_entry(front_door(person), {"id": entry_id}, settings)

    def save_draft(i):
        person = learner(i)
        door = types.SimpleNamespace(placement=world["placement"])
        data = {"key": "new", "title": f"Half a thought {i}", "body": BODIES[i % len(BODIES)][:120],
                "tags": ["at work"], "visibility": "group"}
        return lambda: run_action(BLOG, SAVE_DRAFT, front_door(person), data, settings, LtiDoorState(door, person),
                                  gettext)

    def search(i):
        person = learner(i)
        return lambda: api.list_entries(front_door(person), {"search": "feedback presentation"}, settings)

    return [
        ("Feed, first page", args.reads, feed),
        ("Feed, fifth older page", args.reads, older),
        ("Open an entry with its comments", args.reads, open_entry),
        ("Save a draft", args.writes, save_draft),
        ("Search the feed (two words)", max(10, args.reads // 2), search),
    ]


def explain(world):
    """Print the plans of the first feed page's queries."""
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

    from xblocks.reflection_blog import api  # pylint: disable=import-outside-toplevel

    ctx = front_door(world["learners"][0])
    for label, data in (("feed", {}), ("search", {"search": "feedback presentation"})):
        with CaptureQueriesContext(connection) as queries:
            api.list_entries(ctx, data, {})
        for query in queries.captured_queries:
            if "reflection_blog_entry" not in query["sql"] and "search" not in query["sql"]:
                continue
            print(f"\n-- {label}: {query['sql'][:200]}...")
            with connection.cursor() as cursor:
                cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + query["sql"])
                for row in cursor.fetchall():
                    print("   ", row)


def target_of(name):
    return next(ms for start, ms in TARGETS.items() if name.startswith(start))


def run_one(args, db):
    description, cleanup = throwaway_database(db, os.environ.get("SLS_BENCH_DB_NAME", "sls_bench_blog"),
                                              "blog.sqlite3")
    try:
        # The blog's tables, the tool's learner state (drafts) and what they depend on.
        setup_django()
        from django.test.utils import override_settings  # pylint: disable=import-outside-toplevel

        started = time.perf_counter()
        world = seed(args)
        seeded_in = time.perf_counter() - started
        if args.explain:
            explain(world)
        override = override_settings(SOCIAL_LEARNING={"reflection_blog": {"POSTS_PER_WINDOW": 10**9}})
        results = measure_rounds(lambda: requests(world, args), args.rounds, override)
    finally:
        if not args.keep:
            cleanup()
    entries, comments = world["counts"]
    summary = (f"{args.learners:,} learners in {args.cohorts} cohorts, {entries:,} entries, {comments:,} comments "
               f"(seeded in {seeded_in:.0f} s)")
    return report_one(args, description, summary, results, target_of, budget_problems(results))


def budget_problems(results):
    return shared_budget_problems(results, lambda _name: QUERY_BUDGET, target_of)


def compare_sizes(args):
    """Seed and measure each size in its own process (a fresh database each), then print the growth."""
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    passed = ["--db", args.db, "--learners", str(args.learners), "--cohorts", str(args.cohorts),
              "--reads", str(args.reads), "--writes", str(args.writes), "--rounds", str(args.rounds)]
    by_size = {}
    for size in sizes:
        by_size[size] = child_results("bench.blog", ["--entries", str(size)] + passed)
    small, large = sizes[0], sizes[-1]
    print(f"\n### {by_size[large]['description']}\n")
    print(f"{by_size[small]['summary']}; then {by_size[large]['summary']}. {args.rounds} rounds: median of the "
          f"rounds (min in brackets), ms. Growth: {large:,} / {small:,}.\n")
    problems = budget_problems(by_size[large]["results"])
    problems += growth_table(by_size, small, large, target_of, GROWTH_BUDGET)
    print("\nBudget: " + ("met." if not problems else "BROKEN: " + "; ".join(problems)))
    return not problems


def main(argv=None):
    args = parse_args(argv)
    if args.sizes:
        ok = compare_sizes(args)
    elif args.db == "both":
        ok = run_both("bench.blog", argv)
    else:
        ok = run_one(args, args.db)
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
