"""The expert ranking evaluation (``bench/finder_ranking.py``) on a hand-written dump of a dozen posts.

The dump (``tiny-site/``): before 2020-06-01, Alice asks about decoherence (Bob's accepted answer, Erin's
shrug), Dave about the Hadamard gate (Carol's accepted answer, Erin's pointer), Bob about textbooks (Erin,
accepted only after the split; Alice answers after the split too). After it: Alice asks Bob's subject, Bob and
Erin ask Carol's; Dave's question is answered by Frank, who never answered before, and another one has no
accepted answer; one question comes from a deleted account.
"""
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import finder_ranking as fr
from xblocks.core import ratelimit
from xblocks.core.errors import RateLimited, ValidationError

DUMP = Path(__file__).parent / "tiny-site"
SPLIT = "2020-06-01"
ALICE, BOB, CAROL, DAVE, ERIN = 1, 2, 3, 4, 5
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def split():
    return fr.split_dump(fr.read_dump(DUMP), SPLIT)


def test_the_split_keeps_what_was_known_before_the_date_and_asks_the_later_questions(split):
    history, queries = split
    assert [q.id for q in history.questions] == [10, 13, 16]
    assert [a.id for a in history.answers] == [11, 12, 14, 15, 17]  # Alice's late answer (18) is not history
    # Upvotes cast before the split only (one of 11's came later; its down vote is not an upvote).
    assert history.upvotes == {10: 1, 11: 3, 14: 4, 17: 1}
    assert history.accepted == [11, 14]  # 17 was accepted after the split
    assert history.votes_from == "Votes.xml"
    # Frank's answer (24) and the question without an accepted answer (26) are no queries.
    assert [(q.question.id, q.asker, q.expert) for q in queries] == [(20, ALICE, BOB), (22, BOB, CAROL),
                                                                    (27, ERIN, CAROL)]
    assert queries[0].text.startswith("Why does my qubit decohere so fast?\n\nThe coherence time")
    history, queries = fr.split_dump(fr.read_dump(DUMP), SPLIT, limit=2)
    assert [q.question.id for q in queries] == [20, 22]


def test_posts_become_plain_text_with_markdown_code_and_lists():
    text = fr.plain_text("<p>Decoherence:</p>\n<ul><li>thermal noise</li><li>stray <em>fields</em></li></ul>\n"
                         "<pre><code>T2 &lt;= 2 * T1\n</code></pre><p>Use <code>H</code> &amp; see "
                         "<a href='https://example.org'>this</a>.</p>")
    assert text == "Decoherence:\n\n- thermal noise\n- stray fields\n\n```\nT2 <= 2 * T1\n```\n\nUse `H` & see this."


def test_the_metrics_of_a_known_ranking():
    queries = [fr.Query(question=None, asker=9, expert=1), fr.Query(question=None, asker=9, expert=2),
               fr.Query(question=None, asker=9, expert=3)]
    rankings = {1: [1, 2, 3], 2: [3, 4, 2, 1], 3: [4, 5, 6, 7, 8, 3]}  # ranks 1, 3, 6
    results = fr.evaluate(queries, {"known": lambda q: rankings[q.expert]})["known"]
    assert results["ranks"] == [1, 3, 6]
    assert results["p_at_1"] == pytest.approx(1 / 3)
    assert results["p_at_5"] == pytest.approx((2 / 5) / 3)  # two experts among the first five, one per query
    assert results["in_top_5"] == pytest.approx(2 / 3)
    assert results["mrr"] == pytest.approx((1 + 1 / 3 + 1 / 6) / 3)
    # Beyond the depth read, the expert counts as not found.
    cut = fr.evaluate(queries, {"known": lambda q: rankings[q.expert]}, depth=5)["known"]
    assert cut["ranks"] == [1, 3, None] and cut["mrr"] == pytest.approx((1 + 1 / 3) / 3) and cut["found"] == 2


def test_the_asker_is_left_out_of_every_ranking(split):
    history, queries = split
    assert fr.rank_of([ERIN, CAROL], CAROL, ERIN, 100) == 1
    assert fr.rank_of([ERIN, BOB, CAROL], CAROL, ERIN, 2) == 2  # the depth counts people once the asker is out
    # Erin answered most: first for everyone but herself.
    most_active = fr.most_active(history)
    assert most_active(queries[0]) == [ERIN, BOB, CAROL]
    results = fr.evaluate(queries, {"most active": most_active})["most active"]
    assert results["ranks"] == [2, 2, 2]  # Erin's own question (27): Carol second after Bob, not third
    assert results["p_at_1"] == 0 and results["mrr"] == pytest.approx(0.5)


