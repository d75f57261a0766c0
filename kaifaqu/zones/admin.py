"""Admin for the organisation: zones, parks, units and who belongs to which unit."""

from django.contrib import admin

from kaifaqu.audit.admin_mixins import AuditedAdmin

from .models import Membership, Park, Role, Unit, Zone


class ParkInline(admin.TabularInline):
    model = Park
    extra = 0


@admin.register(Zone)
class ZoneAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "level", "kind", "region"]
    list_filter = ["level", "kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["region"]
    inlines = [ParkInline]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "kind", "region", "zone", "enterprise"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["region", "zone", "enterprise"]


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ["name", "code", "permissions", "unit_kinds", "description"]
    search_fields = ["name", "code"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    """A role not meant for the unit's kind is ignored by the scope (see ``core.scoping``)."""

    list_display = ["user", "unit", "title", "is_leadership", "role_names"]
    list_filter = ["roles", "unit__kind", "is_leadership"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    filter_horizontal = ["roles"]

    @admin.display(description="角色")
    def role_names(self, membership: Membership) -> str:
        return "、".join(role.name for role in membership.roles.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")
