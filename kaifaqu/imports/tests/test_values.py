"""Cells as offices write them: amounts with units, dates in every form, yes/no, headers."""

import datetime
from decimal import Decimal

import pytest

from kaifaqu.projects.ledger.columns import COLUMNS
from kaifaqu.sheets.columns import ColumnMatcher, header_factor, normal_header
from kaifaqu.sheets.readers import column_letter, detect_encoding
from kaifaqu.sheets.values import CellError, parse_area, parse_bool, parse_date, parse_money


@pytest.mark.parametrize(
    ("cell", "factor", "wan"),
    [
        (5.2, 10000, "52000.00"),
        ("5.2亿元", 1, "52000.00"),
        ("3000万", 10000, "3000.00"),  # the cell's unit wins over the column's
        ("１２．５", 1, "12.50"),  # full-width digits and point
        ("1,234,567.891", 1, "1234567.89"),
        (" 12 000 ", 1, "12000.00"),
        (1234.5, 1, "1234.50"),
        ("0.335亿", 1, "3350.00"),
        (12, 1, "12.00"),
    ],
)
def test_money_in_every_form_becomes_wan(cell, factor, wan):
    assert parse_money(cell, factor=Decimal(factor)) == Decimal(wan)


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("约5亿", "不是金额（应为数字，可带“万元”“亿元”）"),
        ("-3", "金额不能为负数"),
        ("500元", "金额请以万元或亿元填写"),
        (True, "不是金额"),
    ],
)
def test_bad_money_says_why(cell, reason):
    with pytest.raises(CellError) as caught:
        parse_money(cell)
    assert str(caught.value) == reason


@pytest.mark.parametrize(
    ("cell", "expected", "month_end"),
    [
        ("2025-03-15", datetime.date(2025, 3, 15), False),
        ("2025/3/15", datetime.date(2025, 3, 15), False),
        ("2025年3月15日", datetime.date(2025, 3, 15), False),
        ("2025.3.15", datetime.date(2025, 3, 15), False),
        ("20250315", datetime.date(2025, 3, 15), False),
        ("2025年3月", datetime.date(2025, 3, 1), False),
        ("2025年3月", datetime.date(2025, 3, 31), True),
        ("2025.3", datetime.date(2025, 3, 1), False),
        ("2025-02", datetime.date(2025, 2, 28), True),
        ("2025年底", datetime.date(2025, 12, 31), False),
        ("２０２５年６月", datetime.date(2025, 6, 1), False),
        (2025.6, datetime.date(2025, 6, 30), True),
        (2025.12, datetime.date(2025, 12, 1), False),
        (45731, datetime.date(2025, 3, 15), False),  # an Excel date serial
        ("45731", datetime.date(2025, 3, 15), False),
        (datetime.datetime(2025, 3, 15, 8, 30), datetime.date(2025, 3, 15), False),
        ("", None, False),
    ],
)
def test_dates_as_offices_write_them(cell, expected, month_end):
    assert parse_date(cell, month_end=month_end) == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("2025年13月", "月份 13 不存在"),
        ("2025-02-30", "日期 2025年2月30日 不存在"),
        ("下个月", "不是日期（可写作 2025-03-15、2025/3/15、2025年3月 或 2025.3）"),
        (12, "不是日期（数字既不是 Excel 日期序号，也不是“年.月”）"),
    ],
)
def test_bad_dates_say_why(cell, reason):
    with pytest.raises(CellError) as caught:
        parse_date(cell)
    assert str(caught.value) == reason


def test_yes_no_and_areas():
    assert [parse_bool(v) for v in ("是", "√", "否", "已入统", "", None, "Y")] == [
        True,
        True,
        False,
        True,
        None,
        None,
        True,
    ]
    with pytest.raises(CellError):
        parse_bool("也许")
    assert parse_area("120亩") == Decimal("120.00") and parse_area("1,200.5") == Decimal("1200.50")


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("项目名称", "name"),
        ("项 目", "name"),
        ("实施主体", "enterprise"),
        ("总投资（亿元）", "total_investment"),
        ("概算投资\n(万元)", "total_investment"),
        ("计划总投资", "total_investment"),
        ("项目总投资（万元）", "total_investment"),
        ("2025年计划投资", "year_planned_investment"),
        ("1-10月完成投资", "year_completed_investment"),
        ("截至10月底累计完成投资", "year_completed_investment"),
        ("开工时间", "started_on"),
        ("计划开工时间", "planned_start"),
        ("包联县领导", "liaison_leader"),
        ("责任单位", "task_force"),
        ("用地面积（亩）", "land_area_mu"),
        ("备注", "remark"),
        ("是否省重点", "priority_province"),
        ("是否重点", "priority_flag"),
        ("进展情况", "stage"),
        ("竣工时间", "completed_on"),
        ("计划竣工时间", "planned_completion"),
        ("计划竣工投产时间", "planned_production"),
        ("联系电话", None),
    ],
)
def test_headers_match_their_usual_variants(header, key):
    assert ColumnMatcher(COLUMNS).match(header) == key


def test_header_units_and_helpers():
    assert header_factor("总投资（亿元）") == Decimal(10000) and header_factor("总投资(万元)") == Decimal(1)
    assert header_factor("总投资") is None and normal_header("  总投资 （亿元） ") == "总投资"
    assert [column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]
    assert detect_encoding("项目名称".encode("gbk")) == "gb18030"
    assert detect_encoding("\ufeff项目".encode()) == "utf-8-sig" and detect_encoding("项目".encode()) == "utf-8"