def test_bm25_ranks_people_by_the_words_of_their_earlier_answers(split):
    history, queries = split
    bm25 = fr.bm25(history)
    assert bm25(queries[0])[0] == BOB  # qubit, coherence, T1: Bob's answer
    assert bm25(queries[2])[0] == CAROL  # Hadamard gate, twice, identity: Carol's answer
    results = fr.evaluate(queries, {"BM25": bm25})["BM25"]
    assert results["ranks"] == [1, 1, 1] and results["p_at_1"] == 1 and results["mrr"] == 1


@pytest.fixture
def world(db, split, settings):
    settings.SOCIAL_LEARNING = {"POSTS_PER_WINDOW": 10**9}  # as the command does
    history, queries = split
    return fr.feed_history(history, queries, vote_cap=2)


def _staff_context(world):
    from django.contrib.auth import get_user_model

    return fr._context(get_user_model().objects.get(username="ranking-staff"), world.forum)


def test_the_history_is_written_through_the_forums_api_and_its_signals(db, split, settings):
    from xblocks.cohort_forum import api
    from xblocks.core.signals import answer_endorsed, contribution_created

    sent = []

    def contributed(sender, kind, user, **kwargs):
        sent.append((kind, user.username))

    def endorsed(sender, user, **kwargs):
        sent.append(("endorsed", user.username))

    contribution_created.connect(contributed)
    answer_endorsed.connect(endorsed)
    try:
        settings.SOCIAL_LEARNING = {"POSTS_PER_WINDOW": 10**9}
        world = fr.feed_history(*split, vote_cap=2)
    finally:
        contribution_created.disconnect(contributed)
        answer_endorsed.disconnect(endorsed)
    assert sorted(sent) == sorted([("thread", "se1"), ("thread", "se4"), ("thread", "se2"), ("reply", "se2"),
                                   ("reply", "se5"), ("reply", "se3"), ("reply", "se5"), ("reply", "se5"),
                                   ("endorsed", "se2"), ("endorsed", "se3")])
    assert world.counts == {"people": 5, "threads": 3, "replies": 5, "votes": 6, "endorsed": 2, "vote_cap": 2}

    ctx = _staff_context(world)
    listed = api.list_threads(ctx, {"sort": "newest"})
    assert [t["title"] for t in listed["threads"]] == [
        "Which textbook first?", "What does a Hadamard gate do?", "How do qubits lose coherence?"]
    assert all(t["kind"] == "question" for t in listed["threads"])
    coherence = api.get_thread(ctx, {"id": listed["threads"][2]["id"]})
    assert coherence["author"]["username"] == "se1" and coherence["author"]["name"] == "Alice"
    assert coherence["vote_count"] == 1 and coherence["answered"]
    assert "<p>My qubit state decays after a few microseconds. Why?</p>" in coherence["body_html"]
    assert "Tags: qubit, decoherence" in coherence["body_html"]
    replies = [(r["author"]["username"], r["vote_count"], r["endorsed"]) for r in coherence["replies"]]
    assert replies == [("se2", 2, True), ("se5", 0, False)]  # three upvotes before the split, at most two replayed
    assert "<li>thermal noise</li>" in coherence["replies"][0]["body_html"]
    textbook = api.get_thread(ctx, {"id": listed["threads"][0]["id"]})
    assert not textbook["answered"]  # accepted after the split
    assert [r["author"]["username"] for r in textbook["replies"]] == ["se5"]  # Alice's late answer is not there


def _stand_in(calls, usernames, refuse=None, per_minute=None):
    """A ranker with the finder's interface, for these tests only: a fixed list of people, best first."""

    def search(ctx, data, settings):
        calls.append((ctx.user.username, ctx.placement.resource_key, ctx.course_key, dict(data), settings))
        if refuse and refuse in data["q"]:
            raise ValidationError("The search is too long.")
        if per_minute and not ratelimit.hit("finder-search", per_minute, 60):
            raise RateLimited("You are searching very quickly.")
        return {"results": [{"username": name, "user_id": None, "reasons": [], "score": 1.0} for name in usernames]}

    return search


