"""招商引资 in the weekly dispatch (周调度) and the monthly report: the standard sentence of the
period and of the year, the leads standing now, and the activities or each zone's figures."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from kaifaqu.core.money import format_yi
from kaifaqu.projects.models import Project
from kaifaqu.reports.content import Section, Table

from . import selectors
from .models import Activity


def _leads_sentence(projects: QuerySet[Project]) -> str:
    parts = [
        f"{label}项目{bucket.count}个，总投资{format_yi(bucket.investment, strip_zeros=True)}亿元"
        for label, bucket in selectors.leads_by_stage(projects).items()
        if bucket.count
    ]
    return "在谈招商线索：" + "；".join(parts) + "。" if parts else "暂无在谈招商线索。"


def weekly_section(
    heading: str,
    activities: QuerySet[Activity],
    projects: QuerySet[Project],
    *,
    start: datetime.date,
    end: datetime.date,
) -> Section:
    """A zone's week: what was done, the year so far, the leads, and the week's activities."""
    week = selectors.activity_figures(activities, projects, date_from=start, date_to=end)
    year = selectors.activity_figures(activities, projects, date_from=end.replace(month=1, day=1), date_to=end)
    listed = selectors.in_period(activities, start, end).select_related("leader").prefetch_related("targets")
    rows = [
        [
            f"{activity.start_on:%m-%d}",
            activity.get_kind_display(),
            activity.title,
            activity.region or "—",
            (activity.leader.get_full_name() or activity.leader.username) if activity.leader else "—",
            "、".join(target.name for target in activity.targets.all()) or "—",
        ]
        for activity in listed.order_by("start_on", "pk")
    ]
    section = Section(
        heading,
        [
            f"本周{week.sentence}" if rows else "本周无招商活动记录。",
            f"今年以来，{year.sentence}",
            _leads_sentence(projects),
        ],
    )
    if rows:
        section.tables.append(Table("本周招商活动", ["日期", "类型", "活动名称", "地区", "带队领导", "对接企业"], rows))
    return section


def monthly_section(
    heading: str,
    activities: QuerySet[Activity],
    projects: QuerySet[Project],
    zones,
    *,
    month_start: datetime.date,
    as_of: datetime.date,
) -> Section:
    """A city's month: the city's sentence for the month and the year, and a row per zone."""
    year_start = as_of.replace(month=1, day=1)
    zone_ids = [zone.pk for zone in zones]
    month = selectors.investment_figures(
        activities, projects, zone_ids=zone_ids, date_from=month_start, date_to=as_of, today=as_of
    )
    year = selectors.activity_figures(activities, projects, date_from=year_start, date_to=as_of)
    rows, totals = [], [0, 0, 0, 0]
    for zone in zones:
        figures = selectors.activity_figures(
            activities.filter(zone=zone), projects.filter(zone=zone), date_from=year_start, date_to=as_of
        )
        counts = [figures.trips, figures.visits_received, figures.deep_talks, figures.agreements]
        totals = [total + count for total, count in zip(totals, counts, strict=True)]
        rows.append([zone.display_name, *counts, format_yi(figures.signed_investment)])
    missing = [f"{name}" for name in month.leaders_without_trip.get(f"{month_start:%Y-%m}", [])]
    paragraphs = [
        f"本月，{month.sentence}",
        f"1—{as_of.month}月，{year.sentence}",
        _leads_sentence(projects),
        f"本月未带队外出招商的班子成员：{'、'.join(missing)}。"
        if missing
        else "本月各开发区班子成员均已带队外出招商（或未设置班子成员）。",
    ]
    table = Table(
        f"各开发区1—{as_of.month}月招商情况",
        ["开发区", "外出招商（次）", "接待来访（次）", "深度洽谈（次）", "签约（份）", "签约投资额（亿元）"],
        rows,
        total=["合计", *totals, format_yi(year.signed_investment)],
    )
    return Section(heading, paragraphs, tables=[table])
