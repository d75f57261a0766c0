"""Template filters: money (formatted by ``core.money``), people (``core.people``), the filter bar."""

import datetime
import re
from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from kaifaqu.core.money import format_wan_grouped, format_yi
from kaifaqu.core.people import person_html

register = template.Library()


@register.filter
def wan(value) -> str:
    """万元 with thousands separators and two decimals: ``1,234.50``."""
    return format_wan_grouped(value)


@register.filter
def whole(value) -> str:
    """A whole number (用工 人, 户) with thousands separators: ``6,350`` (the zh-hans locale has none)."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}"


@register.filter
def yi(value) -> str:
    """万元 shown as 亿元 with two decimals and thousands separators: ``1,234.50``."""
    return format_yi(value, grouped=True)


@register.filter
def person(user, fallback: str = "—") -> str:
    """A user as “姓名（单位）”, the login id on hover: ``{{ event.user|person:"系统" }}``."""
    return person_html(user, fallback=fallback)


@register.simple_tag
def select(bound_field, oob: bool = False):
    """A filter-bar ``<select>`` built in one pass.

    Django renders each ``<option>`` through its own template, which costs more than the
    page's queries when a province office's filters list hundreds of zones and parks.
    ``oob`` marks it for an HTMX out-of-band swap, so a dependent select (parks of the
    chosen zone) is refreshed together with the results.
    """
    value = bound_field.value()
    current = {str(v) for v in value} if isinstance(value, list | tuple) else {"" if value is None else str(value)}
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (str(option), mark_safe(" selected") if str(option) in current else "", label)
            for option, label in bound_field.field.choices
        ),
    )
    attrs = bound_field.field.widget.attrs
    return format_html(
        '<select name="{}" id="{}" class="{}"{}{}>{}</select>',
        bound_field.html_name,
        bound_field.auto_id,
        attrs.get("class", "form-select form-select-sm"),
        mark_safe(' hx-swap-oob="true"') if oob else "",
        mark_safe(" disabled") if attrs.get("disabled") else "",
        options,
    )


# A cell that is only a date, a time or a number must never wrap (``2025-09-/30``).
_NUMERIC_TEXT = re.compile(r"[\d\s.,:%+\-/年月日]+")


@register.filter
def cell_class(value, css: str = "") -> str:
    """The shared table's cell class: the column's own, plus ``nowrap`` for dates and numbers."""
    if isinstance(value, datetime.date | int | float | Decimal) or (
        isinstance(value, str) and not isinstance(value, SafeString) and _NUMERIC_TEXT.fullmatch(value.strip())
    ):
        return f"{css} nowrap".strip()
    return css


@register.filter
def clip(text) -> str:
    """A long name cut with an ellipsis by CSS, whole in its title (shown on hover)."""
    return format_html('<span class="clip" title="{}">{}</span>', text, text)


@register.simple_tag
def active_filter_count(filterset) -> int:
    """How many filters hold a value: the folded filter bar of a narrow screen shows the number."""
    if not filterset.is_bound:
        return 0
    return sum(1 for field in filterset.form if not field.field.disabled and _is_set(field.value()))


def _is_set(value) -> bool:
    if isinstance(value, list | tuple):
        return any(_is_set(item) for item in value)
    return value not in (None, "", False, "false", "unknown")
