"""Ledgers as offices keep them: a stage word and a planned date, rarely the 签约日期 or the
项目代码. They come in whole; what they lack is recorded as missing (待补录) and counted."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kaifaqu.imports.engine import run_import
from kaifaqu.imports.registry import ledger_kind
from kaifaqu.projects import services
from kaifaqu.projects.completeness import data_gaps
from kaifaqu.projects.models import Project, Stage

from .files import write_csv, write_xls, write_xlsx

pytestmark = pytest.mark.django_db

ZONE_LEDGER = [
    ["孝义经济技术开发区2025年重点项目台账"],
    ["单位：亿元"],
    ["序号", "项目名称", "建设单位", "总投资", "是否省重点", "项目阶段", "计划开工时间", "备注"],
    ["一、续建项目（3个）"],
    [1, "焦化升级改造项目", "山西鹏飞集团有限公司", 12.5, "√", "在建", None, "省级重点工程"],
    [2, "LNG二期项目", "孝义市新能源科技有限公司", 5.2, None, "已竣工", None, None],
    [3, "精细化工园配套项目", None, 3.1, "√", "竣工投产", None, "已投产，正在试车"],
    ["二、新开工项目（3个）"],
    [4, "氢能重卡项目", "孝义氢能科技有限公司", 8, None, "已签约（待备案）", "2026年3月", None],
    [5, "光伏组件项目", None, 2.3, None, "新开工", "2026年6月", None],
    [6, "储能电站项目", None, 6, "是", "已备案", None, None],
]
ZONE_GAPS = {
    "签约日期": 5,
    "备案日期": 4,
    "项目代码": 4,
    "开工日期": 3,
    "竣工日期": 1,
    "投产日期": 1,
    "建设单位": 2,
    "行业": 6,
}


def import_file(path, **options):
    options.setdefault("commit", True)
    return run_import(ledger_kind("projects"), path, extension=path.suffix[1:], **options)


def by_name() -> dict[str, Project]:
    return {project.name: project for project in Project.objects.select_related("plan_category", "enterprise")}


@pytest.mark.parametrize("extension", ["xlsx", "xls"])
def test_a_zones_key_project_ledger_comes_in_whole_with_its_gaps_counted(tmp_path, xiaoyi, extension):
    if extension == "xlsx":
        path = write_xlsx(tmp_path / "重点项目台账.xlsx", ZONE_LEDGER, merges=("A1:H1", "A4:H4", "A8:H8"))
    else:  # the same ledger re-saved as Excel 97-2003
        path = write_xls(tmp_path / "重点项目台账.xls", ZONE_LEDGER, merges=((0, 0, 0, 7), (3, 3, 0, 7), (7, 7, 0, 7)))
    result = import_file(path, zone=xiaoyi)

    assert result.errors == [] and result.created == 6 and result.committed
    assert result.gaps == ZONE_GAPS
    assert data_gaps(Project.objects.filter(zone=xiaoyi)) == {**ZONE_GAPS, "达产日期": 0, "入统日期": 0}
    projects = by_name()
    stages = {name: project.stage for name, project in projects.items()}
    assert stages == {
        "焦化升级改造项目": Stage.STARTED,
        "LNG二期项目": Stage.STARTED,  # 已竣工: construction completed, not 投产
        "精细化工园配套项目": Stage.PRODUCING,  # 竣工投产 says 投产
        "氢能重卡项目": Stage.SIGNED,
        "光伏组件项目": Stage.PLANNING,  # 新开工 is a year category: no date or 在建 says it started
        "储能电站项目": Stage.FILED,
    }
    lng = projects["LNG二期项目"]
    assert lng.completed and lng.completed_on is None
    assert not any(p.signed_on or p.filed_on or p.started_on or p.project_code for p in projects.values())
    categories = {name: project.plan_category.name for name, project in projects.items()}
    assert set(categories.values()) == {"续建", "新开工"} and categories["储能电站项目"] == "新开工"
    levels = {name for name, project in projects.items() if project.priority_level == "province"}
    assert levels == {"焦化升级改造项目", "精细化工园配套项目", "储能电站项目"}
    assert projects["焦化升级改造项目"].remark == "省级重点工程"
    assert projects["精细化工园配套项目"].remark == "已投产，正在试车"
    assert projects["焦化升级改造项目"].total_investment == Decimal("125000.00")
    planned = projects["氢能重卡项目"].milestones.get()
    assert (planned.name, planned.planned_on) == ("开工", datetime.date(2026, 3, 31))


def test_the_command_line_says_what_is_to_be_filled_in(tmp_path, xiaoyi):
    path = write_xlsx(tmp_path / "重点项目台账.xlsx", ZONE_LEDGER)
    out = io.StringIO()
    call_command("import_ledger", "projects", str(path), "--zone", "孝义", stdout=out)
    counts = out.getvalue().splitlines()[1]
    assert counts.startswith("读取 6 行：新增 6，更新 0，无变化 0，有错误 0")
    gaps = "签约日期 5，备案日期 4，项目代码 4，开工日期 3，竣工日期 1，投产日期 1，建设单位 2，行业 6"
    assert counts.endswith(f"；待补录：{gaps}")


def test_a_countys_gbk_csv_with_yes_no_key_marks_and_a_status_column(tmp_path, tunliu):
    rows = [
        ["序号", "项目名称", "项目单位", "总投资（万元）", "是否重点", "项目状态", "开工时间", "备注"],
        [1, "煤层气综合利用项目", "屯留煤层气开发有限公司", 25000, "是", "在建", "2024年5月", ""],
        [2, "新材料车间建设项目", "", 36700, "市重点", "续建", "2024-04-15", "沁源经开区代建"],
        [3, "光伏发电项目", "", 8000, "否", "已投产", "", ""],
        [4, "现代物流园项目", "", 12000, "", "洽谈中", "", ""],
    ]
    path = write_csv(tmp_path / "屯留县重点项目.csv", rows, encoding="gbk")
    result = import_file(path, zone=tunliu)

    assert result.errors == [] and result.created == 4
    projects = by_name()
    assert {name: (p.stage, p.priority_level) for name, p in projects.items()} == {
        "煤层气综合利用项目": (Stage.STARTED, "county"),
        "新材料车间建设项目": (Stage.STARTED, "city"),  # 续建 with a past 开工 date: started, by the date
        "光伏发电项目": (Stage.PRODUCING, ""),
        "现代物流园项目": (Stage.CONTACT, ""),
    }
    assert projects["新材料车间建设项目"].plan_category.name == "续建"
    assert projects["新材料车间建设项目"].started_on == datetime.date(2024, 4, 15)
    assert projects["煤层气综合利用项目"].enterprise.name == "屯留煤层气开发有限公司"
    assert result.gaps == {
        "签约日期": 3,
        "备案日期": 3,
        "项目代码": 3,
        "开工日期": 1,
        "投产日期": 1,
        "建设单位": 2,
        "行业": 4,
    }
    assert any("“是否重点”为“是”但未写明级别，已按县重点登记" in warning for warning in result.warnings)


def test_a_citys_multi_zone_list_reads_a_progress_column_as_the_stage(tmp_path, xiaoyi, tunliu):
    rows = [
        ["吕梁市2025年第一季度“三个一批”项目清单"],
        ["序号", "开发区", "项目名称", "总投资（亿元）", "进展情况"],
        [1, "孝义经开区", "焦炉煤气制氢项目", 3.5, "已签约"],
        [2, "孝义经开区", "碳纤维项目", 12, "已开工建设，完成投资2亿元"],
        [3, "屯留经开区", "锂电材料项目", 20, "正在办理环评手续"],
        [4, "屯留经开区", "智能装备产业园", 6.8, "竣工投产"],
    ]
    path = write_xlsx(tmp_path / "三个一批清单.xlsx", rows)
    result = import_file(path)

    assert result.errors == [] and result.created == 4
    projects = by_name()
    assert {name: (p.zone.short_name, p.stage) for name, p in projects.items()} == {
        "焦炉煤气制氢项目": ("孝义经开区", Stage.SIGNED),
        "碳纤维项目": ("孝义经开区", Stage.STARTED),
        "锂电材料项目": ("屯留经开区", Stage.PLANNING),
        "智能装备产业园": ("屯留经开区", Stage.PRODUCING),
    }
    # A progress note that names no stage is kept, not refused.
    assert projects["锂电材料项目"].remark == "正在办理环评手续"
    assert data_gaps(Project.objects.filter(zone=tunliu))["投产日期"] == 1


def test_the_page_and_the_import_refuse_the_same_impossible_history_with_one_message(tmp_path, xiaoyi, make_project):
    signed, started = datetime.date(2025, 5, 1), datetime.date(2025, 1, 8)
    with pytest.raises(ValidationError) as refused:
        make_project("新项目", stage="started", stage_dates={"signed_on": signed, "started_on": started})
    page_message = refused.value.message_dict["started_on"][0]
    assert page_message == "开工日期（2025-01-08）不能早于签约日期（2025-05-01）。"

    path = write_xlsx(
        tmp_path / "倒序.xlsx",
        [["项目名称", "总投资", "项目阶段", "签约日期", "开工日期"], ["新项目", 100, "在建", signed, started]],
    )
    result = import_file(path, zone=xiaoyi)
    assert [(error.column, error.reason) for error in result.errors] == [("开工日期", page_message.rstrip("。"))]

    # The same rule for a move of a project on record, by the page and by a ledger.
    project = make_project("已签约项目", stage="signed", stage_dates={"signed_on": signed})
    with pytest.raises(ValidationError) as moved:
        services.project_move_stage(
            user=project.created_by, project=project, to_stage="started", dates={"started_on": started}
        )
    move_message = moved.value.message_dict["started_on"][0]
    path = write_xlsx(
        tmp_path / "倒序推进.xlsx",
        [["项目名称", "总投资", "项目阶段", "开工日期"], ["已签约项目", 100, "在建", started]],
    )
    result = import_file(path, zone=xiaoyi)
    assert [error.reason for error in result.errors] == [move_message.rstrip("。")]
    assert Project.objects.get(pk=project.pk).stage == Stage.SIGNED


def test_a_filled_gap_survives_the_next_import_of_the_old_ledger(tmp_path, xiaoyi, xiaoyi_staff):
    path = write_xlsx(tmp_path / "重点项目台账.xlsx", ZONE_LEDGER)
    import_file(path, zone=xiaoyi)
    project = Project.objects.get(name="焦化升级改造项目")
    services.project_fill_gaps(
        user=xiaoyi_staff,
        project=project,
        dates={"signed_on": datetime.date(2024, 3, 1), "started_on": datetime.date(2024, 6, 1)},
        project_code="2024-141181-25-03-000123",
    )
    again = import_file(path, zone=xiaoyi)
    assert again.errors == [] and again.unchanged == 6
    project.refresh_from_db()
    assert (project.signed_on, project.started_on) == (datetime.date(2024, 3, 1), datetime.date(2024, 6, 1))
    assert project.project_code == "2024-141181-25-03-000123"
    assert again.gaps["签约日期"] == ZONE_GAPS["签约日期"] - 1


def test_filling_gaps_keeps_the_order_of_the_steps_and_fills_only_what_is_missing(tmp_path, xiaoyi, xiaoyi_staff):
    import_file(write_xlsx(tmp_path / "台账.xlsx", ZONE_LEDGER), zone=xiaoyi)
    project = Project.objects.get(name="焦化升级改造项目")
    services.project_fill_gaps(user=xiaoyi_staff, project=project, dates={"started_on": datetime.date(2024, 6, 1)})
    with pytest.raises(ValidationError) as refused:
        services.project_fill_gaps(user=xiaoyi_staff, project=project, dates={"signed_on": datetime.date(2024, 9, 1)})
    assert refused.value.message_dict == {"signed_on": ["签约日期（2024-09-01）不能晚于开工日期（2024-06-01）。"]}
    with pytest.raises(ValidationError) as again:
        services.project_fill_gaps(user=xiaoyi_staff, project=project, dates={"started_on": datetime.date(2024, 7, 1)})
    assert "已有记录" in again.value.message_dict["started_on"][0]
    project.refresh_from_db()
    assert (project.signed_on, project.started_on) == (None, datetime.date(2024, 6, 1))


def test_a_move_made_today_still_needs_its_date(make_project):
    project = make_project("在谈项目", stage="contact", stage_dates={"contact_on": datetime.date(2025, 3, 1)})
    with pytest.raises(ValidationError) as refused:
        services.project_move_stage(user=project.created_by, project=project, to_stage="started", dates={})
    assert set(refused.value.message_dict) == {"signed_on", "filed_on", "project_code", "started_on"}


def test_an_edit_keeps_a_gap_but_cannot_remove_what_is_recorded(tmp_path, xiaoyi, xiaoyi_staff):
    import_file(write_xlsx(tmp_path / "台账.xlsx", ZONE_LEDGER), zone=xiaoyi)
    filed = Project.objects.get(name="储能电站项目")  # 已备案 without its 项目代码 (a gap)
    services.project_update(user=xiaoyi_staff, project=filed, fields={"industry": "新型储能"})
    services.project_update(user=xiaoyi_staff, project=filed, fields={"project_code": "2024-141181-44-03-000009"})
    with pytest.raises(ValidationError) as refused:
        services.project_update(user=xiaoyi_staff, project=filed, fields={"project_code": ""})
    assert refused.value.message_dict == {"project_code": ["已备案的项目必须有项目代码。"]}
    lng = Project.objects.get(name="LNG二期项目")  # 已竣工 without its date (a gap)
    services.project_update(user=xiaoyi_staff, project=lng, fields={"industry": "天然气"})
    started = Project.objects.get(name="焦化升级改造项目")
    with pytest.raises(ValidationError) as unsaid:
        services.project_update(user=xiaoyi_staff, project=started, fields={"completed": True})
    assert unsaid.value.message_dict == {"completed_on": ["请填写竣工日期。"]}
