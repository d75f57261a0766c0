"""Reads of the project ledger that compute: search, totals, pipeline statistics and rates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from kaifaqu.core.money import as_decimal, format_wan, format_yi

from . import lifecycle
from .models import Milestone, PlanCategory, PriorityLevel, Project, Stage, local_today, reached

# How each stage is named in the standard pipeline sentence offices paste into reports.
SENTENCE_LABELS = {
    Stage.PLANNING: "谋划储备",
    Stage.CONTACT: "初步对接",
    Stage.INTENT: "重点意向",
    Stage.READY: "成熟待签约",
    Stage.SIGNED: "签约待备案",
    Stage.FILED: "备案待开工",
    Stage.STARTED: "在建",
    Stage.PRODUCING: "已投产",
    Stage.AT_CAPACITY: "已达产",
}
UNCATEGORISED = "未分类"
NOT_PRIORITY = "非重点"
UNFILLED = "未填写"  # a project without an industry

# (key, label, numerator stage, denominator stage): "reached X" means at X or later,
# where a terminated project counts at the stage it was terminated from.
RATE_DEFINITIONS = (
    ("conversion", "转化率", Stage.SIGNED, Stage.CONTACT),
    ("start", "开工率", Stage.STARTED, Stage.SIGNED),
    ("production", "投产率", Stage.PRODUCING, Stage.STARTED),
    ("capacity", "达产率", Stage.AT_CAPACITY, Stage.PRODUCING),
    ("statistics", "入统率", None, Stage.STARTED),
)


def project_search(queryset: QuerySet[Project], text: str) -> QuerySet[Project]:
    """Projects whose name, code or enterprise (建设单位) contains ``text``."""
    text = (text or "").strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(name__icontains=text) | Q(enterprise__name__icontains=text) | Q(project_code__icontains=text)
    )


@dataclass
class Totals:
    count: int
    total_investment: Decimal


def project_totals(queryset: QuerySet[Project]) -> Totals:
    row = queryset.order_by().aggregate(count=Count("id"), total=Sum("total_investment"))
    return Totals(count=row["count"], total_investment=as_decimal(row["total"]))


@dataclass
class Bucket:
    count: int = 0
    investment: Decimal = field(default_factory=lambda: Decimal("0"))

    def add(self, count: int, investment) -> None:
        self.count += count
        self.investment += as_decimal(investment)

    def as_json(self) -> dict:
        return {"count": self.count, "investment_wan": format_wan(self.investment)}


@dataclass
class Rate:
    key: str
    label: str
    numerator: int = 0
    denominator: int = 0

    @property
    def percent(self) -> Decimal | None:
        if not self.denominator:
            return None
        value = Decimal(self.numerator * 100) / Decimal(self.denominator)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def display(self) -> str:
        percent = self.percent
        return "—" if percent is None else f"{percent}%"

    def as_json(self) -> dict:
        percent = self.percent
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "percent": None if percent is None else float(percent),
        }


@dataclass
class PipelineStats:
    projects: int
    total_investment: Decimal
    by_stage: dict[str, Bucket]
    by_plan_category: dict[str, Bucket]
    by_priority: dict[str, Bucket]
    rates: dict[str, Rate]

    @property
    def sentence(self) -> str:
        return pipeline_sentence(self.by_stage)

    def stage_rows(self) -> list[tuple[str, str, Bucket]]:
        return [(code, Stage(code).label, bucket) for code, bucket in self.by_stage.items()]

    def as_json(self) -> dict:
        return {
            "projects": self.projects,
            "total_investment_wan": format_wan(self.total_investment),
            "by_stage": {code: bucket.as_json() for code, bucket in self.by_stage.items()},
            "by_plan_category": {name: bucket.as_json() for name, bucket in self.by_plan_category.items()},
            "by_priority": {name: bucket.as_json() for name, bucket in self.by_priority.items()},
            "rates": {key: rate.as_json() for key, rate in self.rates.items()},
            "sentence": self.sentence,
        }


def pipeline_stats(projects: QuerySet[Project]) -> PipelineStats:
    """Counts and investment by stage, plan category and priority, and the lifecycle rates.

    One grouped query whatever the number of projects; the caller passes an
    already scoped (``visible_to``) and filtered queryset.
    """
    rows = (
        projects.order_by()
        .values("stage", "terminated_from", "plan_category__name", "priority_level", "in_statistics")
        .annotate(n=Count("id"), investment=Sum("total_investment"))
    )
    by_stage = {code: Bucket() for code in Stage.values}
    by_category = {name: Bucket() for name in _default_category_names()}
    by_priority = {label: Bucket() for label in PriorityLevel.labels} | {NOT_PRIORITY: Bucket()}
    rates = {key: Rate(key, label) for key, label, _, _ in RATE_DEFINITIONS}
    total = Bucket()
    for row in rows:
        count, investment = row["n"], row["investment"]
        total.add(count, investment)
        by_stage[row["stage"]].add(count, investment)
        by_category.setdefault(row["plan_category__name"] or UNCATEGORISED, Bucket()).add(count, investment)
        priority = PriorityLevel(row["priority_level"]).label if row["priority_level"] else NOT_PRIORITY
        by_priority[priority].add(count, investment)
        _count_rates(rates, row, count)
    return PipelineStats(total.count, total.investment, by_stage, by_category, by_priority, rates)


def _default_category_names() -> list[str]:
    return list(PlanCategory.objects.filter(unit__isnull=True).values_list("name", flat=True))


def _count_rates(rates: dict[str, Rate], row: dict, count: int) -> None:
    position = lifecycle.RANK[reached(row["stage"], row["terminated_from"])]
    for key, _, numerator_stage, denominator_stage in RATE_DEFINITIONS:
        if position < lifecycle.RANK[denominator_stage]:
            continue
        rates[key].denominator += count
        counted = row["in_statistics"] if numerator_stage is None else position >= lifecycle.RANK[numerator_stage]
        if counted:
            rates[key].numerator += count


def pipeline_sentence(by_stage: dict[str, Bucket]) -> str:
    """``初步对接项目7个，总投资15.5亿元；重点意向项目10个，总投资27.36亿元；…。``"""
    parts = [
        f"{SENTENCE_LABELS[code]}项目{bucket.count}个，总投资{format_yi(bucket.investment, strip_zeros=True)}亿元"
        for code, bucket in by_stage.items()
        if code in SENTENCE_LABELS and bucket.count
    ]
    return "；".join(parts) + "。" if parts else "暂无项目。"


def overdue_milestones(projects: QuerySet[Project], today: datetime.date | None = None) -> QuerySet[Milestone]:
    return Milestone.objects.overdue(today).filter(project__in=projects)


@dataclass
class ZoneOverview:
    stats: PipelineStats
    overdue_count: int
    year: int
    year_planned: Decimal
    year_completed: Decimal
    parks: list[dict]


def latest_plan_year(projects: QuerySet[Project]) -> int:
    """The newest plan year among ``projects`` (this year when there are none): the overview's default."""
    from django.db.models import Max

    return projects.order_by().aggregate(year=Max("plan_year"))["year"] or local_today().year


