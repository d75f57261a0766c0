from django.contrib import admin

from kaifaqu.audit.admin_mixins import AuditedAdmin

from .models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin):
    list_display = ["name", "credit_code", "zone", "industry", "is_above_scale"]
    list_filter = ["is_above_scale", "is_high_tech", "specialised"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["zone"]
