"""月调度分析: the overview sentences, tables, ranks and gaps in the .docx and .xlsx equal ``city_summary``'s."""

import io
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from kaifaqu.conftest import make_user
from kaifaqu.indicators.models import AnnualTarget, Indicator, IndicatorReport, IndicatorValue
from kaifaqu.indicators.selectors import (
    Behind,
    CitySummary,
    Figure,
    behind_schedule,
    city_summary,
    in_units,
    schedule_phrase,
)
from kaifaqu.regions.models import Region
from kaifaqu.reports.models import Report
from kaifaqu.reports.services import report_request
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit, Zone
from kaifaqu.zones.services import unit_for_region, zone_create

# The eight industrial zones of 吕梁 and their 2024 1-3月 规上工业增加值 (as in the indicators' city-table test).
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
# Annual targets of 规上工业增加值: at 1-3月 (time progress 25.0%) 孝义 is ahead (25.1%),
# 汾阳 (16.9%) and 交城 (23.4%) behind by 8.1 and 1.6 points.
TARGETS = {"孝义经开区": "120", "汾阳经开区": "150", "交城经开区": "80"}
TITLE = "吕梁市开发区2024年1-3月主要经济指标运行分析"


@pytest.fixture
def lvliang(reference_data):
    """吕梁's zones with their March figures and targets, the city's own 全市 figures, and the city office."""
    zones = {short: zone_create(name=name, short_name=short, region_code=code) for name, short, code, _, _ in ZONES}
    added = Indicator.objects.get(name="规上工业增加值")
    investment = Indicator.objects.get(name="工业投资")
    for _, short, _, value, growth in ZONES:
        report = _report(zone=zones[short])
        IndicatorValue.objects.create(report=report, indicator=added, value=Decimal(value), growth_pct=Decimal(growth))
        if short in TARGETS:
            AnnualTarget.objects.create(zone=zones[short], indicator=added, year=2024, value=Decimal(TARGETS[short]))
    xiaoyi = IndicatorReport.objects.get(zone=zones["孝义经开区"])
    IndicatorValue.objects.create(
        report=xiaoyi, indicator=investment, value=Decimal("3.30"), last_year=Decimal("3.00")
    )  # +10%
    city = Region.objects.get(code="141100")
    region_report = _report(region=city)
    IndicatorValue.objects.create(
        report=region_report, indicator=added, value=Decimal("420.50"), growth_pct=Decimal("-9.9")
    )
    IndicatorValue.objects.create(
        report=region_report, indicator=investment, value=Decimal("60.2"), last_year=Decimal("55.0")
    )
    office = make_user("lvliang-office", unit_for_region(region=city), roles.LEADER)
    return {"city": city, "zones": zones, "office": office}


def _report(**owner) -> IndicatorReport:
    return IndicatorReport.objects.create(year=2024, month=3, status=IndicatorReport.Status.APPROVED, **owner)


@pytest.fixture
def eager(settings, tmp_path):
    settings.KAIFAQU_TASKS_EAGER = True
    settings.DATA_DIR = tmp_path


def office_summary(lvliang) -> CitySummary:
    office = lvliang["office"]
    return city_summary(
        lvliang["city"],
        year=2024,
        month=3,
        zones=Zone.objects.visible_to(office),
        reports=IndicatorReport.objects.visible_to(office),
    )


def paragraphs_after(document, heading: str, count: int) -> list[str]:
    texts = [paragraph.text for paragraph in document.paragraphs]
    start = texts.index(heading) + 1
    return texts[start : start + count]


def table_rows(table) -> list[list[str]]:
    return [[cell.text.replace("\n", "") for cell in row.cells] for row in table.rows]  # 本年累计↵（亿元）


def expected_row(name: str, figure: Figure, indicator: Indicator) -> list[str]:
    def text(value) -> str:
        return "—" if value is None else str(value)

    rank = "" if figure.rank is None else str(figure.rank)
    return [
        name,
        text(in_units(figure.value, indicator)),
        text(figure.growth_pct),
        text(figure.pp_vs_region),
        text(figure.target_completion_pct),
        rank,
    ]


