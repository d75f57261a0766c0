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

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

from .models import AnnualTarget, Indicator, IndicatorReport, IndicatorValue

TENTH = Decimal("0.1")
# Zones and indicators are read by ``.id`` in the loops below: ``.pk`` is a property, thousands of calls a summary.


def one_decimal(value: Decimal | None) -> Decimal | None:
    """One decimal, half up; a tiny negative is 0.0, never -0.0."""
    if value is None:
        return None
    return value.quantize(TENTH, rounding=ROUND_HALF_UP) + 0


def in_units(value: Decimal | None, indicator: Indicator) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-indicator.decimals), rounding=ROUND_HALF_UP)


def of_record(reports: QuerySet[IndicatorReport]) -> QuerySet[IndicatorReport]:
    """The figures the city's tables count: approved reports (drafts and submitted ones wait for review)."""
    return reports.filter(status=IndicatorReport.Status.APPROVED)


@dataclass(slots=True)
class Figure:
    value: Decimal | None = None
    base: Decimal | None = None  # last year's same period, given or implied by the reported growth
    growth_pct: Decimal | None = None  # one decimal
    pp_vs_region: Decimal | None = None
    target: Decimal | None = None
    target_completion_pct: Decimal | None = None
    rank: int | None = None
    province_rank: int | None = None  # among all the province's zones (filled by ``province_summary``)

    @classmethod
    def of(cls, stored: IndicatorValue | None, target: Decimal | None) -> Figure:
        if stored is None:
            return cls(target=target)
        return cls.from_values(stored.value, stored.last_year, stored.growth_pct, target)

    @classmethod
    def from_values(
        cls, value: Decimal, last_year: Decimal | None, growth_pct: Decimal | None, target: Decimal | None
    ) -> Figure:
        """A stored figure from its bare columns (roll-ups over a province load rows, not model instances)."""
        figure = cls(value, None, None, None, target)
        if growth_pct is not None:
            figure.growth_pct = growth_pct.quantize(TENTH, ROUND_HALF_UP) + 0
            rate = 1 + growth_pct / 100
            figure.base = last_year if last_year is not None else (value / rate if rate else None)
        elif last_year:
            figure.base = last_year
            figure.growth_pct = ((value / last_year - 1) * 100).quantize(TENTH, ROUND_HALF_UP) + 0
        if target:
            figure.target_completion_pct = (value / target * 100).quantize(TENTH, ROUND_HALF_UP) + 0
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


def rank(figures: list[Figure], *, higher_is_better: bool, attribute: str = "rank") -> None:
    """Competition ranking by growth (1, 2, 2, 4); zones without a growth get no rank."""
    ranked = [figure for figure in figures if figure.growth_pct is not None]
    ranked.sort(key=lambda figure: figure.growth_pct, reverse=higher_is_better)
    # One pass over the sorted column: a province ranks a hundred zones per indicator.
    place, previous = 0, None
    for position, figure in enumerate(ranked, start=1):
        if figure.growth_pct != previous:
            place, previous = position, figure.growth_pct
        setattr(figure, attribute, place)


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
                indicator.name: figures[indicator.id].as_json(indicator)
                for indicator in self.indicators
                if indicator.id in figures
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
                {"zone": zone.name, "indicators": indicators_json(self.by_zone.get(zone.id, {}))} for zone in self.zones
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
    zone_ids = [zone.id for zone in city_zones]
    stored, office_stored = _month_figures(reports, year=year, month=month, zone_ids=zone_ids, region_codes=[city.code])
    reported_zones = _reported(city_zones, indicators, stored)
    by_zone = _zone_figures(reported_zones, indicators, stored, _targets(zone_ids, year))
    region = _office_figures(city.code, indicators, office_stored)
    zones_total: dict[int, Figure] = {}
    for indicator in indicators:
        column = [by_zone[zone_id][indicator.id] for zone_id in by_zone]  # in the zones' order
        rank(column, higher_is_better=indicator.higher_is_better)
        zones_total[indicator.id] = roll_up(column)
        for figure in [*column, zones_total[indicator.id]]:
            figure.pp_vs_region = _difference(figure.growth_pct, region[indicator.id].growth_pct)
    summary = CitySummary(city, year, month, indicators, reported_zones, by_zone, zones_total, region)
    summary.sentences = [sentence for indicator in indicators if (sentence := indicator_sentence(summary, indicator))]
    return summary


