"""Exports in the office layout, and the round trip: an export imported again changes nothing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from kaifaqu.audit.models import AuditEntry
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.imports.engine import run_import
from kaifaqu.imports.registry import ledger_kind
from kaifaqu.projects.models import Project
from kaifaqu.projects.services import milestone_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(xiaoyi, xiaoyi_enterprise, xiaoyi_park, make_project, xiaoyi_staff):
    """Projects with every kind of field filled: stages and dates, 入统, park, milestones."""
    started = make_project(
        "焦炉煤气综合利用项目",
        total_investment=Decimal("123456.78"),
        year_planned_investment=Decimal("20000.5"),
        land_area_mu=Decimal("86.25"),
        park=xiaoyi_park,
        enterprise=xiaoyi_enterprise,
        priority_level="province",
        liaison_leader="张副县长",
        content="=SUM(A1) 不能当公式",
        stage="started",
        stage_dates={
            "signed_on": datetime.date(2024, 1, 10),
            "filed_on": datetime.date(2024, 2, 1),
            "started_on": datetime.date(2024, 4, 18),
        },
        project_code="2024-141181-25-03-000777",
    )
    Project.objects.filter(pk=started.pk).update(
        in_statistics=True,
        in_statistics_on=datetime.date(2024, 6, 30),
        completed=True,
        completed_on=datetime.date(2024, 9, 30),
        remark="主体完工\n待验收",
    )
    planned = make_project("氢能产业园", total_investment=Decimal("88000"), plan_year=2025)
    milestone_create(user=xiaoyi_staff, project=planned, name="开工", planned_on=datetime.date(2026, 3, 31))
    milestone_create(user=xiaoyi_staff, project=planned, name="竣工", planned_on=datetime.date(2027, 6, 30))
    make_project("谋划中的项目", total_investment=Decimal("0.01"))
    return [started, planned]


def export(tmp_path, name, *args):
    path = tmp_path / name
    out = io.StringIO()
    call_command("export_ledger", "projects", *args, "-o", str(path), stdout=out)
    return path, out.getvalue().strip()


@pytest.mark.parametrize(("unit", "name"), [("万元", "台账.xlsx"), ("亿元", "台账-亿元.xlsx"), ("万元", "台账.csv")])
def test_export_then_import_changes_nothing(tmp_path, ledger, unit, name):
    path, said = export(tmp_path, name, "--zone", "孝义", "--unit", unit)
    assert said == f"已导出 3 条项目记录到 {path}"
    entries = AuditEntry.objects.count()
    result = run_import(ledger_kind("projects"), path, extension=path.suffix[1:], commit=True)
    assert result.errors == [] and result.warnings == []
    assert (result.rows_read, result.created, result.updated, result.unchanged) == (3, 0, 0, 3)
    assert AuditEntry.objects.count() == entries


def test_export_into_an_empty_database_recreates_the_ledger(tmp_path, ledger):
    path, _ = export(tmp_path, "台账.xlsx", "--unit", "亿元")
    fields = ["name", "total_investment", "year_planned_investment", "stage", "started_on", "in_statistics_on"]
    fields += ["completed", "completed_on", "remark"]
    before = sorted(Project.objects.values_list(*fields))
    Project.objects.all().delete()
    result = run_import(ledger_kind("projects"), path, extension="xlsx", commit=True)
    assert result.created == 3 and result.errors == []
    assert sorted(Project.objects.values_list(*fields)) == before
    planned = Project.objects.get(name="氢能产业园").milestones.order_by("planned_on")
    assert [(m.name, m.planned_on) for m in planned] == [
        ("开工", datetime.date(2026, 3, 31)),
        ("竣工", datetime.date(2027, 6, 30)),
    ]


def test_export_has_the_office_layout(tmp_path, ledger):
    path, _ = export(tmp_path, "台账.xlsx", "--zone", "孝义经开区", "--unit", "亿元")
    sheet = load_workbook(path).active
    today = datetime.date.today()
    assert sheet["A1"].value == f"孝义经济技术开发区重点项目台账（截至{today.year}年{today.month}月{today.day}日）"
    assert "A1:AL1" in {str(area) for area in sheet.merged_cells.ranges}  # 序号 and 37 columns
    header = [cell.value for cell in sheet[2]]
    assert header[:3] == ["序号", "项目代码", "项目名称"] and "总投资（亿元）" in header and "用地面积（亩）" in header
    assert sheet.freeze_panes == "C3"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    total_col = header.index("总投资（亿元）")
    assert rows[-1][0] == "合计" and rows[-1][header.index("项目名称")] == "共3个"
    assert rows[-1][total_col] == pytest.approx(21.145679)  # 123456.78 + 88000 + 0.01 万元
    data = {row[header.index("项目名称")]: row for row in rows[:-1]}
    coke = data["焦炉煤气综合利用项目"]
    assert coke[total_col] == pytest.approx(12.345678)
    assert sheet.cell(row=3, column=total_col + 1).number_format == "#,##0.00"
    assert coke[header.index("项目阶段")] == "已开工（在建）" and coke[header.index("重点项目级别")] == "省重点"
    assert coke[header.index("开工日期")] == datetime.datetime(2024, 4, 18)
    content = sheet.cell(row=3 + list(data).index("焦炉煤气综合利用项目"), column=header.index("建设内容及规模") + 1)
    assert (content.value, content.data_type) == ("=SUM(A1) 不能当公式", "s")  # text, not a formula
    assert sheet.column_dimensions["C"].width == 32


def test_export_is_scoped_to_the_zone_given(tmp_path, ledger, tunliu, make_project, tunliu_staff):
    make_project("屯留项目", zone=tunliu, user=tunliu_staff, total_investment=Decimal("5"))
    path, said = export(tmp_path, "屯留.csv", "--zone", "屯留")
    assert said.startswith("已导出 1 条项目记录")
    text = path.read_bytes().decode("utf-8-sig")
    assert "屯留项目" in text and "焦炉煤气" not in text


def test_enterprise_ledger_round_trip_and_update(tmp_path, xiaoyi, xiaoyi_enterprise):
    path = tmp_path / "企业.xlsx"
    call_command("export_ledger", "enterprises", "--zone", "孝义", "-o", str(path), stdout=io.StringIO())
    result = run_import(ledger_kind("enterprises"), path, extension="xlsx", commit=True)
    assert (result.unchanged, result.created, result.errors) == (1, 0, [])

    from .files import write_xlsx

    update = write_xlsx(
        tmp_path / "企业更新.xlsx",
        [
            ["序号", "企业名称", "统一社会信用代码", "是否高新", "专精特新", "联系电话"],
            [1, "山西鹏飞集团有限公司", xiaoyi_enterprise.credit_code, "是", "小巨人", "0358-1234567"],
            [2, "孝义新材料有限公司", None, "否", None, None],
            [3, "坏代码公司", "91141181MA0XXXXXX1", None, None, None],
        ],
    )
    result = run_import(ledger_kind("enterprises"), update, extension="xlsx", zone=xiaoyi, commit=True)
    assert [error.message for error in result.errors] == [
        "第4行 统一社会信用代码: “91141181MA0XXXXXX1”统一社会信用代码校验位错误：最后一位应为 3，实际为 1"
    ]
    assert not result.committed and Enterprise.objects.count() == 1
    result = run_import(ledger_kind("enterprises"), update, extension="xlsx", zone=xiaoyi, commit=True, keep_valid=True)
    enterprise = Enterprise.objects.get(pk=xiaoyi_enterprise.pk)
    assert (
        enterprise.is_high_tech and enterprise.specialised == "national" and enterprise.contact_phone == "0358-1234567"
    )
    assert Enterprise.objects.filter(name="孝义新材料有限公司", zone=xiaoyi).exists()
    assert (result.updated, result.created) == (1, 1)


def test_enterprise_registry_fields_round_trip(tmp_path, xiaoyi, xiaoyi_enterprise, xiaoyi_staff):
    from kaifaqu.enterprises.models import IndustryClass

    Enterprise.objects.filter(pk=xiaoyi_enterprise.pk).update(
        is_listed=True, liaison_leader="王建军", industry_class=IndustryClass.objects.get(code="25")
    )
    path = tmp_path / "企业.xlsx"
    call_command("export_ledger", "enterprises", "--zone", "孝义", "-o", str(path), stdout=io.StringIO())
    result = run_import(ledger_kind("enterprises"), path, extension="xlsx", commit=True)
    assert (result.unchanged, result.errors) == (1, [])  # read back as written: nothing changes

    from .files import write_xlsx

    update = write_xlsx(
        tmp_path / "企业更新.xlsx",
        [
            ["企业名称", "统一社会信用代码", "上市企业", "包联领导", "国民经济行业"],
            ["山西鹏飞集团有限公司", xiaoyi_enterprise.credit_code, "否", "李志强", "26"],
        ],
    )
    result = run_import(ledger_kind("enterprises"), update, extension="xlsx", zone=xiaoyi, commit=True)
    assert result.errors == []
    enterprise = Enterprise.objects.get(pk=xiaoyi_enterprise.pk)
    assert (enterprise.is_listed, enterprise.liaison_leader, enterprise.industry_class_id) == (False, "李志强", "26")
