"""Importing project ledgers as offices keep them: messy layouts, every error named, all or nothing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kaifaqu.audit.models import AuditEntry
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.imports.engine import run_import
from kaifaqu.imports.registry import ledger_kind
from kaifaqu.projects.models import Milestone, Project, Stage, StageChange

from .files import write_csv, write_xls, write_xlsx

pytestmark = pytest.mark.django_db

HEADER_TOP = ["序号", "项目名称", "项目代码", "建设单位", "建设内容", "投资情况", None, "开工时间", "项目阶段"]
HEADER_TOP += ["包联县领导", "责任单位", "用地(亩)", "开发区", "园区"]
HEADER_SUB = [None, None, None, None, None, "总投资", "2025年计划投资", None, None, None, None, None, None, None]
# Row 3 and 4 hold the header; every column but F:G is merged down, F3:G3 across.
HEADER_MERGES = (*tuple(f"{col}3:{col}4" for col in "ABCDEHIJKLMN"), "F3:G3")


def messy_rows(enterprise_code: str) -> list[list]:
    """孝义's ledger as the office keeps it: title, a note with the unit, a two-row header,
    sections with counts, a blank row, a 小计 that adds up and a 合计 that does not."""
    return [
        ["孝义经济技术开发区2025年重点项目台账"] + [None] * 13,
        ["填报单位：孝义经开区项目服务中心", None, None, None, None, None, None, None, None, None, None, "单位：亿元"],
        HEADER_TOP,
        HEADER_SUB,
        ["一、尽快开工项目（2个）"] + [None] * 13,
        [
            1,
            "焦炉煤气制LNG项目",
            "2025-141181-26-03-000001",
            "山西鹏飞集团有限公司",
            "年产LNG 10万吨",
            5.2,
            "3000万",
            "2025年3月",
            "前期",
            "张三",
            "发改局",
            "１２０",
            "孝义经开区",
            "梧桐新材料园",
        ],
        [None] * 14,
        [
            2,
            " 氢能重卡  示范项目",
            None,
            "孝义市新能源科技有限公司",
            "200辆氢能重卡",
            "１２.５",
            "1,500万",
            2025.6,
            "重点意向",
            "李四",
            None,
            None,
            "孝义",
            None,
        ],
        ["小计", None, None, None, None, 17.7, 0.45] + [None] * 7,
        ["二、续建项目"] + [None] * 13,
        [
            3,
            "精细化工园区基础设施",
            "2024－141181－48－01－000002",
            None,
            "管网",
            3.25,
            1,
            datetime.date(2024, 5, 15),
            "在建",
            "王五",
            None,
            None,
            "孝义经济技术开发区",
            None,
        ],
        ["合计", None, None, None, None, 21, 1.45] + [None] * 7,
    ]


def import_file(path, extension=None, **options):
    options.setdefault("commit", True)
    return run_import(ledger_kind("projects"), path, extension=extension or path.suffix[1:], **options)


@pytest.fixture
def messy_xlsx(tmp_path, xiaoyi_enterprise, xiaoyi_park):
    rows = messy_rows(xiaoyi_enterprise.credit_code)
    return write_xlsx(tmp_path / "孝义项目台账.xlsx", rows, merges=("A1:N1", *HEADER_MERGES, "A5:N5", "A10:N10"))


def test_messy_office_ledger_comes_in_as_written(messy_xlsx, xiaoyi, xiaoyi_enterprise, xiaoyi_park):
    result = import_file(messy_xlsx)

    assert result.errors == []
    assert (result.rows_read, result.created, result.updated, result.skipped) == (3, 3, 0, 4)
    assert result.header_row == 3 and result.committed
    lng = Project.objects.get(project_code="2025-141181-26-03-000001")
    assert lng.zone == xiaoyi and lng.park == xiaoyi_park and lng.enterprise == xiaoyi_enterprise
    assert (lng.total_investment, lng.year_planned_investment, lng.land_area_mu) == (
        Decimal("52000.00"),
        Decimal("3000.00"),
        Decimal("120.00"),
    )
    assert lng.plan_year == 2025 and lng.plan_category.name == "尽快开工" and lng.stage == Stage.PLANNING
    assert (lng.liaison_leader, lng.task_force, lng.content) == ("张三", "发改局", "年产LNG 10万吨")
    # 开工时间 of a project not yet started is its planned start: the end of the month given.
    assert lng.started_on is None
    assert Milestone.objects.get(project=lng, name="开工").planned_on == datetime.date(2025, 3, 31)

    truck = Project.objects.get(name="氢能重卡 示范项目")
    assert (truck.total_investment, truck.year_planned_investment) == (Decimal("125000.00"), Decimal("1500.00"))
    assert truck.stage == Stage.INTENT and truck.plan_category.name == "尽快开工"
    assert truck.enterprise.name == "孝义市新能源科技有限公司" and truck.enterprise.zone == xiaoyi
    assert Milestone.objects.get(project=truck).planned_on == datetime.date(2025, 6, 30)

    pipes = Project.objects.get(name="精细化工园区基础设施")
    assert pipes.project_code == "2024-141181-48-01-000002"  # full-width dashes normalised
    assert (pipes.stage, pipes.started_on, pipes.plan_category.name) == (
        Stage.STARTED,
        datetime.date(2024, 5, 15),
        "续建",
    )
    assert pipes.total_investment == Decimal("32500.00") and pipes.year_planned_investment == Decimal("10000.00")

    # The 小计 adds up; the 合计 says 21亿 where the rows give 20.95亿.
    assert result.warnings == ["第12行 投资情况/总投资: 合计为 21.00 亿元，明细之和为 20.95 亿元，相差 0.05 亿元。"]
    assert result.extra == {"enterprises_created": 1}


def test_import_records_stage_history_and_audit_as_import(messy_xlsx, xiaoyi_staff):
    import_file(messy_xlsx, user=xiaoyi_staff)
    pipes = Project.objects.get(name="精细化工园区基础设施")
    move = StageChange.objects.get(project=pipes)
    assert (move.from_stage, move.to_stage, move.user) == (Stage.PLANNING, Stage.STARTED, xiaoyi_staff)
    assert move.reason == "台账导入：孝义项目台账.xlsx 第11行"
    entry = AuditEntry.objects.get(object_key=f"projects.project:{pipes.pk}", action="create")
    assert (entry.source, entry.user, entry.note) == ("import", xiaoyi_staff, "台账导入：孝义项目台账.xlsx 第11行")
    assert entry.changes["total_investment"] == [None, "32500.00"]


def test_reimporting_the_same_file_changes_nothing(messy_xlsx):
    import_file(messy_xlsx)
    before = AuditEntry.objects.count()
    again = import_file(messy_xlsx)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.count() == before


def test_second_import_updates_by_code_then_by_name_and_moves_forward(tmp_path, messy_xlsx, xiaoyi):
    import_file(messy_xlsx)
    update = write_xlsx(
        tmp_path / "更新.xlsx",
        [
            ["项目名称", "项目代码", "总投资（万元）", "项目阶段", "签约日期", "备案日期", "开工日期", "开发区"],
            [
                "焦炉煤气制LNG项目（一期）",
                "2025-141181-26-03-000001",
                52000,
                "在建",
                "2025-01-10",
                "2025-02-20",
                "2025-04-02",
                "孝义",
            ],
            ["氢能重卡示范项目", None, "13亿元", None, None, None, None, "孝义"],
        ],
    )
    result = import_file(update)
    assert result.errors == [] and (result.updated, result.created) == (2, 0)
    lng = Project.objects.get(project_code="2025-141181-26-03-000001")
    assert lng.name == "焦炉煤气制LNG项目（一期）" and lng.stage == Stage.STARTED
    assert lng.started_on == datetime.date(2025, 4, 2) and lng.version == 2
    move = lng.stage_changes.get()  # registered at 谋划储备, moved on by this file
    assert (move.from_stage, move.to_stage, move.reason) == (Stage.PLANNING, Stage.STARTED, "台账导入：更新.xlsx 第2行")
    truck = Project.objects.get(name="氢能重卡 示范项目")  # matched though written without the spaces
    assert truck.total_investment == Decimal("130000.00") and truck.stage == Stage.INTENT
    changes = {outcome.row: outcome.changes for outcome in result.outcomes}
    assert changes[3] == {"总投资（万元）": ("125000.00", "130000.00")}
    assert changes[2]["项目阶段"] == ("谋划储备", "已开工（在建）")


def test_history_without_step_dates_or_codes_comes_in_with_its_gaps_recorded(tmp_path, messy_xlsx, xiaoyi):
    import_file(messy_xlsx)
    path = write_xlsx(
        tmp_path / "缺日期.xlsx",
        [
            ["项目名称", "项目代码", "项目阶段", "总投资", "开发区"],
            ["焦炉煤气制LNG项目", "2025-141181-26-03-000001", "已投产", None, "孝义"],
            ["新的在建项目", None, "在建", 100, "孝义"],
            ["新的意向项目", None, "重点意向", 100, "孝义"],
        ],
    )
    result = import_file(path)
    assert result.errors == [] and (result.updated, result.created) == (1, 2)
    # Nothing invented: the steps passed without a date stay empty, and are counted as gaps.
    expected = {"签约日期": 2, "备案日期": 2, "项目代码": 1, "开工日期": 2, "投产日期": 1, "建设单位": 1, "行业": 3}
    assert result.gaps == expected
    lng = Project.objects.get(project_code="2025-141181-26-03-000001")
    assert lng.stage == Stage.PRODUCING and lng.total_investment == Decimal("52000.00")  # a blank 总投资 keeps
    assert (lng.signed_on, lng.filed_on, lng.started_on, lng.producing_on) == (None, None, None, None)
    move = lng.stage_changes.get()
    assert (move.from_stage, move.to_stage, move.step_date) == (Stage.PLANNING, Stage.PRODUCING, None)
    gaps = ["signed_on", "filed_on", "started_on", "producing_on"]
    assert move.dates == {"project_code": "2025-141181-26-03-000001", "gaps": gaps}
    started = Project.objects.get(name="新的在建项目")
    assert started.stage == Stage.STARTED and started.project_code is None
    assert started.stage_changes.get().dates["gaps"] == ["signed_on", "filed_on", "started_on", "project_code"]


def test_errors_name_row_column_value_and_reason_and_nothing_is_written(tmp_path, xiaoyi):
    path = write_xlsx(
        tmp_path / "错误.xlsx",
        [
            ["项目名称", "总投资（万元）", "开工时间", "项目阶段", "项目代码", "开发区"],
            ["好项目", 100, None, "前期", None, "孝义"],
            [None, 200, None, None, None, "孝义"],
            ["坏金额", "约5亿", None, None, None, "孝义"],
            ["坏日期", 100, "2025年13月", "在建", "2025-141181-26-03-000005", "孝义"],
            ["坏阶段", 100, None, "研究中", None, "孝义"],
            ["无代码在建", 100, "2024-01-01", "在建", None, "孝义"],
            ["坏开发区", 100, None, None, None, "不存在区"],
            ["好项目", 300, None, None, None, "孝义"],
            ["坏代码", 100, None, None, "2025-1411", "孝义"],
            ["已开工的未来", 100, "2099-01-01", "在建", "2025-141181-26-03-000009", "孝义"],
        ],
    )
    result = import_file(path)
    messages = [error.message for error in result.errors]
    assert messages[:7] == [
        "第3行 项目名称: 项目名称不能为空",
        "第4行 总投资（万元）: “约5亿”不是金额（应为数字，可带“万元”“亿元”）",
        "第5行 开工时间: “2025年13月”月份 13 不存在",
        "第6行 项目阶段: “研究中”无法识别的项目阶段（可填写：谋划储备、初步对接、重点意向、成熟待签约、"
        "签约待备案、已备案、在建、已竣工、已投产、已达产、已终止；续建、新开工按年度分类登记）",
        "第8行 开发区: 未找到开发区“不存在区”（或不在您的管辖范围内）",
        "第9行 项目名称: 项目“好项目”与第2行重复",
        "第10行 项目代码: “2025-1411”项目代码格式不正确：应为 YYYY-XXXXXX-XX-XX-XXXXXX（如 2025-141181-26-03-012345），"
        "实际为“2025-1411”",
    ]
    assert messages[7].startswith("第11行 开工时间: 开工日期（2099-01-01）不能晚于今天")
    assert result.errors[1].value == "约5亿" and result.errors[1].column == "总投资（万元）"
    # 在建 without a 项目代码 is history with a gap, not an error.
    assert not result.committed and result.created == 2 and result.error_rows == 8
    assert not Project.objects.exists() and not AuditEntry.objects.filter(source="import").exists()


def test_keep_valid_rows_writes_only_the_rows_without_errors(tmp_path, xiaoyi):
    path = write_xlsx(
        tmp_path / "部分.xlsx",
        [["项目名称", "总投资", "开发区"], ["甲项目", 100, "孝义"], ["乙项目", "很多", "孝义"], ["丙项目", 5, "孝义"]],
    )
    result = import_file(path, keep_valid=True)
    assert result.committed and [e.message for e in result.errors] == [
        "第3行 总投资: “很多”不是金额（应为数字，可带“万元”“亿元”）"
    ]
    assert sorted(Project.objects.values_list("name", flat=True)) == ["丙项目", "甲项目"]


def test_dry_run_reports_the_same_and_writes_nothing(messy_xlsx):
    result = import_file(messy_xlsx, commit=False)
    assert (result.created, result.dry_run, result.committed) == (3, True, False)
    assert not Project.objects.exists() and not Enterprise.objects.filter(name="孝义市新能源科技有限公司").exists()


def test_going_back_or_terminating_by_import_is_refused(tmp_path, make_project):
    make_project("退回项目", stage="signed", stage_dates={"signed_on": datetime.date(2025, 1, 5)})
    path = write_xlsx(tmp_path / "退回.xlsx", [["项目名称", "项目阶段", "开发区"], ["退回项目", "初步对接", "孝义"]])
    result = import_file(path)
    assert [e.message for e in result.errors] == [
        "第2行 项目阶段: 系统中该项目已处于“已签约（待备案）”，导入不能退回到“初步对接”；"
        "如确需退回，请在项目页面操作并填写原因"
    ]
    assert Project.objects.get(name="退回项目").stage == Stage.SIGNED


def test_zone_flag_and_zone_column_must_agree(tmp_path, xiaoyi, tunliu):
    path = write_xlsx(tmp_path / "z.xlsx", [["项目名称", "总投资", "开发区"], ["甲", 1, "屯留经开区"]])
    result = import_file(path, zone=xiaoyi)
    assert [e.message for e in result.errors] == ["第2行 开发区: “屯留经开区”与指定的开发区“孝义经济技术开发区”不一致"]
    path = write_xlsx(tmp_path / "nz.xlsx", [["项目名称", "总投资"], ["甲", 1]])
    result = import_file(path)
    assert [e.message for e in result.errors] == [
        "第2行 开发区: 未指定开发区：请在导入时选择开发区，或在表中加入“开发区”列"
    ]
    assert import_file(path, zone=tunliu).created == 1


def test_user_cannot_import_into_a_zone_outside_the_scope(tmp_path, xiaoyi, tunliu, tunliu_staff):
    path = write_xlsx(tmp_path / "z.xlsx", [["项目名称", "总投资", "开发区"], ["甲", 1, "孝义"]])
    result = import_file(path, user=tunliu_staff)
    assert [e.message for e in result.errors] == ["第2行 开发区: 未找到开发区“孝义”（或不在您的管辖范围内）"]
    assert not Project.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_utf8_bom_and_gbk_is_detected(tmp_path, xiaoyi, encoding):
    path = write_csv(
        tmp_path / f"台账-{encoding}.csv",
        [
            ["孝义经开区重点项目表", None, None],
            ["项目名称", "计划总投资(亿元)", "年度分类"],
            ["煤焦油深加工项目", "2.35", "力争开工"],
            ["合 计", "2.35", None],
        ],
        encoding=encoding,
    )
    result = import_file(path, zone=xiaoyi)
    assert result.errors == [] and result.warnings == [] and result.skipped == 1
    project = Project.objects.get()
    assert project.name == "煤焦油深加工项目" and project.total_investment == Decimal("23500.00")
    assert project.plan_category.name == "力争开工"


def test_xls_file_with_merged_title_and_dates(tmp_path, xiaoyi):
    path = write_xls(
        tmp_path / "旧版台账.xls",
        [
            ["孝义经开区2024年项目台账", None, None, None, None],
            ["序号", "项目名称", "概算投资（万元）", "实际开工时间", "项目状态", "项目代码", "投产时间"],
            [1, "焦化副产品回收", 8800.5, datetime.date(2024, 3, 15), "已开工", "2024-141181-25-03-000011", None],
            [2, "污水处理厂", 1200, "2024/7/1", "已投产", "2024-141181-46-03-000012", "2024年12月"],
        ],
        merges=((0, 0, 0, 6),),
    )
    result = import_file(path, zone=xiaoyi)
    assert result.errors == []
    # A row is the state a project is in: 已投产 with no earlier dates is taken as written.
    assert Project.objects.get(name="污水处理厂").stage == Stage.PRODUCING
    coke = Project.objects.filter(name="焦化副产品回收").first()
    assert result.errors == [] and coke is not None
    assert (coke.total_investment, coke.started_on, coke.plan_year) == (
        Decimal("8800.50"),
        datetime.date(2024, 3, 15),
        2024,
    )


def test_import_command_prints_counts_and_errors_and_exits_nonzero(tmp_path, xiaoyi):
    path = write_xlsx(
        tmp_path / "cli.xlsx",
        [["项目名称", "总投资（万元）"], ["甲", 10], ["乙", "-3"], ["合计", 7]],
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_ledger", "projects", str(path), "--zone", "孝义", stdout=out)
    assert str(caught.value) == "有错误，未写入任何数据。"
    text = out.getvalue()
    assert "读取 2 行：新增 1，更新 0，无变化 0，有错误 1；跳过 1 行（合计、小计、分组标题）" in text
    assert "第3行 总投资（万元）: “-3”金额不能为负数" in text
    assert not Project.objects.exists()

    with pytest.raises(CommandError) as caught:
        call_command("import_ledger", "projects", str(path), "--zone", "孝义", "--keep-valid", stdout=io.StringIO())
    assert str(caught.value) == "已导入无误的行；1 行有错误，未导入。"
    assert list(Project.objects.values_list("name", flat=True)) == ["甲"]
    Project.objects.all().delete()

    path = write_xlsx(tmp_path / "ok.xlsx", [["项目名称", "总投资（万元）"], ["甲", 10]])
    out = io.StringIO()
    call_command("import_ledger", "projects", str(path), "--zone", "孝义", "--dry-run", stdout=out)
    assert "试导入：未写入任何数据。" in out.getvalue() and not Project.objects.exists()
    call_command("import_ledger", "projects", str(path), "--zone", "孝义", stdout=io.StringIO())
    assert Project.objects.get().total_investment == Decimal("10.00")


def test_import_command_refuses_a_sheet_without_a_header(tmp_path, xiaoyi):
    path = write_xlsx(tmp_path / "x.xlsx", [["随便", "什么"], [1, 2]])
    with pytest.raises(CommandError) as caught:
        call_command("import_ledger", "projects", str(path), "--zone", "孝义", stdout=io.StringIO())
    assert str(caught.value) == "在工作表“Sheet1”的前 30 行中没有找到表头：需要一行写有“项目名称”等列名。"
    with pytest.raises(CommandError) as caught:
        call_command("import_ledger", "projects", str(path), "--sheet", "二季度", stdout=io.StringIO())
    assert str(caught.value) == "文件中没有名为“二季度”的工作表（现有：Sheet1）。"


def test_enterprise_by_credit_code_park_by_name_and_full_width_spaces(tmp_path, xiaoyi, xiaoyi_enterprise, xiaoyi_park):
    path = write_csv(
        tmp_path / "代码.csv",
        [
            ["项目名称", "统一社会信用代码", "园区", "总投资", "开发区"],
            [
                "焦化余热发电\u3000项目",
                xiaoyi_enterprise.credit_code.lower(),
                "梧桐新材料园",
                "１，２００",
                "孝义经开区",
            ],
            ["未知企业的项目", "91141181MA0K00000X", None, "5", "孝义经开区"],
            ["错园区的项目", None, "不存在园", "5", "孝义经开区"],
        ],
    )
    result = import_file(path, commit=False)
    assert [e.message for e in result.errors] == [
        "第3行 统一社会信用代码: “91141181MA0K00000X”统一社会信用代码校验位错误：最后一位应为 T，实际为 X",
        "第4行 园区: “不存在园”不是孝义经济技术开发区的园区（现有园区：梧桐新材料园）",
    ]
    fixed = write_csv(
        tmp_path / "代码2.csv",
        [
            ["项目名称", "统一社会信用代码", "园区", "总投资", "开发区"],
            [
                "焦化余热发电\u3000项目",
                xiaoyi_enterprise.credit_code.lower(),
                "梧桐新材料园",
                "１，２００",
                "孝义经开区",
            ],
        ],
    )
    assert import_file(fixed).errors == []
    project = Project.objects.get()
    assert (project.name, project.enterprise, project.park) == ("焦化余热发电 项目", xiaoyi_enterprise, xiaoyi_park)
    assert project.total_investment == Decimal("1200.00")


def test_notes_under_the_table_and_section_styles_without_brackets(tmp_path, xiaoyi):
    path = write_xlsx(
        tmp_path / "脚注.xlsx",
        [
            ["项目名称", "总投资（万元）", "年度计划投资（万元）", "开发区"],
            ["二、新开工项目2个"],
            ["甲项目", 100, "—", "孝义"],
            ["乙项目", 200, "/", "孝义"],
            ["1.谋划储备项目（1个）"],
            ["丙项目", 300, None, "孝义"],
            ["注：以上数据截至2025年2月底"],
            ["说明：", "1.金额单位为万元"],
            ["填报人：张三", "审核人：李四", "填报日期：2025年3月5日"],
        ],
    )
    result = import_file(path)
    assert result.errors == [] and result.warnings == []
    assert (result.created, result.skipped) == (3, 5)
    categories = dict(Project.objects.values_list("name", "plan_category__name"))
    assert categories == {"甲项目": "新开工", "乙项目": "新开工", "丙项目": None}
    assert Project.objects.get(name="丙项目").stage == Stage.PLANNING  # “谋划储备” as the stage
    assert Project.objects.get(name="甲项目").year_planned_investment is None  # “—” is an empty cell


def test_unknown_columns_are_reported_and_the_other_ledger_is_recognised(tmp_path, xiaoyi):
    path = write_xlsx(
        tmp_path / "列.xlsx",
        [
            ["项目", "业主单位", "投资额（万元）", "目前进度", "牵头领导"],
            ["甲", "孝义某公司", 800, "前期手续", "王县长"],
        ],
    )
    out = io.StringIO()
    call_command("import_ledger", "projects", str(path), "--zone", "孝义", "--dry-run", stdout=out)
    assert "未导入的列（列名未能识别）：目前进度" in out.getvalue()
    enterprises = write_xlsx(
        tmp_path / "企业.xlsx", [["企业名称", "统一社会信用代码", "所属行业"], ["甲公司", None, "焦化"]]
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_ledger", "projects", str(enterprises), "--zone", "孝义", stdout=io.StringIO())
    assert str(caught.value).endswith("这个文件看起来是企业台账，请按“企业台账”导入。")
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(CommandError) as caught:
        call_command("import_ledger", "projects", str(empty), "--zone", "孝义", stdout=io.StringIO())
    assert str(caught.value) == "文件是空的。"
    header_only = write_xlsx(tmp_path / "表头.xlsx", [["项目名称", "总投资"]])
    assert import_file(header_only, zone=xiaoyi).warnings == ["第1行的表头下面没有数据行。"]


def test_a_new_name_close_to_one_on_record_is_pointed_out(tmp_path, make_project):
    make_project("福孝90万吨焦油深加工综合利用项目")
    path = write_xlsx(
        tmp_path / "相近.xlsx", [["项目名称", "总投资", "开发区"], ["福孝90万吨焦油深加工综合利用", 10, "孝义"]]
    )
    result = import_file(path, commit=False)
    assert result.created == 1 and result.warnings == [
        "第2行 项目名称: “福孝90万吨焦油深加工综合利用”将作为新项目登记；孝义经济技术开发区已有相近的项目"
        "“福孝90万吨焦油深加工综合利用项目”，如为同一项目，请改用系统中的名称或填写项目代码。"
    ]


def test_a_value_repeated_down_the_column_is_checked_on_every_row(tmp_path, xiaoyi):
    # Cells are read once per distinct value and column; each row still gets its own error.
    path = write_xlsx(
        tmp_path / "重复值.xlsx",
        [
            ["项目名称", "总投资（万元）", "项目阶段", "开发区"],
            ["甲项目", "约5亿", "前期", "孝义"],
            ["乙项目", "约5亿", "前期", "孝义"],
            ["丙项目", 1, "前期", "孝义"],
        ],
    )
    result = import_file(path)
    assert [error.message for error in result.errors] == [
        "第2行 总投资（万元）: “约5亿”不是金额（应为数字，可带“万元”“亿元”）",
        "第3行 总投资（万元）: “约5亿”不是金额（应为数字，可带“万元”“亿元”）",
    ]
    assert result.error_rows == 2 and not Project.objects.exists()