def _difference(growth: Decimal | None, region_growth: Decimal | None) -> Decimal | None:
    if growth is None or region_growth is None:
        return None
    return growth - region_growth  # both rounded to one decimal, as the reader checks them


def indicator_sentence(summary: CitySummary | ProvinceSummary, indicator: Indicator) -> str:
    """``8个工业类开发区规上工业增加值完成162.33亿元，同比增长-2.6%，高于全市平均增速7.3个百分点。``"""
    total = summary.zones_total[indicator.id]
    zones = [zone for zone in summary.zones if summary.by_zone[zone.id][indicator.id].value is not None]
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


def schedule_phrase(completion_pct: Decimal, time_progress_pct: Decimal) -> str:
    """``超时序进度0.1个百分点`` / ``落后时序进度4.9个百分点`` (``与时序进度持平`` when equal)."""
    gap = completion_pct - time_progress_pct  # both one decimal, so the difference is exact
    if gap > 0:
        return f"超时序进度{gap}个百分点"
    if gap < 0:
        return f"落后时序进度{-gap}个百分点"
    return "与时序进度持平"


@dataclass(frozen=True)
class Behind:
    """A zone's indicator whose target completion lags the time progress by ``gap_pp`` 百分点."""

    zone: Zone
    indicator: Indicator
    completion_pct: Decimal
    gap_pp: Decimal


def behind_schedule(summary: CitySummary) -> list[Behind]:
    """Every zone's targeted indicator below 时间进度, the widest gap first (ties in table order)."""
    progress = summary.time_progress_pct
    behind = [
        Behind(zone, indicator, figure.target_completion_pct, progress - figure.target_completion_pct)
        for zone in summary.zones
        for indicator in summary.indicators
        if (figure := summary.by_zone[zone.id][indicator.id]).target_completion_pct is not None
        and figure.target_completion_pct < progress
    ]
    return sorted(behind, key=lambda item: item.gap_pp, reverse=True)


# The province: every zone ranked among the province's, each city's zones beside its 全市, all beside 全省.

Stored = tuple[str, str | None, str | None]  # 本年累计, 上年同期, 同比增长 as stored (text, exact)


@dataclass
class CityRollUp:
    """One city inside a province summary: its zones added up, and its own 全市 figures where reported."""

    city: Region
    zones: list[Zone]
    zones_total: dict[int, Figure]
    region: dict[int, Figure]
    zone_ids: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.zone_ids = [zone.id for zone in self.zones]


@dataclass
class ProvinceSummary:
    """The month's figures of a province's zones; every 百分点 here is against 全省.

    A zone's ``rank`` is among its city's zones, its ``province_rank`` among the province's.
    """

    province: Region
    year: int
    month: int
    indicators: list[Indicator]
    zones: list[Zone]
    by_zone: dict[int, dict[int, Figure]]
    cities: list[CityRollUp]
    zones_total: dict[int, Figure]
    region: dict[int, Figure]
    sentences: list[str] = field(default_factory=list)

    time_progress_pct = CitySummary.time_progress_pct  # the same N/12, one definition
    region_word = "全省"

    def as_json(self) -> dict:
        city_of = {zone.id: roll.city.name for roll in self.cities for zone in roll.zones}
        return {
            "period": f"{self.year}-{self.month:02d}",
            "province": self.province.name,
            "time_progress_pct": str(self.time_progress_pct),
            "region": _region_json(self.indicators, self.region, keys=("value", "growth_pct")),
            "cities": [
                {
                    "city": roll.city.name,
                    "zone_count": len(roll.zones),
                    "region": _region_json(self.indicators, roll.region, keys=("value", "growth_pct", "pp_vs_region")),
                    "zones_total": _indicators_json(self.indicators, roll.zones_total),
                }
                for roll in self.cities
            ],
            "zones": [
                {
                    "zone": zone.name,
                    "city": city_of.get(zone.id),
                    "indicators": _indicators_json(self.indicators, self.by_zone[zone.id], province_rank=True),
                }
                for zone in self.zones
            ],
            "zones_total": _indicators_json(self.indicators, self.zones_total),
            "sentences": self.sentences,
        }


