"""The blog's own settings, namespaced: ``SOCIAL_LEARNING = {"reflection_blog": {"BODY_MAX": 80000}}``."""
from xblocks.core.settings import component_conf

KEY = "reflection_blog"
DEFAULTS = {
    # Limits (characters).
    "TITLE_MAX": 200,
    "BODY_MAX": 50000,
    "COMMENT_MAX": 5000,
    "TAG_MAX": 40,
    "TAGS_PER_ENTRY": 10,
    # Writing rate limit per user: at most POSTS_PER_WINDOW entries or comments every POST_WINDOW_SECONDS.
    "POSTS_PER_WINDOW": 10,
    "POST_WINDOW_SECONDS": 60,
    # Entries per page of a feed, comments per page of an entry.
    "PAGE_SIZE": 10,
    "COMMENT_PAGE_SIZE": 50,
}


def conf(name):
    """One blog setting, read at call time."""
    return component_conf(KEY, name, DEFAULTS)
