"""Suite settings read at call time, and the one error shape."""
import types

from xblocks.core import errors
from xblocks.cohort_forum.conf import conf as forum_conf
from xblocks.core.settings import DEFAULTS, conf, plugin_settings


def test_defaults_apply_without_overrides(settings):
    settings.SOCIAL_LEARNING = {}
    assert forum_conf("TITLE_MAX") == 200
    assert forum_conf("BODY_MAX") == 20000
    assert conf("GROUP_BACKEND") == "auto"


def test_overrides_are_read_at_call_time(settings):
    settings.SOCIAL_LEARNING = {"PAGE_SIZE": 5}
    assert forum_conf("PAGE_SIZE") == 5
    settings.SOCIAL_LEARNING = {"PAGE_SIZE": 7}
    assert forum_conf("PAGE_SIZE") == 7


def test_a_components_settings_are_namespaced_by_its_key(settings):
    settings.SOCIAL_LEARNING = {"cohort_forum": {"BODY_MAX": 30000}, "BODY_MAX": 100, "TITLE_MAX": 150}
    assert forum_conf("BODY_MAX") == 30000  # the namespaced value wins over the flat one
    assert forum_conf("TITLE_MAX") == 150  # a flat value (first release) still applies
    assert forum_conf("PAGE_SIZE") == 20


def test_plugin_settings_keep_operator_values_and_add_defaults():
    platform_settings = types.SimpleNamespace(SOCIAL_LEARNING={"POSTS_PER_WINDOW": 3})
    plugin_settings(platform_settings)
    assert platform_settings.SOCIAL_LEARNING["POSTS_PER_WINDOW"] == 3
    assert set(DEFAULTS) <= set(platform_settings.SOCIAL_LEARNING)


def test_error_shape_and_status():
    err = errors.ValidationError("The title is too long.", fields={"title": "Too long."})
    assert err.status == 400
    assert err.as_dict() == {"code": "invalid", "message": "The title is too long.", "fields": {"title": "Too long."}}
    assert errors.PermissionDenied("no").status == 403
    assert errors.NotFound("no").as_dict() == {"code": "not_found", "message": "no"}
    assert errors.Conflict("no").status == 409
    assert errors.RateLimited("slow down").status == 429
    assert errors.RateLimited("slow down").code == "rate_limited"
