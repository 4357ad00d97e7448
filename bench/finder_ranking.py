"""Ranking quality of the expert finder on a real Stack Exchange site, beside two baselines.

    python -m bench.finder_ranking --dump /work/data/quantumcomputing                # SQLite (default)
    SLS_DB=mariadb python -m bench.finder_ranking --dump PATH                         # MariaDB/MySQL
    python -m bench.finder_ranking --dump PATH --split-date 2018-04-15 --limit-queries 50

``--dump`` is the folder of one site's dump from archive.org's ``stackexchange`` collection (CC BY-SA):
``Posts.xml`` (required), ``Users.xml`` and ``Votes.xml`` (optional). The dump is read, never copied.

Questions created before ``--split-date`` are the history; every later question whose accepted answer was
written by someone who answered in the history is a query, and that answerer is the expert to find. The
history goes into one course-wide forum through the forum's api (``xblocks/cohort_forum/api.py``), as a
course's people would write it: each question a thread of kind question (title, body as plain text with
Markdown code and lists, the tags as a last line), each answer written before the split a reply, the
upvotes cast before the split replayed by distinct synthetic voters (at most ``--vote-cap`` per post: the
dump does not say who voted; down votes have no counterpart in the forum), and each answer accepted before
the split endorsed by course staff (the forum lets staff and advocates endorse, not the asker).

Methods, each ranking people for a query's title and text, the asker left out of every ranking:
- ``expert finder``: ``xblocks.expert_finder.api.search(ctx, {"q": ..., "scope": "course"}, settings)`` with
  the finder's default settings, asked by the query's asker in the same course;
- ``most active answerer``: one ranking for every query, by answers in the history;
- ``BM25``: Okapi BM25 over each person's answers in the history concatenated.

Metrics over the queries: P@1, P@5 (the expert among the first five, divided by five: one expert per query)
and MRR (1 / the expert's rank; 0 when the expert is not among the first ``--depth`` results of a method).
The table is printed in Markdown and written as JSON with each query's ranks (``--json``). When the expert finder cannot be imported,
the baselines are reported, the reason is printed, and the exit status is 2.
"""
import argparse
import html
import json
import math
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from bench.db import engine_for, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
COURSE_KEY = "course-v1:Bench+Ranking+2026"
FORUM_RESOURCE = "block-v1:Bench+Ranking+2026+type@social_cohort_forum+block@history"
FINDER_RESOURCE = "block-v1:Bench+Ranking+2026+type@social_expert_finder+block@finder"
FINDER = "expert finder"
MOST_ACTIVE = "most active answerer"
BM25 = "BM25"
DEFAULT_SPLIT = "2018-04-08"  # Quantum Computing (dump of 2018-09): 161 questions of history, 176 queries
COMMIT_EVERY = 250  # api calls per transaction while the history is written
EXIT_NO_FINDER = 2
RETRIED = "retried after a rate limit"


# ----- the dump -------------------------------------------------------------------------------------
@dataclass
class Question:
    id: int
    owner: int
    created: str
    title: str
    body: str
    tags: list
    accepted: int = None
    score: int = 0


@dataclass
class Answer:
    id: int
    question: int
    owner: int
    created: str
    body: str
    score: int = 0


@dataclass
class Dump:
    questions: dict
    answers: dict
    names: dict = field(default_factory=dict)  # SE user id: display name
    upvotes: dict = None  # post id: [vote dates], None without Votes.xml
    accepted_on: dict = None  # answer id: date of acceptance, None without Votes.xml


