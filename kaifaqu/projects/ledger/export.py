"""Exporting projects as the office's ledger (项目台账): xlsx in the office layout, or CSV."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import QuerySet

from kaifaqu.imports.exporting import (
    AREA,
    DATE,
    INTEGER,
    MONEY,
    UNITS,
    LedgerColumn,
    ledger_csv_bytes,
    ledger_title,
    write_ledger_xlsx,
)

from ..models import Milestone, Project
from .columns import PLANNED_MILESTONES, export_row

# In ``export_row`` order; the headers are the columns' own labels, so the file reads back.
EXPORT_COLUMNS = (
    LedgerColumn("项目代码", width=26),
    LedgerColumn("项目名称", width=32),
    LedgerColumn("开发区", width=20),
    LedgerColumn("园区", width=16),
    LedgerColumn("建设单位", width=26),
    LedgerColumn("建设单位统一社会信用代码", width=22),
    LedgerColumn("建设内容及规模", width=40),
    LedgerColumn("产业类别", width=14),
    LedgerColumn("总投资", MONEY, width=14, total=True),
    LedgerColumn("年度", INTEGER, width=8),
    LedgerColumn("年度计划投资", MONEY, width=14, total=True),
    LedgerColumn("年度完成投资", MONEY, width=14, total=True),
    LedgerColumn("用地面积", AREA, width=12, total=True),
    LedgerColumn("年度分类", width=10),
    LedgerColumn("重点项目级别", width=10),
    LedgerColumn("项目阶段", width=14),
    LedgerColumn("对接日期", DATE, width=12),
    LedgerColumn("确定意向日期", DATE, width=12),
    LedgerColumn("具备签约条件日期", DATE, width=12),
    LedgerColumn("签约日期", DATE, width=12),
    LedgerColumn("备案日期", DATE, width=12),
    LedgerColumn("开工日期", DATE, width=12),
    LedgerColumn("是否竣工", width=8),
    LedgerColumn("竣工日期", DATE, width=12),
    LedgerColumn("投产日期", DATE, width=12),
    LedgerColumn("达产日期", DATE, width=12),
    LedgerColumn("终止日期", DATE, width=12),
    LedgerColumn("是否入统", width=8),
    LedgerColumn("入统日期", DATE, width=12),
    LedgerColumn("包联领导", width=12),
    LedgerColumn("代办员", width=10),
    LedgerColumn("工作专班", width=16),
    LedgerColumn("计划开工时间", DATE, width=12),
    LedgerColumn("计划竣工时间", DATE, width=12),
    LedgerColumn("计划投产时间", DATE, width=12),
    LedgerColumn("备注", width=30),
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
    for project in projects:
        yield export_row(project, milestones=planned.get(project.pk, {}), divisor=divisor)


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
