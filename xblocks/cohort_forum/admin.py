"""Read-only admin lists of forum content, for staff who look into a report or a flag.

Every change goes through the forum's api (in the forum itself), which keeps counters and
visibility rules right; the admin only shows.
"""
from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import Flag, Post, Revision, Thread


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "group_key", "author", "reply_count", "vote_count", "flag_count",
                    "pinned", "highlighted", "answered", "hidden", "deleted", "last_activity"]
    list_filter = ["kind", "pinned", "highlighted", "answered", "hidden", "deleted", "anonymous"]
    search_fields = ["title", "body", "author__username", "group_key", "placement__resource_key"]
    list_select_related = ["author", "placement"]
    date_hierarchy = "created"
    exclude = ["body_html"]


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["excerpt", "thread", "author", "is_comment", "vote_count", "flag_count", "endorsed",
                    "hidden", "deleted", "created"]
    list_filter = ["endorsed", "hidden", "deleted", "anonymous"]
    search_fields = ["body", "author__username", "thread__title"]
    list_select_related = ["author", "thread"]
    date_hierarchy = "created"
    exclude = ["body_html"]

    @admin.display(description=_("text"))
    def excerpt(self, obj):
        return Truncator(obj.body).chars(80)

    @admin.display(description=_("comment"), boolean=True)
    def is_comment(self, obj):
        return obj.parent_id is not None


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["created", "user", "thread", "post", "reason", "pending", "outcome", "reviewed_by", "reviewed_at"]
    list_filter = ["pending", "outcome"]
    search_fields = ["reason", "user__username", "thread__title"]
    list_select_related = ["user", "thread", "post", "reviewed_by"]
    date_hierarchy = "created"


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    """Earlier versions of edited threads and posts, for staff who need to see what was written."""

    list_display = ["replaced", "thread", "post", "title"]
    list_select_related = ["thread", "post"]
    search_fields = ["title", "body"]
