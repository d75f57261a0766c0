"""The weekly dispatch (周调度) of a zone and the monthly progress report (月度项目建设情况) of a
city, built from the dashboard's selectors so that every figure equals the one on screen."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Q, QuerySet

from kaifaqu.campaigns.models import Campaign, CampaignEntry
from kaifaqu.campaigns.selectors import campaign_figures
from kaifaqu.campaigns.services import campaign_zones
from kaifaqu.core.money import format_wan, format_yi
from kaifaqu.dashboard.selectors import STALLED_ORDER, Dashboard, dashboard, percent
from kaifaqu.investment.models import Activity
from kaifaqu.investment.report_sections import monthly_section, weekly_section
from kaifaqu.projects.models import Milestone, ProgressReport, Project, StageChange
from kaifaqu.projects.selectors import CompletedInvestment
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

from .charts import bar_chart
from .content import Chart, ReportContent, Section, Table

Progress = Callable[[int], None]
UPCOMING_DAYS = 14
LISTED_OVERDUE = 100  # rows of the overdue table; the count is always complete


def _day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _yi(wan) -> str:
    return format_yi(wan, strip_zeros=True)


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _quiet(_: int) -> None:
    pass


# ------------------------------------------------------------------ sentences both reports share


def overview_paragraphs(figures: Dashboard, *, where: str) -> list[str]:
    """总体情况: projects and investment, the stage sentence, the year's investment against time, the rates."""
    pipeline = figures.pipeline
    lines = [
        f"截至{_day(figures.today)}，{where}{figures.year}年度共有重点项目{pipeline.projects}个，"
        f"总投资{_yi(pipeline.total_investment)}亿元。其中，{pipeline.sentence}"
    ]
    completion = figures.completion_pct
    if figures.year_planned:
        gap = completion - figures.time_progress_pct
        side = "超" if gap >= 0 else "落后"
        lines.append(
            f"年度计划投资{_yi(figures.year_planned)}亿元，已完成{_yi(figures.year_completed)}亿元"
            f"{_unmonthed_note(figures.completed)}，"
            f"完成率{_pct(completion)}，{side}时序进度{abs(gap)}个百分点。"
        )
    else:
        lines.append(
            f"年度已完成投资{_yi(figures.year_completed)}亿元{_unmonthed_note(figures.completed)}（未填报年度计划投资）。"
        )
    rates = pipeline.rates
    lines.append(
        "；".join(
            f"{rates[key].label}{rates[key].display}（{rates[key].numerator}/{rates[key].denominator}）"
            for key in ("conversion", "start", "production", "capacity")
        )
        + f"。亿元以上项目{figures.over_100m.count}个，总投资{_yi(figures.over_100m.investment)}亿元。"
    )
    return lines


def stage_table(figures: Dashboard) -> Table:
    rows = [
        [label, bucket.count, format_yi(bucket.investment, grouped=True)]
        for _, label, bucket in figures.pipeline.stage_rows()
        if bucket.count
    ]
    return Table(
        "表1 各阶段项目情况",
        ["项目阶段", "项目数（个）", "总投资（亿元）"],
        rows,
        total=["合计", figures.pipeline.projects, format_yi(figures.pipeline.total_investment, grouped=True)],
    )


def overdue_table(milestones: QuerySet[Milestone], today: datetime.date, *, number: int) -> Table:
    """The overdue milestones, longest overdue first; a long list stops at ``LISTED_OVERDUE`` rows."""
    count = milestones.count()
    shown = milestones.select_related("project__zone").order_by("planned_on", "pk")[:LISTED_OVERDUE]
    rows = [
        [
            milestone.project.zone.short_name or milestone.project.zone.name,
            milestone.project.name,
            milestone.name,
            milestone.planned_on.isoformat(),
            (today - milestone.planned_on).days,
            milestone.owner or "",
        ]
        for milestone in shown
    ]
    note = "无逾期节点。" if not rows else ""
    if count > len(rows):
        note = f"共{count}个逾期节点，表中列出逾期最久的{len(rows)}个；完整清单见驾驶舱或项目台账（有逾期节点）。"
    return Table(
        f"表{number} 逾期节点",
        ["开发区", "项目名称", "节点", "计划完成日期", "逾期天数", "责任人"],
        rows,
        note=note,
    )


