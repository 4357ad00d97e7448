"""Cohort forum benchmark: server time and SQL queries per request on a large forum.

    python -m bench.forum                 # on the database SLS_DB selects (SQLite by default)
    SLS_DB=mariadb python -m bench.forum  # on MariaDB/MySQL
    python -m bench.forum --db both       # both, one table each
    python -m bench.forum --check         # exit 1 when a request breaks the budget
    python -m bench.forum --sizes 1000,10000 --rounds 3   # growth per request from one size to the next

It never touches the sandbox's data: SQLite runs on a throwaway file under ``var/bench/``, and
MariaDB on its own database (``sls_bench``, or ``SLS_BENCH_DB_NAME``) that it creates and drops.

One forum is seeded with 10 cohorts x 1,000 threads x 5 replies (bulk inserts), then each
request is served as a front door does it (placement, roles, group: ``get_placement`` +
``local_roles`` + ``build_context`` with the local group backend, then the api call) and timed
with ``time.perf_counter`` over many repetitions. Budget: at most 8 queries per request whatever
the size, and a list page under 20 ms at p95 on MariaDB.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from bench.db import throwaway_database

ROOT = Path(__file__).resolve().parent.parent
QUERY_BUDGET = 8
LIST_P95_BUDGET_MS = 20.0
COURSE_KEY = "course-v1:Bench+SLS+2026"
RESOURCE_KEY = "block-v1:Bench+SLS+2026+type@social_cohort_forum+block@bench"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", choices=("env", "sqlite", "mariadb", "both"), default="env",
                        help="database to run on: the one SLS_DB selects (default), sqlite, mariadb or both")
    parser.add_argument("--cohorts", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1000, help="threads per cohort")
    parser.add_argument("--replies", type=int, default=5, help="replies per thread")
    parser.add_argument("--reads", type=int, default=200, help="repetitions of each read")
    parser.add_argument("--writes", type=int, default=100, help="repetitions of each write")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--explain", action="store_true", help="print the query plans of the list queries")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when the budget is broken")
    parser.add_argument("--sizes", default="",
                        help="threads per cohort to compare, e.g. 1000,10000: each size seeded afresh, then the "
                             "growth factor of p50 and p95 per request (largest / smallest)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every request this many times; min and median of the rounds are reported")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def setup_django():
    """Django on the benchmark's database with the tables of every installed app, as a site with the whole suite
    has them: the other components' receivers (the expert finder's evidence) run on each write, as they do there."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django  # pylint: disable=import-outside-toplevel

    django.setup()
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel

    call_command("migrate", verbosity=0, skip_checks=True, interactive=False, run_syncdb=True)


# ----- seeding ------------------------------------------------------------------------------------
LEARNERS_PER_COHORT = 30
BODIES = [
    "How do you **prepare** for the first classroom session? I am reading the course notes and "
    "wonder what the others do.",
    "Sharing a short summary of this week's theme:\n\n- what went well\n- what I would change\n\n"
    "Curious what you think, especially about the second point.",
    "Has anyone tried the exercise from module 2 with a real team? The `checklist` helped me, "
    "but the timing was tight.",
    "A question about the assignment: should we hand in the reflection *before* or *after* the "
    "peer session? The guide says both.",
]
REPLIES = [
    "Good question. I usually skim the notes first, then pick one idea to try at work.",
    "Same here! The second point surprised me too; in my team it worked the other way round.",
    "I think the guide means after the peer session, so you can include their feedback.",
    "+1, and the recording of last week's session helps as well.",
    "Thanks for sharing, this is useful. I will try it on Monday and report back.",
]


