"""The 亩均 and 标准地 card of the zone page and the dashboard: the last complete year's 亩均税收 and
亩均营业收入 (per zone, or per park on a zone's page), the grade distribution of the zones' latest
grading, and the parcels' 出让率, those awaiting their check and those below their promise."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F

from kaifaqu.enterprises.models import Enterprise, EnterpriseFigures
from kaifaqu.projects.models import local_today

from .models import MuJunGrade, Parcel
from .mujun import CENT, GRADE_WORDS
from .parcel_selectors import LandStats, land_stats
from .selectors import zone_levels


@dataclass
class LevelRow:
    name: str
    enterprises: int
    land_mu: Decimal
    tax_per_mu: Decimal | None
    revenue_per_mu: Decimal | None


@dataclass
class LandCard:
    year: int  # the figures' year: the last complete one
    rows: list[LevelRow]  # per zone (an office's card) or per park (a zone's page)
    total: LevelRow | None
    grades: dict[str, int]
    graded_year: int | None
    stats: LandStats
    query: str  # the zone filter of the links
    words: dict[str, str] = field(default_factory=lambda: GRADE_WORDS)

    @property
    def empty(self) -> bool:
        return not self.rows and not self.stats.parcels and not any(self.grades.values())


def land_card(user, *, zones, by_park: bool = False) -> LandCard:
    """The card of ``zones`` (already scoped to the user): 亩均 per zone, or per park for one zone."""
    year = local_today().year - 1
    zone_ids = list(zones.values_list("pk", flat=True))
    enterprises = Enterprise.objects.visible_to(user).filter(zone_id__in=zone_ids)
    if by_park:
        rows = _park_rows(enterprises, year)
    else:
        names = dict(zones.values_list("pk", "short_name"))
        levels = zone_levels(enterprises, year=year)
        rows = [
            LevelRow(names.get(key) or "", level.enterprises, level.land_mu, level.tax_per_mu, level.revenue_per_mu)
            for key, level in levels.items()
        ]
        rows.sort(key=lambda row: -(row.tax_per_mu or 0))
        # A zone none of whose enterprises reported the year is listed too, as 未填报: the office
        # must see whom to ask, not a shorter table.
        rows += [LevelRow(name, 0, Decimal(0), None, None) for key, name in sorted(names.items()) if key not in levels]
    grades, graded_year = _grades(user, enterprises)
    parcels = Parcel.objects.visible_to(user)
    return LandCard(
        year=year,
        rows=rows,
        total=_total(enterprises, year) if len(rows) > 1 else None,
        grades=grades,
        graded_year=graded_year,
        stats=land_stats(zones, parcels=parcels),
        query=f"zone={zone_ids[0]}" if len(zone_ids) == 1 else "",
    )


def _total(enterprises, year: int) -> LevelRow | None:
    found = list(zone_levels(enterprises, year=year, by="year").values())  # one group: the whole
    if not found:
        return None
    level = found[0]
    return LevelRow("合计", level.enterprises, level.land_mu, level.tax_per_mu, level.revenue_per_mu)


def _park_rows(enterprises, year: int) -> list[LevelRow]:
    """Per park, through the parcels the enterprises bought (an enterprise on none: 未关联园区)."""
    park_of = {}
    for enterprise_id, park in Parcel.objects.filter(enterprise__in=enterprises, park__isnull=False).values_list(
        "enterprise_id", "park__name"
    ):
        park_of.setdefault(enterprise_id, park)
    sums: dict[str, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0), Decimal(0), Decimal(0)])
    rows = EnterpriseFigures.objects.filter(
        enterprise__in=enterprises, year=year, month__isnull=True, land_mu__gt=0, tax__isnull=False
    ).values_list("enterprise_id", "land_mu", "tax", "revenue")
    for enterprise_id, land, tax, revenue in rows:
        bucket = sums[park_of.get(enterprise_id, "未关联园区")]
        bucket[0] += 1
        bucket[1] += land
        bucket[2] += tax
        if revenue is not None:
            bucket[3] += revenue
            bucket[4] += land
    return sorted(
        (
            LevelRow(
                name,
                count,
                land,
                (tax / land).quantize(CENT),
                (revenue / revenue_land).quantize(CENT) if revenue_land else None,
            )
            for name, (count, land, tax, revenue, revenue_land) in sums.items()
        ),
        key=lambda row: (row.name == "未关联园区", -(row.tax_per_mu or 0)),
    )


def _grades(user, enterprises) -> tuple[dict[str, int], int | None]:
    """户 per grade in the latest year graded for these enterprises (each counted once)."""
    grades = MuJunGrade.objects.visible_to(user).filter(enterprise__in=enterprises).exclude(grade="")
    year = grades.order_by("-year").values_list("year", flat=True).first()
    counts = dict.fromkeys(GRADE_WORDS, 0)
    if year is None:
        return counts, None
    seen = {}
    zone_first = F("scheme__zone_id").asc(nulls_last=True)  # the zone's own grading before a city's
    for enterprise_id, grade in grades.filter(year=year).order_by(zone_first).values_list("enterprise_id", "grade"):
        seen.setdefault(enterprise_id, grade)
    for grade in seen.values():
        counts[grade] += 1
    return counts, year