def zone_overview(zone, projects: QuerySet[Project], *, year: int, today: datetime.date | None = None) -> ZoneOverview:
    """What a zone's overview page shows; ``projects`` is the viewer's scoped queryset."""
    zone_projects = projects.filter(zone=zone)
    year_row = (
        zone_projects.filter(plan_year=year)
        .order_by()
        .aggregate(planned=Sum("year_planned_investment"), completed=Sum("year_completed_investment"))
    )
    by_park = {
        row["park_id"]: row
        for row in zone_projects.order_by()
        .values("park_id")
        .annotate(n=Count("id"), investment=Sum("total_investment"))
    }
    parks = [
        {
            "id": park.pk,
            "name": park.name,
            "n": by_park.get(park.pk, {}).get("n", 0),
            "investment": as_decimal(by_park.get(park.pk, {}).get("investment")),
        }
        for park in zone.parks.order_by("name")
    ]
    return ZoneOverview(
        stats=pipeline_stats(zone_projects),
        overdue_count=overdue_milestones(zone_projects, today).count(),
        year=year,
        year_planned=as_decimal(year_row["planned"]),
        year_completed=as_decimal(year_row["completed"]),
        parks=parks,
    )


def project_ids_with_overdue(project_ids: list[int], today: datetime.date | None = None) -> set[int]:
    """Which of these projects (one page of a list) have an overdue milestone: one query."""
    if not project_ids:
        return set()
    return set(Milestone.objects.overdue(today).filter(project_id__in=project_ids).values_list("project_id", flat=True))


@dataclass
class TimelineStep:
    stage: str
    label: str
    date: datetime.date | None
    state: str  # "done", "current", "todo" or "skipped"


def project_timeline(project: Project) -> list[TimelineStep]:
    """The lifecycle as the detail page draws it: each stage with its date and whether it is reached."""
    reached = lifecycle.RANK[project.reached_stage]
    steps = []
    for stage in lifecycle.ORDER:
        position = lifecycle.RANK[stage]
        when = getattr(project, lifecycle.DATE_FIELD[stage]) if stage in lifecycle.DATE_FIELD else None
        if position == reached and project.stage != Stage.TERMINATED:
            state = "current"
        elif position <= reached:
            state = "done" if when or position == 0 else "skipped"
        else:
            state = "todo"
        steps.append(TimelineStep(stage, Stage(stage).label, when, state))
    return steps


def project_detail_context(project: Project, today: datetime.date | None = None) -> dict:
    """Everything the detail page shows beyond the project's own fields: four queries."""
    today = today or local_today()
    milestones = list(project.milestones.all())
    for milestone in milestones:
        milestone.overdue = milestone.is_overdue(today)
    return {
        "project": project,
        "timeline": project_timeline(project),
        "milestones": milestones,
        "overdue_count": sum(1 for milestone in milestones if milestone.overdue),
        "progress_reports": list(project.progress_reports.select_related("created_by")),
        "stage_changes": list(project.stage_changes.select_related("user")),
        "today": today,
    }