# ------------------------------------------------------------------ 周调度


def weekly_report(
    zone: Zone,
    projects: QuerySet[Project],
    *,
    as_of: datetime.date,
    year: int,
    activities: QuerySet[Activity],
    progress: Progress = _quiet,
) -> ReportContent:
    """A zone's weekly dispatch for the seven days ending ``as_of``; ``projects`` are the scoped ledger,
    ``activities`` the scoped 招商活动."""
    zone_projects = projects.filter(zone=zone)
    week_start = as_of - datetime.timedelta(days=6)
    figures = dashboard(zone_projects, year=year, today=as_of)
    progress(30)
    of_year = zone_projects.filter(plan_year=year)
    overview = Section("一、总体情况", overview_paragraphs(figures, where=""), tables=[stage_table(figures)])
    overview.charts.append(_stage_chart(figures))
    progress(50)
    week = _week_section(of_year, week_start, as_of)
    progress(70)
    nodes = _nodes_section(of_year, figures, as_of)
    investment = weekly_section(
        "三、本周招商引资", activities.filter(zone=zone), zone_projects, start=week_start, end=as_of
    )
    progress(90)
    return ReportContent(
        title=f"{zone.name}重点项目建设周调度",
        subtitle=f"（{_day(week_start)}—{_day(as_of)}）",
        sections=[overview, week, investment, nodes, Section("五、下周工作安排", blank_lines=4)],
    )


def _stage_chart(figures: Dashboard) -> Chart:
    rows = [(label, bucket) for _, label, bucket in figures.pipeline.stage_rows() if bucket.count]
    png = bar_chart(
        [label.split("（")[0] for label, _ in rows],
        {"总投资（亿元）": [float(format_yi(bucket.investment)) for _, bucket in rows]},
        unit="亿元",
    )
    return Chart("图1 各阶段项目总投资", png)


def _week_section(projects: QuerySet[Project], start: datetime.date, end: datetime.date) -> Section:
    reports = list(
        ProgressReport.objects.filter(project__in=projects, reported_on__range=(start, end))
        .select_related("project")
        .order_by("reported_on", "pk")
    )
    moves = list(
        StageChange.objects.filter(project__in=projects, created_at__date__range=(start, end))
        .select_related("project")
        .order_by("created_at", "pk")
    )
    invested = sum((report.investment for report in reports), Decimal(0))
    section = Section(
        "二、本周项目进展",
        [
            f"本周共填报项目进展{len(reports)}条，涉及项目{len({report.project_id for report in reports})}个，"
            f"完成投资{format_wan(invested)}万元；{len(moves)}个项目变更阶段。"
        ],
    )
    section.tables.append(
        Table(
            "表2 本周进展",
            ["项目名称", "日期", "进展情况", "完成投资（万元）"],
            [[r.project.name, r.reported_on.isoformat(), r.text, format_wan(r.investment)] for r in reports],
            total=["合计", "", f"{len(reports)}条", format_wan(invested)] if reports else None,
            note="" if reports else "本周无进展填报。",
        )
    )
    if moves:
        section.tables.append(
            Table(
                "表3 本周阶段变更",
                ["项目名称", "原阶段", "新阶段", "日期"],
                [
                    [
                        m.project.name,
                        m.get_from_stage_display(),
                        m.get_to_stage_display(),
                        (m.step_date or m.created_at.date()).isoformat(),
                    ]
                    for m in moves
                ],
            )
        )
    return section


