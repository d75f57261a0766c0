"""A forecast of the next month and of the year, with the method named and its error on past data.

A history is ``{(year, month): figure}``, keyed by the period a figure describes; for a cumulative
indicator the figure is the year-to-date total (1–N月累计), else the month-end count.

- 上年同期走势法: last year's cumulative curve, scaled by this year's ratio to last year's same
  period (that is, by the year-to-date growth);
- 按月均推算法: without last year's figures, the monthly average carried forward;
- 按上月持平法: point-in-time counts (企业数) and rates stay where they are.

The back-test replays the same method at every earlier month whose outcome is known, seeing only
what was known then, and reports the mean absolute percentage error beside the forecast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from kaifaqu.regions.models import Region

from .models import Indicator, IndicatorReport, IndicatorValue

Period = tuple[int, int]  # (year, month)
History = Mapping[Period, Decimal]
HISTORY_YEARS = 5  # past years loaded for the back-test besides the current one
FIGURE_PLACES = Decimal("0.0001")  # as stored (IndicatorValue.value)
TENTH = Decimal("0.1")
# The owner and indicator, then the row ``history_of`` reads.
HISTORY_FIELDS = (
    "report__zone_id",
    "indicator_id",
    "report__year",
    "report__month",
    "value",
    "last_year",
    "growth_pct",
)


class Known:
    """The history as it stood at ``as_of``: later periods read as missing, so no method can peek ahead."""

    def __init__(self, history: History, as_of: Period) -> None:
        self._history = history
        self.as_of = as_of

    def get(self, period: Period) -> Decimal | None:
        return None if period > self.as_of else self._history.get(period)


# A method predicts the cumulative figure of ``target`` month of the as-of year, or None when it cannot.
Predict = Callable[[Known, int], Decimal | None]


@dataclass(frozen=True)
class Method:
    name: str
    note: str
    predict: Predict


def _scaled_shape(known: Known, target: int) -> Decimal | None:
    year, month = known.as_of
    now = known.get((year, month))
    base = known.get((year - 1, month))
    shape = known.get((year - 1, target))
    if now is None or shape is None or base is None or base <= 0:
        return None  # a zero or negative base gives no meaningful ratio
    return shape * now / base


def _monthly_average(known: Known, target: int) -> Decimal | None:
    year, month = known.as_of
    now = known.get((year, month))
    return None if now is None else now / month * target


def _hold(known: Known, target: int) -> Decimal | None:
    return known.get(known.as_of)


SCALED_SHAPE = Method(
    "上年同期走势法", "按上年各月累计走势，乘以本年累计与上年同期之比（即按本年累计增速）推算", _scaled_shape
)
MONTHLY_AVERAGE = Method(
    "按月均推算法", "缺少上年同期数据，按本年已过月份的月均完成量推算（本年累计÷已过月数×目标月数）", _monthly_average
)
HOLD = Method("按上月持平法", "时点数或比率指标，不逐月累计，按最新一期数值持平推算", _hold)


@dataclass(frozen=True)
class Comparison:
    """One back-test prediction: made at ``made_at`` for ``target``, against what was then reported."""

    made_at: Period
    target: Period
    predicted: Decimal
    actual: Decimal

    @property
    def error_pct(self) -> Decimal:
        return abs(self.predicted - self.actual) / abs(self.actual) * 100


@dataclass(frozen=True)
class Forecast:
    """What one owner's indicator should come to, the method that says so, and how well it did before."""

    as_of: Period
    method: str
    method_note: str
    next_month: Period | None  # None after December: the year is complete
    next_value: Decimal | None
    year_end_value: Decimal  # the actual figure when as of December
    backtest_error_pct: Decimal | None  # mean absolute percentage error, one decimal; None if nothing tested
    backtest_points: int  # predictions compared (a month's next-month and year-end forecasts count apart)


def target_months(month: int) -> list[int]:
    """The months forecast from ``month``: the next one and December (once when they coincide)."""
    return [] if month == 12 else sorted({month + 1, 12})


def choose_method(history: History, *, year: int, month: int, cumulative: bool = True) -> Method:
    """The scaled shape when last year's figures allow it for every target, else the monthly average."""
    if not cumulative:
        return HOLD
    known = Known(history, (year, month))
    if all(_scaled_shape(known, target) is not None for target in target_months(month) or [12]):
        return SCALED_SHAPE
    return MONTHLY_AVERAGE