def test_the_requested_report_says_what_the_summary_says(lvliang, eager):
    report = report_request(user=lvliang["office"], kind="indicators", city=lvliang["city"], year=2024, month=3)
    report.refresh_from_db()
    assert (report.status, report.progress, report.title) == (Report.Status.DONE, 100, TITLE)
    summary = office_summary(lvliang)
    document = docx.Document(str(report.path("docx")))
    assert document.paragraphs[0].text == TITLE
    assert summary.sentences == [
        "8个工业类开发区规上工业增加值完成162.33亿元，同比增长-2.6%，高于全市平均增速7.3个百分点。",
        "1个工业类开发区工业投资完成3.30亿元，同比增长10.0%，高于全市平均增速0.5个百分点。",
    ]
    overview = paragraphs_after(document, "一、总体情况", len(summary.sentences) + 1)
    assert overview[:-1] == summary.sentences
    # 孝义, 汾阳 and 交城 together: 74.23 of 350 亿元.
    assert overview[-1] == (
        "时间进度为25.0%（3/12）。按有年度目标的开发区合计，规上工业增加值完成年度目标的21.2%，落后时序进度3.8个百分点。"
    )

    added = Indicator.objects.get(name="规上工业增加值")
    rows = table_rows(document.tables[0])
    assert rows[0] == ["开发区", "本年累计（亿元）", "同比增长（%）", "比全市（百分点）", "目标完成（%）", "排名"]
    by_name = {row[0]: row for row in rows[1:]}
    for zone in summary.zones:
        assert by_name[zone.name] == expected_row(zone.name, summary.by_zone[zone.pk][added.pk], added)
    assert by_name["孝义经济技术开发区"] == ["孝义经济技术开发区", "30.08", "3.1", "13.0", "25.1", "2"]
    assert by_name["柳林经济开发区"][5] == "1" and by_name["文水经济开发区"][5] == "4"  # 2, 2, then 4
    assert rows[-2] == expected_row("合计", summary.zones_total[added.pk], added)
    assert rows[-2][:4] == ["合计", "162.33", "-2.6", "7.3"]
    assert rows[-1] == ["全市", "420.50", "-9.9", "", "", ""]
    assert len(document.inline_shapes) == 1  # the growth chart

    ranking = paragraphs_after(document, "三、排名情况", 1)[0]
    assert ranking == (
        "规上工业增加值同比增速由高到低：1.柳林经济开发区（12.5%），2.交城经济开发区（3.1%），"
        "2.孝义经济技术开发区（3.1%），4.文水经济开发区（-1.0%），5.吕梁经济技术开发区（-5.2%），"
        "6.交口经济开发区（-8.1%），7.汾阳经济开发区（-8.4%），8.中阳经济开发区（-15.3%）。"
    )  # ties share a rank and keep the table's order

    behind = paragraphs_after(document, "四、落后时序进度的开发区", 1)[0]
    assert "2个开发区的2项指标落后" in behind
    assert "差距最大的是汾阳经济开发区规上工业增加值（完成16.9%，落后时序进度8.1个百分点）" in behind
    assert table_rows(document.tables[2])[1:] == [
        ["汾阳经济开发区", "规上工业增加值", "16.9", "25.0", "8.1"],
        ["交城经济开发区", "规上工业增加值", "23.4", "25.0", "1.6"],
    ]
    for heading in ("五、形势研判", "六、下步工作建议"):
        assert paragraphs_after(document, heading, 4) == ["", "", "", ""]  # left for the office's own words

    workbook = openpyxl.load_workbook(report.path("xlsx"))
    sheet = list(workbook["规上工业增加值完成情况"].iter_rows(values_only=True))
    assert sheet[0][0] == "表1 规上工业增加值完成情况"
    xiaoyi = next(row for row in sheet if row[0] == "孝义经济技术开发区")
    assert xiaoyi == ("孝义经济技术开发区", 30.08, 3.1, 13.0, 25.1, 2)
    assert sheet[-2][:3] == ("合计", 162.33, -2.6) and sheet[-1][:3] == ("全市", 420.5, -9.9)
    assert workbook["概况"]["A3"].value == "一、总体情况" and workbook["概况"]["A4"].value == summary.sentences[0]


