"""The posting rate limit: a fixed window on the cache, no database."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xblocks.core import ratelimit


def test_allows_up_to_the_limit_then_refuses(db):
    assert [ratelimit.hit("alice", 3, 60) for _ in range(5)] == [True, True, True, False, False]


def test_buckets_are_independent(db):
    for _ in range(3):
        ratelimit.hit("alice", 3, 60)
    assert ratelimit.hit("alice", 3, 60) is False
    assert ratelimit.hit("bob", 3, 60) is True


def test_a_new_window_starts_fresh(clock):
    assert ratelimit.hit("alice", 1, 60) is True
    assert ratelimit.hit("alice", 1, 60) is False
    clock.advance(54)  # still the same minute
    assert ratelimit.hit("alice", 1, 60) is False
    clock.advance(1)  # the next one
    assert ratelimit.hit("alice", 1, 60) is True


def test_reset_forgets_the_current_window():
    assert ratelimit.hit("alice", 1, 60) is True
    assert ratelimit.hit("alice", 1, 60) is False
    ratelimit.reset("alice", 60)
    assert ratelimit.hit("alice", 1, 60) is True


def test_a_zero_limit_refuses_everything():
    assert ratelimit.hit("alice", 0, 60) is False


def test_seconds_left_in_the_window(clock):
    assert ratelimit.seconds_left(60) == 55  # the frozen clock is 5 s into a minute
    clock.advance(50)
    assert ratelimit.seconds_left(60) == 5
    clock.advance(4.5)
    assert ratelimit.seconds_left(60) == 1


def test_no_database_query(db):
    with CaptureQueriesContext(connection) as queries:
        ratelimit.hit("alice", 5, 60)
    assert len(queries) == 0
