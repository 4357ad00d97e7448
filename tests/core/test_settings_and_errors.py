"""Suite settings read at call time, and the one error shape."""
import types

from xblocks.core import errors
from xblocks.core.settings import DEFAULTS, conf, plugin_settings


def test_defaults_apply_without_overrides(settings):
    settings.SOCIAL_LEARNING = {}
    assert conf("TITLE_MAX") == 200
    assert conf("BODY_MAX") == 20000


def test_overrides_are_read_at_call_time(settings):
    settings.SOCIAL_LEARNING = {"PAGE_SIZE": 5}
    assert conf("PAGE_SIZE") == 5
    settings.SOCIAL_LEARNING = {"PAGE_SIZE": 7}
    assert conf("PAGE_SIZE") == 7


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
