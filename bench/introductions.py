"""Introductions benchmark: server time and SQL queries per request for a cohort of 2,000 who introduced
themselves.

    python -m bench.introductions                       # one cohort of 2,000 on the database SLS_DB selects
    SLS_DB=mariadb python -m bench.introductions        # on MariaDB/MySQL
    python -m bench.introductions --cohorts-sizes 1,10  # 1x and 10x the course (cohorts of 2,000 each)
    python -m bench.introductions --per-cohort 500      # a smaller cohort (a shared machine)
    python -m bench.introductions --check               # exit 1 when a request breaks its budget

It never touches the sandbox's data (see ``bench/db.py``: a throwaway SQLite file or MariaDB database).

One course of ``--cohorts`` cohorts of ``--per-cohort`` learners, everyone introduced (who they are, two or three
topics to learn and to offer out of 60, a fun fact for some), with waves and replies, and the groups of a first
session saved (so that the next suggestion weighs rotation). Requests read one cohort, so at 10x the course their
time and queries should not grow. Each is served as a front door does it (placement, roles, group, then the api)
and timed with ``time.perf_counter``. Targets (p95): a gallery page 20 ms, the people one learner could meet 50 ms,
groups for the whole cohort 2 s; queries a fixed number whatever the size.
"""
import argparse
import os
import random
import sys
import time

from bench.blog import end_bulk_load, fast_bulk_load
from bench.db import throwaway_database
from bench.forum import (
    budget_problems as shared_budget_problems, child_results, measure_rounds, refresh_statistics, report_one,
    run_both, setup_django,
)

COURSE_KEY = "course-v1:Bench+SLS+2026"
RESOURCE_KEY = "block-v1:Bench+SLS+2026+type@social_introductions+block@bench"
# Per request (by the start of its name): the p95 target in ms and the most SQL queries.
TARGETS = {"Gallery": (20.0, 9), "Search": (20.0, 9), "People": (50.0, 9), "Groups": (2000.0, 9)}
GROWTH_BUDGET = 1.3
TOPICS = [f"{word} {kind}" for word in ("negotiation", "excel", "public speaking", "coaching", "planning",
                                         "feedback", "sql", "python", "design", "sales", "finance", "writing")
          for kind in ("basics", "at work", "for teams", "advanced", "practice")]
WHO = ["I work in customer service in Ghent and love a good spreadsheet.",
       "Project manager, new to the team, curious about how others plan their week.",
       "Sales, ten years; I want to get better at listening before I pitch.",
       "Data analyst. I run on coffee and SQL, and I sing in a choir."]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", choices=("env", "sqlite", "mariadb", "both"), default="env")
    parser.add_argument("--per-cohort", type=int, default=2000)
    parser.add_argument("--cohorts", type=int, default=1)
    parser.add_argument("--reads", type=int, default=100, help="repetitions of each read")
    parser.add_argument("--groupings", type=int, default=5, help="repetitions of the groups for the cohort")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every request this many times; min and median of the rounds are reported")
    parser.add_argument("--cohorts-sizes", default="", help="cohorts to compare, e.g. 1,10 (each seeded afresh)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when the budget is broken")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# ----- seeding ------------------------------------------------------------------------------------