class _Text(HTMLParser):
    """A post's HTML as plain text with Markdown code, lists and headings (what a person would type)."""

    BLOCKS = {"p", "div", "blockquote", "ul", "ol", "table", "tr", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.pre = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self.pre = True
            self.out.append("\n\n```\n")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.out.append("\n\n## ")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "img":
            self.out.append(dict(attrs).get("alt") or "")
        elif tag in self.BLOCKS:
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        if tag == "pre":
            self.pre = False
            self.out.append("```\n\n" if self.out and self.out[-1].endswith("\n") else "\n```\n\n")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag in self.BLOCKS or tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.out.append("\n\n")

    def handle_data(self, data):
        self.out.append(data if self.pre else re.sub(r"\s+", " ", data))


def plain_text(body_html):
    parser = _Text()
    parser.feed(body_html or "")
    parser.close()
    text = "".join(parser.out)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _rows(path):
    """The ``row`` elements of a dump file, one at a time (streamed: a large site never sits in memory)."""
    for _event, element in ET.iterparse(path):
        if element.tag == "row":
            yield element.attrib
            element.clear()


def read_dump(folder):
    """Questions, answers, names, upvotes and acceptances of a site's dump folder."""
    folder = Path(folder)
    questions, answers = {}, {}
    for row in _rows(folder / "Posts.xml"):
        kind, owner = row.get("PostTypeId"), row.get("OwnerUserId")
        if owner is None or kind not in ("1", "2"):
            continue  # wiki excerpts, and posts of deleted accounts: nobody to rank
        if kind == "1":
            questions[int(row["Id"])] = Question(
                id=int(row["Id"]), owner=int(owner), created=row["CreationDate"],
                title=html.unescape(row.get("Title", "")).strip(), body=plain_text(row.get("Body")),
                tags=re.findall(r"<([^>]+)>", row.get("Tags", "")),
                accepted=int(row["AcceptedAnswerId"]) if row.get("AcceptedAnswerId") else None,
                score=int(row.get("Score", 0)))
        else:
            answers[int(row["Id"])] = Answer(id=int(row["Id"]), question=int(row["ParentId"]), owner=int(owner),
                                             created=row["CreationDate"], body=plain_text(row.get("Body")),
                                             score=int(row.get("Score", 0)))
    dump = Dump(questions=questions, answers=answers)
    if (folder / "Users.xml").exists():
        dump.names = {int(row["Id"]): row.get("DisplayName", "") for row in _rows(folder / "Users.xml")}
    if (folder / "Votes.xml").exists():
        dump.upvotes, dump.accepted_on = {}, {}
        for row in _rows(folder / "Votes.xml"):
            if row.get("VoteTypeId") == "2":  # UpMod
                dump.upvotes.setdefault(int(row["PostId"]), []).append(row["CreationDate"])
            elif row.get("VoteTypeId") == "1":  # AcceptedByOriginator
                dump.accepted_on[int(row["PostId"])] = row["CreationDate"]
    return dump


# ----- the split ------------------------------------------------------------------------------------
@dataclass
class History:
    questions: list  # in order of creation
    answers: list  # in order of creation
    upvotes: dict  # post id: upvotes cast before the split
    accepted: list  # answer ids accepted before the split
    names: dict
    votes_from: str  # "Votes.xml" or "Score"


@dataclass
class Query:
    question: Question
    asker: int
    expert: int
    chars: int = None  # every method reads at most this many characters of the question (None: all)

    @property
    def text(self):
        return f"{self.question.title}\n\n{self.question.body}"[:self.chars]


def split_dump(dump, split_date, limit=None):
    """(history, queries): the history before ``split_date`` (``YYYY-MM-DD``), and the later questions whose
    accepted answerer answered in the history (at most ``limit``, the earliest first)."""
    questions = sorted((q for q in dump.questions.values() if q.created < split_date), key=lambda q: q.created)
    asked = {q.id for q in questions}
    answers = sorted((a for a in dump.answers.values() if a.question in asked and a.created < split_date),
                     key=lambda a: (a.created, a.id))
    posts = asked | {a.id for a in answers}
    if dump.upvotes is not None:
        upvotes = {post: sum(1 for day in days if day < split_date) for post, days in dump.upvotes.items()
                   if post in posts}
        accepted = [q.accepted for q in questions if q.accepted in dump.accepted_on
                    and dump.accepted_on[q.accepted] < split_date and q.accepted in posts]
        votes_from = "Votes.xml"
    else:  # the score when the dump was made (it may hold votes cast after the split)
        upvotes = {q.id: q.score for q in questions} | {a.id: a.score for a in answers}
        accepted = [q.accepted for q in questions if q.accepted in posts]
        votes_from = "Score"
    upvotes = {post: n for post, n in upvotes.items() if n > 0}
    answerers = {a.owner for a in answers}
    queries = []
    for q in sorted((q for q in dump.questions.values() if q.created >= split_date), key=lambda q: q.created):
        answer = dump.answers.get(q.accepted)
        if answer is not None and answer.owner in answerers and answer.owner != q.owner:
            queries.append(Query(question=q, asker=q.owner, expert=answer.owner))
    if limit:
        queries = queries[:limit]
    return History(questions, answers, upvotes, accepted, dump.names, votes_from), queries


# ----- the history, through the forum's api -----------------------------------------------------
@dataclass
class World:
    users: dict  # SE user id: User
    se_ids: dict  # username: SE user id
    forum: object  # the forum's placement
    finder: object  # the finder's placement, in the same course
    counts: dict


def username(se_id):
    return f"se{se_id}" if se_id >= 0 else f"se_minus{-se_id}"


def _context(user, placement):
    """What a front door builds before each api call (course-wide scope: one space for the whole course)."""
    from xblocks.core.context import build_context, local_roles  # pylint: disable=import-outside-toplevel
    from xblocks.core.groups import LocalGroups  # pylint: disable=import-outside-toplevel

    return build_context(user=user, placement=placement, scope="course", roles=local_roles(user, COURSE_KEY),
                         backend=LocalGroups())


class Batches:
    """Api calls grouped ``size`` to a transaction (each call keeps its own atomic block, now a savepoint):
    one commit per batch instead of one per call, which is what makes a history of thousands of posts quick
    on SQLite, whose every commit waits for the disk."""

    def __init__(self, size):
        self.size, self.calls, self.block = size, 0, None

    def __enter__(self):
        from django.db import transaction  # pylint: disable=import-outside-toplevel

        self.block = transaction.atomic()
        self.block.__enter__()
        return self

    def call(self, function, *args):
        result = function(*args)
        self.calls += 1
        if self.calls % self.size == 0:
            self.block.__exit__(None, None, None)
            self.__enter__()
        return result

    def __exit__(self, *exc):
        return self.block.__exit__(*exc)


def feed_history(history, queries, vote_cap=10):
    """Write the history into one course-wide forum through the forum's api. Returns the :class:`World`."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    from xblocks.cohort_forum import api  # pylint: disable=import-outside-toplevel
    from xblocks.cohort_forum.conf import conf  # pylint: disable=import-outside-toplevel
    from xblocks.core import groups_api  # pylint: disable=import-outside-toplevel
    from xblocks.core.context import STAFF, get_placement  # pylint: disable=import-outside-toplevel
    from xblocks.core.models import Placement  # pylint: disable=import-outside-toplevel

    User = get_user_model()
    people = ({q.owner for q in history.questions} | {a.owner for a in history.answers}
              | {q.asker for q in queries})
    names = history.names
    User.objects.bulk_create(
        [User(username=username(i), first_name=(names.get(i) or username(i))[:150]) for i in sorted(people)]
        + [User(username=f"voter{v:03d}", first_name=f"Voter {v}") for v in range(vote_cap)]
        + [User(username="ranking-staff", first_name="Course staff")])
    by_name = {u.username: u for u in User.objects.filter(username__in=[username(i) for i in people])}
    users = {i: by_name[username(i)] for i in people}
    voters = list(User.objects.filter(username__startswith="voter").order_by("username"))[:vote_cap]
    staff = User.objects.get(username="ranking-staff")
    groups_api.add_role(staff, COURSE_KEY, STAFF)
    forum = get_placement(Placement.LOCAL, COURSE_KEY, FORUM_RESOURCE, "Questions and answers")
    finder = get_placement(Placement.LOCAL, COURSE_KEY, FINDER_RESOURCE, "Who knows about it?")
    contexts = {}

    def ctx(user):
        if user.id not in contexts:
            contexts[user.id] = _context(user, forum)
        return contexts[user.id]

    title_max, body_max = conf("TITLE_MAX"), conf("BODY_MAX")
    threads, replies, votes = {}, {}, 0
    with Batches(COMMIT_EVERY) as batch:
        for q in history.questions:
            body = q.body or q.title
            if q.tags:
                body = f"{body[:body_max - 200]}\n\nTags: {', '.join(q.tags)}"
            threads[q.id] = batch.call(api.create_thread, ctx(users[q.owner]), {
                "kind": "question", "title": q.title[:title_max], "body": body[:body_max]})["id"]
        for a in history.answers:
            replies[a.id] = batch.call(api.create_reply, ctx(users[a.owner]), {
                "thread": threads[a.question], "body": (a.body or "(empty)")[:body_max]})["id"]
        for post, count in sorted(history.upvotes.items()):
            target, target_id = ("thread", threads[post]) if post in threads else ("post", replies[post])
            for voter in voters[:count]:
                batch.call(api.vote, ctx(voter), {"target": target, "id": target_id})
                votes += 1
        for answer in history.accepted:
            batch.call(api.endorse, ctx(staff), {"id": replies[answer]})
    counts = {"people": len(people), "threads": len(threads), "replies": len(replies), "votes": votes,
              "endorsed": len(history.accepted), "vote_cap": vote_cap}
    return World(users=users, se_ids={u.username: i for i, u in users.items()}, forum=forum, finder=finder,
                 counts=counts)


# ----- methods: each takes a query and returns people (SE user ids, or usernames) best first -------------
def tokens(text):
    """The one tokeniser of the baselines: lower-cased runs of letters and digits."""
    return re.findall(r"[^\W_]+", text.lower())


def most_active(history):
    """The same ranking for every query: people by answers in the history (then by id)."""
    count = Counter(a.owner for a in history.answers)
    ranking = sorted(count, key=lambda person: (-count[person], person))
    return lambda query: ranking


def bm25(history, k1=1.2, b=0.75):
    """Okapi BM25 over each person's answers in the history, concatenated into one document per person."""
    docs = {}
    for a in history.answers:
        docs.setdefault(a.owner, []).extend(tokens(a.body))
    tf = {person: Counter(words) for person, words in docs.items()}
    length = {person: len(words) for person, words in docs.items()}
    average = sum(length.values()) / max(1, len(length))
    df = Counter(word for counts in tf.values() for word in counts)
    n = len(docs)
    idf = {word: math.log(1 + (n - d + 0.5) / (d + 0.5)) for word, d in df.items()}

    def score(person, words):
        counts, norm = tf[person], k1 * (1 - b + b * length[person] / average)
        return sum(idf[w] * counts[w] * (k1 + 1) / (counts[w] + norm) for w in words if w in counts)

    def rank(query):
        words = [w for w in set(tokens(query.text)) if w in idf]
        scores = {person: score(person, words) for person in docs}
        return sorted((p for p in scores if scores[p] > 0), key=lambda p: (-scores[p], p))

    return rank


class FinderUnavailable(Exception):
    """The expert finder cannot be imported or is not registered: no results, and the reason why."""


def load_finder():
    """(search, settings) of the expert finder: its api's ``search`` and its component's default settings."""
    try:
        from xblocks.expert_finder import api  # pylint: disable=import-outside-toplevel
    except ImportError as error:
        raise FinderUnavailable(f"the expert finder cannot be imported ({error})") from error
    from xblocks.core import component  # pylint: disable=import-outside-toplevel

    declared = component.get("expert_finder")
    if declared is None:
        raise FinderUnavailable("the expert finder is not registered (is xblocks.expert_finder in INSTALLED_APPS?)")
    return api.search, dict(declared.defaults)


def finder(search, world, settings, problems, depth=100):
    """The expert finder through its api, asked by the query's asker in the course (the pages of its results up
    to ``depth`` people); refused queries are
    counted in ``problems`` ({message: count}) and rank nobody. A search refused for its rate (the benchmark
    asks far faster than a person) is asked once more in a fresh window (the rate-limit counters live in the
    cache, which is emptied for it); ``problems["retried after a rate limit"]`` counts those."""
    from django.core.cache import cache  # pylint: disable=import-outside-toplevel

    from xblocks.core.errors import ApiError, RateLimited  # pylint: disable=import-outside-toplevel

    def ask(query):
        """The finder's results page by page (as a person asks for more), up to ``depth`` people."""
        ctx = _context(world.users[query.asker], world.finder)
        results, page = [], 1
        while len(results) < depth:
            answer = search(ctx, {"q": query.text, "scope": "course", "page": page}, settings)
            results.extend(answer["results"])
            if not answer.get("has_more") or not answer["results"]:
                break
            page += 1
        return results

    def rank(query):
        try:
            try:
                results = ask(query)
            except RateLimited:
                problems[RETRIED] = problems.get(RETRIED, 0) + 1
                cache.clear()
                results = ask(query)
        except ApiError as error:
            problems[str(error)] = problems.get(str(error), 0) + 1
            return []
        return [world.se_ids.get(r["username"], r["username"]) for r in results]

    return rank


# ----- metrics ---------------------------------------------------------------------------------------
def rank_of(ranking, expert, asker, depth):
    """The expert's 1-based rank once the asker is left out, or None beyond ``depth``."""
    kept = [person for person in ranking if person != asker][:depth]
    return kept.index(expert) + 1 if expert in kept else None


def evaluate(queries, methods, depth=100):
    """{method: {"p_at_1", "p_at_5", "in_top_5", "mrr", "found", "ms_per_query", "ranks"}} over ``queries``."""
    out = {}
    for name, method in methods.items():
        ranks, started = [], time.perf_counter()
        for query in queries:
            ranks.append(rank_of(method(query), query.expert, query.asker, depth))
        elapsed = time.perf_counter() - started
        n = max(1, len(queries))
        out[name] = {
            "p_at_1": sum(1 for r in ranks if r == 1) / n,
            "p_at_5": sum(1 for r in ranks if r is not None and r <= 5) / 5 / n,
            "in_top_5": sum(1 for r in ranks if r is not None and r <= 5) / n,
            "mrr": sum(1 / r for r in ranks if r is not None) / n,
            "found": sum(1 for r in ranks if r is not None),
            "ms_per_query": 1000 * elapsed / n,
            "ranks": ranks,
        }
    return out


def table(results):
    lines = ["| Method | P@1 | P@5 | MRR | expert in the first 5 | expert ranked | ms per query |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in results.items():
        lines.append(f"| {name} | {r['p_at_1']:.3f} | {r['p_at_5']:.3f} | {r['mrr']:.3f} | {r['in_top_5']:.1%} | "
                     f"{r['found']} / {len(r['ranks'])} | {r['ms_per_query']:.1f} |")
    return "\n".join(lines)


# ----- the command -----------------------------------------------------------------------------------
def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dump", required=True, help="folder holding the site's Posts.xml (Users.xml, Votes.xml)")
    parser.add_argument("--split-date", default=DEFAULT_SPLIT,
                        help=f"questions before this day (YYYY-MM-DD) are history (default {DEFAULT_SPLIT})")
    parser.add_argument("--limit-queries", type=int, default=0, help="evaluate only the first N queries")
    parser.add_argument("--vote-cap", type=int, default=10, help="upvotes replayed per post at most (default 10)")
    parser.add_argument("--depth", type=int, default=100, help="results of each method read per query")
    parser.add_argument("--query-chars", type=int, default=0,
                        help="every method reads at most this many characters of a query (default: all of it)")
    parser.add_argument("--db", choices=("env", "sqlite", "mariadb"), default="env",
                        help="the database SLS_DB selects (default), sqlite or mariadb")
    parser.add_argument("--json", help="where to write the results as JSON (default: "
                                           "var/bench/finder-ranking-<sqlite|mariadb>.json)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.split_date):
        parser.error("--split-date takes a day as YYYY-MM-DD")
    if not (Path(args.dump) / "Posts.xml").is_file():
        parser.error(f"no Posts.xml in {args.dump}: give the folder of one site's Stack Exchange dump")
    return args


def setup_django():
    """Django on the benchmark's database, every installed app's tables (``bench.forum.setup_django``)."""
    from bench.forum import setup_django as whole_site  # pylint: disable=import-outside-toplevel

    whole_site()


def run(args):
    """Read, split, feed, rank and measure; print the table. Returns the exit status."""
    started = time.perf_counter()
    dump = read_dump(args.dump)
    history, queries = split_dump(dump, args.split_date, args.limit_queries or None)
    for query in queries:
        query.chars = args.query_chars or None
    read_in = time.perf_counter() - started
    name = os.environ.get("SLS_BENCH_DB_NAME", "sls_bench_ranking")
    description, cleanup = throwaway_database(args.db, name, f"{name}.sqlite3")
    try:
        setup_django()
        from django.test.utils import override_settings  # pylint: disable=import-outside-toplevel

        # The history is written far faster than people post: lift the posting rate limit for it. The finder
        # answers with pages of ``--depth`` people (one search per query instead of one per page of ten).
        with override_settings(SOCIAL_LEARNING={"POSTS_PER_WINDOW": 10**9,
                                                "expert_finder": {"RESULTS_PER_PAGE": args.depth}}):
            started = time.perf_counter()
            world = feed_history(history, queries, vote_cap=args.vote_cap)
            fed_in = time.perf_counter() - started
            methods, problems, missing = {}, {}, None
            try:
                search, settings = load_finder()
                methods[FINDER] = finder(search, world, settings, problems, args.depth)
            except FinderUnavailable as error:
                missing = str(error)
            methods[MOST_ACTIVE] = most_active(history)
            methods[BM25] = bm25(history)
            results = evaluate(queries, methods, args.depth)
    finally:
        if not args.keep:
            cleanup()
    site = Path(args.dump).resolve().name
    print(f"\n### Expert ranking on {site} ({description})\n")
    print(f"History: questions before {args.split_date}: {world.counts['threads']} threads, "
          f"{world.counts['replies']} replies, {world.counts['votes']} upvotes (from {history.votes_from}, at most "
          f"{args.vote_cap} per post, by synthetic voters), {world.counts['endorsed']} accepted answers endorsed "
          f"by staff; {world.counts['people']} people. Queries: {len(queries)} later questions whose accepted "
          f"answerer answered in the history. Read in {read_in:.1f} s, written through the forum's api in "
          f"{fed_in:.1f} s.\n")
    print(table(results))
    for message, count in problems.items():
        print(f"\nSearches {message}: {count}" if message == RETRIED
              else f"\nThe expert finder refused {count} queries: {message}")
    report = {
        "site": site, "database": description, "split_date": args.split_date, "queries": len(queries),
        "query_chars": args.query_chars or None,
        "history": world.counts, "votes_from": history.votes_from, "depth": args.depth,
        "seconds": {"read": round(read_in, 2), "feed": round(fed_in, 2)},
        "finder_missing": missing, "finder_refused": problems,
        "results": {name: {k: v for k, v in r.items() if k != "ranks"} for name, r in results.items()},
        "queries_ranked": [{"question": q.question.id, "asker": q.asker, "expert": q.expert,
                            "rank": {name: r["ranks"][i] for name, r in results.items()}}
                           for i, q in enumerate(queries)],
    }
    out = Path(args.json or ROOT / "var" / "bench" / f"finder-ranking-{engine_for(args.db)}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nWritten to {out}")
    if missing:
        print(f"\nNo expert finder results: {missing}. Only the baselines were measured.", file=sys.stderr)
        return EXIT_NO_FINDER
    return 0


def main(argv=None):
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
