"""The city's monthly table comes in; the summary computes growth, 百分点, targets, ranks and the sentence."""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kaifaqu.indicators.models import AnnualTarget, Indicator, IndicatorReport, ReportRevision
from kaifaqu.zones.services import zone_create

# Eight industrial zones of 吕梁 (county codes of the city) and their 2024 Q1 figures.
ZONES = [
    ("吕梁经济技术开发区", "吕梁经开区", "141102", "45.12", "-5.2"),
    ("孝义经济技术开发区", "孝义经开区", "141181", "30.08", "3.1"),
    ("汾阳经济开发区", "汾阳经开区", "141182", "25.40", "-8.4"),
    ("交城经济开发区", "交城经开区", "141122", "18.75", "3.1"),
    ("文水经济开发区", "文水经开区", "141121", "15.30", "-1.0"),
    ("柳林经济开发区", "柳林经开区", "141125", "12.60", "12.5"),
    ("中阳经济开发区", "中阳经开区", "141129", "9.85", "-15.3"),
    ("交口经济开发区", "交口经开区", "141130", "5.23", "-8.1"),
]
TITLE = "吕梁市开发区2024年1-3月主要经济指标完成情况表"


@pytest.fixture
def lvliang_zones(reference_data):
    return {short: zone_create(name=name, short_name=short, region_code=code) for name, short, code, _, _ in ZONES}