def test_the_command_writes_the_same_report(lvliang, tmp_path):
    zone_create(name="方山示范区", short_name="方山示范区", region_code="141128")  # nothing approved this month
    out = tmp_path / "月调度分析.docx"
    call_command("report", "indicators", "--city", "吕梁市", "--month", "2024-03", "-o", str(out), stdout=io.StringIO())
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == TITLE
    assert paragraphs_after(document, "一、总体情况", 1) == [office_summary(lvliang).sentences[0]]
    assert "方山示范区的月报尚未审核通过，未计入以上数据。" in [paragraph.text for paragraph in document.paragraphs]
    sheet_out = tmp_path / "月调度分析.xlsx"
    call_command(
        "report", "indicators", "--city", "吕梁", "--month", "2024-03", "-o", str(sheet_out), stdout=io.StringIO()
    )
    sheet = list(openpyxl.load_workbook(sheet_out)["工业投资完成情况"].iter_rows(values_only=True))
    assert next(row for row in sheet if row[0] == "孝义经济技术开发区") == (
        "孝义经济技术开发区",
        3.3,
        10.0,
        0.5,
        "—",
        1,
    )
    with pytest.raises(CommandError, match="月调度分析需要 --city"):
        call_command("report", "indicators", "--month", "2024-03", "-o", str(out))
    with pytest.raises(CommandError, match="还没有开始，不能生成月调度分析"):
        call_command("report", "indicators", "--city", "吕梁", "--month", "2099-01", "-o", str(out))


def test_the_form_queues_it_and_a_zone_may_not(lvliang, eager):
    client = Client()
    client.force_login(lvliang["office"])
    page = client.post(
        reverse("reports:index"), {"kind": "indicators", "city": lvliang["city"].pk, "month": "2024-03"}, follow=True
    )
    assert TITLE in page.content.decode()
    report = Report.objects.get(kind=Report.Kind.INDICATORS)
    assert report.status == Report.Status.DONE and report.get_kind_display() == "月调度分析"
    staff = make_user("xiaoyi-staff", Unit.objects.get(zone=lvliang["zones"]["孝义经开区"]), roles.PROJECT_OFFICER)
    with pytest.raises(PermissionDenied, match="月调度分析由市、省主管部门生成"):
        report_request(user=staff, kind="indicators", city=lvliang["city"], year=2024, month=3)
    assert not Report.objects.visible_to(staff).exists()


def test_an_empty_month_still_has_every_heading(lvliang, tmp_path):
    out = tmp_path / "空.docx"
    call_command("report", "indicators", "--city", "吕梁", "--month", "2024-01", "-o", str(out), stdout=io.StringIO())
    texts = [paragraph.text for paragraph in docx.Document(str(out)).paragraphs]
    assert texts[0] == "吕梁市开发区2024年1月主要经济指标运行分析"
    assert "吕梁市各开发区2024年1月暂无已审核的指标数据。" in texts
    for heading in (
        "二、主要指标完成情况",
        "三、排名情况",
        "四、落后时序进度的开发区",
        "五、形势研判",
        "六、下步工作建议",
    ):
        assert heading in texts


# ------------------------------------------------------------------ behind_schedule, without a database


def _summary(columns: dict[str, list[Decimal | None]], month: int = 3) -> CitySummary:
    """Zones 甲乙丙丁 with one target completion per indicator column."""
    indicators = [Indicator(pk=number, name=name) for number, name in enumerate(columns, start=1)]
    zones = [Zone(pk=number, name=name) for number, name in enumerate("甲乙丙丁", start=1)]
    by_zone = {
        zone.pk: {
            indicator.pk: Figure(value=Decimal(1), target_completion_pct=columns[indicator.name][index])
            for indicator in indicators
        }
        for index, zone in enumerate(zones)
    }
    return CitySummary(Region(code="141100", name="吕梁市"), 2024, month, indicators, zones, by_zone, {}, {})


def test_behind_schedule_widest_gap_first():
    summary = _summary(
        {
            "规上工业增加值": [Decimal("25.1"), Decimal("16.9"), None, Decimal("25.0")],
            "工业投资": [Decimal("10.0"), Decimal("30.0"), Decimal("23.4"), None],
        }
    )
    behind = behind_schedule(summary)
    assert [(item.zone.name, item.indicator.name, item.completion_pct, item.gap_pp) for item in behind] == [
        ("甲", "工业投资", Decimal("10.0"), Decimal("15.0")),
        ("乙", "规上工业增加值", Decimal("16.9"), Decimal("8.1")),
        ("丙", "工业投资", Decimal("23.4"), Decimal("1.6")),
    ]  # 25.1 is ahead, 25.0 on schedule, no target no gap
    assert isinstance(behind[0], Behind)
    assert behind_schedule(_summary({"税收收入": [Decimal("99"), None, None, None]})) == []


def test_schedule_phrase():
    assert schedule_phrase(Decimal("25.1"), Decimal("25.0")) == "超时序进度0.1个百分点"
    assert schedule_phrase(Decimal("16.9"), Decimal("25.0")) == "落后时序进度8.1个百分点"
    assert schedule_phrase(Decimal("25.0"), Decimal("25.0")) == "与时序进度持平"
