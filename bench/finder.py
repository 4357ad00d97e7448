"""Expert finder benchmark: server time and SQL queries per request with many profiles and much evidence.

    python -m bench.finder                              # 5,000 profiles, 50,000 evidence records (reduced size)
    python -m bench.finder --profiles 50000 --evidence 500000   # the full size of issue 11
    SLS_DB=mariadb python -m bench.finder               # on MariaDB/MySQL
    python -m bench.finder --sizes 5000,50000           # profiles 1x and 10x (evidence 10 per profile), each seeded afresh
    python -m bench.finder --check                      # exit 1 when a request breaks its budget

It never touches the sandbox's data (``bench/db.py``: a throwaway SQLite file or MariaDB database).

One course: the profiles' people in 20 cohorts, each with a profile (a headline, two skills at a level, interests,
what they want to learn) and their words; evidence records (forum replies, a fifth endorsed, upvotes, shared
reflections, vouches) over 120 topic words, at most a year old, four topic words each; the vocabulary and its
trigrams. Each request is served as a front door does it (placement, roles, group, then the api) and timed with
``time.perf_counter``. Budget: a fixed number of SQL queries whatever the size, and p95 under the target (search
and suggestions 50 ms, a profile 20 ms).
"""
import argparse
import os
import random
import sys
import time
from datetime import timedelta

from bench.blog import end_bulk_load, fast_bulk_load
from bench.db import throwaway_database
from bench.forum import (
    budget_problems as shared_budget_problems, child_results, measure_rounds, refresh_statistics, report_one,
    run_both, setup_django,
)

