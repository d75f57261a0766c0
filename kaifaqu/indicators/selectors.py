"""The month's figures of a city's zones, computed as the office reads them.

- growth (同比, %): as reported, else from last year's same period;
- 百分点 against the region (全市) growth;
- completion of the annual target (%), against 时间进度 (N/12);
- rank among the city's zones by growth (ties share a rank: 1, 2, 2, 4);
- roll-ups of growth weighted by last year's base (Σ本年 ÷ Σ上年同期 − 1, where a reported
  growth gives the base as 本年 ÷ (1 + 增速)), never a plain average of the zones' rates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

from .models import AnnualTarget, Indicator, IndicatorReport, IndicatorValue

TENTH = Decimal("0.1")


def one_decimal(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TENTH, rounding=ROUND_HALF_UP)


def in_units(value: Decimal | None, indicator: Indicator) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-indicator.decimals), rounding=ROUND_HALF_UP)


@dataclass
class Figure:
    value: Decimal | None = None
    base: Decimal | None = None  # last year's same period, given or implied by the reported growth
    growth_pct: Decimal | None = None  # one decimal
    pp_vs_region: Decimal | None = None
    target: Decimal | None = None
    target_completion_pct: Decimal | None = None
    rank: int | None = None

    @classmethod
    def of(cls, stored: IndicatorValue | None, target: Decimal | None) -> Figure:
        if stored is None:
            return cls(target=target)
        figure = cls(value=stored.value, target=target)
        if stored.growth_pct is not None:
            figure.growth_pct = one_decimal(stored.growth_pct)
            rate = 1 + stored.growth_pct / 100
            figure.base = stored.last_year if stored.last_year is not None else (stored.value / rate if rate else None)
        elif stored.last_year:
            figure.base = stored.last_year
            figure.growth_pct = one_decimal((stored.value / stored.last_year - 1) * 100)
        if target:
            figure.target_completion_pct = one_decimal(stored.value / target * 100)
        return figure

    def as_json(self, indicator: Indicator) -> dict:
        def text(value):
            return None if value is None else str(value)

        return {
            "value": text(in_units(self.value, indicator)),
            "growth_pct": text(self.growth_pct),
            "pp_vs_region": text(self.pp_vs_region),
            "target_completion_pct": text(self.target_completion_pct),
            "rank": text(self.rank),
        }


def roll_up(figures: list[Figure]) -> Figure:
    """Zones added up: values summed, growth weighted by last year's base, target completion of the sums."""
    reported = [figure for figure in figures if figure.value is not None]
    if not reported:
        return Figure()
    total = Figure(value=sum((figure.value for figure in reported), Decimal(0)))
    based = [figure for figure in reported if figure.base]
    if based:
        base = sum((figure.base for figure in based), Decimal(0))
        total.base = base
        total.growth_pct = one_decimal((sum((figure.value for figure in based), Decimal(0)) / base - 1) * 100)
    targeted = [figure for figure in reported if figure.target]
    if targeted:
        total.target = sum((figure.target for figure in targeted), Decimal(0))
        total.target_completion_pct = one_decimal(
            sum((figure.value for figure in targeted), Decimal(0)) / total.target * 100
        )
    return total


def rank(figures: list[Figure], *, higher_is_better: bool) -> None:
    """Competition ranking by growth (1, 2, 2, 4); zones without a growth get no rank."""
    ranked = [figure for figure in figures if figure.growth_pct is not None]
    ranked.sort(key=lambda figure: figure.growth_pct, reverse=higher_is_better)
    for figure in ranked:
        figure.rank = 1 + sum(
            1
            for other in ranked
            if (other.growth_pct > figure.growth_pct if higher_is_better else other.growth_pct < figure.growth_pct)
        )


