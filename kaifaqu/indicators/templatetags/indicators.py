"""Showing monthly figures: in the indicator's own decimals, with signs and 百分点."""

from django import template

from ..selectors import in_units

register = template.Library()


@register.filter
def units(value, indicator) -> str:
    """A figure in the indicator's decimals; — when not reported."""
    shown = in_units(value, indicator)
    return "—" if shown is None else f"{shown:,}"


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{value}%"


@register.filter
def pp(value) -> str:
    return "—" if value is None else f"{value:+}"


@register.filter
def pace(figure, time_progress) -> str:
    """Bootstrap cell class: green ahead of 时间进度, red behind, nothing without a target."""
    if figure is None or figure.target_completion_pct is None:
        return ""
    return "table-success" if figure.target_completion_pct >= time_progress else "table-danger"
