"""Platform operators keep the shipped catalogues here: service levels and approval items."""

from django.contrib import admin

from kaifaqu.audit.admin_mixins import AuditedAdmin

from .models import ApprovalType, ServiceLevel


@admin.register(ServiceLevel)
class ServiceLevelAdmin(AuditedAdmin):
    list_display = ["category", "days", "urgent_days"]


@admin.register(ApprovalType)
class ApprovalTypeAdmin(AuditedAdmin):
    list_display = ["name", "standard_days", "department", "kinds", "order", "active"]
    list_editable = ["standard_days", "order", "active"]
