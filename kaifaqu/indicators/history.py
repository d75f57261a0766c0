"""One zone's indicator month by month, this year beside last year (the zone page and its chart)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from kaifaqu.zones.models import Zone

from .models import AnnualTarget, Indicator, IndicatorReport, IndicatorValue
from .selectors import Figure, one_decimal


@dataclass
class MonthRow:
    month: int
    value: Decimal | None = None
    last_year: Decimal | None = None
    growth_pct: Decimal | None = None
    this_month: Decimal | None = None  # the month's own amount (累计 − 上月累计)


@dataclass
class History:
    indicator: Indicator
    year: int
    months: list[MonthRow]
    target: Decimal | None

    @property
    def latest(self) -> MonthRow | None:
        reported = [row for row in self.months if row.value is not None]
        return reported[-1] if reported else None


def zone_history(zone: Zone, indicator: Indicator, *, year: int, reports: QuerySet[IndicatorReport]) -> History:
    """One indicator of one zone, month by month, this year beside last year (``reports`` scoped)."""
    stored: dict[tuple[int, int], IndicatorValue] = {
        (value.report.year, value.report.month): value
        for value in IndicatorValue.objects.filter(
            indicator=indicator, report__in=reports.filter(zone=zone, year__in=(year, year - 1))
        ).select_related("report")
    }
    months = []
    for month in range(1, 13):
        this, last = stored.get((year, month)), stored.get((year - 1, month))
        figure = Figure.of(this, None)
        row = MonthRow(month, figure.value, figure.base if this else (last.value if last else None), figure.growth_pct)
        if this is not None and row.last_year is None and last is not None:
            row.last_year = last.value
        if row.growth_pct is None and row.value is not None and row.last_year:
            row.growth_pct = one_decimal((row.value / row.last_year - 1) * 100)
        months.append(row)
    _month_amounts(months, indicator)
    target = AnnualTarget.objects.filter(zone=zone, indicator=indicator, year=year).values_list("value", flat=True)
    return History(indicator, year, months, target.first())


def _month_amounts(months: list[MonthRow], indicator: Indicator) -> None:
    if not indicator.cumulative:
        return
    previous = Decimal(0)
    for row in months:
        if row.value is None:
            previous = None
            continue
        row.this_month = None if previous is None else row.value - previous
        previous = row.value