def seed(args):
    """One forum: cohorts x threads x replies, with read marks, follows and votes. Returns the people."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.utils import timezone  # pylint: disable=import-outside-toplevel

    from xblocks.cohort_forum.models import Post, Thread, ThreadState, Vote  # pylint: disable=import-outside-toplevel
    from xblocks.core import groups_api  # pylint: disable=import-outside-toplevel
    from xblocks.core.context import STAFF  # pylint: disable=import-outside-toplevel
    from xblocks.core.models import (  # pylint: disable=import-outside-toplevel
        LocalGroupMembership, Placement, RoleAssignment,
    )
    from xblocks.core.text import render_markdown  # pylint: disable=import-outside-toplevel

    rng = random.Random(2026)
    User = get_user_model()
    placement = Placement.objects.create(platform=Placement.LOCAL, context_key=COURSE_KEY,
                                         resource_key=RESOURCE_KEY, title="Benchmark forum")
    cohorts = groups_api.bulk_create_groups(COURSE_KEY, [f"Cohort {i + 1:02d}" for i in range(args.cohorts)])
    User.objects.bulk_create(
        [User(username=f"learner{c:02d}_{i:02d}", first_name=f"Learner {i}", last_name=f"Cohort {c}")
         for c in range(args.cohorts) for i in range(LEARNERS_PER_COHORT)]
        + [User(username="staff", first_name="Sam", last_name="Staff")])
    users = {u.username: u for u in User.objects.filter(username__startswith="learner")}
    staff = User.objects.get(username="staff")
    groups_api.add_role(staff, COURSE_KEY, STAFF)
    members = {}
    for c, cohort in enumerate(cohorts):
        members[cohort.id] = [users[f"learner{c:02d}_{i:02d}"] for i in range(LEARNERS_PER_COHORT)]
        groups_api.bulk_add_members(cohort, members[cohort.id])

    now = timezone.now()
    html = {body: render_markdown(body) for body in BODIES + REPLIES}
    threads = []
    for cohort in cohorts:
        for i in range(args.threads):
            created = now - timedelta(minutes=10 * (args.threads - i) + rng.randint(0, 9))
            body = rng.choice(BODIES)
            threads.append(Thread(
                placement=placement, group_key=f"cohort:{cohort.id}", author=rng.choice(members[cohort.id]),
                kind=Thread.QUESTION if i % 3 == 0 else Thread.DISCUSSION, title=f"Topic {i}: {body[:60]}",
                body=body, body_html=html[body], reply_count=args.replies, vote_count=0,
                pinned=i in (3, 500), created=created, last_activity=created + timedelta(minutes=args.replies),
            ))
    Thread.objects.bulk_create(threads, batch_size=2000)
    threads = list(Thread.objects.filter(placement=placement).values_list("id", "group_key", "created", "author_id"))
    cohort_of = {f"cohort:{c.id}": c.id for c in cohorts}
    posts, states, votes, vote_counts = [], {}, [], {}
    for thread_id, group_key, created, author_id in threads:
        people = members[cohort_of[group_key]]
        states[(author_id, thread_id)] = ThreadState(user_id=author_id, thread_id=thread_id,
                                                     read_at=created, following=True)
        for j in range(args.replies):
            author = rng.choice(people)
            body = REPLIES[j % len(REPLIES)]
            posts.append(Post(thread_id=thread_id, author=author, body=body, body_html=html[body],
                              created=created + timedelta(minutes=j + 1)))
            states[(author.id, thread_id)] = ThreadState(user_id=author.id, thread_id=thread_id,
                                                         read_at=created + timedelta(minutes=j + 1), following=True)
        for voter in rng.sample(people, rng.randint(0, 4)):
            votes.append(Vote(user=voter, thread_id=thread_id))
            vote_counts[thread_id] = vote_counts.get(thread_id, 0) + 1
    Post.objects.bulk_create(posts, batch_size=5000)
    ThreadState.objects.bulk_create(states.values(), batch_size=5000)
    Vote.objects.bulk_create(votes, batch_size=5000)
    by_count = {}
    for thread_id, count in vote_counts.items():
        by_count.setdefault(count, []).append(thread_id)
    for count, ids in by_count.items():
        for start in range(0, len(ids), 2000):
            Thread.objects.filter(id__in=ids[start:start + 2000]).update(vote_count=count)
    voted = {(v.user_id, v.thread_id) for v in votes}
    from xblocks.cohort_forum import api  # pylint: disable=import-outside-toplevel

    api.recount(placement.id)  # the bulk load bypassed the api: the group counts and the search index
    from xblocks.cohort_forum.models import GroupThreadCount  # pylint: disable=import-outside-toplevel
    from xblocks.core.models import SearchEntry  # pylint: disable=import-outside-toplevel

    refresh_statistics([Thread, Post, ThreadState, Vote, LocalGroupMembership, RoleAssignment, GroupThreadCount,
                        SearchEntry])
    return {
        "cohorts": cohorts, "members": members, "staff": staff, "voted": voted,
        "threads": {cid: [t for t, g, _c, _a in threads if cohort_of[g] == cid] for cid in cohort_of.values()},
        "counts": (len(threads), len(posts), len(states), len(votes)),
    }


def refresh_statistics(models):
    """Let MariaDB/MySQL see the freshly loaded data, as a live database's statistics would.

    InnoDB recalculates statistics on its own after large changes, but in the background; a bulk
    load measured straight away would otherwise be planned with the empty tables' statistics.
    """
    from django.db import connection  # pylint: disable=import-outside-toplevel

    if connection.vendor == "mysql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE TABLE {tables}")
            cursor.fetchall()


# ----- measuring ----------------------------------------------------------------------------------
def front_door(user, group=None):
    """What the XBlock runtime or the LTI tool does before each api call."""
    from xblocks.core.context import build_context, get_placement, local_roles  # pylint: disable=import-outside-toplevel
    from xblocks.core.groups import LocalGroups  # pylint: disable=import-outside-toplevel
    from xblocks.core.models import Placement  # pylint: disable=import-outside-toplevel

    placement = get_placement(Placement.LOCAL, COURSE_KEY, RESOURCE_KEY)
    return build_context(user=user, placement=placement, scope="cohort", roles=local_roles(user, COURSE_KEY),
                         backend=LocalGroups(), requested_group=group)


def requests(world, args):
    """(name, repetitions, make_call) for every measured request; make_call(i) returns a callable."""
    from xblocks.cohort_forum import api  # pylint: disable=import-outside-toplevel

    rng = random.Random(7)
    cohort_ids = [c.id for c in world["cohorts"]]

    def learner(i):
        cohort = cohort_ids[i % len(cohort_ids)]
        return cohort, world["members"][cohort][(i // len(cohort_ids)) % LEARNERS_PER_COHORT]

    def list_page(page):
        def make(i):
            _cohort, person = learner(i)
            return lambda: api.list_threads(front_door(person), {"page": page})
        return make

    def open_thread(i):
        cohort, person = learner(i)
        thread = rng.choice(world["threads"][cohort])
        return lambda: api.get_thread(front_door(person), {"id": thread})

    def create_thread(i):
        _cohort, person = learner(i)
        return lambda: api.create_thread(front_door(person), {
            "title": f"Benchmark question {i}", "body": BODIES[i % len(BODIES)], "kind": "question"})

    def reply(i):
        cohort, person = learner(i)
        thread = rng.choice(world["threads"][cohort])
        return lambda: api.create_reply(front_door(person), {"thread": thread, "body": REPLIES[i % len(REPLIES)]})

    def vote(i):
        cohort, person = learner(i)
        thread = rng.choice([t for t in world["threads"][cohort][-200:] if (person.id, t) not in world["voted"]])
        world["voted"].add((person.id, thread))
        return lambda: api.vote(front_door(person), {"target": "thread", "id": thread})

    def staff_all(i):  # pylint: disable=unused-argument
        return lambda: api.list_threads(front_door(world["staff"], "all"), {})

    def search(i):
        _cohort, person = learner(i)
        return lambda: api.list_threads(front_door(person), {"search": "peer session"})

    return [
        ("List page 1 of a cohort", args.reads, list_page(1)),
        ("List page 25 of a cohort", args.reads, list_page(25)),
        ("Open a thread with its replies", args.reads, open_thread),
        ("Create a thread", args.writes, create_thread),
        ("Reply", args.writes, reply),
        ("Vote", args.writes, vote),
        ("Staff: list page 1, all cohorts", args.reads, staff_all),
        ("Search a cohort (two words)", max(10, args.reads // 4), search),
    ]


def measure(name, repetitions, make, settings_override):
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

    with settings_override:
        for i in range(3):  # warm up: placement cache, connection, first compilation
            make(10_000 + i)()
        query_counts = set()
        for i in range(3):
            with CaptureQueriesContext(connection) as queries:
                make(20_000 + i)()
            query_counts.add(len(queries))
        times = []
        for i in range(repetitions):
            call = make(i)
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return {"name": name, "n": repetitions, "p50": statistics.median(times), "p95": p95,
            "queries": max(query_counts), "varies": len(query_counts) > 1}


def explain(world):
    """Print the plans of the list page's count and rows queries (the composite indexes at work)."""
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

    from xblocks.cohort_forum import api  # pylint: disable=import-outside-toplevel

    cohort = world["cohorts"][0].id
    person = world["members"][cohort][0]
    for page in (1, 25):
        ctx = front_door(person)
        with CaptureQueriesContext(connection) as queries:
            api.list_threads(ctx, {"page": page})
        for query in queries.captured_queries:
            if "forum_thread" not in query["sql"]:
                continue
            print(f"\n-- page {page}: {query['sql'][:160]}...")
            with connection.cursor() as cursor:
                prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
                cursor.execute(prefix + query["sql"])
                for row in cursor.fetchall():
                    print("   ", row)


