"""The statistics of a scope and year: what the dashboard (驾驶舱) shows and the reports print.

Every function takes an already scoped queryset (``Project.objects.visible_to(user)``,
narrowed to a zone or a year by the caller) and answers with grouped queries: the number
of queries does not grow with the number of projects, zones or months.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, F, QuerySet, Sum

from kaifaqu.core.money import WAN_PER_YI, as_decimal
from kaifaqu.projects.models import (
    LIFECYCLE,
    Milestone,
    Project,
    Stage,
    local_today,
    reached,
    reached_q,
)
from kaifaqu.projects.selectors import (
    UNFILLED,
    Bucket,
    CompletedInvestment,
    PipelineStats,
    completed_investment,
    pipeline_stats,
)

OVER_100M_WAN = WAN_PER_YI  # 亿元以上项目: total investment of 1亿元 (10000万元) or more
LIST_LIMIT = 20  # rows of the overdue and stalled lists on the dashboard (the full list is a click away)
# Longest silent first: never reported, then the oldest last report.
STALLED_ORDER = (F("last_report_on").asc(nulls_first=True), "started_on", "pk")


def percent(numerator, denominator) -> Decimal | None:
    """``numerator / denominator`` in percent, one decimal, half-up; None without a denominator."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class ZoneFigures:
    zone_id: int
    name: str
    count: int = 0
    investment: Decimal = field(default_factory=Decimal)
    year_planned: Decimal = field(default_factory=Decimal)
    year_completed: Decimal = field(default_factory=Decimal)
    signed: int = 0
    started: int = 0
    overdue: int = 0

    @property
    def completion_pct(self) -> Decimal | None:
        return percent(self.year_completed, self.year_planned)

    @property
    def start_rate_pct(self) -> Decimal | None:
        return percent(self.started, self.signed)


@dataclass
class Dashboard:
    year: int
    today: datetime.date
    stalled_days: int
    pipeline: PipelineStats
    reached: list[tuple[str, int]]  # the funnel: (stage, projects at it or beyond)
    by_industry: list[tuple[str, Bucket]]
    by_zone: list[ZoneFigures]
    by_park: list[tuple[int | None, str, Bucket]]
    year_planned: Decimal
    completed: CompletedInvestment  # 年度完成投资: the total, its months and its 未分月 part
    over_100m: Bucket
    overdue_count: int
    overdue: list[Milestone]
    stalled_count: int
    stalled: list[Project]

    @property
    def year_completed(self) -> Decimal:
        return self.completed.total

    @property
    def completed_by_month(self) -> list[Decimal]:
        """January … December, from progress reports; what they do not date is ``completed.unmonthed``."""
        return list(self.completed.by_month)

    @property
    def completion_pct(self) -> Decimal | None:
        return percent(self.year_completed, self.year_planned)

    @property
    def time_progress_pct(self) -> Decimal:
        """How much of the year has gone (for 完成投资 against 时序进度)."""
        if self.today.year != self.year:
            return Decimal(100) if self.today.year > self.year else Decimal(0)
        start = datetime.date(self.year, 1, 1)
        days = (datetime.date(self.year + 1, 1, 1) - start).days
        return percent((self.today - start).days + 1, days)


def default_stalled_days() -> int:
    return settings.KAIFAQU_STALLED_DAYS


def dashboard(
    projects: QuerySet[Project], *, year: int, today: datetime.date | None = None, stalled_days: int | None = None
) -> Dashboard:
    """Everything the dashboard shows for ``projects`` (scoped) of plan year ``year``."""
    today = today or local_today()
    stalled_days = stalled_days or default_stalled_days()
    of_year = projects.filter(plan_year=year)
    overdue = Milestone.objects.overdue(today).filter(project__in=of_year)
    stalled = of_year.stalled(stalled_days, today)
    completed = completed_investment(of_year, year=year, as_of=today)
    zones = by_zone(of_year, today=today, completed=completed.by_zone)
    late = list(overdue.select_related("project__zone").order_by("planned_on", "pk")[:LIST_LIMIT])
    for milestone in late:
        milestone.days_overdue = (today - milestone.planned_on).days
    return Dashboard(
        year=year,
        today=today,
        stalled_days=stalled_days,
        pipeline=pipeline_stats(of_year),
        reached=reached_counts(of_year),
        by_industry=by_industry(of_year),
        by_zone=zones,
        by_park=by_park(of_year) if len(zones) == 1 else [],
        year_planned=sum((zone.year_planned for zone in zones), Decimal(0)),
        completed=completed,
        over_100m=over_100m(of_year),
        overdue_count=sum(zone.overdue for zone in zones),
        overdue=late,
        stalled_count=stalled.count(),
        stalled=list(stalled.select_related("zone").order_by(*STALLED_ORDER)[:LIST_LIMIT]),
    )


