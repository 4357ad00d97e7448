from django.contrib import admin

from .models import PublishedEvent


@admin.register(PublishedEvent)
class PublishedEventAdmin(admin.ModelAdmin):
    list_display = ["created", "username", "kind", "event_type", "usage_id"]
    list_filter = ["kind", "event_type"]
    search_fields = ["username", "event_type", "usage_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
