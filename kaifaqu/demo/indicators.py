"""Demo figures of the monthly dispatch: last year and this year to date for every demo zone.

The month being reported now (last month) is left mid-round so the pages have something to
show: most zones approved, one submitted and waiting for review, one still a draft, one not
reported at all (overdue once the deadline has passed). Figures are made up from a seeded
random generator, in the ranges Shanxi's zones report.
"""

from __future__ import annotations

import random
from decimal import Decimal

from kaifaqu.indicators.models import AnnualTarget, Indicator, IndicatorReport, IndicatorValue, ReportRevision
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

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
    zones = list(Zone.objects.order_by("region__code", "name"))
    reports: list[IndicatorReport] = []
    values: list[tuple[int, IndicatorValue]] = []
    for index, zone in enumerate(zones):
        size = rng.uniform(0.3, 1.0)
        growth = rng.uniform(-0.12, 0.22)
        for when in _months(year, month):
            status = _status(index, when == (year, month))
            if status is None:
                continue
            reports.append(IndicatorReport(zone=zone, region=zone.region, year=when[0], month=when[1], status=status))
            values += [(len(reports) - 1, v) for v in _figures(indicators, size, growth, when, year, rng)]
        for indicator in indicators:
            if indicator.in_evaluation:
                low, high = YEARLY[indicator.name]
                planned = (low + (high - low) * size) * rng.uniform(1.0, 1.15)
                AnnualTarget.objects.create(zone=zone, indicator=indicator, year=year, value=_round(planned, indicator))
    _region_reports(indicators, zones, year, month, rng, reports, values)
    _write(reports, values, admin)
    return len(reports)


def _months(year: int, month: int) -> list[tuple[int, int]]:
    return [(year - 1, m) for m in range(1, 13)] + [(year, m) for m in range(1, month + 1)]


def _status(index: int, current: bool) -> str | None:
    """This month: zones 1, 2 and 3 (by order) are mid-round; everything earlier is approved."""
    if not current:
        return IndicatorReport.Status.APPROVED
    return {1: IndicatorReport.Status.SUBMITTED, 2: IndicatorReport.Status.DRAFT, 3: None}.get(
        index, IndicatorReport.Status.APPROVED
    )


def _figures(indicators, size: float, growth: float, when, year: int, rng) -> list[IndicatorValue]:
    out = []
    for indicator in indicators:
        low, high = YEARLY[indicator.name]
        yearly = low + (high - low) * size
        if when[0] == year:
            yearly *= 1 + growth + rng.uniform(-0.03, 0.03)
        share = SHAPE[when[1] - 1] if indicator.cumulative else 1.0
        out.append(IndicatorValue(indicator=indicator, value=_round(yearly * share, indicator)))
    return out


def _region_reports(indicators, zones, year: int, month: int, rng, reports: list, values: list) -> None:
    """全市 figures: the city bigger than its zones, growing at its own pace (approved every month)."""
    cities = sorted({zone.region.code[:4] + "00" for zone in zones})
    for region in Region.objects.filter(code__in=cities).order_by("code"):
        size, growth = rng.uniform(0.9, 1.0), rng.uniform(-0.02, 0.08)
        for when in _months(year, month):
            approved = IndicatorReport.Status.APPROVED
            reports.append(IndicatorReport(zone=None, region=region, year=when[0], month=when[1], status=approved))
            values += [(len(reports) - 1, _scale(v, 2.4)) for v in _figures(indicators, size, growth, when, year, rng)]


def _scale(value: IndicatorValue, factor: float) -> IndicatorValue:
    value.value = _round(float(value.value) * factor, value.indicator)
    return value


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
