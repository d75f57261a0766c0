"""Admin for the organisation: zones, parks, units and who belongs to which unit."""

from django.contrib import admin

from .models import Membership, Park, Unit, Zone


class ParkInline(admin.TabularInline):
    model = Park
    extra = 0


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "level", "kind", "region"]
    list_filter = ["level", "kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["region"]
    inlines = [ParkInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "zone", "enterprise"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["region", "zone", "enterprise"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "title"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["user", "unit"]