def test_a_ranker_with_the_finders_interface_is_asked_by_each_asker_and_never_ranks_them(world, split):
    history, queries = split
    calls, problems = [], {}
    # Alice, Bob, Carol, then staff (not a person of the site): whoever asks, the list is the same.
    method = fr.finder(_stand_in(calls, ["se1", "se2", "se3", "ranking-staff"]), world, {"setting": 1}, problems)
    assert method(queries[0]) == [ALICE, BOB, CAROL, "ranking-staff"]
    assert calls[0] == ("se1", fr.FINDER_RESOURCE, fr.COURSE_KEY, {"q": queries[0].text, "scope": "course", "page": 1},
                        {"setting": 1})
    results = fr.evaluate(queries, {"stand-in": method})["stand-in"]
    # Alice's query: Bob first once Alice is out; Bob's: Carol second (not third); Erin's: Carol third.
    assert results["ranks"] == [1, 2, 3]
    assert results["p_at_1"] == pytest.approx(1 / 3) and results["mrr"] == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)
    assert [c[0] for c in calls[1:]] == ["se1", "se2", "se5"]
    assert problems == {}


def test_a_query_the_finder_refuses_ranks_nobody_and_is_reported(world, split):
    history, queries = split
    problems = {}
    method = fr.finder(_stand_in([], ["se2", "se3"], refuse="Hadamard"), world, {}, problems)
    results = fr.evaluate(queries, {"stand-in": method})["stand-in"]
    assert results["ranks"] == [1, None, None]
    assert problems == {"The search is too long.": 2}


def test_a_search_refused_for_its_rate_is_asked_again_in_a_fresh_window(world, split):
    history, queries = split
    calls, problems = [], {}
    method = fr.finder(_stand_in(calls, ["se2", "se3"], per_minute=1), world, {}, problems)
    results = fr.evaluate(queries, {"stand-in": method})["stand-in"]
    assert results["ranks"] == [1, 1, 2]  # every query answered: Bob, Carol (Bob asked), Carol after Bob
    assert problems == {fr.RETRIED: 2} and len(calls) == 5


def test_every_method_reads_at_most_the_characters_it_is_given(split):
    history, queries = split
    query = fr.Query(question=queries[2].question, asker=ERIN, expert=CAROL, chars=20)
    assert query.text == "Is the Hadamard gate"
    assert fr.bm25(history)(query)[0] == CAROL


def test_the_command_reports_the_baselines_and_says_when_the_finder_is_missing(tmp_path):
    out = tmp_path / "ranking.json"
    env = {**os.environ, "SLS_BENCH_DB_NAME": os.environ.get("SLS_DB_TEST_NAME", "test_social_learning") + "_ranking"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    child = subprocess.run([sys.executable, "-m", "bench.finder_ranking", "--dump", str(DUMP), "--split-date", SPLIT,
                            "--vote-cap", "2", "--json", str(out)], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=300, check=False)
    report = json.loads(out.read_text())
    assert report["queries"] == 3 and report["split_date"] == SPLIT
    assert report["history"]["threads"] == 3 and report["history"]["replies"] == 5
    assert report["results"]["BM25"]["p_at_1"] == 1 and report["results"]["most active answerer"]["mrr"] == 0.5
    assert "| BM25 | 1.000 | 0.200 | 1.000 | 100.0% | 3 / 3 |" in child.stdout
    assert report["queries_ranked"][2]["question"] == 27 and report["queries_ranked"][2]["expert"] == CAROL
    assert report["queries_ranked"][2]["rank"]["most active answerer"] == 2  # Erin asked: Bob, then Carol
    if importlib.util.find_spec("xblocks.expert_finder") is None:
        assert child.returncode == fr.EXIT_NO_FINDER, child.stderr
        assert "No expert finder results: the expert finder cannot be imported" in child.stderr
        assert "expert finder" not in report["results"] and report["finder_missing"]
    else:
        assert child.returncode == 0, child.stderr
        assert "expert finder" in report["results"] and report["finder_missing"] is None


def test_the_command_refuses_a_folder_without_a_dump(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        fr.parse_args(["--dump", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "no Posts.xml in" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        fr.parse_args(["--dump", str(DUMP), "--split-date", "June 2020"])
