"""Exporting projects as the office's ledger (项目台账): xlsx in the office layout, or CSV."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import QuerySet

from kaifaqu.sheets.ledger import UNITS, ledger_csv_bytes, write_ledger_xlsx
from kaifaqu.sheets.writer import AREA, DATE, INTEGER, MONEY, OutputColumn
from kaifaqu.zones.selectors import ledger_title

from ..models import Milestone, Project
from ..selectors import monthed_by_project
from .columns import PLANNED_MILESTONES, export_row

UNMONTHED_HEADER = "其中未分月"

# In ``export_row`` order; the headers are the columns' own labels, so the file reads back.
EXPORT_COLUMNS = (
    OutputColumn("项目代码", width=26),
    OutputColumn("项目名称", width=32),
    OutputColumn("开发区", width=20),
    OutputColumn("园区", width=16),
    OutputColumn("建设单位", width=26),
    OutputColumn("建设单位统一社会信用代码", width=22),
    OutputColumn("建设内容及规模", width=40),
    OutputColumn("产业类别", width=14),
    OutputColumn("总投资", MONEY, width=14, total=True),
    OutputColumn("年度", INTEGER, width=8),
    OutputColumn("年度计划投资", MONEY, width=14, total=True),
    OutputColumn("年度完成投资", MONEY, width=14, total=True),
    # The part of 年度完成投资 no progress report dates (a figure imported without monthly reports):
    # what the dashboard's 未分月 bar sums. No import alias matches it, so the file still reads back.
    OutputColumn(UNMONTHED_HEADER, MONEY, width=12, total=True),
    OutputColumn("用地面积", AREA, width=12, total=True),
    OutputColumn("年度分类", width=10),
    OutputColumn("重点项目级别", width=10),
    OutputColumn("项目阶段", width=14),
    OutputColumn("对接日期", DATE, width=12),
    OutputColumn("确定意向日期", DATE, width=12),
    OutputColumn("具备签约条件日期", DATE, width=12),
    OutputColumn("签约日期", DATE, width=12),
    OutputColumn("备案日期", DATE, width=12),
    OutputColumn("开工日期", DATE, width=12),
    OutputColumn("是否竣工", width=8),
    OutputColumn("竣工日期", DATE, width=12),
    OutputColumn("投产日期", DATE, width=12),
    OutputColumn("达产日期", DATE, width=12),
    OutputColumn("终止日期", DATE, width=12),
    OutputColumn("是否入统", width=8),
    OutputColumn("入统日期", DATE, width=12),
    OutputColumn("包联领导", width=12),
    OutputColumn("代办员", width=10),
    OutputColumn("工作专班", width=16),
    OutputColumn("计划开工时间", DATE, width=12),
    OutputColumn("计划竣工时间", DATE, width=12),
    OutputColumn("计划投产时间", DATE, width=12),
    OutputColumn("备注", width=30),
)
BATCH = 2000


def project_rows(queryset: QuerySet[Project], *, unit: str = "万元") -> Iterator[list]:
    """Export rows, read in batches: the planned 开工/投产 milestones come one query per batch."""
    divisor = UNITS[unit]
    ordered = queryset.select_related("zone", "park", "enterprise", "plan_category").order_by(
        "zone_id", "plan_category__order", "pk"
    )
    batch: list[Project] = []
    for project in ordered.iterator(chunk_size=BATCH):
        batch.append(project)
        if len(batch) >= BATCH:
            yield from _rows(batch, divisor)
            batch = []
    if batch:
        yield from _rows(batch, divisor)


def _rows(projects: list[Project], divisor) -> Iterator[list]:
    planned: dict[int, dict[str, datetime.date]] = {}
    for project_id, name, planned_on in (
        Milestone.objects.filter(project__in=projects, name__in=PLANNED_MILESTONES.values())
        .order_by("project_id", "id")
        .values_list("project_id", "name", "planned_on")
    ):
        planned.setdefault(project_id, {}).setdefault(name, planned_on)
    monthed = monthed_by_project(projects)
    for project in projects:
        yield export_row(
            project, milestones=planned.get(project.pk, {}), monthed=monthed.get(project.pk, 0), divisor=divisor
        )


def export_projects_xlsx(handle, queryset: QuerySet[Project], *, unit: str = "万元", scope_name: str = "") -> int:
    title = ledger_title(queryset, what="重点项目台账", scope_name=scope_name)
    return write_ledger_xlsx(
        handle,
        title=title,
        sheet_name="项目台账",
        columns=EXPORT_COLUMNS,
        rows=project_rows(queryset, unit=unit),
        unit=unit,
    )


def export_projects_csv(queryset: QuerySet[Project], *, unit: str = "万元") -> bytes:
    return ledger_csv_bytes(columns=EXPORT_COLUMNS, rows=project_rows(queryset, unit=unit), unit=unit)
