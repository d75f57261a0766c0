"""Money: ``Decimal`` 万元 in storage and arithmetic; shown as 亿元 through these helpers only.

The sane bounds of an amount live here too, so a page, the API and an import refuse the
same amount with the same words.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

WAN_PER_YI = Decimal(10000)
CENT = Decimal("0.01")


def as_decimal(value) -> Decimal:
    if value is None:
        return Decimal("0")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_money(value) -> Decimal:
    """Half-up to two decimals, the way offices round in their ledgers."""
    return as_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def wan_to_yi(wan) -> Decimal:
    return round_money(as_decimal(wan) / WAN_PER_YI)


def format_wan(wan, *, grouped: bool = False) -> str:
    """万元 with two decimals: ``547000.00`` (the API and JSON form), ``547,000.00`` when ``grouped``."""
    return f"{round_money(wan):,.2f}" if grouped else f"{round_money(wan):.2f}"


def format_yi(wan, *, strip_zeros: bool = False, grouped: bool = False) -> str:
    """亿元 with two decimals (``54.70``); in summary sentences trailing zeros go (``54.7``).

    ``grouped`` adds thousands separators (``1,234.56``): every amount a person reads
    (pages, documents) is grouped; the plain form is for numbers a program reads back
    (chart data, JSON).
    """
    text = f"{wan_to_yi(wan):{',' if grouped else ''}.2f}"
    if strip_zeros:
        text = text.rstrip("0").rstrip(".")
    return text


def format_wan_grouped(wan) -> str:
    """万元 for tables: ``1,234.50``."""
    return format_wan(wan, grouped=True)


# ------------------------------------------------------------------ sane bounds


@dataclass(frozen=True)
class AmountBounds:
    """In 万元: above ``confirm`` a person must confirm the amount; above ``maximum`` it is refused."""

    confirm: Decimal
    maximum: Decimal


def amount_bounds() -> AmountBounds:
    """From settings (KAIFAQU_AMOUNT_CONFIRM_YI / KAIFAQU_AMOUNT_MAX_YI, in 亿元), read at each use."""
    confirm, maximum = settings.KAIFAQU_AMOUNT_CONFIRM_YI, settings.KAIFAQU_AMOUNT_MAX_YI
    if not 0 < confirm <= maximum:
        raise ImproperlyConfigured(
            f"金额上限设置有误：KAIFAQU_AMOUNT_CONFIRM_YI（{confirm}）应大于 0"
            f"且不超过 KAIFAQU_AMOUNT_MAX_YI（{maximum}）"
        )
    return AmountBounds(confirm=Decimal(confirm) * WAN_PER_YI, maximum=Decimal(maximum) * WAN_PER_YI)


def amount_problem(wan, *, label: str = "金额") -> str | None:
    """Why an amount in 万元 cannot be stored, or None. A figure this large is almost
    always 元 typed where 万元 is asked, so the message says so."""
    if wan is None:
        return None
    maximum = amount_bounds().maximum
    if as_decimal(wan) <= maximum:
        return None
    return (
        f"{label}过大：{format_yi(wan, strip_zeros=True, grouped=True)}亿元，超过上限"
        f"{format_yi(maximum, strip_zeros=True, grouped=True)}亿元，请核对金额单位（应为万元）。"
    )


def amount_needs_confirm(wan) -> bool:
    return wan is not None and as_decimal(wan) > amount_bounds().confirm


def confirm_message(label: str) -> str:
    limit = format_yi(amount_bounds().confirm, strip_zeros=True, grouped=True)
    return f"{label}超过{limit}亿元，请确认金额无误（单位为万元）后勾选“确认金额无误”再保存。"


def is_money_field(field) -> bool:
    """A model field holding 万元: a ``DecimalField`` whose name says 万元 (总投资（万元）)."""
    return isinstance(field, models.DecimalField) and is_money_label(field.verbose_name)


def is_money_label(label) -> bool:
    return "万元" in str(label or "")
