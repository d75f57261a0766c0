"""The project ledger's columns, declared once: the importer matches them, the export writes them.

Each column has the header the export writes and the variants offices use for it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from kaifaqu.sheets.columns import Column
from kaifaqu.sheets.values import CellError, compact, is_empty, parse_bool

from .. import lifecycle
from ..models import PriorityLevel, Project, Stage

COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", ("编号",)),
    Column("project_code", "项目代码", ("项目编码", "备案代码", "项目统一代码", "赋码", "项目代码(备案)")),
    Column("name", "项目名称", ("项目", "项目名", "名称", "项目全称"), required=True),
    Column("zone", "开发区", ("所在开发区", "开发区名称", "所属开发区", "开发区(园区)")),
    Column("park", "园区", ("所在园区", "所属园区", "园区名称", "片区")),
    Column(
        "enterprise",
        "建设单位",
        ("实施主体", "企业名称", "项目单位", "建设主体", "项目业主", "业主单位", "投资主体", "投资方", "项目建设单位"),
    ),
    Column("enterprise_code", "建设单位统一社会信用代码", ("统一社会信用代码", "信用代码", "社会信用代码")),
    Column(
        "content",
        "建设内容及规模",
        ("建设内容", "建设规模及内容", "主要建设内容", "建设内容和规模", "项目概况", "建设规模", "主要建设内容及规模"),
    ),
    Column("industry", "产业类别", ("所属产业", "产业", "行业", "所属行业", "产业类型", "行业类别", "产业方向")),
    Column(
        "total_investment",
        "总投资",
        ("概算投资", "计划总投资", "项目总投资", "投资总额", "总投资额", "估算总投资", "概算总投资", "投资额"),
        money=True,
        required=True,
    ),
    Column("plan_year", "年度", ("计划年度", "项目年度")),
    Column(
        "year_planned_investment",
        "年度计划投资",
        ("计划投资", "年度投资计划", "计划完成投资", "年计划投资", "年度计划完成投资", "计划投资额"),
        money=True,
    ),
    Column(
        "year_completed_investment",
        "年度完成投资",
        ("完成投资", "累计完成投资", "已完成投资", "年度累计完成投资", "完成投资额", "实际完成投资"),
        money=True,
    ),
    Column("land_area_mu", "用地面积", ("占地面积", "用地", "占地", "用地规模", "用地面积(亩)")),
    Column("plan_category", "年度分类", ("项目分类", "分类", "项目类别", "类别", "计划类别", "项目类型")),
    Column("priority_level", "重点项目级别", ("项目级别", "级别", "重点级别", "重点类别", "重点项目类别")),
    # Yes/no columns offices keep instead of a level: 是否省重点 √, 是否重点 是 (or the level itself).
    Column(
        "priority_province",
        "是否省重点",
        ("是否省级重点", "是否省重点项目", "是否为省重点项目", "是否省级重点项目", "省重点项目", "省级重点项目"),
    ),
    Column(
        "priority_city",
        "是否市重点",
        ("是否市级重点", "是否市重点项目", "是否为市重点项目", "是否市级重点项目", "市重点项目", "市级重点项目"),
    ),
    Column("priority_flag", "是否重点", ("是否重点项目", "是否为重点项目", "重点项目")),
    Column(
        "stage",
        "项目阶段",
        ("阶段", "推进阶段", "项目状态", "状态", "进展阶段", "当前阶段", "建设阶段", "进展情况", "项目进展"),
    ),
    Column("contact_on", "对接日期", ("对接时间", "首次对接时间", "初步对接时间")),
    Column("intent_on", "确定意向日期", ("意向时间", "确定意向时间", "达成意向时间")),
    Column("ready_on", "具备签约条件日期", ("具备签约条件时间",)),
    Column("signed_on", "签约日期", ("签约时间",)),
    Column("filed_on", "备案日期", ("备案时间", "立项时间", "立项备案时间", "备案立项时间")),
    Column("started_on", "开工日期", ("开工时间", "实际开工时间", "实际开工日期")),
    Column("completed", "是否竣工", ("竣工情况", "是否已竣工")),
    Column("completed_on", "竣工日期", ("竣工时间", "实际竣工时间", "实际竣工日期", "竣工验收时间")),
    Column("producing_on", "投产日期", ("投产时间", "实际投产时间", "竣工投产时间")),
    Column("at_capacity_on", "达产日期", ("达产时间",)),
    Column("terminated_on", "终止日期", ("终止时间",)),
    Column("in_statistics", "是否入统", ("入统", "入统情况", "已入统", "是否纳统", "纳统")),
    Column("in_statistics_on", "入统日期", ("入统时间", "纳统时间")),
    Column(
        "liaison_leader",
        "包联领导",
        ("包联县领导", "包联市领导", "联系领导", "包联县级领导", "分包领导", "包联领导干部", "牵头领导", "责任领导"),
    ),
    Column("agent", "代办员", ("代办人", "帮办代办员", "全代办员", "代办专员", "帮代办员")),
    Column("task_force", "工作专班", ("专班", "责任单位", "牵头单位", "责任部门")),
    Column("planned_start", "计划开工时间", ("计划开工日期", "预计开工时间", "拟开工时间", "计划开工")),
    Column("planned_completion", "计划竣工时间", ("计划竣工日期", "预计竣工时间")),
    Column("planned_production", "计划投产时间", ("计划投产日期", "预计投产时间", "计划竣工投产时间")),
    Column("remark", "备注", ("说明", "备注说明", "其他说明", "其他")),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}

# Milestones the ledger's "计划…时间" columns stand for.
PLANNED_MILESTONES = {"planned_start": "开工", "planned_completion": "竣工", "planned_production": "投产"}
# An actual date column whose date, for a project not yet at that stage, is the plan.
ACTUAL_TO_PLANNED = {
    "started_on": ("planned_start", Stage.STARTED),
    "producing_on": ("planned_production", Stage.PRODUCING),
}

TEXT_FIELDS = ("name", "content", "industry", "liaison_leader", "agent", "task_force", "remark")
MONEY_FIELDS = ("total_investment", "year_planned_investment", "year_completed_investment")
DATE_FIELDS = (*lifecycle.STAGE_DATE_FIELDS, "in_statistics_on", "completed_on")
# A blank cell never erases these: what ledgers lack for old projects and the system may have
# filled since (待补录), and the required 总投资. Re-importing the office's old file loses nothing.
KEPT_WHEN_BLANK = frozenset(
    {*lifecycle.STAGE_DATE_FIELDS, "project_code", "enterprise", "industry", "in_statistics", "in_statistics_on"}
    | {"completed", "completed_on", "total_investment"}
)
IMPORT_NOTE = "台账导入"
# Fields whose old and new values the preview shows.
SHOWN_FIELDS = frozenset(
    {key for key in (column.key for column in COLUMNS)} & {field.name for field in Project._meta.concrete_fields}
    | {"stage"}
)


def _words(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {compact(word): code for code, words in pairs.items() for word in words}


STAGE_WORDS = _words(
    {
        Stage.PLANNING: ("谋划储备", "谋划", "储备", "前期", "前期谋划", "谋划项目", "招商储备", "储备项目"),
        Stage.CONTACT: ("初步对接", "对接", "洽谈", "在谈", "接洽", "初步洽谈", "对接洽谈", "洽谈中"),
        Stage.INTENT: ("重点意向", "意向", "达成意向", "签订意向", "意向洽谈", "签订意向协议"),
        Stage.READY: ("成熟待签约", "待签约", "拟签约", "具备签约条件", "成熟"),
        Stage.SIGNED: ("签约待备案", "已签约", "签约", "已签约待备案", "已签约(待备案)", "已签约未备案"),
        Stage.FILED: ("已备案", "备案待开工", "已备案待开工", "待开工", "已备案(待开工)", "备案", "已立项"),
        Stage.STARTED: ("在建", "已开工", "开工", "已开工(在建)", "开工在建", "建设中", "在建中", "正在建设"),
        Stage.PRODUCING: ("已投产", "投产", "竣工投产", "部分投产", "建成投产", "试生产", "已竣工投产"),
        Stage.AT_CAPACITY: ("已达产", "达产", "达产达效", "全面达产"),
        Stage.TERMINATED: ("已终止", "终止", "已退出", "退出", "取消", "放弃", "已取消"),
    }
)
# 竣工 is construction completed, kept apart from 投产 (太原: 开工竣工率, 投产达效率): the
# project has at least started, and its 竣工日期 is a gap unless the row gives it.
COMPLETED_WORDS = frozenset(compact(word) for word in ("竣工", "已竣工", "完工", "已完工", "竣工待投产", "建成"))
# Year categories (年度分类) offices write in the stage column: 续建 and 新开工 say what the
# project is in this year's plan, not how far it got; its stage then comes from its dates.
CATEGORY_WORDS = frozenset(compact(word) for word in ("续建", "新开工", "尽快开工", "力争开工"))
STAGES_SHOWN = "谋划储备、初步对接、重点意向、成熟待签约、签约待备案、已备案、在建、已竣工、已投产、已达产、已终止"


@dataclass(frozen=True)
class StageCell:
    """What a stage column's cell says: a stage, a year category, or that construction is completed."""

    stage: str | None = None
    category: str = ""
    completed: bool = False


