from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from kaifaqu.core.admin import ReadOnlyAdmin

from . import trail
from .admin_mixins import AuditedAdmin
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the trail is kept, never edited or deleted through the product."""

    list_display = ["at", "username", "source", "ip", "action", "object_label", "object_repr"]
    list_filter = ["action", "source"]
    search_fields = ["username", "object_repr", "record_key"]
    date_hierarchy = "at"


# Accounts are changed in the admin too: who created or deactivated whom is kept.
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    def user_change_password(self, request, id, form_url=""):
        """Django's password form saves by itself; record the change once it succeeded."""
        account = self.get_object(request, unquote(id))
        before = trail.stored_snapshot(account) if account is not None else None
        response = super().user_change_password(request, id, form_url)
        if before is not None and request.method == "POST" and response.status_code == 302:
            account.refresh_from_db()
            trail.record_update(user=request.user, instance=account, before=before, note="管理员重设密码")
        return response