def _nodes_section(projects: QuerySet[Project], figures: Dashboard, today: datetime.date) -> Section:
    overdue = Milestone.objects.overdue(today).filter(project__in=projects)
    upcoming = Milestone.objects.filter(
        project__in=projects,
        actual_on__isnull=True,
        planned_on__range=(today, today + datetime.timedelta(days=UPCOMING_DAYS)),
    ).select_related("project")
    stalled = list(projects.stalled(figures.stalled_days, today).order_by(*STALLED_ORDER))
    section = Section(
        "四、节点与问题",
        [
            f"逾期节点{figures.overdue_count}个；今后{UPCOMING_DAYS}天内到期节点{upcoming.count()}个；"
            f"超过{figures.stalled_days}天未报进展的在建项目{len(stalled)}个。"
        ],
        tables=[overdue_table(overdue, today, number=4)],
    )
    section.tables.append(
        Table(
            "表5 近期到期节点",
            ["项目名称", "节点", "计划完成日期", "责任人"],
            [
                [m.project.name, m.name, m.planned_on.isoformat(), m.owner]
                for m in upcoming.order_by("planned_on", "pk")
            ],
            note="" if upcoming.exists() else f"今后{UPCOMING_DAYS}天内无到期节点。",
        )
    )
    if stalled:
        section.tables.append(
            Table(
                "表6 停滞项目",
                ["项目名称", "开工日期", "总投资（万元）", "最近进展日期"],
                [[p.name, _started(p), format_wan(p.total_investment), _last_report(p)] for p in stalled],
            )
        )
    return section


def _started(project: Project) -> str:
    """A stalled project is under construction: its 开工日期 says more than its stage."""
    return project.started_on.isoformat() if project.started_on else "待补录"


def _last_report(project: Project) -> str:
    """最近进展日期 of a stalled project (``stalled`` gives it), or 无进展记录."""
    return project.last_report_on.isoformat() if project.last_report_on else "无进展记录"


# ------------------------------------------------------------------ 月度项目建设情况


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def monthly_report(
    city: Region,
    projects: QuerySet[Project],
    campaigns: QuerySet[Campaign],
    *,
    year: int,
    month: int,
    today: datetime.date,
    activities: QuerySet[Activity],
    progress: Progress = _quiet,
) -> ReportContent:
    """A city's monthly report on its zones' projects for ``year``-``month`` (figures as of the
    month's end, or today when the month is not over)."""
    as_of = min(month_end(year, month), today)
    city_projects = projects.filter(zone__region__code__startswith=city.scope_prefix)
    figures = dashboard(city_projects, year=year, today=as_of)
    progress(30)
    where = f"全市{len(figures.by_zone)}个开发区"
    overview = Section("一、总体情况", overview_paragraphs(figures, where=where), tables=[stage_table(figures)])
    zones = _zones_section(figures)
    progress(50)
    months = _months_section(figures, month)
    entries = CampaignEntry.objects.filter(project__in=city_projects)
    campaign_part = _campaign_section(city, campaigns, entries, year, as_of)
    progress(70)
    overdue = Milestone.objects.overdue(as_of).filter(project__in=city_projects.filter(plan_year=year))
    city_activities = activities.filter(zone__region__code__startswith=city.scope_prefix)
    # The zones the report's reader sees in the city: those with projects or 招商 records.
    city_zones = Zone.objects.filter(
        Q(pk__in=city_projects.values("zone_id")) | Q(pk__in=city_activities.values("zone_id"))
    ).order_by("region_id", "name")
    investment = monthly_section(
        "五、招商引资", city_activities, city_projects, city_zones, month_start=as_of.replace(day=1), as_of=as_of
    )
    nodes = Section(
        "六、逾期节点", [f"全市逾期节点{figures.overdue_count}个。"], tables=[overdue_table(overdue, as_of, number=4)]
    )
    progress(90)
    return ReportContent(
        title=f"{city.name}开发区{year}年{month}月项目建设情况",
        subtitle=f"（截至{_day(as_of)}）",
        sections=[
            overview,
            zones,
            months,
            campaign_part,
            investment,
            nodes,
            Section("七、存在的问题", blank_lines=3),
            Section("八、下步工作打算", blank_lines=3),
        ],
    )


