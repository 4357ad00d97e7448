"""Django app configuration, registered as an Open edX plugin app."""
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xblocks.core"
    label = "social_core"
    verbose_name = "Social Learning Suite: core"
    default_auto_field = "django.db.models.BigAutoField"

    # edx-django-utils plugin configuration. Plain strings keep edx-platform out of imports.
    plugin_app = {
        "settings_config": {
            "lms.djangoapp": {"common": {"relative_path": "settings"}},
            "cms.djangoapp": {"common": {"relative_path": "settings"}},
        },
        "signals_config": {
            "lms.djangoapp": {
                "relative_path": "signals",
                "receivers": [
                    {
                        "receiver_func_name": "retire_user",
                        "signal_path": "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_CRITICAL",
                        "dispatch_uid": "social_core.retire_user",
                    },
                ],
            },
        },
    }
