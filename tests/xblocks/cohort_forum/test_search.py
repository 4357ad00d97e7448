"""Full-text search: word forms in English, Dutch and French, ranking, phrases, and who finds what.

Runs on SQLite (FTS5) and MariaDB (FULLTEXT). MariaDB's full-text index sees committed rows only, so
these tests commit their data, as a live forum has.
"""
import pytest

from tests.xblocks.cohort_forum.test_api import new_reply, new_thread, titles
from xblocks.cohort_forum import api
from xblocks.core import search

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.SOCIAL_LEARNING = {"POSTS_PER_WINDOW": 100000}


@pytest.fixture
def ctx(course, make_context):
    class People:
        def __getattr__(self, name):
            return make_context(getattr(course, name))
    return People()


@pytest.mark.parametrize("title, query", [
    ("Planning our study sessions", "session"),          # English plural
    ("The mentor is running late", "runs"),               # English verb forms
    ("Wij plannen de vergaderingen", "vergadering"),      # Dutch plural
    ("Hoe werken jullie samen?", "werkt"),                 # Dutch verb forms
    ("Les réunions de la semaine", "réunion"),            # French plural
    ("Elle travaille ensemble", "travailler"),          # French verb forms
])
def test_word_forms_in_english_dutch_and_french_are_found(ctx, title, query):
    new_thread(ctx.ann, title=title, body="Text.")
    new_thread(ctx.ann, title="Something else entirely", body="Nothing here.")
    assert titles(ctx.cara, search=query) == [title]


def test_short_and_common_words_are_found_too(ctx):
    new_thread(ctx.ann, title="Is it on?", body="Go")
    assert titles(ctx.cara, search="go") == ["Is it on?"]
    assert titles(ctx.cara, search='"is it on"') == ["Is it on?"]


def test_results_are_ranked_by_relevance(ctx):
    new_thread(ctx.ann, title="Weekly news", body="Also a word about feedback.")
    best = new_thread(ctx.ann, title="Feedback on feedback", body="Feedback, feedback and more feedback.")
    new_thread(ctx.ann, title="Unrelated", body="Nothing to see.")
    page = api.list_threads(ctx.cara, {"search": "feedback"})
    assert [t["id"] for t in page["threads"]][0] == best
    assert page["total"] == 2


def test_quoted_phrases_keep_their_word_order(ctx):
    new_thread(ctx.ann, title="Onboarding", body="The first week is the hardest.")
    new_thread(ctx.ann, title="Retro", body="Week one, first impressions.")
    assert titles(ctx.cara, search='"first week"') == ["Onboarding"]
    assert titles(ctx.cara, search='"first weeks"') == ["Onboarding"]  # word forms within a phrase
    assert titles(ctx.cara, search='"week first"') == []


def test_a_learner_never_finds_another_cohorts_thread_or_reply_and_staff_reading_all_find_both(ctx):
    mine = new_thread(ctx.ann, title="Pineapple plans")
    other = new_thread(ctx.bob, title="Other cohort", body="Nothing")
    new_reply(ctx.bob, other, body="pineapple in a reply")
    assert titles(ctx.cara, search="pineapple") == ["Pineapple plans"]
    assert titles(ctx.bob, search="pineapple") == ["Other cohort"]
    assert sorted(titles(ctx.staff, search="pineapple")) == ["Other cohort", "Pineapple plans"]
    assert mine


def test_hidden_and_deleted_texts_are_not_found_by_learners(ctx):
    hidden = new_thread(ctx.ann, title="Hidden walrus")
    api.hide(ctx.staff, {"target": "thread", "id": hidden})
    deleted = new_thread(ctx.cara, title="Deleted walrus")
    api.delete(ctx.cara, {"target": "thread", "id": deleted})
    thread = new_thread(ctx.ann, title="Plain topic")
    reply = new_reply(ctx.cara, thread, body="walrus reply")
    api.delete(ctx.cara, {"target": "post", "id": reply})
    assert titles(ctx.cara, search="walrus") == []
    assert titles(ctx.ann, search="walrus") == ["Hidden walrus"]  # their own, marked hidden
    assert titles(ctx.staff, search="walrus") == ["Hidden walrus"]
    api.hide(ctx.staff, {"target": "thread", "id": hidden, "on": False})
    assert titles(ctx.cara, search="walrus") == ["Hidden walrus"]


def test_edits_are_searched_as_they_are_now(ctx):
    thread = new_thread(ctx.ann, title="Draft", body="About giraffes")
    reply = new_reply(ctx.cara, thread, body="Elephants too")
    api.edit(ctx.ann, {"target": "thread", "id": thread, "title": "Final", "body": "About zebras"})
    api.edit(ctx.cara, {"target": "post", "id": reply, "body": "Lions too"})
    assert titles(ctx.bob, search="giraffes") == [] and titles(ctx.ann, search="giraffes") == []
    assert titles(ctx.ann, search="elephant") == []
    assert titles(ctx.ann, search="zebra") == ["Final"]
    assert titles(ctx.ann, search="lion") == ["Final"]


def test_a_retired_persons_words_are_found_no_more(ctx, course):
    thread = new_thread(ctx.cara, title="Cara's octopus")
    new_reply(ctx.ann, thread, body="octopus facts")
    api.retire_user(course.cara)
    assert titles(ctx.ann, search="cara") == []
    # Ann's reply still finds the thread (its title is now the retired text).
    assert titles(ctx.ann, search="octopus") == [api.RETIRED_TITLE]
    api.retire_user(course.ann)
    assert titles(ctx.staff, search="octopus") == []
    # Nothing of their words stays in the index (on MySQL/MariaDB, not in its terms either).
    from xblocks.core.models import SearchEntry, SearchTerm  # pylint: disable=import-outside-toplevel

    assert not SearchEntry.objects.filter(author__in=[course.ann, course.cara]).exists()
    assert not SearchTerm.objects.filter(token__startswith="octopus").exists()


def test_the_index_holds_stems_not_the_text():
    tokens = search.tokens_for(1, "cohort:1", ["Vergaderingen en réunions"])
    assert "vergader" in tokens.split() and "réunion" in tokens.split()
    assert "Vergaderingen" not in tokens
