"""What a month's figures must satisfy before they are kept, and what only needs a note.

Errors (nothing is saved): a required figure missing, an impossible value (a negative amount
or count, a fractional count, a growth below −100%), a cumulative figure below an earlier
month's. Warnings (saved only with a note from the reporter): a change against last year's
same period, or against last month, beyond ``KAIFAQU_OUTLIER_PCT``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from .models import Indicator

PREVIOUS_KEYS = ("previous", "before_previous")  # the two earlier months' figures, for month-on-month


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
    """``earlier``: indicator id → {"previous": last month's figure, "before_previous": the month before}."""
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
        warning = _outlier(indicator, month, given, before)
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


def _outlier(indicator: Indicator, month: int, given: dict, before: dict) -> str:
    limit = outlier_limit()
    growth = growth_of(given)
    if indicator.kind == Indicator.Kind.AMOUNT and growth is not None and abs(growth) > limit:
        return f"同比增长 {growth:.1f}%，超过 ±{limit}%"
    change = _month_on_month(indicator, month, given["value"], before)
    if change is not None and abs(change) > limit:
        what = "当月数比上月当月数" if indicator.cumulative else "比上月"
        return f"{what}变化 {change:+.1f}%，超过 ±{limit}%"
    return ""


def _month_on_month(indicator: Indicator, month: int, value: Decimal, before: dict) -> Decimal | None:
    """Cumulative figures compare the month's own amount (本月 = 累计 − 上月累计) with last month's."""
    previous = before.get("previous")
    if previous is None or month == 1:
        return None
    if not indicator.cumulative:
        return (value / previous - 1) * 100 if previous else None
    this_month = value - previous
    last_month = previous if month == 2 else _minus(previous, before.get("before_previous"))
    if not last_month or last_month <= 0:
        return None
    return (this_month / last_month - 1) * 100


def _minus(a: Decimal, b: Decimal | None) -> Decimal | None:
    return None if b is None else a - b