@dataclass
class CitySummary:
    city: Region
    year: int
    month: int
    indicators: list[Indicator]
    zones: list[Zone]
    by_zone: dict[int, dict[int, Figure]]  # zone id → indicator id → figure
    zones_total: dict[int, Figure]
    region: dict[int, Figure]
    sentences: list[str] = field(default_factory=list)

    @property
    def time_progress_pct(self) -> Decimal:
        return one_decimal(Decimal(self.month) * 100 / 12)

    @property
    def region_word(self) -> str:
        return "全省" if self.city.level == Region.Level.PROVINCE else "全市"

    def as_json(self) -> dict:
        def indicators_json(figures: dict[int, Figure]) -> dict:
            return {
                indicator.name: figures[indicator.pk].as_json(indicator)
                for indicator in self.indicators
                if indicator.pk in figures
            }

        return {
            "period": f"{self.year}-{self.month:02d}",
            "city": self.city.name,
            "time_progress_pct": str(self.time_progress_pct),
            "region": {
                name: {"value": figure["value"], "growth_pct": figure["growth_pct"]}
                for name, figure in indicators_json(self.region).items()
            },
            "zones": [
                {"zone": zone.name, "indicators": indicators_json(self.by_zone.get(zone.pk, {}))} for zone in self.zones
            ],
            "zones_total": indicators_json(self.zones_total),
            "sentences": self.sentences,
        }


def city_summary(
    city: Region, *, year: int, month: int, zones: QuerySet[Zone], reports: QuerySet[IndicatorReport]
) -> CitySummary:
    """The month's figures of the city's zones (``zones`` and ``reports`` already scoped)."""
    indicators = list(Indicator.objects.filter(active=True))
    city_zones = list(zones.filter(region__code__startswith=city.scope_prefix).order_by("region__code", "name"))
    zone_ids = [zone.pk for zone in city_zones]
    month_reports = reports.filter(year=year, month=month)
    stored: dict[tuple[int | None, int], IndicatorValue] = {}
    for value in IndicatorValue.objects.filter(report__in=month_reports.filter(zone_id__in=zone_ids)).select_related(
        "report"
    ):
        stored[(value.report.zone_id, value.indicator_id)] = value
    region_values = {
        value.indicator_id: value
        for value in IndicatorValue.objects.filter(report__in=month_reports.filter(zone__isnull=True, region=city))
    }
    targets = {
        (target.zone_id, target.indicator_id): target.value
        for target in AnnualTarget.objects.filter(zone_id__in=zone_ids, year=year)
    }
    reported_zones = [zone for zone in city_zones if any((zone.pk, i.pk) in stored for i in indicators)]
    by_zone = {
        zone.pk: {i.pk: Figure.of(stored.get((zone.pk, i.pk)), targets.get((zone.pk, i.pk))) for i in indicators}
        for zone in reported_zones
    }
    region = {i.pk: Figure.of(region_values.get(i.pk), None) for i in indicators}
    zones_total: dict[int, Figure] = {}
    for indicator in indicators:
        column = [by_zone[zone.pk][indicator.pk] for zone in reported_zones]
        rank(column, higher_is_better=indicator.higher_is_better)
        zones_total[indicator.pk] = roll_up(column)
        for figure in [*column, zones_total[indicator.pk]]:
            figure.pp_vs_region = _difference(figure.growth_pct, region[indicator.pk].growth_pct)
    summary = CitySummary(city, year, month, indicators, reported_zones, by_zone, zones_total, region)
    summary.sentences = [sentence for indicator in indicators if (sentence := indicator_sentence(summary, indicator))]
    return summary


def _difference(growth: Decimal | None, region_growth: Decimal | None) -> Decimal | None:
    if growth is None or region_growth is None:
        return None
    return growth - region_growth  # both rounded to one decimal, as the reader checks them


def indicator_sentence(summary: CitySummary, indicator: Indicator) -> str:
    """``8个工业类开发区规上工业增加值完成162.33亿元，同比增长-2.6%，高于全市平均增速7.3个百分点。``"""
    total = summary.zones_total[indicator.pk]
    zones = [zone for zone in summary.zones if summary.by_zone[zone.pk][indicator.pk].value is not None]
    if total.value is None or not zones:
        return ""
    sectors = {zone.sector for zone in zones}
    kind = Zone.Sector(sectors.pop()).label if len(sectors) == 1 else ""
    text = f"{len(zones)}个{kind}开发区{indicator.name}完成{in_units(total.value, indicator)}{indicator.unit}"
    if total.growth_pct is not None:
        text += f"，同比增长{total.growth_pct}%"
        if total.pp_vs_region is not None:
            gap = total.pp_vs_region
            where = summary.region_word
            if gap > 0:
                text += f"，高于{where}平均增速{gap}个百分点"
            elif gap < 0:
                text += f"，低于{where}平均增速{-gap}个百分点"
            else:
                text += f"，与{where}平均增速持平"
    return text + "。"