STAGE_CELL_WORDS: dict[str, StageCell] = {
    **{word: StageCell(stage=stage) for word, stage in STAGE_WORDS.items()},
    **{word: StageCell(stage=Stage.STARTED, completed=True) for word in COMPLETED_WORDS},
    **{word: StageCell(category=word) for word in CATEGORY_WORDS},
}
# Longest first: a progress note starting 已签约，正在办理备案 reads as 已签约, not 签约.
_STAGE_PREFIXES = sorted((word for word in STAGE_CELL_WORDS if len(word) >= 2), key=len, reverse=True)


def parse_stage_cell(raw) -> StageCell | None:
    """A stage column's cell, as offices write it: the word alone, or a note that starts with it."""
    if is_empty(raw):
        return None
    text = compact(raw)
    found = STAGE_CELL_WORDS.get(text)
    if found is None:
        found = next((STAGE_CELL_WORDS[word] for word in _STAGE_PREFIXES if text.startswith(word)), None)
    if found is None:
        raise CellError(f"无法识别的项目阶段（可填写：{STAGES_SHOWN}；续建、新开工按年度分类登记）")
    return found


PRIORITY_WORDS = _words(
    {
        PriorityLevel.PROVINCE: ("省重点", "省级重点", "省级", "省重点项目", "省", "省级重点项目"),
        PriorityLevel.CITY: ("市重点", "市级重点", "市级", "市重点项目", "市", "市级重点项目"),
        PriorityLevel.COUNTY: ("县重点", "县级重点", "县级", "区重点", "区级", "县(区)重点", "县区重点", "县", "区"),
        "": ("否", "无", "一般", "非重点", "-", "/"),
    }
)
YES_LEVEL = "yes"  # 是 / √ in a 是否重点 column: a key project, its level not said


