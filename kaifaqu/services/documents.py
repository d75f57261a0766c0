"""全代办 documents in the offices' own rhythm: the agent's Monday report (周一汇报) and the
monthly summary (一月一汇总), written with the reports app's government-style .docx writer."""

from __future__ import annotations

import datetime

from kaifaqu.core.text import cn_date
from kaifaqu.reports.content import ReportContent, Section, Table

from .models import AgencyItem
from .selectors import agency_stats

Status = AgencyItem.Status


def _who(item: AgencyItem) -> str:
    return (item.agent.get_full_name() or item.agent.username) if item.agent else "—"


def _day(value: datetime.date | None) -> str:
    return "—" if value is None else cn_date(value)


def _rows(items) -> list[AgencyItem]:
    return list(
        items.select_related("project", "project__zone", "approval_type", "agent").order_by(
            "project__name", "approval_type__order"
        )
    )


def weekly_report(items, *, who: str, monday: datetime.date) -> ReportContent:
    """What was finished last week, what is under way (overdue first), and what falls due this week."""
    last_week = (monday - datetime.timedelta(days=7), monday - datetime.timedelta(days=1))
    finished = _rows(items.filter(status=Status.DONE, finished_on__range=last_week))
    running = sorted(_rows(items.filter(status=Status.IN_PROGRESS)), key=lambda item: item.due_on or monday)
    due_soon = [item for item in running if item.due_on and monday <= item.due_on <= monday + datetime.timedelta(6)]
    overdue = [item for item in running if item.due_on and item.due_on < monday]
    summary = (
        f"上周办结代办事项{len(finished)}件；正在办理{len(running)}件，其中逾期{len(overdue)}件，"
        f"本周到期{len(due_soon)}件。"
    )
    return ReportContent(
        title=f"{who}全代办工作周报",
        subtitle=f"（{cn_date(monday)}）",
        sections=[
            Section("一、总体情况", [summary]),
            Section("二、上周办结事项", tables=[_table("上周办结事项", finished, done=True)]),
            Section("三、正在办理事项", tables=[_table("正在办理事项", running, today=monday)]),
            Section("四、需要协调解决的问题", blank_lines=4),
        ],
    )


def monthly_summary(items, *, scope_name: str, year: int, month: int, today: datetime.date) -> ReportContent:
    first = datetime.date(year, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    finished = _rows(items.filter(status=Status.DONE, finished_on__range=(first, last)))
    # As the month's last day (or today, within the month): started by then and not finished by then,
    # overdue when that day is past the due date; later changes do not count.
    as_of = min(today, last)
    open_then = items.filter(status__in=(Status.IN_PROGRESS, Status.DONE), started_on__lte=as_of).exclude(
        finished_on__lte=as_of
    )
    overdue = _rows(open_then.filter(due_on__lt=as_of))
    running = open_then.count()
    spans = [item.days_taken for item in finished if item.days_taken is not None]
    average = f"，平均用时{sum(spans) / len(spans):.1f}天" if spans else ""
    commitment = sum(item.commitment for item in finished)
    summary = (
        f"本月办结代办事项{len(finished)}件{average}，其中承诺制办理{commitment}件；"
        f"正在办理{running}件，其中逾期{len(overdue)}件。"
    )
    stats = agency_stats(items.filter(started_on__lte=as_of), today=today, as_of=as_of)
    return ReportContent(
        title=f"{scope_name}全代办工作月度汇总",
        subtitle=f"（{year}年{month}月）",
        sections=[
            Section("一、总体情况", [summary]),
            Section("二、分事项统计", tables=[_stats_table(stats)]),
            Section("三、本月办结事项", tables=[_table("本月办结事项", finished, done=True)]),
            Section("四、逾期事项", tables=[_table("逾期事项", overdue, today=as_of)]),
            Section("五、下月工作安排", blank_lines=4),
        ],
    )


def _stats_table(stats) -> Table:
    headers = ["审批事项", "承诺时限（天）", "事项数", "已办结", "办理中", "逾期", "承诺制", "平均用时（天）"]
    rows = [
        [row.name, row.standard_days, row.total, row.done, row.in_progress, row.overdue, row.commitment, row.avg_days]
        for row in stats
    ]
    return Table("分事项统计", headers, rows or [["（无）", "", "", "", "", "", "", ""]])


def _table(title: str, items: list[AgencyItem], *, done: bool = False, today: datetime.date | None = None) -> Table:
    if done:
        headers = ["项目", "审批事项", "代办员", "启动日期", "办结日期", "用时（天）"]
        rows = [
            [i.project.name, i.approval_type.name, _who(i), _day(i.started_on), _day(i.finished_on), i.days_taken]
            for i in items
        ]
    else:
        headers = ["项目", "审批事项", "代办员", "启动日期", "应办结日期", "进度"]
        rows = [
            [i.project.name, i.approval_type.name, _who(i), _day(i.started_on), _day(i.due_on), _pace(i, today)]
            for i in items
        ]
    return Table(title, headers, rows or [["（无）", "", "", "", "", ""]])


def _pace(item: AgencyItem, today: datetime.date | None) -> str:
    if item.due_on is None or today is None:
        return "—"
    left = (item.due_on - today).days
    return f"逾期{-left}天" if left < 0 else f"剩余{left}天"
