"""Money: ``Decimal`` 万元 in storage and arithmetic; shown as 亿元 through these helpers only."""

from decimal import ROUND_HALF_UP, Decimal

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


def format_wan(wan) -> str:
    """万元 with two decimals and no grouping: ``547000.00`` (the API and JSON form)."""
    return f"{round_money(wan):.2f}"


def format_yi(wan, *, strip_zeros: bool = False) -> str:
    """亿元 with two decimals (``54.70``); in summary sentences trailing zeros go (``54.7``)."""
    text = f"{wan_to_yi(wan):.2f}"
    if strip_zeros:
        text = text.rstrip("0").rstrip(".")
    return text


def format_wan_grouped(wan) -> str:
    """万元 for tables: ``1,234.50``."""
    return f"{round_money(wan):,.2f}"