def reached_counts(projects: QuerySet[Project]) -> list[tuple[str, int]]:
    """How many projects reached each stage or went beyond (a terminated one counts up to
    where it stopped): the stage funnel, narrowing from 谋划储备 to 已达产."""
    at = dict.fromkeys(LIFECYCLE, 0)
    for row in projects.order_by().values("stage", "terminated_from").annotate(n=Count("id")):
        at[reached(row["stage"], row["terminated_from"])] += row["n"]
    counts, running = [], 0
    for stage in reversed(LIFECYCLE):
        running += at[stage]
        counts.append((stage, running))
    return counts[::-1]


def by_industry(projects: QuerySet[Project]) -> list[tuple[str, Bucket]]:
    """Count and investment per 产业类别, largest investment first."""
    buckets: dict[str, Bucket] = {}
    for row in projects.order_by().values("industry").annotate(n=Count("id"), amount=Sum("total_investment")):
        buckets.setdefault(row["industry"] or UNFILLED, Bucket()).add(row["n"], row["amount"])
    return sorted(buckets.items(), key=lambda item: (-item[1].investment, item[0]))


def by_zone(projects: QuerySet[Project], *, today: datetime.date, completed: dict[int, Decimal]) -> list[ZoneFigures]:
    """Each zone's count, investment, this year's planned and completed investment (``completed``,
    by zone, from ``completed_investment``), signed and started counts and overdue milestones;
    ranked by completed investment."""
    from kaifaqu.zones.models import Zone

    rows = (
        projects.order_by()
        .values("zone_id")
        .annotate(
            n=Count("id"),
            amount=Sum("total_investment"),
            planned=Sum("year_planned_investment"),
            signed=Count("id", filter=reached_q(Stage.SIGNED)),
            started=Count("id", filter=reached_q(Stage.STARTED)),
        )
    )
    overdue = dict(
        Milestone.objects.overdue(today)
        .filter(project__in=projects)
        .order_by()
        .values("project__zone_id")
        .annotate(n=Count("id"))
        .values_list("project__zone_id", "n")
    )
    figures = {
        row["zone_id"]: ZoneFigures(
            zone_id=row["zone_id"],
            name="",
            count=row["n"],
            investment=as_decimal(row["amount"]),
            year_planned=as_decimal(row["planned"]),
            year_completed=completed.get(row["zone_id"], Decimal(0)),
            signed=row["signed"],
            started=row["started"],
            overdue=overdue.get(row["zone_id"], 0),
        )
        for row in rows
    }
    for pk, name, short_name in Zone.objects.filter(pk__in=figures).values_list("pk", "name", "short_name"):
        figures[pk].name = short_name or name
    return sorted(figures.values(), key=lambda zone: (-zone.year_completed, -zone.investment, zone.name))


def by_park(projects: QuerySet[Project]) -> list[tuple[int | None, str, Bucket]]:
    rows = projects.order_by().values("park_id", "park__name").annotate(n=Count("id"), amount=Sum("total_investment"))
    parks = [
        (row["park_id"], row["park__name"] or "未分园区", Bucket(row["n"], as_decimal(row["amount"]))) for row in rows
    ]
    return sorted(parks, key=lambda park: (-park[2].investment, park[1]))


def over_100m(projects: QuerySet[Project]) -> Bucket:
    row = (
        projects.filter(total_investment__gte=OVER_100M_WAN)
        .order_by()
        .aggregate(n=Count("id"), amount=Sum("total_investment"))
    )
    return Bucket(row["n"], as_decimal(row["amount"]))
