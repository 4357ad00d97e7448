"""The finder's author settings: what Studio and the tool's Deep Linking form refuse (the contract test checks that
both refuse the same with the same messages)."""
import pytest
from django.utils.translation import gettext

from xblocks.expert_finder.frontdoor import FINDER


def errors(**values):
    return FINDER.clean_settings(values, gettext)[1]


def test_the_defaults_are_accepted():
    assert errors() == {}


@pytest.mark.parametrize("values, field", [
    ({"default_scope": "platform"}, "default_scope"),
    ({"default_scope": "cohort", "group_scope": "course"}, "default_scope"),
    ({"group_scope": "team"}, "teamset_id"),
    ({"display_name": "  "}, "display_name"),
    ({"half_life_days": 3}, "half_life_days"),
    ({"half_life_days": "soon"}, "half_life_days"),
    ({"default_scope": "galaxy"}, "default_scope"),
])
def test_what_cannot_work_is_refused_with_a_message_on_its_field(values, field):
    found = errors(**values)
    assert list(found) == [field] and found[field]


def test_a_platform_wide_finder_may_start_on_the_platform():
    assert errors(default_scope="platform", allow_platform=True) == {}
