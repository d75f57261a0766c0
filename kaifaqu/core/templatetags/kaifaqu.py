"""Template filters for money: every amount on a page is formatted by ``core.money``."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from kaifaqu.core.money import format_wan_grouped, format_yi

register = template.Library()


@register.filter
def wan(value) -> str:
    """万元 with thousands separators and two decimals: ``1,234.50``."""
    return format_wan_grouped(value)


@register.filter
def yi(value) -> str:
    """万元 shown as 亿元 with two decimals: ``15.50``."""
    return format_yi(value)


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
