"""The expert finder's own settings, namespaced: ``SOCIAL_LEARNING = {"expert_finder": {"RESULTS_PER_PAGE": 20}}``."""
from xblocks.core.settings import component_conf

KEY = "expert_finder"
DEFAULTS = {
    # Limits (characters) of a profile's fields.
    "HEADLINE_MAX": 120,
    "ABOUT_MAX": 3000,
    "LIST_MAX": 500,  # interests, what I want to learn, languages, ask me about (comma-separated)
    "SKILL_MAX": 60,
    "SKILLS_PER_PROFILE": 20,
    "VOUCH_TOPIC_MAX": 60,
    "QUERY_MAX": 1000,  # a question as a person types it; its most informative words are used
    "QUESTION_MAX": 200,
    # Topic words kept per piece of evidence (the words of its title and tags first).
    "TERMS_PER_EVIDENCE": 60,
    # Evidence rows read per search (the newest matching ones), and people ranked per page.
    "CANDIDATES": 1000,
    # The course's newest contributions read per search, for each person's helpfulness.
    "HELPERS_READ": 600,
    "RESULTS_PER_PAGE": 10,
    # Vocabulary words considered for a misspelled query word.
    "FUZZY_CANDIDATES": 200,
    # Writes (profile saves, vouches) per user: at most WRITES_PER_WINDOW every WRITE_WINDOW_SECONDS.
    "WRITES_PER_WINDOW": 20,
    "WRITE_WINDOW_SECONDS": 60,
}


def conf(name):
    """One expert finder setting, read at call time."""
    return component_conf(KEY, name, DEFAULTS)
