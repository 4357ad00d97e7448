from django.apps import AppConfig


class ReflectionBlogConfig(AppConfig):
    name = "xblocks.reflection_blog"
    label = "social_reflection_blog"
    verbose_name = "Social Learning Suite: reflection blog"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {}

    def ready(self):
        from xblocks.core import component  # pylint: disable=import-outside-toplevel

        from .frontdoor import BLOG  # pylint: disable=import-outside-toplevel

        component.register(BLOG)
