"""The introductions' own settings, namespaced: ``SOCIAL_LEARNING = {"introductions": {"PAGE_SIZE": 24}}``."""
from xblocks.core.settings import component_conf

KEY = "introductions"
DEFAULTS = {
    # Limits (characters).
    "WHO_MAX": 2000,
    "FUN_FACT_MAX": 300,
    "TOPIC_MAX": 60,
    "TOPICS_PER_LIST": 10,
    "REPLY_MAX": 500,
    # Writing rate limit per user: at most POSTS_PER_WINDOW introductions, replies or waves every
    # POST_WINDOW_SECONDS.
    "POSTS_PER_WINDOW": 20,
    "POST_WINDOW_SECONDS": 60,
    # Introductions per page of the gallery; replies shown per introduction.
    "PAGE_SIZE": 12,
    "REPLIES_SHOWN": 20,
    # Photos: the largest upload (bytes), pixels and side it may claim, the side of the square kept, uploads per
    # person every 10 minutes, and where they are kept in Django's storage.
    "PHOTO_MAX_BYTES": 5 * 1024 * 1024,
    "PHOTO_MAX_PIXELS": 40_000_000,
    "PHOTO_MAX_SIDE": 12_000,
    "PHOTO_SIDE": 512,
    "PHOTOS_PER_WINDOW": 10,
    "STORAGE_PREFIX": "social_learning/introductions",
    # Live sessions an author may list.
    "SESSIONS_MAX": 20,
    # Theme assignments: how many an author may list, the longest answer (characters), answers shown per theme.
    "THEMES_MAX": 30,
    "ANSWER_MAX": 5000,
    "ANSWERS_SHOWN": 500,
}


def conf(name):
    """One setting of the introductions, read at call time."""
    return component_conf(KEY, name, DEFAULTS)