def seed(args):
    """One introductions placement: the cohorts, everyone's introduction with topics, waves, replies, and the saved
    groups of the first session in each cohort."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.utils import timezone  # pylint: disable=import-outside-toplevel

    from xblocks.core import groups_api  # pylint: disable=import-outside-toplevel
    from xblocks.core.context import STAFF  # pylint: disable=import-outside-toplevel
    from xblocks.core.models import Placement  # pylint: disable=import-outside-toplevel
    from xblocks.introductions.api import topic_key  # pylint: disable=import-outside-toplevel
    from xblocks.introductions.models import (  # pylint: disable=import-outside-toplevel
        Grouping, Introduction, Reply, Topic, Wave,
    )

    rng = random.Random(2026)
    User = get_user_model()
    fast_bulk_load()
    placement = Placement.objects.create(platform=Placement.LOCAL, context_key=COURSE_KEY, resource_key=RESOURCE_KEY,
                                         title="Benchmark introductions")
    cohorts = groups_api.bulk_create_groups(COURSE_KEY, [f"Cohort {i + 1:02d}" for i in range(args.cohorts)])
    total = args.cohorts * args.per_cohort
    User.objects.bulk_create([User(username=f"learner{i:06d}", first_name="Learner", last_name=str(i))
                              for i in range(total)] + [User(username="staff", first_name="Sam")], batch_size=5000)
    learners = list(User.objects.filter(username__startswith="learner").order_by("username"))
    staff = User.objects.get(username="staff")
    groups_api.add_role(staff, COURSE_KEY, STAFF)
    group_of, members = {}, {}
    for c, cohort in enumerate(cohorts):
        people = learners[c * args.per_cohort:(c + 1) * args.per_cohort]
        groups_api.bulk_add_members(cohort, people)
        members[f"cohort:{cohort.id}"] = people
        group_of.update({person.id: f"cohort:{cohort.id}" for person in people})
    now = timezone.now()
    rows, topics = [], {}
    for person in learners:
        learn = rng.sample(TOPICS, rng.randint(2, 3))
        offer = rng.sample([t for t in TOPICS if t not in learn], rng.randint(2, 3))
        who = WHO[person.id % len(WHO)]
        topics[person.id] = (learn, offer)
        rows.append(Introduction(placement=placement, user=person, group_key=group_of[person.id], who=who,
                                 fun_fact="I once met a penguin." if person.id % 3 == 0 else "",
                                 search_text="\n".join([who] + learn + offer).lower(),
                                 waves=2 if person.id % 5 == 0 else 0, replies=1 if person.id % 10 == 0 else 0,
                                 created=now, modified=now))
    Introduction.objects.bulk_create(rows, batch_size=5000)
    intros = list(Introduction.objects.filter(placement=placement).order_by("id"))
    Topic.objects.bulk_create([
        Topic(introduction=intro, placement=placement, group_key=intro.group_key, kind=kind, key=topic_key(label),
              label=label, position=position)
        for intro in intros for kind, found in zip(("learn", "offer"), topics[intro.user_id])
        for position, label in enumerate(found)], batch_size=5000)
    by_user = {intro.user_id: intro for intro in intros}
    Wave.objects.bulk_create([Wave(introduction=intro, user=learners[(n * 7 + k) % len(learners)], created=now)
                              for n, intro in enumerate(intros) if intro.waves for k in (1, 2)], batch_size=5000)
    Reply.objects.bulk_create([Reply(introduction=intro, author=learners[(n * 13 + 1) % len(learners)],
                                     body="Welcome! Let's talk at the session.", created=now)
                               for n, intro in enumerate(intros) if intro.replies], batch_size=5000)
    for group_key, people in members.items():  # the first session's groups of four, saved
        ids = [p.id for p in people]
        Grouping.objects.create(placement=placement, group_key=group_key, session=0, modified=now,
                                groups=[ids[i:i + 4] for i in range(0, len(ids), 4)])
    end_bulk_load()
    refresh_statistics([Introduction, Topic, Wave, Reply, Grouping])
    first = next(iter(members))
    return {"placement": placement, "staff": staff, "cohort": members[first], "group_key": first,
            "by_user": by_user, "counts": (len(intros), Topic.objects.count())}


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
    from xblocks.introductions import api, groupings, matching  # pylint: disable=import-outside-toplevel
    from xblocks.introductions.frontdoor import INTRODUCTIONS  # pylint: disable=import-outside-toplevel

    cohort = world["cohort"]
    settings = {**INTRODUCTIONS.defaults, "sessions": "2027-03-27 18:00 | 20:00 | Kick-off\n"
                                                      "2027-04-03 09:30 | 16:00 | Classroom day"}
    pages = {}

    def learner(i):
        return cohort[(i * 7919) % len(cohort)]

    def gallery(i):
        person = learner(i)
        return lambda: api.list_introductions(front_door(person), {}, settings)

    # The cursor of each reader's fifth page, found before measuring (so that finding it is neither timed nor
    # counted): the readers of the warm-up, the query count and the timed calls (see bench.forum.measure).
    for i in list(range(args.reads)) + [10_000 + k for k in range(3)] + [20_000 + k for k in range(3)]:
        person = learner(i)
        if person.id not in pages:
            page = api.list_introductions(front_door(person), {}, settings)
            for _page in range(4):
                page = api.list_introductions(front_door(person), {"before": page["next"]}, settings)
            pages[person.id] = page["next"]

    def older(i):
        person = learner(i)
        return lambda: api.list_introductions(front_door(person), {"before": pages[person.id]}, settings)

    def topic(i):
        person = learner(i)
        return lambda: api.list_introductions(front_door(person), {"topic": TOPICS[i % len(TOPICS)]}, settings)

    def search(i):
        person = learner(i)
        return lambda: api.list_introductions(front_door(person), {"search": "spreadsheet excel"}, settings)

    def people(i):
        person = learner(i)
        return lambda: matching.suggestions(front_door(person), {}, settings)

    def groups(i):
        return lambda: groupings.suggest_groups(front_door(world["staff"], group=world["group_key"]),
                                                {"session": 1, "size": 4}, settings)

    return [
        ("Gallery, first page", args.reads, gallery),
        ("Gallery, fifth older page", args.reads, older),
        ("Gallery, one topic", args.reads, topic),
        ("Search the gallery (two words)", args.reads, search),
        ("People to meet, one learner", args.reads, people),
        (f"Groups of 4 for the whole cohort ({len(cohort):,})", args.groupings, groups),
    ]


def target_of(name):
    return next(value for start, value in TARGETS.items() if name.startswith(start))


def budget_problems(results):
    return shared_budget_problems(results, lambda name: target_of(name)[1], lambda name: target_of(name)[0])


def run_one(args, db):
    description, cleanup = throwaway_database(db, os.environ.get("SLS_BENCH_DB_NAME", "sls_bench_intro"),
                                              "introductions.sqlite3")
    try:
        setup_django()
        from django.test.utils import override_settings  # pylint: disable=import-outside-toplevel

        started = time.perf_counter()
        world = seed(args)
        seeded_in = time.perf_counter() - started
        override = override_settings(SOCIAL_LEARNING={"introductions": {"POSTS_PER_WINDOW": 10**9}})
        results = measure_rounds(lambda: requests(world, args), args.rounds, override)
    finally:
        if not args.keep:
            cleanup()
    intros, topics = world["counts"]
    summary = (f"{args.cohorts} cohort(s) of {args.per_cohort:,}: {intros:,} introductions, {topics:,} topics "
               f"(seeded in {seeded_in:.0f} s)")
    return report_one(args, description, summary, results, lambda name: target_of(name)[0], budget_problems(results))


def compare_sizes(args):
    """Seed and measure each course size in its own process (a fresh database each): the growth per request."""
    sizes = [int(n) for n in args.cohorts_sizes.split(",") if n.strip()]
    passed = ["--db", args.db, "--per-cohort", str(args.per_cohort), "--reads", str(args.reads),
              "--groupings", str(args.groupings), "--rounds", str(args.rounds)]
    by_size = {size: child_results("bench.introductions", ["--cohorts", str(size)] + passed) for size in sizes}
    small, large = sizes[0], sizes[-1]
    print(f"\n### {by_size[large]['description']}\n")
    print(f"{by_size[small]['summary']}; then {by_size[large]['summary']}. Each request reads one cohort. "
          f"{args.rounds} rounds: median of the rounds (min in brackets), ms.\n")
    print(f"| Request | p50 {small}x | p50 {large}x | p95 {small}x | p95 {large}x | target p95 | growth p50 "
          f"| SQL queries |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    problems = budget_problems(by_size[large]["results"])
    for a, b in zip(by_size[small]["results"], by_size[large]["results"]):
        growth = b["p50"] / a["p50"]
        queries = f"{a['queries']}" if a["queries"] == b["queries"] else f"{a['queries']} / {b['queries']} (grows)"
        if a["queries"] != b["queries"]:
            problems.append(f"{a['name']}: queries grow")
        if growth > GROWTH_BUDGET:
            problems.append(f"{a['name']}: p50 grows {growth:.2f}x")
        print(f"| {a['name']} | {a['p50']:.2f} ({a['p50_min']:.2f}) | {b['p50']:.2f} ({b['p50_min']:.2f}) "
              f"| {a['p95']:.2f} ({a['p95_min']:.2f}) | {b['p95']:.2f} ({b['p95_min']:.2f}) "
              f"| {target_of(a['name'])[0]:.0f} | {growth:.2f}x | {queries} |")
    print("\nBudget: " + ("met." if not problems else "BROKEN: " + "; ".join(problems)))
    return not problems


def main(argv=None):
    args = parse_args(argv)
    if args.cohorts_sizes:
        ok = compare_sizes(args)
    elif args.db == "both":
        ok = run_both("bench.introductions", argv)
    else:
        ok = run_one(args, args.db)
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
