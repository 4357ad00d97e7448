"""The forum's own settings, namespaced: ``SOCIAL_LEARNING = {"cohort_forum": {"BODY_MAX": 30000}}``
(a flat ``SOCIAL_LEARNING["BODY_MAX"]``, as the first release read it, still works)."""
from xblocks.core.settings import component_conf

KEY = "cohort_forum"
DEFAULTS = {
    # Limits (characters).
    "TITLE_MAX": 200,
    "BODY_MAX": 20000,
    # Posting rate limit per user: at most POSTS_PER_WINDOW contributions every POST_WINDOW_SECONDS.
    "POSTS_PER_WINDOW": 8,
    "POST_WINDOW_SECONDS": 60,
    "PAGE_SIZE": 20,
}


def conf(name):
    """One forum setting, read at call time."""
    return component_conf(KEY, name, DEFAULTS)
