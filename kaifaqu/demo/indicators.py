"""Demo figures of the monthly dispatch: last year and this year to date for every demo zone.

The month being reported now (last month) is left mid-round in 吕梁, where the demo's
statisticians work: 孝义 has not reported (stats-xiaoyi fills it; overdue once the deadline
has passed), one zone has submitted (stats-lvliang reviews it), one is still a draft.
Figures are made up from a seeded random generator, in the ranges Shanxi's zones report;
each zone grows at its own steady pace, so a month's own amount moves smoothly.
"""

from __future__ import annotations

import random
from decimal import Decimal

from kaifaqu.indicators.models import AnnualTarget, Indicator, IndicatorReport, IndicatorValue, ReportRevision
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

MID_ROUND_CITY = "141100"  # 吕梁
MISSING_ZONE = "孝义经开区"

# Indicator name → (low, high) of a zone's yearly figure, in the indicator's unit.
YEARLY = {
    "规上工业总产值": (60, 420),
    "规上工业增加值": (15, 110),
    "工业投资": (8, 60),
    "固定资产投资": (15, 90),
    "营业收入": (70, 480),
    "税收收入": (2, 22),
    "进出口总额": (0.5, 30),
    "实际使用外资": (100, 3000),
    "四上企业数": (40, 220),
    "规上工业企业数": (25, 150),
    "高新技术企业数": (8, 60),
    "专精特新企业数": (2, 20),
}
# The share of a year's amount done by each month's end (January and the Spring Festival are slow).
SHAPE = (0.06, 0.13, 0.22, 0.31, 0.40, 0.50, 0.58, 0.66, 0.75, 0.83, 0.91, 1.0)


def demo_indicators(*, today, admin) -> int:
    """Load the figures; returns how many monthly reports were written."""
    rng = random.Random(2026)
    indicators = [i for i in Indicator.objects.filter(active=True) if i.name in YEARLY]
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    zones = list(Zone.objects.select_related("region").order_by("region__code", "name"))
    statuses = _current_statuses(zones)
    reports: list[IndicatorReport] = []
    values: list[tuple[int, IndicatorValue]] = []
    by_city: dict[tuple[str, tuple[int, int]], dict[int, Decimal]] = {}
    for zone in zones:
        size = rng.uniform(0.3, 1.0)
        paces = {i.pk: rng.uniform(-0.12, 0.22) for i in indicators}
        shapes = {year - 1: _shape(rng), year: _shape(rng)}
        for when in _months(year, month):
            figures = _figures(indicators, size, paces, when, year, shapes[when[0]])
            city_sum = by_city.setdefault((zone.region.code[:4] + "00", when), {})
            for value in figures:
                city_sum[value.indicator_id] = city_sum.get(value.indicator_id, Decimal(0)) + value.value
            current = when == (year, month)
            status = (
                statuses.get(zone.pk, IndicatorReport.Status.APPROVED) if current else IndicatorReport.Status.APPROVED
            )
            if status is None:
                continue
            reports.append(IndicatorReport(zone=zone, region=zone.region, year=when[0], month=when[1], status=status))
            values += [(len(reports) - 1, value) for value in figures]
        _targets(zone, indicators, size, year, rng)
    _region_reports(indicators, by_city, year, rng, reports, values)
    _write(reports, values, admin)
    return len(reports)


def _current_statuses(zones: list[Zone]) -> dict[int, str | None]:
    """吕梁 mid-round: 孝义 missing, the next zone submitted, the one after a draft."""
    city_zones = [zone for zone in zones if zone.region.code.startswith(MID_ROUND_CITY[:4])]
    others = [zone for zone in city_zones if zone.short_name != MISSING_ZONE]
    statuses: dict[int, str | None] = {zone.pk: None for zone in city_zones if zone.short_name == MISSING_ZONE}
    for zone, status in zip(others, (IndicatorReport.Status.SUBMITTED, IndicatorReport.Status.DRAFT), strict=False):
        statuses[zone.pk] = status
    return statuses


def _months(year: int, month: int) -> list[tuple[int, int]]:
    return [(year - 1, m) for m in range(1, 13)] + [(year, m) for m in range(1, month + 1)]


def _shape(rng) -> list[float]:
    """The year's cumulative shares, each month's own amount a few percent off the usual shape."""
    amounts = [share - (SHAPE[index - 1] if index else 0) for index, share in enumerate(SHAPE)]
    noisy = [amount * rng.uniform(0.95, 1.05) for amount in amounts]
    total, shares = sum(noisy), []
    for amount in noisy:
        shares.append((shares[-1] if shares else 0) + amount / total)
    return shares


def _figures(indicators, size: float, paces: dict[int, float], when, year: int, shape) -> list[IndicatorValue]:
    out = []
    for indicator in indicators:
        low, high = YEARLY[indicator.name]
        yearly = low + (high - low) * size
        if when[0] == year:
            yearly *= 1 + paces[indicator.pk]
        # Counts (企业数) climb a little through the year; amounts follow the cumulative shape.
        share = shape[when[1] - 1] if indicator.cumulative else 0.96 + 0.04 * when[1] / 12
        out.append(IndicatorValue(indicator=indicator, value=_round(yearly * share, indicator)))
    return out


def _targets(zone: Zone, indicators, size: float, year: int, rng) -> None:
    for indicator in indicators:
        if indicator.in_evaluation:
            low, high = YEARLY[indicator.name]
            planned = (low + (high - low) * size) * rng.uniform(1.0, 1.15)
            AnnualTarget.objects.create(zone=zone, indicator=indicator, year=year, value=_round(planned, indicator))


def _region_reports(indicators, by_city, year: int, rng, reports: list, values: list) -> None:
    """全市 figures: the zones and the rest of the city (about 60% more), the rest at its own pace."""
    regions = {region.code: region for region in Region.objects.filter(code__in={code for code, _ in by_city})}
    paces = {code: rng.uniform(0.94, 1.04) for code in sorted(regions)}
    by_pk = {indicator.pk: indicator for indicator in indicators}
    province: dict[tuple[int, int], dict[int, float]] = {}
    approved = IndicatorReport.Status.APPROVED
    for (code, when), sums in sorted(by_city.items()):
        reports.append(IndicatorReport(zone=None, region=regions[code], year=when[0], month=when[1], status=approved))
        factor = 1.6 * (paces[code] if when[0] == year else 1)
        for pk, total in sums.items():
            city_value = _round(float(total) * factor, by_pk[pk])
            values.append((len(reports) - 1, IndicatorValue(indicator=by_pk[pk], value=city_value)))
            province.setdefault(when, {})[pk] = province.get(when, {}).get(pk, 0.0) + float(city_value)
    # 全省: the demo cities and the rest of the province (about a third more).
    shanxi = Region.objects.get(code="140000")
    for when, sums in sorted(province.items()):
        reports.append(IndicatorReport(zone=None, region=shanxi, year=when[0], month=when[1], status=approved))
        values += [
            (len(reports) - 1, IndicatorValue(indicator=by_pk[pk], value=_round(total * 1.35, by_pk[pk])))
            for pk, total in sums.items()
        ]


def _round(amount: float, indicator: Indicator) -> Decimal:
    return Decimal(str(round(amount, indicator.decimals)))


def _write(reports, values, admin) -> None:
    IndicatorReport.objects.bulk_create(reports)
    for index, value in values:
        value.report = reports[index]
    IndicatorValue.objects.bulk_create([value for _, value in values])
    ReportRevision.objects.bulk_create(
        ReportRevision(report=report, version=1, status=report.status, figures={}, note="演示数据", user=admin)
        for report in reports
    )
