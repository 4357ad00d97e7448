"""LTI launch benchmark: server time and SQL queries of each step of a launch into the forum.

    python -m bench.lti                  # on the database SLS_DB selects (SQLite by default)
    SLS_DB=mariadb python -m bench.lti   # on MariaDB/MySQL
    python -m bench.lti --db both        # both, one table each

It never touches the sandbox's data: SQLite runs on a throwaway file under ``var/bench/``, and
MariaDB on its own database (``sls_bench_lti``, or ``SLS_BENCH_LTI_DB_NAME``) that it creates and drops.

The platform is the tests' one (``tests/lti/platform.py``: lti-consumer-xblock's LTI 1.3 consumer)
serving its JWKS over HTTP on 127.0.0.1; it is registered in the tool with an active deployment.
The browser is Django's test client, so each step runs the whole tool (middleware, view, templates)
in this process and is timed with ``time.perf_counter``:

1. the OIDC login initiation (GET ``/lti/login/``);
2. the platform's form post of the id_token (POST ``/lti/launch/``), answered with the page that adds
   the browser's secret; the platform signing the id_token in between is not the tool's time;
3. the launch (POST ``/lti/launch/`` with the secret): every check (signature against the cached JWKS,
   claims, nonce, deployment), the launch recorded, a launch token, a redirect;
4. the forum page the redirect leads to (GET ``/lti/forum/``), on a forum of a few thousand posts.

A learner of each cohort launches first (the tool fetches the platform's JWKS, cohorts are made),
the forum is filled, every other learner launches once (their first launch creates them), then the
timed launches go round the same people with a warm JWKS cache.
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

from bench.db import engine_for, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
STEPS = [
    ("login", "Login initiation (GET /lti/login/)"),
    ("check", "Platform's form post (POST /lti/launch/)"),
    ("launch", "Launch: checks, record, token (POST /lti/launch/)"),
    ("page", "Forum page (GET /lti/forum/)"),
]
COHORTS = ("Antwerp", "Brussels", "Ghent", "Liège")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", choices=("env", "sqlite", "mariadb", "both"), default="env",
                        help="database to run on: the one SLS_DB selects (default), sqlite, mariadb or both")
    parser.add_argument("--launches", type=int, default=200, help="timed launches")
    parser.add_argument("--people", type=int, default=40, help="learners who launch, in turn")
    parser.add_argument("--threads", type=int, default=250, help="threads per cohort in the forum")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    return parser.parse_args(argv)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django  # pylint: disable=import-outside-toplevel

    django.setup()
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel

    settings.PLATFORM_NAME = "Benchmark platform"  # lti-consumer-xblock names its platform in each launch
    settings.DEBUG = False
    call_command("migrate", verbosity=0, interactive=False)


class Launcher:
    """One launch at a time, step by step, as a browser framed by the platform makes it."""

    def __init__(self):
        from django.test import Client  # pylint: disable=import-outside-toplevel

        from lti import keys  # pylint: disable=import-outside-toplevel
        from tests.lti import platform as platforms  # pylint: disable=import-outside-toplevel

        self.platforms = platforms
        self.platform = platforms.TestPlatform("http://testserver").start()
        platforms.register(self.platform, name="Benchmark platform")
        self.platform.tool_key = keys.current_key().public_key
        self.browser = platforms.ClientBrowser(self.platform, Client())

    def consumer(self, person):
        return self.platform.consumer(user_id=f"learner-{person}", name=f"Learner {person}",
                                      email=f"learner{person}@example.org",
                                      custom={"cohort": COHORTS[person % len(COHORTS)]})

    def launch(self, person, measure):
        """One launch of ``person``; ``measure(step, call)`` runs each of the tool's requests."""
        consumer = self.consumer(person)
        client = self.browser.client
        url = self.platform.preflight_url(consumer, user_id=f"learner-{person}")
        response = measure("login", lambda: client.get(url))
        match = self.platforms.LOGIN_DATA.search(response.content.decode())
        expect(match, response, "the login page")
        login = json.loads(match.group(1))
        fields = self.browser.authorize(consumer, login)  # the platform's side
        response = measure("check", lambda: self.browser.check(fields))
        expect(response.status_code == 200 and b"sls_binding" in response.content, response, "the launch check")
        response = measure("launch", lambda: self.browser.post_launch(fields, login["secret"]))
        expect(response.status_code == 303, response, "the launch")
        location = response["Location"]
        response = measure("page", lambda: client.get(location))
        expect(response.status_code == 200 and b"sls-forum-data" in response.content, response, "the forum page")

    def stop(self):
        self.platform.stop()


def expect(condition, response, what):
    if not condition:
        raise SystemExit(f"Unexpected answer to {what}: {response.status_code}\n"
                         f"{response.content.decode(errors='replace')[:2000]}")


def timer(times):
    def measure(step, call):
        start = time.perf_counter()
        response = call()
        times.setdefault(step, []).append((time.perf_counter() - start) * 1000)
        return response
    return measure


