from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is kept, never edited or deleted through the product."""

    list_display = ["at", "username", "source", "ip", "action", "object_label", "object_repr"]
    list_filter = ["action", "source"]
    search_fields = ["username", "object_repr", "record_key"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