def _zones_section(figures: Dashboard) -> Section:
    rows = [
        [
            rank,
            zone.name,
            zone.count,
            format_yi(zone.investment, grouped=True),
            format_yi(zone.year_planned, grouped=True),
            format_yi(zone.year_completed, grouped=True),
            _pct(zone.completion_pct),
            _pct(zone.start_rate_pct),
            zone.overdue,
        ]
        for rank, zone in enumerate(figures.by_zone, start=1)
    ]
    signed = sum(zone.signed for zone in figures.by_zone)
    started = sum(zone.started for zone in figures.by_zone)
    total = [
        "合计",
        "",
        figures.pipeline.projects,
        format_yi(figures.pipeline.total_investment, grouped=True),
        format_yi(figures.year_planned, grouped=True),
        format_yi(figures.year_completed, grouped=True),
        _pct(figures.completion_pct),
        _pct(percent(started, signed)),
        figures.overdue_count,
    ]
    section = Section(
        "二、各开发区项目建设情况",
        [_ranking_sentence(figures)],
        tables=[
            Table(
                "表2 各开发区项目建设情况（按年度完成投资排序）",
                [
                    "名次",
                    "开发区",
                    "项目数（个）",
                    "总投资（亿元）",
                    "年度计划（亿元）",
                    "年度完成（亿元）",
                    "完成率",
                    "开工率",
                    "逾期节点",
                ],
                rows,
                total=total,
            )
        ],
    )
    if figures.by_zone:
        shown = figures.by_zone[:15]
        section.charts.append(
            Chart(
                "图1 各开发区年度计划与完成投资",
                bar_chart(
                    [zone.name for zone in shown],
                    {
                        "年度完成": [float(format_yi(zone.year_completed)) for zone in shown],
                        "年度计划": [float(format_yi(zone.year_planned)) for zone in shown],
                    },
                    unit="亿元",
                    horizontal=True,
                    height=max(3.0, 0.35 * len(shown) + 1),
                ),
            )
        )
    return section


def _ranking_sentence(figures: Dashboard) -> str:
    if not figures.by_zone:
        return "暂无开发区项目。"
    first = figures.by_zone[0]
    behind = [
        zone.name
        for zone in figures.by_zone
        if zone.completion_pct is not None and zone.completion_pct < figures.time_progress_pct
    ]
    text = f"年度完成投资居首位的是{first.name}（{_yi(first.year_completed)}亿元）。"
    if behind:
        text += f"完成率落后于时序进度（{figures.time_progress_pct}%）的有{len(behind)}个开发区：{'、'.join(behind)}。"
    return text


def _unmonthed_note(completed: CompletedInvestment) -> str:
    """（其中未分月X亿元）: the part of 年度完成投资 no progress report dates; nothing when there is none."""
    if completed.unmonthed > 0:
        return f"（其中未分月{_yi(completed.unmonthed)}亿元）"
    if completed.unmonthed < 0:
        return f"（逐月进展合计比年度完成投资多{_yi(-completed.unmonthed)}亿元，请核对台账）"
    return ""


def _months_section(figures: Dashboard, month: int) -> Section:
    """The year's completed investment month by month; the figures are as of the month's end, so
    the months after it are empty and months plus 未分月 make the overview's 已完成."""
    completed = figures.completed
    bars = completed.bars[:month] + completed.bars[12:]  # the months so far, then 未分月 if any
    section = Section(
        "三、逐月完成投资",
        [
            f"{figures.year}年已完成投资{_yi(completed.total)}亿元，其中1—{month}月按项目进展逐月填报"
            f"{_yi(completed.monthed)}亿元（{month}月{_yi(completed.by_month[month - 1])}亿元）"
            + (f"，未分月{_yi(completed.unmonthed)}亿元（台账填报、无逐月进展）" if completed.unmonthed else "")
            + "。"
        ],
    )
    section.charts.append(
        Chart(
            f"图2 {figures.year}年1—{month}月逐月完成投资" + ("及未分月部分" if completed.unmonthed else ""),
            bar_chart(
                [label for label, _ in bars],
                {"完成投资（亿元）": [float(format_yi(amount)) for _, amount in bars]},
                unit="亿元",
            ),
        )
    )
    return section


def _campaign_section(
    city: Region, campaigns: QuerySet[Campaign], entries: QuerySet[CampaignEntry], year: int, as_of: datetime.date
) -> Section:
    held = [
        campaign
        for campaign in campaigns.filter(held_on__year=year, held_on__lte=as_of)
        .select_related("region", "zone")
        .order_by("held_on")
        if campaign_zones(campaign).filter(region__code__startswith=city.scope_prefix).exists()
    ]
    lines = [
        f"{campaign.name}（{_day(campaign.held_on)}）：{campaign_figures(entries.filter(campaign=campaign)).sentence}"
        for campaign in held
    ]
    return Section("四、“三个一批”活动", lines or [f"{year}年截至{_day(as_of)}未举办“三个一批”活动。"])
