"""Fixtures of the introductions' tests: the author settings, a front door's context for a person, posting an
introduction.

The course (root ``conftest.py``): Ann and Cara in cohort A, Bob in cohort B, Sam staff, Ada an advocate in
cohort A.
"""
import pytest

from xblocks.introductions import api
from xblocks.introductions.frontdoor import INTRODUCTIONS


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.SOCIAL_LEARNING = {"introductions": {"POSTS_PER_WINDOW": 100000}}


@pytest.fixture
def intro_settings():
    return dict(INTRODUCTIONS.defaults)


@pytest.fixture
def post(make_context, intro_settings):
    """``post(user, who=..., learn=[...], offer=[...], fun_fact=...)``: the api's answer."""
    def _post(user, who="Hi, I am new here.", learn=("negotiation",), offer=("Excel",), fun_fact="", group=None):
        data = {"who": who, "learn": list(learn), "offer": list(offer), "fun_fact": fun_fact}
        return api.save_introduction(make_context(user, group=group), data, intro_settings)

    return _post
