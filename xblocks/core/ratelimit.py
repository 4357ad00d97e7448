"""A fixed-window rate limit on Django's cache (atomic ``add``/``incr``; no database query)."""
import time

from django.core.cache import cache


def _now():
    """The clock the windows are cut from (tests freeze it)."""
    return time.time()


def hit(bucket, limit, window_seconds):
    """Count one action in ``bucket``; return False when the limit for this window is exceeded."""
    window = int(_now() // window_seconds)
    key = f"social:rl:{bucket}:{window}"
    if cache.add(key, 1, window_seconds + 5):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window_seconds + 5)
        count = 1
    return count <= limit


def reset(bucket, window_seconds):
    window = int(_now() // window_seconds)
    cache.delete(f"social:rl:{bucket}:{window}")


def seconds_left(window_seconds):
    """Seconds until the current window ends (at least 1): how long a refused person waits."""
    return max(1, int(window_seconds - _now() % window_seconds))
