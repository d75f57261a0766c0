"""Finding regions by the names people write: 吕梁, 吕梁市, 山西省."""

from __future__ import annotations

from .models import Region

SUFFIXES = ("", "市", "省", "县", "区")


class RegionNotFound(ValueError):
    pass


class RegionAmbiguous(RegionNotFound):
    """Several regions go by the name (城区, 郊区…): the message lists them."""


def region_by_name(name: str, *, levels: tuple[str, ...] | None = None) -> Region:
    """The one region called ``name`` (with or without 市/省/县/区), of one of ``levels`` when given."""
    text = "".join((name or "").split())
    if not text:
        raise RegionNotFound("请指定行政区划名称。")
    regions = Region.objects.filter(name__in=[f"{text}{suffix}" for suffix in SUFFIXES])
    if levels:
        regions = regions.filter(level__in=levels)
    found = list(regions.select_related("parent")[:6])
    if len(found) == 1:
        return found[0]
    if found:
        names = "、".join(region.full_name for region in found[:5])
        raise RegionAmbiguous(f"“{text}”不唯一，可能是：{names}。")
    raise RegionNotFound(f"未找到“{text}”。")


def regions_holding(codes) -> set[str]:
    """The codes of the province, city and county of each region code (GB/T 2260 is hierarchical)."""
    held: set[str] = set()
    for code in codes:
        held.update({code[:2] + "0000", code[:4] + "00", code})
    return held
