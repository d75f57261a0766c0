"""What a month's figures must satisfy before they are kept, and what only needs a note.

Errors (nothing is saved): a required figure missing, an impossible value (a negative amount
or count, a fractional count, a growth below −100%), a cumulative figure below an earlier
month's. Warnings (outliers, 异常波动): a change beyond ``KAIFAQU_OUTLIER_PCT`` against last year's same
period, of the month's own amount against the same month last year, or of a point-in-time figure
against last month. A draft keeps them as they are; submitting needs a note (说明) on each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from .models import Indicator


@dataclass
class Checked:
    """Messages keyed by (indicator id, field name); field is value, last_year, growth_pct or note."""

    errors: dict[tuple[int, str], str] = field(default_factory=dict)
    warnings: dict[int, str] = field(default_factory=dict)


def outlier_limit() -> Decimal:
    return Decimal(settings.KAIFAQU_OUTLIER_PCT)


def cumulative_error(indicator: Indicator, month: int, value: Decimal, earlier_month: int, earlier: Decimal) -> str:
    from .selectors import in_units

    if value >= earlier:
        return ""
    return (
        f"1-{month}月累计 {in_units(value, indicator)} 小于1-{earlier_month}月累计 "
        f"{in_units(earlier, indicator)}，累计数不应减少"
    )


def growth_of(given: dict) -> Decimal | None:
    """The growth as reported, else from last year's same period."""
    if given.get("growth_pct") is not None:
        return given["growth_pct"]
    if given.get("last_year"):
        return (given["value"] / given["last_year"] - 1) * 100
    return None


def check_figures(
    *,
    indicators: list[Indicator],
    month: int,
    figures: dict[int, dict],
    earlier: dict[int, dict[str, Decimal | None]],
    required: set[int],
) -> Checked:
    """``earlier``: indicator id → {"previous": this year's figure of last month, "previous_base": last
    year's figure of last month, "base": last year's figure of this month}, each where known."""
    checked = Checked()
    for indicator in indicators:
        given = figures.get(indicator.pk, {})
        value = given.get("value")
        if value is None:
            if indicator.pk in required:
                checked.errors[(indicator.pk, "value")] = "必须填写（计入考核的指标）"
            continue
        _impossible(indicator, given, checked)
        if (indicator.pk, "value") in checked.errors:
            continue
        before = earlier.get(indicator.pk, {})
        if indicator.cumulative and month > 1 and before.get("previous") is not None:
            message = cumulative_error(indicator, month, value, month - 1, before["previous"])
            if message:
                checked.errors[(indicator.pk, "value")] = message
                continue
        warning = outlier_message(indicator, month, given, before)
        if warning:
            checked.warnings[indicator.pk] = warning
    return checked


def _impossible(indicator: Indicator, given: dict, checked: Checked) -> None:
    value = given["value"]
    if indicator.kind == Indicator.Kind.AMOUNT and value < 0:
        checked.errors[(indicator.pk, "value")] = "不能为负数"
    elif indicator.decimals == 0 and not indicator.cumulative and value != value.to_integral_value():
        checked.errors[(indicator.pk, "value")] = "应为整数"
    if given.get("last_year") is not None and given["last_year"] < 0 and indicator.kind == Indicator.Kind.AMOUNT:
        checked.errors[(indicator.pk, "last_year")] = "不能为负数"
    if given.get("growth_pct") is not None and given["growth_pct"] < -100:
        checked.errors[(indicator.pk, "growth_pct")] = "同比增长不能低于 -100%"


def outlier_message(indicator: Indicator, month: int, given: dict, before: dict) -> str:
    """Every comparison that fired, each named: a cumulative figure against last year's same period,
    the month's own amount (derived from the cumulative figures) against the same month last year,
    a point-in-time figure (企业数) against last month."""
    limit = outlier_limit()
    found = []
    if indicator.kind == Indicator.Kind.AMOUNT:
        growth = year_on_year(given, before.get("base"))
        if growth is not None and abs(growth) > limit:
            what = f"1-{month}月累计较上年同期" if indicator.cumulative else "较上年同期"
            found.append(f"{what}{_change(growth)}")
        growth = _derived_month(indicator, month, given, before)
        if growth is not None and abs(growth) > limit:
            found.append(f"本月（由累计值推算）较上年同月{_change(growth)}")
    change = _month_on_month(indicator, given["value"], before)
    if change is not None and abs(change) > limit:
        found.append(f"较上月{_change(change)}")
    return "；".join(f"{text}，超过±{limit}%" for text in found)


def _change(pct: Decimal) -> str:
    return f"增长{pct:.1f}%" if pct >= 0 else f"下降{-pct:.1f}%"


def base_of(value: Decimal, last_year: Decimal | None, growth_pct: Decimal | None) -> Decimal | None:
    """Last year's same period: as given, else implied by the reported growth."""
    if last_year is not None:
        return last_year
    if growth_pct is not None and growth_pct != -100:
        return value / (1 + growth_pct / 100)
    return None


def year_on_year(given: dict, base_on_record: Decimal | None) -> Decimal | None:
    """The growth as reported, else against 上年同期 as given, else against last year's report on record."""
    growth = growth_of(given)
    if growth is None and base_on_record:
        growth = (given["value"] / base_on_record - 1) * 100
    return growth


def _derived_month(indicator: Indicator, month: int, given: dict, before: dict) -> Decimal | None:
    """本月 = 1-N月累计 − 1-(N−1)月累计, this year and last; January is the cumulative figure itself.

    A month's amount swings with the calendar (a big order, a holiday month), so it is compared with
    the same month last year, never with last month."""
    if not indicator.cumulative or month == 1 or before.get("previous") is None:
        return None
    base = base_of(given["value"], given.get("last_year"), given.get("growth_pct"))
    base = base if base is not None else before.get("base")
    if base is None or before.get("previous_base") is None:
        return None  # last year's month unknown: the cumulative growth is the comparison
    last_year_month = base - before["previous_base"]
    if last_year_month <= 0:
        return None
    return ((given["value"] - before["previous"]) / last_year_month - 1) * 100


def _month_on_month(indicator: Indicator, value: Decimal, before: dict) -> Decimal | None:
    """Point-in-time figures (企业数) move slowly: a jump against last month is worth a note."""
    previous = before.get("previous")
    if indicator.cumulative or not previous:
        return None
    return (value / previous - 1) * 100