def query_counter(counts):
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

    def measure(step, call):
        with CaptureQueriesContext(connection) as queries:
            response = call()
        counts.setdefault(step, set()).add(len(queries))
        return response
    return measure


def seed_forum(threads_per_cohort):
    """Threads with replies in each cohort's space of the forum the people launched into."""
    from django.utils import timezone  # pylint: disable=import-outside-toplevel

    from lti.models import LearnerState, LtiPlacement  # pylint: disable=import-outside-toplevel
    from xblocks.cohort_forum.models import Post, Thread  # pylint: disable=import-outside-toplevel
    from xblocks.core.text import render_markdown  # pylint: disable=import-outside-toplevel

    rng = random.Random(2026)
    placement = LtiPlacement.objects.get().placement
    members = {}  # the cohort each person's launch named for this activity
    for user_id, group_key in (LearnerState.objects.filter(placement=placement).exclude(group_key="")
                               .values_list("user_id", "group_key")):
        members.setdefault(group_key, []).append(user_id)
    body = "How do you **prepare** for the first session? I read the notes and wonder what the others do."
    html = render_markdown(body)
    now = timezone.now()
    Thread.objects.bulk_create([
        Thread(placement=placement, group_key=group, author_id=rng.choice(people), title=f"Topic {i}", body=body,
               body_html=html, reply_count=3, created=now - timedelta(minutes=10 * i),
               last_activity=now - timedelta(minutes=10 * i - 3))
        for group, people in members.items() for i in range(threads_per_cohort)], batch_size=2000)
    rows = Thread.objects.filter(placement=placement).values_list("id", "group_key", "created")
    Post.objects.bulk_create([
        Post(thread_id=thread, author_id=rng.choice(members[group]), body="Same here!", body_html="<p>Same here!</p>\n",
             created=created + timedelta(minutes=j + 1))
        for thread, group, created in rows for j in range(3)], batch_size=5000)
    return len(rows), 3 * len(rows)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered))) - 1))]


def run_one(args, db):
    name = os.environ.get("SLS_BENCH_LTI_DB_NAME", "sls_bench_lti")
    description, cleanup = throwaway_database(db, name, "lti.sqlite3")
    launcher = None
    try:
        setup_django()
        from django.core.cache import cache  # pylint: disable=import-outside-toplevel

        cache.clear()
        launcher = Launcher()
        for person in range(len(COHORTS)):  # the platform's JWKS fetched, each cohort made, code paths warmed
            launcher.launch(person, lambda step, call: call())
        threads, posts = seed_forum(args.threads)
        first = {}
        for person in range(len(COHORTS), args.people):
            launcher.launch(person, timer(first))
        jwks_before = launcher.platform.jwks_requests
        times = {}
        for number in range(args.launches):
            launcher.launch(number % args.people, timer(times))
        counts = {}
        for number in range(5):
            launcher.launch(number, query_counter(counts))
        jwks_fetches = launcher.platform.jwks_requests - jwks_before
    finally:
        if launcher is not None:
            launcher.stop()
        if not args.keep:
            cleanup()
    totals = [sum(step_times) for step_times in zip(*(times[step] for step, _label in STEPS))]
    first_totals = [sum(step_times) for step_times in zip(*(first[step] for step, _label in STEPS))]
    print(f"\n### {description}\n")
    print(f"{args.launches} launches of {args.people} learners in {len(COHORTS)} cohorts into one forum "
          f"({threads:,} threads, {posts:,} replies), JWKS cached (fetched {jwks_fetches} times while timing). "
          "Server time of each of the tool's requests through Django's test client.\n")
    print("| Step | n | p50 (ms) | p95 (ms) | SQL queries |")
    print("|---|---:|---:|---:|---:|")
    for step, label in STEPS:
        found = counts[step]
        queries = f"{max(found)}" + (" (varies)" if len(found) > 1 else "")
        print(f"| {label} | {len(times[step])} | {statistics.median(times[step]):.2f} | "
              f"{percentile(times[step], 0.95):.2f} | {queries} |")
    total_queries = sum(max(counts[step]) for step, _label in STEPS)
    print(f"| **Whole launch** (the four requests) | {len(totals)} | {statistics.median(totals):.2f} | "
          f"{percentile(totals, 0.95):.2f} | {total_queries} |")
    print(f"| A person's first launch (creates them) | {len(first_totals)} | {statistics.median(first_totals):.2f} | "
          f"{percentile(first_totals, 0.95):.2f} | |")
    return jwks_fetches == 0


def main(argv=None):
    args = parse_args(argv)
    if args.db == "both":
        ok = True
        rest = [a for a in (argv if argv is not None else sys.argv[1:]) if a not in ("--db", "both")]
        for db in ("sqlite", "mariadb"):
            ok = subprocess.run([sys.executable, "-m", "bench.lti", "--db", db, *rest], cwd=ROOT,
                                check=False).returncode == 0 and ok
        return 0 if ok else 1
    return 0 if run_one(args, engine_for(args.db)) else 1


if __name__ == "__main__":
    sys.exit(main())