COURSE_KEY = "course-v1:Bench+SLS+2026"
RESOURCE_KEY = "block-v1:Bench+SLS+2026+type@social_expert_finder+block@bench"
FORUM_KEY = "block-v1:Bench+SLS+2026+type@social_cohort_forum+block@bench"
# The suggestions' dearest path: my profile and skills, a search over what I want to learn, who shares my interests,
# the threads about them (the search reads the course's newest contributions too, for helpfulness).
QUERY_BUDGET = 17
TARGETS = {"Search": 50.0, "Suggestions": 50.0, "Open": 20.0, "My": 20.0}
GROWTH_BUDGET = 1.5
TOPICS = (
    "pricing budget forecast negotiation contract supplier invoice payroll audit compliance tax leasing "
    "marketing branding campaign newsletter social media analytics dashboard spreadsheet database reporting "
    "python excel powerbi tableau statistics sampling survey interview onboarding hiring coaching mentoring "
    "feedback appraisal conflict mediation facilitation presentation storytelling writing editing translation "
    "dutch french english spanish german customer complaint refund warranty logistics warehouse inventory "
    "shipping procurement tender quality safety hygiene ergonomics wellbeing stress burnout leadership strategy "
    "roadmap planning scheduling agile scrum kanban retrospective estimation testing debugging deployment "
    "security privacy gdpr encryption backup network firewall cloud server linux windows helpdesk ticket "
    "training elearning moodle openedx accessibility design typography photography video podcast event "
    "catering travel expenses insurance pension legal lawsuit patent licensing sustainability recycling energy "
    "solar mobility fleet"
).split()
KINDS = ["reply"] * 6 + ["entry"] * 2 + ["comment", "vouch"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", choices=("env", "sqlite", "mariadb", "both"), default="env")
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--evidence", type=int, default=0, help="evidence records (default: 10 per profile)")
    parser.add_argument("--cohorts", type=int, default=20)
    parser.add_argument("--reads", type=int, default=60, help="repetitions of each request")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--sizes", default="", help="profiles to compare, e.g. 5000,50000 (each seeded afresh)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when the budget is broken")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.evidence = args.evidence or args.profiles * 10
    return args


def seed(args):
    """People in cohorts, their profiles and words, evidence and its topic words, the vocabulary."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.utils import timezone  # pylint: disable=import-outside-toplevel

    from xblocks.core import groups_api  # pylint: disable=import-outside-toplevel
    from xblocks.core.models import LocalGroupMembership, Placement  # pylint: disable=import-outside-toplevel
    from xblocks.expert_finder import terms  # pylint: disable=import-outside-toplevel
    from xblocks.expert_finder.models import (  # pylint: disable=import-outside-toplevel
        Evidence, EvidenceTerm, Gram, Membership, Profile, ProfileTerm, Skill, Vocabulary,
    )

    rng = random.Random(2026)
    User = get_user_model()
    fast_bulk_load()
    Placement.objects.create(platform=Placement.LOCAL, context_key=COURSE_KEY, resource_key=RESOURCE_KEY,
                             title="Benchmark finder")
    forum = Placement.objects.create(platform=Placement.LOCAL, context_key=COURSE_KEY, resource_key=FORUM_KEY,
                                     title="Benchmark forum")
    cohorts = groups_api.bulk_create_groups(COURSE_KEY, [f"Cohort {i + 1:02d}" for i in range(args.cohorts)])
    User.objects.bulk_create([User(username=f"person{i:06d}", first_name="Person", last_name=str(i))
                              for i in range(args.profiles)], batch_size=5000)
    people = list(User.objects.filter(username__startswith="person").order_by("username"))
    group_of = {}
    for c, cohort in enumerate(cohorts):
        members = people[c::len(cohorts)]
        groups_api.bulk_add_members(cohort, members)
        group_of.update({person.id: f"cohort:{cohort.id}" for person in members})
    Membership.objects.bulk_create([Membership(user=p, context_key=COURSE_KEY, group_key=key) for p in people
                                    for key in ("course", group_of[p.id])], batch_size=10000)
    now = timezone.now()
    tokens_of = {word: terms.word_tokens(word) for word in TOPICS}
    profiles = Profile.objects.bulk_create([Profile(
        user=p, headline=f"{rng.choice(TOPICS).title()} specialist", interests=", ".join(rng.sample(TOPICS, 3)),
        wants_to_learn=rng.choice(TOPICS), updated=now, visibility="course") for p in people], batch_size=5000)
    skills, words = [], []
    for profile in profiles:
        for position, word in enumerate(rng.sample(TOPICS, 2)):
            level = rng.randint(1, 4)
            skills.append(Skill(profile=profile, name=word, level=level, position=position))
            words += [ProfileTerm(user_id=profile.user_id, token=t, field="skill", label=word, level=level)
                      for t in tokens_of[word]]
        for field, text in (("headline", profile.headline), ("interest", profile.interests),
                            ("learn", profile.wants_to_learn)):
            words += [ProfileTerm(user_id=profile.user_id, token=t, field=field)
                      for t in terms.text_tokens(text)]
    Skill.objects.bulk_create(skills, batch_size=10000)
    ProfileTerm.objects.bulk_create(words, batch_size=10000)
    done = 0
    while done < args.evidence:
        batch = []
        for n in range(done, min(args.evidence, done + 20000)):
            author = people[rng.randrange(len(people))]
            kind = KINDS[n % len(KINDS)]
            batch.append(Evidence(
                user=author, component="cohort_forum" if kind in ("reply", "comment") else (
                    "reflection_blog" if kind == "entry" else "expert_finder"),
                placement=forum, context_key=COURSE_KEY,
                audience="course" if n % 3 == 0 else group_of[author.id], object_type=kind, object_id=n + 1,
                kind=kind, upvotes=rng.choice((0, 0, 0, 1, 2, 5)), endorsed=kind == "reply" and n % 5 == 0,
                created=now - timedelta(minutes=rng.randrange(365 * 24 * 60))))
        batch = Evidence.objects.bulk_create(batch, batch_size=5000)
        EvidenceTerm.objects.bulk_create([
            EvidenceTerm(evidence=e, context_key=COURSE_KEY, token=t, weight=2 if k == 0 else 1, created=e.created)
            for e in batch for k, word in enumerate(rng.sample(TOPICS, 4)) for t in tokens_of[word]],
            batch_size=20000)
        done += len(batch)
    known = {t: word for word, tokens in tokens_of.items() for t in tokens}
    known.update({t: w for text in ("specialist",) for t, w in terms.text_tokens(text).items()})
    Vocabulary.objects.bulk_create([Vocabulary(token=t, word=w) for t, w in known.items()], ignore_conflicts=True)
    Gram.objects.bulk_create([Gram(gram=g, token=t) for t in known for g in terms.grams(t)], ignore_conflicts=True)
    end_bulk_load()
    refresh_statistics([Evidence, EvidenceTerm, Membership, Profile, ProfileTerm, Skill, Vocabulary, Gram, User,
                        LocalGroupMembership])
    return {"people": people, "counts": (len(people), Evidence.objects.count(), EvidenceTerm.objects.count())}


def front_door(user):
    from xblocks.core.context import build_context, get_placement, local_roles  # pylint: disable=import-outside-toplevel
    from xblocks.core.groups import LocalGroups  # pylint: disable=import-outside-toplevel
    from xblocks.core.models import Placement  # pylint: disable=import-outside-toplevel

    placement = get_placement(Placement.LOCAL, COURSE_KEY, RESOURCE_KEY)
    return build_context(user=user, placement=placement, scope="cohort", roles=local_roles(user, COURSE_KEY),
                         backend=LocalGroups())


def requests(world, args):
    from xblocks.expert_finder import api, profiles, suggestions  # pylint: disable=import-outside-toplevel
    from xblocks.expert_finder.frontdoor import FINDER  # pylint: disable=import-outside-toplevel

    people = world["people"]
    settings = dict(FINDER.defaults)

    def person(i):
        return people[(i * 7919) % len(people)]

    def search(query, scope="course"):
        def make(i):
            who = person(i)
            word = query or TOPICS[i % len(TOPICS)]
            return lambda: api.search(front_door(who), {"q": word, "scope": scope}, settings)
        return make

    def open_profile(i):
        who, other = person(i), person(i + 1)
        return lambda: profiles.get_profile(front_door(who), {"user_id": other.id}, settings)

    def mine(i):
        who = person(i)
        return lambda: profiles.my_profile(front_door(who), {}, settings)

    def suggest(i):
        who = person(i)
        return lambda: suggestions.suggestions(front_door(who), {}, settings)

    n = args.reads
    return [
        ("Search the course, one word", n, search("")),
        ("Search the course, two words", n, search("pricing negotiation")),
        ("Search my cohort", n, search("", "cohort")),
        ("Search a misspelled word", n, search("negociaton")),
        ("Open a profile", n, open_profile),
        ("My profile", n, mine),
        ("Suggestions", n, suggest),
    ]


def target_of(name):
    return next(ms for start, ms in TARGETS.items() if name.startswith(start))


def budget_problems(results):
    return shared_budget_problems(results, lambda _name: QUERY_BUDGET, target_of)


def run_one(args, db):
    description, cleanup = throwaway_database(db, os.environ.get("SLS_BENCH_DB_NAME", "sls_bench_finder"),
                                              "finder.sqlite3")
    try:
        setup_django()
        from django.test.utils import override_settings  # pylint: disable=import-outside-toplevel

        started = time.perf_counter()
        world = seed(args)
        seeded_in = time.perf_counter() - started
        results = measure_rounds(lambda: requests(world, args), args.rounds, override_settings())
    finally:
        if not args.keep:
            cleanup()
    people, evidence, evidence_terms = world["counts"]
    summary = (f"{people:,} profiles in {args.cohorts} cohorts, {evidence:,} evidence records with {evidence_terms:,} "
               f"topic words (seeded in {seeded_in:.0f} s)")
    return report_one(args, description, summary, results, target_of, budget_problems(results))


def compare_sizes(args):
    """Each size in its own process (a fresh database each), then the growth per request."""
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    passed = ["--db", args.db, "--cohorts", str(args.cohorts), "--reads", str(args.reads), "--rounds", str(args.rounds)]
    by_size = {size: child_results("bench.finder", ["--profiles", str(size)] + passed) for size in sizes}
    small, large = sizes[0], sizes[-1]
    print(f"\n### {by_size[large]['description']}\n")
    print(f"{by_size[small]['summary']}; then {by_size[large]['summary']}. Growth: {large:,} / {small:,}.\n")
    print(f"| Request | p50 {small:,} | p50 {large:,} | p95 {small:,} | p95 {large:,} | target p95 | growth p50 "
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
        print(f"| {a['name']} | {a['p50']:.2f} | {b['p50']:.2f} | {a['p95']:.2f} | {b['p95']:.2f} "
              f"| {target_of(a['name']):.0f} | {growth:.2f}x | {queries} |")
    print("\nBudget: " + ("met." if not problems else "BROKEN: " + "; ".join(problems)))
    return not problems


def main(argv=None):
    args = parse_args(argv)
    if args.sizes:
        ok = compare_sizes(args)
    elif args.db == "both":
        ok = run_both("bench.finder", argv)
    else:
        ok = run_one(args, args.db)
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