def measure_rounds(make_requests, rounds, override):
    """Every request of ``make_requests()`` measured in ``rounds`` rounds (fresh requests each round), combined."""
    measured = [[measure(name, n, make, override) for name, n, make in make_requests()]
                for _round in range(max(1, rounds))]
    return [combine(same) for same in zip(*measured)]


def budget_problems(results, query_budget, target_of):
    """What broke the budget: a request over ``query_budget(name)`` SQL queries, or whose count varies from one call
    to the next, and a p95 at or over ``target_of(name)`` ms."""
    problems = [f"{r['name']}: {r['queries']} queries" + (", varying" if r["varies"] else "")
                + f" (budget {query_budget(r['name'])})"
                for r in results if r["queries"] > query_budget(r["name"]) or r["varies"]]
    return problems + [f"{r['name']}: p95 {r['p95']:.1f} ms (target {target_of(r['name']):.0f} ms)"
                       for r in results if r["p95"] >= target_of(r["name"])]


def report_one(args, description, summary, results, target_of, problems):
    """One size's results: a ``RESULTS`` line for the parent process (``--json``), else a table with each request's
    p95 target and the budget's verdict (``problems``: what broke). Answers whether the budget held."""
    if args.json:
        print("RESULTS " + json.dumps({"description": description, "summary": summary, "results": results}))
        return True
    print(f"\n### {description}\n\n{summary}. Server time per request, front door included; "
          f"{args.rounds} rounds: median of the rounds (min in brackets).\n")
    print("| Request | n | p50 (ms) | p95 (ms) | target p95 | SQL queries |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['name']} | {r['n']} | {r['p50']:.2f} ({r['p50_min']:.2f}) | {r['p95']:.2f} ({r['p95_min']:.2f}) "
              f"| {target_of(r['name']):.0f} | {r['queries']}{' (varies)' if r['varies'] else ''} |")
    print("\nBudget: " + ("met." if not problems else "BROKEN: " + "; ".join(problems)))
    return not problems


