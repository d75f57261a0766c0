"""What every 招商 page shares: the zone it shows (``?zone=ID``) and its tabs.

A zone's staff see their own zone; a city or province office sees all its zones together
until it picks one. The choice travels between tabs as ``zone_query``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from kaifaqu.core.scoping import scope_for
from kaifaqu.zones.models import Zone


@dataclass
class ZoneChoice:
    zones: QuerySet[Zone]  # every zone the user sees
    zone: Zone | None  # the one chosen, or the user's only zone; None: all of ``zones``

    @property
    def zone_ids(self) -> list[int]:
        return [self.zone.pk] if self.zone is not None else list(self.zones.values_list("pk", flat=True))

    @property
    def query(self) -> str:
        return f"?zone={self.zone.pk}" if self.zone is not None and self.zones.count() > 1 else ""

    @property
    def scope_name(self) -> str:
        if self.zone is not None:
            return self.zone.name
        return "辖区各开发区"

    def limit(self, queryset: QuerySet, path: str = "zone") -> QuerySet:
        """``queryset`` (already scoped) limited to the chosen zone, when one is chosen."""
        return queryset.filter(**{path: self.zone}) if self.zone is not None else queryset


def zone_choice(request) -> ZoneChoice:
    """The zone a 招商 page shows: ``?zone=ID`` among those the user sees, else the only one."""
    zones = Zone.objects.visible_to(request.user).order_by("region_id", "name")
    wanted = request.GET.get("zone", "")
    zone = zones.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    if zone is None:
        only = list(zones[:2])
        zone = only[0] if len(only) == 1 else None
    return ZoneChoice(zones=zones, zone=zone)


def page_context(request, tab: str) -> dict:
    """The context every 招商 page's heading and tabs use. 招商 is the offices' and zones' work:
    an enterprise's login is refused (it would only ever see empty pages)."""
    if scope_for(request.user).enterprise_id is not None:
        raise PermissionDenied("招商引资由开发区和主管部门使用，企业账号没有此功能。")
    choice = zone_choice(request)
    return {
        "tab": tab,
        "choice": choice,
        "zone": choice.zone,
        "zones": choice.zones,
        "zone_query": choice.query,
    }
