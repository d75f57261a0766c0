"""Reads of zones: finding a zone by the name people use for it."""

from __future__ import annotations

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from .models import Zone, ZoneQuerySet


class ZoneNotFound(ObjectDoesNotExist):
    pass


def zone_by_name(name: str, queryset: ZoneQuerySet | None = None) -> Zone:
    """The zone with this full or short name; failing that, the one zone whose name contains it.

    Offices say "孝义" or "孝义经开区" as often as the full name, so a unique partial
    match is accepted; an ambiguous one is refused with the candidates named.
    """
    zones = queryset if queryset is not None else Zone.objects.all()
    name = (name or "").strip()
    if not name:
        raise ZoneNotFound("请指定开发区名称。")
    exact = list(zones.by_name(name)[:2])
    if len(exact) == 1:
        return exact[0]
    partial = list(zones.filter(name__contains=name)[:6])
    if len(partial) == 1:
        return partial[0]
    if partial:
        names = "、".join(zone.name for zone in partial[:5])
        raise ZoneNotFound(f"开发区名称“{name}”不唯一，可能是：{names}。请使用全称或简称。")
    raise ZoneNotFound(f"未找到开发区“{name}”。")


def zone_rows(zones, projects) -> list:
    """Zones with their project count and total investment: one grouped query for all zones."""
    from django.db.models import Count, Sum

    totals = {
        row["zone_id"]: row
        for row in projects.order_by().values("zone_id").annotate(n=Count("id"), investment=Sum("total_investment"))
    }
    rows = list(zones.select_related("region__parent__parent"))
    for zone in rows:
        row = totals.get(zone.pk, {})
        zone.project_count = row.get("n", 0)
        zone.total_investment = row.get("investment") or 0
    return rows


def office_region(user):
    """The region of the user's province or city office (None for a zone, an enterprise, or no unit)."""
    from kaifaqu.core.scoping import scope_for

    from .models import Unit

    unit_id = scope_for(user).unit_id
    if unit_id is None:
        return None
    unit = Unit.objects.select_related("region").filter(pk=unit_id).first()
    return unit.region if unit is not None else None


def office_covers(user, region) -> bool:
    """Does the user's office (or the operator) stand over ``region``?"""
    from kaifaqu.core.scoping import scope_for

    if scope_for(user).everything:
        return True
    office = office_region(user)
    return office is not None and region.code.startswith(office.scope_prefix)


def zone_members_with(zone, perm: str):
    """The zone committee's active members who hold ``perm`` for it (to assign work to, or to remind)."""
    from django.contrib.auth import get_user_model

    from kaifaqu.core.scoping import scope_for

    users = get_user_model().objects.filter(membership__unit__zone=zone, is_active=True).order_by("username")
    return (
        get_user_model()
        .objects.filter(pk__in=[user.pk for user in users if scope_for(user).can(perm, zone.pk)])
        .order_by("username")
    )


class ZoneLookup:
    """Zones by the names people write (full, short, or a unique part), within what the user may see."""

    def __init__(self, user):
        self.zones = Zone.objects.visible_to(user) if user is not None else Zone.objects.all()
        self.found: dict[str, Zone | str] = {}

    def find(self, written: str):
        """The zone, or the reason (a ``str``) none is found."""
        key = "".join(written.split())
        if key not in self.found:
            try:
                self.found[key] = zone_by_name(key, self.zones)
            except ZoneNotFound as exc:
                reason = str(exc).rstrip("。")
                if reason.startswith("未找到"):
                    reason += "（或不在您的管辖范围内）"
                self.found[key] = reason
        return self.found[key]

    def for_row(self, written: str, fixed):
        """A row's zone: its 开发区 cell, which must agree with the zone chosen for the whole
        file; or that zone. The reason (a ``str``) when there is none."""
        if not written:
            return fixed or "未指定开发区：请在导入时选择开发区，或在表中加入“开发区”列"
        found = self.find(written)
        if isinstance(found, str) or fixed is None or found.pk == fixed.pk:
            return found
        return f"“{written}”与指定的开发区“{fixed.name}”不一致"


def ledger_title(queryset, *, what: str, scope_name: str = "", today: datetime.date | None = None) -> str:
    """``XX开发区重点项目台账（截至YYYY年M月D日）`` for a zone-keyed list (projects, enterprises,
    campaign entries): the zone's name when the list is one zone's, else the scope's (吕梁市各开发区)."""
    day = today or timezone.localdate()
    zones = list(queryset.order_by().values_list("zone__name", flat=True).distinct()[:2])
    owner = zones[0] if len(zones) == 1 else (scope_name or "各开发区")
    return f"{owner}{what}（截至{day.year}年{day.month}月{day.day}日）"