def combine(same):
    """One request measured in several rounds: the median of its p50 and p95, and their minimum."""
    out = dict(same[0])
    for key in ("p50", "p95"):
        values = [r[key] for r in same]
        out[key] = statistics.median(values)
        out[key + "_min"] = min(values)
    out["varies"] = any(r["varies"] for r in same) or len({r["queries"] for r in same}) > 1
    out["queries"] = max(r["queries"] for r in same)
    return out


def compare_sizes(args):
    """Seed and measure each size in its own process (a fresh database each), then print the growth."""
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    passed = ["--db", args.db, "--cohorts", str(args.cohorts), "--replies", str(args.replies),
              "--reads", str(args.reads), "--writes", str(args.writes), "--rounds", str(args.rounds)]
    by_size = {}
    for size in sizes:
        started = time.perf_counter()
        by_size[size] = child_results("bench.forum", ["--threads", str(size)] + passed)
        print(f"(size {size:,}: {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    small, large = sizes[0], sizes[-1]
    print(f"\n### {by_size[large]['description']}\n")
    print(f"{args.cohorts} cohorts x {small:,} and x {large:,} threads per cohort, {args.replies} replies each; "
          f"{args.rounds} rounds: median of the rounds (min in brackets), ms. Growth: {large:,} / {small:,}.\n")
    problems = growth_table(by_size, small, large)
    return not any(problem.endswith("queries grow") for problem in problems)


def growth_table(by_size, small, large, target_of=None, growth_budget=None):
    """Print each request's p50 and p95 at both sizes, their growth and its SQL queries (a markdown table);
    answer what broke: queries that grow, and, when given, p50 growth over ``growth_budget``. ``target_of(name)``
    adds a column with the request's p95 target."""
    target_head = " target p95 |" if target_of else ""
    print(f"| Request | p50 {small:,} | p50 {large:,} | p95 {small:,} | p95 {large:,} |{target_head} growth p50 "
          f"| growth p95 | SQL queries |")
    print("|---|---:|---:|---:|---:|" + ("---:|" if target_of else "") + "---:|---:|---:|")
    problems = []
    for a, b in zip(by_size[small]["results"], by_size[large]["results"]):
        growth50, growth95 = b["p50"] / a["p50"], b["p95"] / a["p95"]
        queries = f"{a['queries']}" if a["queries"] == b["queries"] else f"{a['queries']} / {b['queries']} (grows)"
        if a["queries"] != b["queries"]:
            problems.append(f"{a['name']}: queries grow")
        if growth_budget and growth50 > growth_budget:
            problems.append(f"{a['name']}: p50 grows {growth50:.2f}x")
        target = f" {target_of(a['name']):.0f} |" if target_of else ""
        print(f"| {a['name']} | {a['p50']:.2f} ({a['p50_min']:.2f}) | {b['p50']:.2f} ({b['p50_min']:.2f}) "
              f"| {a['p95']:.2f} ({a['p95_min']:.2f}) | {b['p95']:.2f} ({b['p95_min']:.2f}) |{target}"
              f" {growth50:.2f}x | {growth95:.2f}x | {queries} |")
    return problems


def run_one(args, db):
    description, cleanup = throwaway_database(db, os.environ.get("SLS_BENCH_DB_NAME", "sls_bench"), "forum.sqlite3")
    try:
        setup_django()
        from django.test.utils import override_settings  # pylint: disable=import-outside-toplevel

        started = time.perf_counter()
        world = seed(args)
        seeded_in = time.perf_counter() - started
        threads, posts, states, votes = world["counts"]
        if args.explain:
            explain(world)
        # The bench posts far faster than a person: lift the posting rate limit for it.
        override = override_settings(SOCIAL_LEARNING={"POSTS_PER_WINDOW": 10**9})
        results = measure_rounds(lambda: requests(world, args), args.rounds, override)
    finally:
        if not args.keep:
            cleanup()
    if args.json:
        print("RESULTS " + json.dumps({"description": description, "results": results}))
        return True
    print(f"\n### {description}\n")
    print(f"One forum, {args.cohorts} cohorts x {args.threads:,} threads x {args.replies} replies "
          f"({threads:,} threads, {posts:,} replies, {states:,} read/follow marks, {votes:,} votes; "
          f"seeded in {seeded_in:.1f} s). Server time per request, front door included.\n")
    print("| Request | n | p50 (ms) | p95 (ms) | SQL queries |")
    print("|---|---:|---:|---:|---:|")
    for r in results:
        varies = " (varies)" if r["varies"] else ""
        print(f"| {r['name']} | {r['n']} | {r['p50']:.2f} | {r['p95']:.2f} | {r['queries']}{varies} |")
    problems = [f"{r['name']}: {r['queries']} queries (budget {QUERY_BUDGET})"
                for r in results if r["queries"] > QUERY_BUDGET or r["varies"]]
    if "MariaDB" in description:
        problems += [f"{r['name']}: p95 {r['p95']:.1f} ms (budget {LIST_P95_BUDGET_MS:.0f} ms)"
                     for r in results if r["name"].startswith("List") and r["p95"] >= LIST_P95_BUDGET_MS]
    print("\nBudget: " + ("met." if not problems else "BROKEN: " + "; ".join(problems)))
    return not problems


def run_both(module, argv):
    """Run benchmark ``module`` with the same arguments on SQLite, then on MariaDB; whether both met the budget."""
    ok = True
    for db in ("sqlite", "mariadb"):
        child = [sys.executable, "-m", module, "--db", db] + [
            a for a in (argv if argv is not None else sys.argv[1:]) if a not in ("--db", "both")]
        ok = subprocess.run(child, cwd=ROOT, check=False).returncode == 0 and ok
    return ok


def child_results(module, size_args):
    """Seed and measure one size in a process of its own (a fresh database): its description and results."""
    child = subprocess.run([sys.executable, "-m", module, "--json"] + size_args, cwd=ROOT, check=True,
                           capture_output=True, text=True)
    line = next(line for line in child.stdout.splitlines() if line.startswith("RESULTS "))
    return json.loads(line[len("RESULTS "):])


def main(argv=None):
    args = parse_args(argv)
    if args.sizes:
        ok = compare_sizes(args)
        return 0 if ok or not args.check else 1
    if args.db == "both":
        ok = run_both("bench.forum", argv)
        return 0 if ok or not args.check else 1
    ok = run_one(args, args.db)
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