def _indicators_json(indicators: list[Indicator], figures: dict[int, Figure], *, province_rank: bool = False) -> dict:
    answer = {}
    for indicator in indicators:
        if (figure := figures.get(indicator.id)) is None:
            continue
        answer[indicator.name] = item = figure.as_json(indicator)
        if province_rank:  # added beside the city's keys, which stay as they are
            item["province_rank"] = None if figure.province_rank is None else str(figure.province_rank)
    return answer


def _region_json(indicators: list[Indicator], figures: dict[int, Figure], *, keys: tuple[str, ...]) -> dict:
    return {name: {key: figure[key] for key in keys} for name, figure in _indicators_json(indicators, figures).items()}


def province_summary(
    province: Region, *, year: int, month: int, zones: QuerySet[Zone], reports: QuerySet[IndicatorReport]
) -> ProvinceSummary:
    """The month's figures of the province's zones (``zones`` and ``reports`` already scoped: ranks are
    among the zones given), in five queries however many zones and cities there are."""
    indicators = list(Indicator.objects.filter(active=True))
    prefix = province.scope_prefix
    province_zones = list(zones.filter(region__code__startswith=prefix).order_by("region__code", "name"))
    cities = {city.code: city for city in Region.objects.filter(level=Region.Level.CITY, code__startswith=prefix)}
    zone_ids = [zone.id for zone in province_zones]
    stored, office_stored = _month_figures(
        reports, year=year, month=month, zone_ids=zone_ids, region_codes=[province.code, *cities]
    )
    reported_zones = _reported(province_zones, indicators, stored)
    by_zone = _zone_figures(reported_zones, indicators, stored, _targets(zone_ids, year))
    groups: dict[str, list[Zone]] = {}
    for zone in reported_zones:
        groups.setdefault(_city_code(zone), []).append(zone)
    offices = {code for code, _ in office_stored}
    rolls = [
        CityRollUp(city, groups.get(code, []), {}, _office_figures(code, indicators, office_stored))
        for code, city in sorted(cities.items())
        if code in groups or code in offices
    ]
    region = _office_figures(province.code, indicators, office_stored)
    summary = ProvinceSummary(province, year, month, indicators, reported_zones, by_zone, rolls, {}, region)
    for indicator in indicators:
        _province_column(summary, indicator)
    summary.sentences = [sentence for indicator in indicators if (sentence := indicator_sentence(summary, indicator))]
    return summary


def _month_figures(
    reports: QuerySet[IndicatorReport], *, year: int, month: int, zone_ids: list[int], region_codes: list[str]
) -> tuple[dict[tuple[int, int], Stored], dict[tuple[str, int], Stored]]:
    """The zones' and the offices' own (全市、全省) figures of the month, in one query of bare columns,
    still as text: a figure is made Decimal once, where it is computed (``_figure``).

    Where a figure came without 上年同期 or a growth, last year's own report of the same month
    (loaded from past years' tables) is its base."""
    wanted = reports.filter(month=month, year__in=(year, year - 1)).filter(
        Q(zone_id__in=zone_ids) | Q(zone__isnull=True, region_id__in=region_codes)
    )
    texts = {f"{name}_text": Cast(name, CharField()) for name in ("value", "last_year", "growth_pct")}
    rows = (
        IndicatorValue.objects.filter(report__in=wanted)
        .annotate(**texts)
        .values_list("report__year", "report__zone_id", "report__region_id", "indicator_id", *texts)
    )
    by_zone: dict[tuple[int, int], Stored] = {}
    by_office: dict[tuple[str, int], Stored] = {}
    before: dict[tuple, str] = {}  # (zone id or office code, indicator id) → last year's 本年累计
    for report_year, zone_id, region_code, indicator_id, value, last_year, growth in rows.iterator(chunk_size=4000):
        if report_year != year:
            before[(zone_id or region_code, indicator_id)] = value
        elif zone_id is None:
            by_office[(region_code, indicator_id)] = (value, last_year, growth)
        else:
            by_zone[(zone_id, indicator_id)] = (value, last_year, growth)
    for stored in (by_zone, by_office):
        for key, (value, last_year, growth) in stored.items():
            if last_year is None and growth is None and key in before:
                stored[key] = (value, before[key], None)
    return by_zone, by_office


