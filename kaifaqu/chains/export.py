"""A chain's or a link's 五清单 as one workbook (a sheet per list), or one list alone."""

from __future__ import annotations

import io

from kaifaqu.sheets.writer import DATE, MONEY, TEXT, OutputColumn, Table, write_xlsx

from .selectors import FiveLists

# The lists in the order offices name them (政策、企业项目、问题、招商).
LISTS = {
    "policies": "政策清单",
    "enterprises": "企业清单",
    "projects": "项目清单",
    "requests": "问题清单",
    "targets": "招商清单",
}
UNDATED = "待补录"


def _policies(lists: FiveLists) -> tuple[list[OutputColumn], list[list]]:
    columns = [
        OutputColumn("政策名称", TEXT, 36),
        OutputColumn("文号", TEXT, 20),
        OutputColumn("发文单位", TEXT, 20),
        OutputColumn("发布日期", DATE, 12),
        OutputColumn("发布范围", TEXT, 14),
        OutputColumn("服务环节", TEXT, 24),
    ]
    rows = [
        [
            policy.title,
            policy.number,
            policy.issuer,
            policy.issued_on or UNDATED,
            policy.scope_name,
            "、".join(policy.served),
        ]
        for policy in lists.policies
    ]
    return columns, rows


def _enterprises(lists: FiveLists) -> tuple[list[OutputColumn], list[list]]:
    columns = [
        OutputColumn("环节", TEXT, 16),
        OutputColumn("企业名称", TEXT, 30),
        OutputColumn("开发区", TEXT, 18),
        OutputColumn("主要产品", TEXT, 24),
        OutputColumn("规上企业", TEXT, 8),
    ]
    rows = [
        [
            placed.link.name,
            placed.enterprise.name,
            placed.enterprise.zone.name,
            placed.product,
            "是" if placed.enterprise.is_above_scale else "",
        ]
        for placed in lists.enterprises
    ]
    return columns, rows


def _projects(lists: FiveLists) -> tuple[list[OutputColumn], list[list]]:
    columns = [
        OutputColumn("环节", TEXT, 16),
        OutputColumn("项目名称", TEXT, 32),
        OutputColumn("开发区", TEXT, 18),
        OutputColumn("建设单位", TEXT, 26),
        OutputColumn("链条任务", TEXT, 10),
        OutputColumn("阶段", TEXT, 14),
        OutputColumn("总投资（万元）", MONEY, 14, total=True),
    ]
    rows = [
        [
            placed.link.name,
            placed.project.name,
            placed.project.zone.name,
            placed.project.enterprise.name if placed.project.enterprise_id else "",
            placed.get_task_display(),
            placed.project.get_stage_display(),
            placed.project.total_investment,
        ]
        for placed in lists.projects
    ]
    return columns, rows


def _requests(lists: FiveLists) -> tuple[list[OutputColumn], list[list]]:
    columns = [
        OutputColumn("诉求事项", TEXT, 36),
        OutputColumn("企业", TEXT, 28),
        OutputColumn("类别", TEXT, 12),
        OutputColumn("状态", TEXT, 10),
        OutputColumn("受理日期", DATE, 12),
        OutputColumn("办结时限", DATE, 12),
    ]
    rows = [
        [
            item.title,
            item.enterprise.name,
            item.get_category_display(),
            item.get_status_display(),
            item.received_on,
            item.due_on,
        ]
        for item in lists.requests
    ]
    return columns, rows


def _targets(lists: FiveLists) -> tuple[list[OutputColumn], list[list]]:
    columns = [
        OutputColumn("环节", TEXT, 16),
        OutputColumn("名称", TEXT, 32),
        OutputColumn("类别", TEXT, 10),
        OutputColumn("开发区", TEXT, 18),
        OutputColumn("状态 / 阶段", TEXT, 14),
        OutputColumn("总投资（万元）", MONEY, 14, total=True),
    ]
    rows = [
        [
            placed.link.name,
            placed.target.name,
            "目标企业",
            placed.target.zone.name,
            placed.target.get_status_display(),
            None,
        ]
        for placed in lists.targets
    ] + [
        [
            placed.link.name,
            placed.project.name,
            f"招商线索（{placed.get_task_display()}）",
            placed.project.zone.name,
            placed.project.get_stage_display(),
            placed.project.total_investment,
        ]
        for placed in lists.leads
    ]
    return columns, rows


BUILDERS = {
    "policies": _policies,
    "enterprises": _enterprises,
    "projects": _projects,
    "requests": _requests,
    "targets": _targets,
}


def five_lists_xlsx(lists: FiveLists, *, title: str, only: str | None = None) -> bytes:
    """``title``: whose lists (``氢能产业链`` or ``氢能产业链·焦炉煤气制氢``); ``only``: one list's key."""
    sheets = []
    for key, name in LISTS.items():
        if only is not None and key != only:
            continue
        columns, rows = BUILDERS[key](lists)
        totals = any(column.total for column in columns)
        sheets.append(
            Table(name=name, title=f"{title}{name}", columns=columns, rows=rows, numbered=True, totals=totals)
        )
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    return buffer.getvalue()
