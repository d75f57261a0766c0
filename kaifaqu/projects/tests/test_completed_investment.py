"""年度完成投资 has one definition: the dashboard's card and monthly chart, the weekly and the
monthly report, the ledger export and the API all give the same figure, and its months plus
the part no progress report dates (未分月) add up to it."""

import datetime
import io
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kaifaqu.core.money import format_yi
from kaifaqu.projects.ledger.columns import COLUMNS
from kaifaqu.projects.services import progress_create
from kaifaqu.sheets.columns import ColumnMatcher

YEAR = 2025


def report_text(path) -> str:
    document = docx.Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += ["\t".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(parts)


def yi(wan: int) -> str:
    return format_yi(Decimal(wan), strip_zeros=True)


@pytest.fixture
def ledger(make_project, admin_user):
    """Three 2025 projects of 孝义, in 万元:
    - 氢能: 0 on the ledger, then progress reports of 6000 (March) and 1500 (May) → 7500;
    - 焦化: 20000 imported from the office's sheet, no progress report at all (all 未分月);
    - 储能: 3000 on the ledger, then 500 (June) and 1000 (July) → 4500, of which 3000 未分月.
    Year total 32000, months 9000, 未分月 23000. A 2024 report on a 2025 project is not the year's."""
    started = {"signed_on": datetime.date(2025, 1, 5), "filed_on": datetime.date(2025, 1, 6)}
    started["started_on"] = datetime.date(2025, 1, 10)
    code = iter(f"2025-141181-26-03-{n:06d}" for n in range(1, 10))

    def make(name, completed):
        return make_project(
            name,
            stage="started",
            stage_dates=started,
            project_code=next(code),
            plan_year=YEAR,
            total_investment=Decimal(100000),
            year_planned_investment=Decimal(40000),
            year_completed_investment=Decimal(completed),
        )

    hydrogen, _coke, storage = make("氢能项目", 0), make("焦化项目", 20000), make("储能项目", 3000)
    for project, day, wan in (
        (hydrogen, datetime.date(2025, 3, 10), 6000),
        (hydrogen, datetime.date(2025, 5, 20), 1500),
        (storage, datetime.date(2025, 6, 5), 500),
        (storage, datetime.date(2025, 7, 15), 1000),
        (storage, datetime.date(2024, 12, 20), 800),  # before the plan year: not 2025's investment
    ):
        progress_create(user=admin_user, project=project, reported_on=day, text="施工", investment=Decimal(wan))


def test_card_chart_reports_export_and_api_agree(ledger, xiaoyi, xiaoyi_staff, api, tmp_path):
    total, unmonthed = 32000, 23000
    client = Client()
    client.force_login(xiaoyi_staff)

    # 驾驶舱: the card, and the chart's twelve months plus 未分月, give the same 3.2亿元.
    response = client.get(reverse("dashboard:index"), {"year": YEAR, "zone": xiaoyi.pk})
    page = response.content.decode()
    card = page.split('data-kpi="year-investment"')[1].split("</a>")[0]
    assert f"{format_yi(Decimal(total))} / 12.00" in card
    months = response.context["charts"]["months"]
    assert months["labels"] == [f"{month}月" for month in range(1, 13)] + ["未分月"]
    assert months["values"][2] == 0.6 and months["values"][6] == 0.1  # March 6000, July 1000
    assert months["values"][-1] == float(format_yi(Decimal(unmonthed)))
    assert round(sum(months["values"]), 2) == float(format_yi(Decimal(total)))
    assert "其中按进展逐月 0.90、未分月 2.30" in page

    # 周调度 to the year's end: the same total, its 未分月 part said.
    weekly = tmp_path / "周调度.docx"
    call_command("report", "weekly", "--zone", "孝义", "--date", "2025-12-31", "--year", str(YEAR), "-o", str(weekly))
    assert f"已完成{yi(total)}亿元（其中未分月{yi(unmonthed)}亿元），完成率26.7%" in report_text(weekly)

    # 月度报告 for June: as of June 30 the July report is not yet in, in either sentence or the table.
    monthly = tmp_path / "月报.docx"
    call_command("report", "monthly", "--city", "吕梁", "--month", f"{YEAR}-06", "-o", str(monthly))
    text = report_text(monthly)
    june_total = total - 1000
    assert f"已完成{yi(june_total)}亿元（其中未分月{yi(unmonthed)}亿元）" in text
    assert (
        f"{YEAR}年已完成投资{yi(june_total)}亿元，其中1—6月按项目进展逐月填报{yi(8000)}亿元（6月{yi(500)}亿元），"
        f"未分月{yi(unmonthed)}亿元（台账填报、无逐月进展）。"
    ) in text
    assert f"合计\t\t3\t30.00\t12.00\t{format_yi(Decimal(june_total))}\t" in text

    # The ledger export: 年度完成投资 sums to the card, 其中未分月 to the chart's 未分月 bar.
    export = client.get(reverse("imports:export_projects"), {"zone": xiaoyi.pk, "year": YEAR, "unit": "万元"})
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    header, body, sums = rows[1], rows[2:-1], rows[-1]
    completed, part = header.index("年度完成投资（万元）"), header.index("其中未分月（万元）")
    assert sums[0] == "合计" and (Decimal(str(sums[completed])), Decimal(str(sums[part]))) == (total, unmonthed)
    by_name = {row[header.index("项目名称")]: (row[completed], row[part]) for row in body}
    assert by_name == {"氢能项目": (7500, 0), "焦化项目": (20000, 20000), "储能项目": (4500, 3000)}

    # The API's per-project figure is the same 年度完成投资.
    projects = api(xiaoyi_staff).get("/api/projects/", {"year": YEAR, "page_size": 100}).json()["results"]
    assert sum(Decimal(project["year_completed_investment"]) for project in projects) == total


def test_the_importer_leaves_the_unmonthed_column_out():
    """其中未分月 is derived: the importer leaves it out rather than reading it as 年度完成投资."""
    assert ColumnMatcher(COLUMNS).match("其中未分月（万元）") is None
    assert ColumnMatcher(COLUMNS).match("年度完成投资（万元）") == "year_completed_investment"