def city_table(path, rows, *, title=TITLE, city_row=("全市", "420.50", "-9.9", "60.2", "55.0")):
    """The usual layout: title, indicator names merged over 本年累计 and 同比增长/上年同期, a 合计 and a 全市 row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([title])
    sheet.merge_cells("A1:F1")
    sheet.append(["序号", "开发区", "规上工业增加值（亿元）", None, "工业投资（亿元）", None])
    sheet.append([None, None, "本年累计", "同比增长（%）", "本年累计", "上年同期"])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:D2")
    sheet.merge_cells("E2:F2")
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    sheet.append([None, "合计", "162.33", None, None, None])
    sheet.append([None, *city_row])
    workbook.save(path)
    return path


def zone_rows(**changes):
    rows = [[short, value, growth, None, None] for _, short, _, value, growth in ZONES]
    rows[1][3:] = ["3.30", "3.00"]  # 孝义's 工业投资 with last year's same period: +10%
    for index, row in changes.items():
        rows[int(index)] = row
    return rows


def summary_json(period="2024-03") -> dict:
    out = io.StringIO()
    call_command("indicators", "summary", "--city", "吕梁市", "--period", period, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_lvliang_sentence_from_the_city_table(lvliang_zones, tmp_path):
    path = city_table(tmp_path / "吕梁.xlsx", zone_rows())
    out = io.StringIO()
    call_command("indicators", "import", str(path), "--city", "吕梁市", stdout=out)
    assert "读取 9 行（跳过合计等 1 行）；新建月报 9 份" in out.getvalue()
    summary = summary_json()
    assert summary["period"] == "2024-03"
    assert (
        summary["sentences"][0]
        == "8个工业类开发区规上工业增加值完成162.33亿元，同比增长-2.6%，高于全市平均增速7.3个百分点。"
    )
    total = summary["zones_total"]["规上工业增加值"]
    # Weighted by last year's base: the zones' plain average would say -2.4%.
    assert total == {
        "value": "162.33",
        "growth_pct": "-2.6",
        "pp_vs_region": "7.3",
        "target_completion_pct": None,
        "rank": None,
    }
    assert summary["region"]["规上工业增加值"] == {"value": "420.50", "growth_pct": "-9.9"}
    zones = {item["zone"]: item["indicators"] for item in summary["zones"]}
    xiaoyi = zones["孝义经济技术开发区"]
    assert xiaoyi["规上工业增加值"] == {
        "value": "30.08",
        "growth_pct": "3.1",
        "pp_vs_region": "13.0",
        "target_completion_pct": None,
        "rank": "2",
    }
    assert zones["交城经济开发区"]["规上工业增加值"]["rank"] == "2"  # the same growth, the same rank
    assert zones["文水经济开发区"]["规上工业增加值"]["rank"] == "4"  # after a tie, a rank is skipped
    assert zones["柳林经济开发区"]["规上工业增加值"]["rank"] == "1"
    assert xiaoyi["工业投资"]["growth_pct"] == "10.0"  # from 上年同期: 3.30 / 3.00 − 1
    assert xiaoyi["工业投资"]["pp_vs_region"] == "0.5"  # against 全市 60.2 / 55.0 − 1 = 9.5%


def test_target_completion_against_time(lvliang_zones, tmp_path):
    indicator = Indicator.objects.get(name="规上工业增加值")
    AnnualTarget.objects.create(zone=lvliang_zones["孝义经开区"], indicator=indicator, year=2024, value=Decimal("120"))
    call_command(
        "indicators",
        "import",
        str(city_table(tmp_path / "t.xlsx", zone_rows())),
        "--city",
        "吕梁",
        stdout=io.StringIO(),
    )
    summary = summary_json()
    assert summary["time_progress_pct"] == "25.0"
    zones = {item["zone"]: item["indicators"] for item in summary["zones"]}
    assert zones["孝义经济技术开发区"]["规上工业增加值"]["target_completion_pct"] == "25.1"  # 30.08 of 120
    assert summary["zones_total"]["规上工业增加值"]["target_completion_pct"] == "25.1"  # only 孝义 has a target


def test_errors_name_row_and_column_and_nothing_is_written(lvliang_zones, tmp_path):
    rows = zone_rows(**{"2": ["不存在开发区", "1", "1", None, None], "3": ["交城经开区", "约18亿", "3.1", None, None]})
    rows[4][1] = "-15.30"
    err = io.StringIO()
    with pytest.raises(CommandError, match="有 3 处错误，未写入任何数据"):
        call_command("indicators", "import", str(city_table(tmp_path / "e.xlsx", rows)), "--city", "吕梁", stderr=err)
    messages = err.getvalue().splitlines()
    assert messages == [
        "第6行 开发区: 未找到开发区“不存在开发区”（或不是吕梁市的开发区）",
        "第7行 规上工业增加值·本年累计: “约18亿”不是数字",
        "第8行 规上工业增加值·本年累计: “-15.30”不能为负数",
    ]
    assert not IndicatorReport.objects.exists()


def test_cumulative_figures_never_fall_and_every_version_is_kept(lvliang_zones, tmp_path):
    call_command(
        "indicators",
        "import",
        str(city_table(tmp_path / "3.xlsx", zone_rows())),
        "--city",
        "吕梁",
        stdout=io.StringIO(),
    )
    april = zone_rows()
    april[0][1] = "40.00"  # 吕梁经开区: 1-4月 below 1-3月's 45.12
    path = city_table(tmp_path / "4.xlsx", april, title="吕梁市开发区2024年1-4月主要经济指标完成情况表")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("indicators", "import", str(path), "--city", "吕梁", stderr=err)
    assert "第4行 规上工业增加值: 1-4月累计 40.00 小于1-3月累计 45.12，累计数不应减少" in err.getvalue()
    corrected = zone_rows()
    corrected[2][1] = "26.00"  # 汾阳 revises March
    call_command(
        "indicators", "import", str(city_table(tmp_path / "3b.xlsx", corrected)), "--city", "吕梁", stdout=io.StringIO()
    )
    report = IndicatorReport.objects.get(zone=lvliang_zones["汾阳经开区"], year=2024, month=3)
    assert report.version == 2 and report.status == IndicatorReport.Status.APPROVED
    versions = list(ReportRevision.objects.filter(report=report).values_list("version", "figures"))
    assert [(v, figures["规上工业增加值"]["value"]) for v, figures in versions] == [(1, "25.4000"), (2, "26.0000")]


def test_period_must_be_known(lvliang_zones, tmp_path):
    path = city_table(tmp_path / "p.xlsx", zone_rows(), title="吕梁市开发区主要经济指标完成情况表")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("indicators", "import", str(path), "--city", "吕梁", stderr=err)
    assert "表中没有注明月份，请在标题中写明（如 2024年1-3月），或用 --period 指定" in err.getvalue()
    call_command("indicators", "import", str(path), "--city", "吕梁", "--period", "2024-03", stdout=io.StringIO())
    assert IndicatorReport.objects.filter(year=2024, month=3).count() == 9


def test_the_products_template_round_trips(lvliang_zones, tmp_path):
    path = tmp_path / "模板.xlsx"
    call_command(
        "indicators", "template", "--city", "吕梁市", "--period", "2024-03", "-o", str(path), stdout=io.StringIO()
    )
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet["A1"].value == TITLE
    assert sheet["C2"].value == "规上工业总产值（亿元）" and sheet["C3"].value == "本年累计"
    names = [sheet.cell(row, 2).value for row in range(4, sheet.max_row + 1)]
    assert names[-2:] == ["开发区合计", "全市"] and len(names) == 10  # 合计 is skipped when read back
    columns = {sheet.cell(2, col).value: col for col in range(3, sheet.max_column + 1) if sheet.cell(2, col).value}
    added = columns["规上工业增加值（亿元）"]
    figures = {name: (value, growth) for name, _, _, value, growth in ZONES}
    assert set(names[:-2]) == set(figures)  # every zone of the city, by full name
    for row in range(4, 12):
        value, growth = figures[sheet.cell(row, 2).value]
        sheet.cell(row, added).value = float(value)
        sheet.cell(row, added + 2).value = float(growth)
    sheet.cell(13, added).value = 420.5
    sheet.cell(13, added + 2).value = -9.9
    workbook.save(path)
    call_command("indicators", "import", str(path), "--city", "吕梁市", stdout=io.StringIO())
    assert summary_json()["sentences"] == [
        "8个工业类开发区规上工业增加值完成162.33亿元，同比增长-2.6%，高于全市平均增速7.3个百分点。"
    ]
    # Exported again, the template carries what is on record.
    again = tmp_path / "再导出.xlsx"
    call_command(
        "indicators", "template", "--city", "吕梁市", "--period", "2024-03", "-o", str(again), stdout=io.StringIO()
    )
    refilled = openpyxl.load_workbook(again).active
    xiaoyi_row = next(row for row in range(4, 12) if refilled.cell(row, 2).value == "孝义经济技术开发区")
    assert refilled.cell(xiaoyi_row, added).value == 30.08
    # 上年同期 as the growth implies it, and the zones' 合计 as the summary rolls it up.
    assert (refilled.cell(xiaoyi_row, added + 1).value, refilled.cell(xiaoyi_row, added + 2).value) == (29.18, 3.1)
    assert refilled.cell(xiaoyi_row, added).number_format == "#,##0.00"
    assert [refilled.cell(12, col).value for col in (2, added, added + 2)] == ["开发区合计", 162.33, -2.6]
