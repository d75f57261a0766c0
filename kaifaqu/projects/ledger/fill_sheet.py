"""补录表: projects that lack something (待补录), as a sheet an office fills in and imports back.

The sheet is a ledger the importer already reads: its headers are the ledger columns'
own labels, a row finds its project by 项目代码 or by 开发区 + 项目名称, a blank cell
erases nothing and a filled date passes the lifecycle's order checks. So filling it in
needs no importer of its own: it goes through 导入台账 like any office ledger.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from kaifaqu.sheets.ledger import write_ledger_xlsx
from kaifaqu.sheets.writer import DATE, TEXT, Marked, OutputColumn
from kaifaqu.zones.selectors import ledger_title

from ..completeness import GAP_BY_KEY, GAPS, Gap
from ..models import Project
from .columns import COLUMN_BY_KEY

TO_FILL = "FFF2CC"  # light yellow: what the project lacks
NOT_APPLICABLE = "E7E6E6"  # grey: what the project need not have (投产日期 of a project under construction)
SHEET_NAME = "补录表"
NOTES_NAME = "填写说明"

# 项目代码 is both how a row finds its project and a gap: it comes first, once.
IDENTITY = ("project_code", "name", "zone", "stage")
GAP_COLUMNS: tuple[Gap, ...] = tuple(gap for gap in GAPS if gap.key not in IDENTITY)
# Narrow enough to print on one landscape page: 11 holds 2025-03-15, 17 已签约（待备案）.
_WIDTHS = {"project_code": 24, "name": 28, "zone": 14, "stage": 17, "enterprise": 22, "industry": 10}


def _column(key: str) -> OutputColumn:
    """The importer's own header for ``key``, so the filled sheet reads back."""
    kind = DATE if key.endswith("_on") else TEXT
    return OutputColumn(COLUMN_BY_KEY[key].label, kind, width=_WIDTHS.get(key, 11))


FILL_COLUMNS: tuple[OutputColumn, ...] = tuple(_column(key) for key in (*IDENTITY, *(g.key for g in GAP_COLUMNS)))


def write_fill_sheet(handle, projects: QuerySet[Project], *, today: datetime.date | None = None) -> int:
    """The sheet for ``projects`` (scoped and filtered by the caller) into ``handle``; returns its rows."""
    title = ledger_title(projects, what="项目信息补录表", today=today)
    return write_ledger_xlsx(
        handle,
        title=title,
        sheet_name=SHEET_NAME,
        columns=FILL_COLUMNS,
        rows=fill_rows(projects),
        unit="万元",
        total_row=False,  # a 合计 row would be read back as a skipped row
        notes={NOTES_NAME: instructions(today or timezone.localdate())},
        fit_width=True,  # printed and filled in by hand as often as in Excel
    )


def fill_rows(projects: QuerySet[Project]) -> Iterator[list]:
    """One row a project, in ``FILL_COLUMNS`` order after 序号."""
    ordered = projects.select_related("zone", "enterprise").order_by("zone_id", "pk")
    for project in ordered.iterator(chunk_size=2000):
        code = _cell(project, GAP_BY_KEY["project_code"])
        gaps = [_cell(project, gap) for gap in GAP_COLUMNS]
        yield [code, project.name, project.zone.name, project.get_stage_display(), *gaps]


def _cell(project: Project, gap: Gap):
    """What the sheet shows for one gap: the recorded value, or a marked blank."""
    if gap.lacks(project):
        return Marked(None, TO_FILL)
    value = _value(project, gap.key)
    if not value and not gap.applies_to(project):
        return Marked(None, NOT_APPLICABLE)
    return value


def _value(project: Project, key: str):
    if key == "enterprise":
        return project.enterprise.name if project.enterprise_id else ""
    value = getattr(project, key)
    return value if value else ("" if key in ("project_code", "industry") else None)


def instructions(today: datetime.date) -> list[str]:
    return [
        "填写说明",
        "1. 本表列出系统中信息不全（待补录）的项目。黄色单元格是该项目缺少、需要补录的内容；"
        "灰色单元格表示该项目尚未到这一步（如在建项目的投产日期），无需填写。",
        "2. 日期请按 2025-03-15 的格式填写（也可写作 2025年3月15日）；日期不能晚于今天。",
        "3. 各阶段日期须前后一致：签约日期不晚于备案日期，备案日期不晚于开工日期，开工日期不晚于投产日期，"
        "投产日期不晚于达产日期；竣工日期、入统日期不早于开工日期。不一致的行导入时不会写入，系统会指出行号、列名和原因。",
        "4. 项目代码按投资项目在线审批监管平台赋予的填写，"
        "格式为 YYYY-XXXXXX-XX-XX-XXXXXX（如 2025-141181-26-03-012345）。",
        "5. 建设单位请填写企业全称（与企业库中的名称一致；未登记的企业将按此名称新建）；产业类别如“新能源”“焦化”。",
        "6. 不清楚的内容请留空，不要估填：留空的单元格不会清除系统中已有的记录，以后查清再补。",
        "7. 请勿修改项目名称和开发区两列：系统按项目代码（没有代码时按开发区和项目名称）找到对应的项目。"
        "项目阶段如有变化，请在项目页面“变更阶段”。",
        "8. 填好后保存为 .xlsx 文件，在系统“导入台账”页面选择“项目台账”上传，先试导入并预览，核对无误后确认导入。",
        f"导出日期：{today.year}年{today.month}月{today.day}日",
    ]
