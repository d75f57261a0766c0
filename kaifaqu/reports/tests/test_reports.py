"""Reports: every figure equals the dashboard's; the files open with the libraries offices' tools use."""

import datetime
import io
import re
import zipfile

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from kaifaqu.conftest import LEDGER_YEAR
from kaifaqu.core.money import format_yi
from kaifaqu.dashboard.selectors import dashboard
from kaifaqu.projects.models import Project
from kaifaqu.regions.models import Region
from kaifaqu.reports.models import Report
from kaifaqu.reports.services import report_request

AS_OF = datetime.date(2025, 6, 30)


def document_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += ["\t".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(parts)


@pytest.fixture
def eager(settings):
    settings.KAIFAQU_TASKS_EAGER = True


def test_weekly_report_figures_equal_the_dashboards(hand_ledger, xiaoyi, tmp_path):
    out = tmp_path / "周调度.docx"
    call_command(
        "report", "weekly", "--zone", "孝义", "--date", AS_OF.isoformat(), "--year", str(LEDGER_YEAR), "-o", str(out)
    )
    text = document_text(out.read_bytes())
    figures = dashboard(Project.objects.filter(zone=xiaoyi), year=LEDGER_YEAR, today=AS_OF)
    assert text.startswith("孝义经济技术开发区重点项目建设周调度\n（2025年6月24日—2025年6月30日）")
    total_yi = format_yi(figures.pipeline.total_investment, strip_zeros=True)
    assert f"共有重点项目{figures.pipeline.projects}个，总投资{total_yi}亿元" in text
    assert figures.pipeline.sentence in text
    start = figures.pipeline.rates["start"]
    assert f"开工率{start.display}（{start.numerator}/{start.denominator}）" in text
    assert f"完成率{figures.completion_pct}%" in text  # 7500 of 40000 万元
    assert f"逾期节点{figures.overdue_count}个" in text
    assert "主体封顶\t2025-06-01\t29" in text  # the overdue milestone, 29 days late
    assert "合计\t4\t18.00" in text  # the stage table's 合计 row
    assert "五、下周工作安排" in text
    document = docx.Document(str(out))
    assert len(document.inline_shapes) == 1  # the stage chart


def test_monthly_report_ranks_zones_as_the_dashboard_does(hand_ledger, tmp_path, admin_user):
    out = tmp_path / "月报.docx"
    call_command("report", "monthly", "--city", "吕梁", "--month", "2025-05", "-o", str(out))
    text = document_text(out.read_bytes())
    lvliang = Project.objects.filter(zone__region__code__startswith="1411")
    figures = dashboard(lvliang, year=LEDGER_YEAR, today=datetime.date(2025, 5, 31))
    assert "吕梁市开发区2025年5月项目建设情况" in text and "（截至2025年5月31日）" in text
    assert f"全市{len(figures.by_zone)}个开发区{LEDGER_YEAR}年度共有重点项目{figures.pipeline.projects}个" in text
    zone = figures.by_zone[0]
    assert f"1\t{zone.name}\t{zone.count}\t{format_yi(zone.investment)}\t{format_yi(zone.year_planned)}" in text
    assert re.search(r"合计\t\t4\t18\.00\t4\.00\t0\.75\t18\.8%", text)
    # Every yuan of hand_ledger's 年度完成投资 comes from a progress report: no 未分月 part.
    assert "2025年已完成投资0.75亿元，其中1—5月按项目进展逐月填报0.75亿元（5月0.15亿元）。" in text
    assert "七、存在的问题" in text and "八、下步工作打算" in text


def test_docx_is_in_government_style_and_xlsx_sums(hand_ledger, tmp_path):
    out = tmp_path / "月报.docx"
    call_command("report", "monthly", "--city", "吕梁市", "--month", "2025-05", "-o", str(out))
    document = docx.Document(str(out))
    title = document.paragraphs[0].runs[0]
    assert title.font.size.pt == 22
    assert (
        title._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "方正小标宋简体"
    )
    body = document.paragraphs[3].runs[0]
    assert body.font.size.pt == 16 and body.font.name == "仿宋_GB2312"
    fonts = zipfile.ZipFile(out).read("word/fontTable.xml").decode()
    assert 'w:name="方正小标宋简体"' in fonts and 'w:altName w:val="宋体"' in fonts
    sheet_out = tmp_path / "月报.xlsx"
    call_command("report", "monthly", "--city", "吕梁市", "--month", "2025-05", "-o", str(sheet_out))
    workbook = openpyxl.load_workbook(sheet_out)
    zones = workbook["各开发区项目建设情况（按年度完成投资排序）"]
    rows = list(zones.iter_rows(values_only=True))
    assert rows[1][:3] == ("名次", "开发区", "项目数（个）")
    assert rows[-1][0] == "合计" and rows[-1][2] == sum(row[2] for row in rows[2:-1])


def test_command_refusals_are_one_chinese_line(hand_ledger, tmp_path):
    with pytest.raises(CommandError, match=r"应以 \.docx 或 \.xlsx 结尾"):
        call_command("report", "weekly", "--zone", "孝义", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="月份“2025-13”无效"):
        call_command("report", "monthly", "--city", "吕梁", "--month", "2025-13", "-o", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="还没有开始"):
        call_command("report", "monthly", "--city", "吕梁", "--month", "2099-01", "-o", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="未找到地市“火星”"):
        call_command("report", "monthly", "--city", "火星", "--month", "2025-01", "-o", str(tmp_path / "x.docx"))


def test_requested_report_is_built_in_the_background_and_downloaded(hand_ledger, xiaoyi, xiaoyi_staff, eager):
    report = report_request(user=xiaoyi_staff, kind="weekly", zone=xiaoyi, as_of=AS_OF, year=LEDGER_YEAR)
    report.refresh_from_db()
    assert (report.status, report.progress) == (Report.Status.DONE, 100)
    client = Client()
    client.force_login(xiaoyi_staff)
    page = client.get(reverse("reports:index")).content.decode()
    assert report.title in page and "?file=docx" in page
    response = client.get(reverse("reports:download", args=[report.pk]), {"file": "docx"})
    text = document_text(b"".join(response.streaming_content))
    assert "孝义经济技术开发区重点项目建设周调度" in text
    sheet = client.get(reverse("reports:download", args=[report.pk]), {"file": "xlsx"})
    assert openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).sheetnames[0] == "概况"


def test_a_zone_cannot_ask_for_its_citys_monthly_report(hand_ledger, xiaoyi_staff, tunliu_staff, eager):
    with pytest.raises(PermissionDenied):
        report_request(user=xiaoyi_staff, kind="monthly", city=Region.objects.get(code="141100"), year=2025, month=5)
    report = report_request(user=xiaoyi_staff, kind="weekly", zone=xiaoyi_staff.membership.unit.zone, as_of=AS_OF)
    assert not Report.objects.visible_to(tunliu_staff).filter(pk=report.pk).exists()