def backtest_comparisons(history: History, *, year: int, month: int, method: Method) -> list[Comparison]:
    """``method`` replayed at every month before (year, month) whose next month or year-end is known by then.

    Each prediction sees only the history up to the month it is made at; the outcome it is
    compared with must itself be known at (year, month), so this year's December never counts
    before December.
    """
    known = Known(history, (year, month))
    comparisons = []
    for made_at in sorted(period for period in history if period < (year, month)):
        then = Known(history, made_at)
        for target in target_months(made_at[1]):
            actual = known.get((made_at[0], target))
            predicted = method.predict(then, target)
            if actual and predicted is not None:  # a zero outcome has no percentage error
                comparisons.append(Comparison(made_at, (made_at[0], target), predicted, actual))
    return comparisons


def mean_error_pct(comparisons: list[Comparison]) -> Decimal | None:
    if not comparisons:
        return None
    total = sum((comparison.error_pct for comparison in comparisons), Decimal(0))
    return (total / len(comparisons)).quantize(TENTH, rounding=ROUND_HALF_UP)


def forecast(history: History, *, year: int, month: int, cumulative: bool = True) -> Forecast | None:
    """The forecast as of (year, month) with its back-test; None when that month has no figure."""
    known = Known(history, (year, month))
    now = known.get((year, month))
    if now is None:
        return None
    method = choose_method(history, year=year, month=month, cumulative=cumulative)
    comparisons = backtest_comparisons(history, year=year, month=month, method=method)
    next_value = method.predict(known, month + 1) if month < 12 else None
    year_end = method.predict(known, 12) if month < 12 else now
    return Forecast(
        as_of=(year, month),
        method=method.name,
        method_note=method.note,
        next_month=(year, month + 1) if month < 12 else None,
        next_value=_figure(next_value),
        year_end_value=_figure(year_end),
        backtest_error_pct=mean_error_pct(comparisons),
        backtest_points=len(comparisons),
    )


def _figure(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(FIGURE_PLACES, rounding=ROUND_HALF_UP)


def history_of(rows: Iterable[tuple[int, int, Decimal, Decimal | None, Decimal | None]]) -> dict[Period, Decimal]:
    """A history from ``(year, month, value, last_year, growth_pct)`` rows.

    A month's 上年同期 (given, or implied by the reported growth) stands in for last year's figure
    where last year's own report is missing, so zones new to the platform still get the scaled shape.
    """
    reported: dict[Period, Decimal] = {}
    implied: dict[Period, Decimal] = {}
    for year, month, value, last_year, growth_pct in rows:
        reported[(year, month)] = value
        base = last_year
        if base is None and growth_pct is not None and growth_pct != -100:
            base = value / (1 + growth_pct / 100)
        if base is not None:
            implied[(year - 1, month)] = base
    return {**implied, **reported}


def is_cumulative(indicator: Indicator) -> bool:
    """Rates (增速) are not summed month by month, so they are held like point-in-time counts."""
    return indicator.cumulative and indicator.kind != Indicator.Kind.RATE


def zone_forecasts(
    reports: QuerySet[IndicatorReport],
    *,
    zone_ids: Iterable[int],
    indicators: Iterable[Indicator],
    year: int,
    month: int,
    region: Region | None = None,
) -> dict[tuple[int | None, int], Forecast]:
    """Forecasts keyed by (zone id, indicator id), and (None, indicator id) for ``region``'s own figures.

    ``reports`` is already scoped to the user (filter it by status to forecast from approved figures
    only); all history comes in one query, whatever the zones. Reports after (year, month) are left
    out, so looking back at a past month shows the forecast as it stood then. Owners without a
    figure for (year, month) get no forecast.
    """
    indicators = list(indicators)
    owners = Q(report__zone_id__in=list(zone_ids))
    if region is not None:
        owners |= Q(report__zone__isnull=True, report__region=region)
    until_now = Q(report__year__lt=year) | Q(report__year=year, report__month__lte=month)
    rows = IndicatorValue.objects.filter(
        owners,
        until_now,
        report__in=reports,
        report__year__gte=year - HISTORY_YEARS,
        indicator__in=[indicator.pk for indicator in indicators],
    ).values_list(*HISTORY_FIELDS)
    grouped: dict[tuple[int | None, int], list] = defaultdict(list)
    for zone_id, indicator_id, *row in rows:
        grouped[(zone_id, indicator_id)].append(row)
    by_id = {indicator.pk: indicator for indicator in indicators}
    result = {}
    for key, owner_rows in grouped.items():
        predicted = forecast(history_of(owner_rows), year=year, month=month, cumulative=is_cumulative(by_id[key[1]]))
        if predicted is not None:
            result[key] = predicted
    return result