def parse_priority_flag(raw, *, level: str | None) -> str | bool | None:
    """A 是否省重点 / 是否重点 cell: the level it names (``level`` for 是 / √ when the header names
    one), ``YES_LEVEL`` for a bare 是 under 是否重点, False for 否, None when blank."""
    if is_empty(raw):
        return None
    text = compact(raw)
    if PRIORITY_WORDS.get(text):
        return PRIORITY_WORDS[text]
    answer = parse_bool(raw)
    if answer is None or answer is False:
        return answer
    return level or YES_LEVEL


# ------------------------------------------------------------------ export rows


def export_row(project: Project, *, milestones: dict[str, datetime.date], monthed: Decimal, divisor: Decimal) -> list:
    """One project as the export writes it, in ``COLUMNS`` order after 序号; ``monthed`` is the part of
    its 年度完成投资 dated by progress reports (``selectors.monthed_by_project``)."""

    def money(value):
        return None if value is None else value / divisor

    return [
        project.project_code or "",
        project.name,
        project.zone.name,
        project.park.name if project.park_id else "",
        project.enterprise.name if project.enterprise_id else "",
        project.enterprise.credit_code or "" if project.enterprise_id else "",
        project.content,
        project.industry,
        money(project.total_investment),
        project.plan_year,
        money(project.year_planned_investment),
        money(project.year_completed_investment),
        money(project.year_completed_investment - monthed),
        project.land_area_mu,
        project.plan_category.name if project.plan_category_id else "",
        project.get_priority_level_display() if project.priority_level else "",
        project.get_stage_display(),
        project.contact_on,
        project.intent_on,
        project.ready_on,
        project.signed_on,
        project.filed_on,
        project.started_on,
        "是" if project.completed else "否",
        project.completed_on,
        project.producing_on,
        project.at_capacity_on,
        project.terminated_on,
        "是" if project.in_statistics else "否",
        project.in_statistics_on,
        project.liaison_leader,
        project.agent,
        project.task_force,
        milestones.get("开工"),
        milestones.get("竣工"),
        milestones.get("投产"),
        project.remark,
    ]
