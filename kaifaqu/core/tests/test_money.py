from decimal import Decimal

import pytest

from kaifaqu.core.money import format_wan, format_wan_grouped, format_yi, round_money, wan_to_yi


@pytest.mark.parametrize(
    ("wan", "yi"),
    [
        ("155000", "15.50"),
        ("547000", "54.70"),
        ("12345", "1.23"),
        ("12350", "1.24"),
        ("12250", "1.23"),  # banker's rounding would give 1.22
        ("0", "0.00"),
        ("5527000", "552.70"),
    ],
)
def test_wan_to_yi_rounds_half_up(wan, yi):
    assert wan_to_yi(Decimal(wan)) == Decimal(yi)


def test_round_money_half_up_on_the_cent():
    assert round_money(Decimal("0.125")) == Decimal("0.13")
    assert round_money("2.675") == Decimal("2.68")  # a float would give 2.67


def test_format_yi_strips_zeros_only_when_asked():
    assert format_yi(Decimal("155000")) == "15.50"
    assert format_yi(Decimal("155000"), strip_zeros=True) == "15.5"
    assert format_yi(Decimal("273600"), strip_zeros=True) == "27.36"
    assert format_yi(Decimal("100000"), strip_zeros=True) == "10"


def test_format_wan_forms():
    assert format_wan(Decimal("547000")) == "547000.00"
    assert format_wan(None) == "0.00"
    assert format_wan_grouped(Decimal("1234.5")) == "1,234.50"