# Figures are read as text and made Decimal where computed: Django's per-value decimal converters
# were most of a province summary's time (bench/indicators.py), and text is exact on both databases.


def _targets(zone_ids: list[int], year: int) -> dict[tuple[int, int], str]:
    """Each zone's annual target of each indicator, as text (made Decimal with its figure)."""
    rows = (
        AnnualTarget.objects.filter(zone_id__in=zone_ids, year=year)
        .annotate(value_text=Cast("value", CharField()))
        .values_list("zone_id", "indicator_id", "value_text")
    )
    return {(zone_id, indicator_id): value for zone_id, indicator_id, value in rows}


def _reported(zones: list[Zone], indicators: list[Indicator], stored: dict[tuple[int, int], Stored]) -> list[Zone]:
    """The zones with a figure of an active indicator, in the order given."""
    active = {indicator.id for indicator in indicators}
    reported = {zone_id for zone_id, indicator_id in stored if indicator_id in active}
    return [zone for zone in zones if zone.id in reported]


def _zone_figures(
    zones: list[Zone], indicators: list[Indicator], stored: dict[tuple[int, int], Stored], targets: dict
) -> dict[int, dict[int, Figure]]:
    """Zone id → indicator id → figure, in the zones' order; an empty figure (with its target) where none came."""
    ids = [indicator.id for indicator in indicators]  # once: ``pk`` is a property, read here thousands of times
    return {
        zone_id: {i: _figure(stored.get((zone_id, i)), targets.get((zone_id, i))) for i in ids}
        for zone_id in [zone.id for zone in zones]
    }


def _office_figures(code: str, indicators: list[Indicator], stored: dict[tuple[str, int], Stored]) -> dict[int, Figure]:
    return {indicator.id: _figure(stored.get((code, indicator.id)), None) for indicator in indicators}


def _figure(stored: Stored | None, target: str | None) -> Figure:
    """A figure from its stored text (``_month_figures``) and its target's."""
    target = None if target is None else Decimal(target)
    if stored is None:
        return Figure(target=target)
    value, last_year, growth = stored
    return Figure.from_values(
        Decimal(value),
        None if last_year is None else Decimal(last_year),
        None if growth is None else Decimal(growth),
        target,
    )


def _city_code(zone: Zone) -> str:
    return zone.region_id[:4] + "00"  # GB/T 2260: a county's first four digits are its city's


def _province_column(summary: ProvinceSummary, indicator: Indicator) -> None:
    """One indicator: ranks in each city and in the province, the roll-ups, and 百分点 against 全省."""
    better, pk = indicator.higher_is_better, indicator.id
    column = [figures[pk] for figures in summary.by_zone.values()]
    rank(column, higher_is_better=better, attribute="province_rank")
    summary.zones_total[pk] = roll_up(column)
    against = summary.region[pk].growth_pct
    compared = [*column, summary.zones_total[pk]]
    for roll in summary.cities:
        city_column = [summary.by_zone[zone_id][pk] for zone_id in roll.zone_ids]
        rank(city_column, higher_is_better=better)
        roll.zones_total[pk] = roll_up(city_column)
        compared += [roll.zones_total[pk], roll.region[pk]]
    for figure in compared:
        figure.pp_vs_region = _difference(figure.growth_pct, against)
