from django.contrib import admin

from kaifaqu.audit.admin_mixins import AuditedAdmin

from .models import Region


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
