"""Template filters for money: every amount on a page is formatted by ``core.money``."""

from django import template

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
