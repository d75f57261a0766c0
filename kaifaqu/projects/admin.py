"""Admin for the project vocabulary. Projects themselves are changed on the ledger pages,
where the lifecycle rules apply; the admin only shows them."""

from django.contrib import admin

from kaifaqu.audit.admin_mixins import AuditedAdmin
from kaifaqu.core.admin import ReadOnlyAdmin

from .models import PlanCategory, Project


@admin.register(PlanCategory)
class PlanCategoryAdmin(AuditedAdmin):
    list_display = ["name", "unit", "order"]
    list_filter = ["unit__kind"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "zone", "stage", "total_investment", "plan_year"]
    list_filter = ["stage", "priority_level", "plan_year"]
    search_fields = ["name", "project_code"]
    list_select_related = ["zone"]
