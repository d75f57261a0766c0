"""Reads of the project ledger that compute: search, totals, pipeline statistics and rates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from kaifaqu.core.money import as_decimal, format_wan, format_yi

from . import lifecycle
from .completeness import GAP_BY_KEY, project_gaps
from .models import (
    Milestone,
    PlanCategory,
    PriorityLevel,
    ProgressReport,
    Project,
    Stage,
    local_today,
    reached,
    reached_q,
)

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

# (key, label, numerator, denominator, definition). Each side is a stage, meaning "reached it"
# (at it or later; a terminated project counts at the stage it was terminated from), or a
# flag of the project (``completed``, ``in_statistics``). The numerator is counted only
# among the denominator's projects.
RATE_DEFINITIONS = (
    ("conversion", "转化率", Stage.SIGNED, Stage.CONTACT, "已签约及以后的项目 ÷ 进入初步对接及以后的项目"),
    ("start", "开工率", Stage.STARTED, Stage.SIGNED, "已开工及以后的项目 ÷ 已签约及以后的项目"),
    ("production", "投产率", Stage.PRODUCING, Stage.STARTED, "已投产及以后的项目 ÷ 已开工及以后的项目"),
    ("capacity", "达产率", Stage.AT_CAPACITY, Stage.PRODUCING, "已达产的项目 ÷ 已投产及以后的项目"),
    ("statistics", "入统率", "in_statistics", Stage.STARTED, "已入统的项目 ÷ 已开工及以后的项目"),
    # 太原 (seed 004): 开工竣工率、投产达效率 — 竣工 is apart from 投产, so both are asked.
    ("completion", "开工竣工率", "completed", Stage.STARTED, "已竣工的项目 ÷ 已开工及以后的项目"),
    ("yield", "投产达效率", Stage.PRODUCING, "completed", "已竣工项目中已投产及以后的 ÷ 已竣工的项目"),
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
    definition: str = ""  # one line saying what is divided by what (the pages' tooltip)

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
        .values("stage", "terminated_from", "plan_category__name", "priority_level", "in_statistics", "completed")
        .annotate(n=Count("id"), investment=Sum("total_investment"))
    )
    by_stage = {code: Bucket() for code in Stage.values}
    by_category = {name: Bucket() for name in _default_category_names()}
    by_priority = {label: Bucket() for label in PriorityLevel.labels} | {NOT_PRIORITY: Bucket()}
    rates = {key: Rate(key, label, definition=text) for key, label, _, _, text in RATE_DEFINITIONS}
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
    for key, _, numerator, denominator, _ in RATE_DEFINITIONS:
        if not _meets(row, position, denominator):
            continue
        rates[key].denominator += count
        if _meets(row, position, numerator):
            rates[key].numerator += count


def _meets(row: dict, position: int, condition: str) -> bool:
    """A rate's side: a stage reached (``position`` is how far the row's projects got) or a flag set."""
    if condition in lifecycle.RANK:
        return position >= lifecycle.RANK[condition]
    return bool(row[condition])


def pipeline_sentence(by_stage: dict[str, Bucket]) -> str:
    """``初步对接项目7个，总投资15.5亿元；重点意向项目10个，总投资27.36亿元；…。``"""
    parts = [
        f"{SENTENCE_LABELS[code]}项目{bucket.count}个，总投资{format_yi(bucket.investment, strip_zeros=True)}亿元"
        for code, bucket in by_stage.items()
        if code in SENTENCE_LABELS and bucket.count
    ]
    return "；".join(parts) + "。" if parts else "暂无项目。"


def entered_statistics_in(projects: QuerySet[Project], *, year: int) -> QuerySet[Project]:
    """The projects whose 入统日期 falls in ``year`` (one with the flag but no date is a gap, not counted)."""
    return projects.filter(in_statistics=True, in_statistics_on__year=year)


def in_statistics_investment(projects: QuerySet[Project], *, year: int) -> Totals:
    """当年入统投资 (孝义, seed 000: ≥ 5亿元): how many of ``projects`` entered statistics in
    ``year``, and their total investment. ``projects`` is scoped by the caller; a plan year
    does not narrow it, since a project enters statistics in whichever year it does."""
    return project_totals(entered_statistics_in(projects, year=year))


@dataclass
class Cohort:
    """The projects signed in a period, and how many of them have since started and produced."""

    signed_from: datetime.date
    signed_to: datetime.date
    signed: Bucket
    started: Bucket  # of the signed: reached 已开工 (a terminated one counts where it stopped)
    producing: Bucket  # of the signed: reached 已投产
    undated: int  # reached 已签约 with no 签约日期 (待补录): counted apart, in no period

    @property
    def sentence(self) -> str:
        return cohort_sentence(self)

    def as_json(self) -> dict:
        return {
            "cohort": {
                "signed": self.signed.as_json(),
                "started": self.started.as_json(),
                "producing": self.producing.as_json(),
            },
            "cohort_undated": self.undated,
            "cohort_sentence": self.sentence,
        }


COHORT_STEPS = ("signed", "started", "producing")


def _cohort_aggregates(signed_from: datetime.date, signed_to: datetime.date) -> dict:
    in_period = Q(signed_on__gte=signed_from, signed_on__lte=signed_to)
    steps = {"signed": in_period, "started": in_period & reached_q(Stage.STARTED)}
    steps["producing"] = in_period & reached_q(Stage.PRODUCING)
    aggregates = {"undated": Count("pk", filter=GAP_BY_KEY["signed_on"].q)}
    for name, condition in steps.items():
        aggregates[name] = Count("pk", filter=condition)
        aggregates[f"{name}_wan"] = Sum("total_investment", filter=condition)
    return aggregates


def _cohort_of(row: dict, signed_from: datetime.date, signed_to: datetime.date) -> Cohort:
    buckets = {name: Bucket(row[name], as_decimal(row[f"{name}_wan"])) for name in COHORT_STEPS}
    return Cohort(signed_from, signed_to, undated=row["undated"], **buckets)


def cohort(projects: QuerySet[Project], *, signed_from: datetime.date, signed_to: datetime.date) -> Cohort:
    """The cohort of ``projects`` (scoped) signed from ``signed_from`` to ``signed_to``, both
    days included (灵石, seed 003: 2022年~2025年签约项目23个…): one query."""
    row = projects.order_by().aggregate(**_cohort_aggregates(signed_from, signed_to))
    return _cohort_of(row, signed_from, signed_to)


def cohort_by_zone(
    projects: QuerySet[Project], *, signed_from: datetime.date, signed_to: datetime.date
) -> dict[int, Cohort]:
    """``cohort`` of each zone's projects in one grouped query (考核 scores every zone of a province)."""
    rows = projects.order_by().values("zone_id").annotate(**_cohort_aggregates(signed_from, signed_to))
    return {row["zone_id"]: _cohort_of(row, signed_from, signed_to) for row in rows}


def period_label(start: datetime.date, end: datetime.date) -> str:
    """``2022年~2025年`` for whole calendar years (``2025年`` for one), else ``2022年3月1日~2025年6月30日``."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"{start.year}年" if start.year == end.year else f"{start.year}年~{end.year}年"
    return f"{_day(start)}~{_day(end)}"


def _day(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def cohort_sentence(figures: Cohort) -> str:
    """``2022年~2025年签约项目23个，总投资98.36亿元，开工项目21个，总投资97.12亿元，投产项目15个，总投资44.84亿元。``"""
    period = period_label(figures.signed_from, figures.signed_to)
    if figures.signed.count:
        parts = [
            f"{word}项目{bucket.count}个，总投资{format_yi(bucket.investment, strip_zeros=True)}亿元"
            for word, bucket in (("签约", figures.signed), ("开工", figures.started), ("投产", figures.producing))
        ]
        text = f"{period}{'，'.join(parts)}。"
    else:
        text = f"{period}签约项目0个。"
    if figures.undated:
        text += f"另有{figures.undated}个项目签约日期待补录。"
    return text


def overdue_milestones(projects: QuerySet[Project], today: datetime.date | None = None) -> QuerySet[Milestone]:
    return Milestone.objects.overdue(today).filter(project__in=projects)


# ------------------------------------------------------------------ 年度完成投资

UNMONTHED = "未分月"


@dataclass(frozen=True)
class CompletedInvestment:
    """年度完成投资 of a set of projects for one plan year: the one figure the dashboard's card and
    chart, the weekly and monthly reports and the ledger export all print.

    The total is the year's completed investment as reported: the sum of the projects'
    年度完成投资, whether imported from an office's sheet, typed in, or added by progress reports
    dated in the plan year. ``by_month`` is the part those progress reports date; what no report
    dates (a ledger figure imported without monthly reports) is ``unmonthed`` (未分月), so the
    months plus 未分月 always make the total."""

    year: int
    total: Decimal
    by_month: tuple[Decimal, ...]  # January … December
    by_zone: dict[int, Decimal]

    @property
    def monthed(self) -> Decimal:
        return sum(self.by_month, Decimal(0))

    @property
    def unmonthed(self) -> Decimal:
        """Negative only when the ledger figure was lowered below its own reports (a ledger to check)."""
        return self.total - self.monthed

    @property
    def bars(self) -> list[tuple[str, Decimal]]:
        """The chart's bars: each month, then 未分月 when there is any."""
        bars = [(f"{month}月", amount) for month, amount in enumerate(self.by_month, start=1)]
        if self.unmonthed:
            bars.append((UNMONTHED, self.unmonthed))
        return bars


def year_reports(projects) -> QuerySet[ProgressReport]:
    """The progress reports that make up 年度完成投资: those dated in their project's plan year,
    exactly the ones ``progress_create`` adds to the project's figure."""
    return ProgressReport.objects.filter(project__in=projects, reported_on__year=F("project__plan_year"))


def completed_investment(
    projects: QuerySet[Project], *, year: int, as_of: datetime.date | None = None
) -> CompletedInvestment:
    """年度完成投资 of ``projects`` (scoped) of plan year ``year``, by month and by zone.

    With ``as_of``, investment reported after that day is left out of the total as well as the
    months: a report on a past month prints what was known at its end, and still adds up."""
    of_year = projects.filter(plan_year=year)
    by_zone = _sum_by(of_year, "zone_id", "year_completed_investment")
    reports = year_reports(of_year)
    if as_of is not None:
        for zone_id, later in _sum_by(reports.filter(reported_on__gt=as_of), "project__zone_id", "investment").items():
            by_zone[zone_id] = by_zone.get(zone_id, Decimal(0)) - later
        reports = reports.filter(reported_on__lte=as_of)
    months = [Decimal(0)] * 12
    for month, amount in _sum_by(reports.annotate(month=ExtractMonth("reported_on")), "month", "investment").items():
        months[month - 1] = amount
    return CompletedInvestment(
        year=year, total=sum(by_zone.values(), Decimal(0)), by_month=tuple(months), by_zone=by_zone
    )


def monthed_by_project(projects) -> dict[int, Decimal]:
    """Of each project's 年度完成投资, the part its progress reports date by month; the rest is 未分月."""
    return _sum_by(year_reports(projects), "project_id", "investment")


def _sum_by(queryset: QuerySet, key: str, amount: str) -> dict:
    rows = queryset.order_by().values(key).annotate(amount=Sum(amount)).values_list(key, "amount")
    return {group: as_decimal(total) for group, total in rows}


@dataclass
class ZoneOverview:
    stats: PipelineStats
    overdue_count: int
    year: int
    year_planned: Decimal
    year_completed: Decimal
    parks: list[dict]


def zone_overview(zone, projects: QuerySet[Project], *, year: int, today: datetime.date | None = None) -> ZoneOverview:
    """What a zone's overview page shows; ``projects`` is the viewer's scoped queryset."""
    zone_projects = projects.filter(zone=zone)
    year_row = zone_projects.filter(plan_year=year).order_by().aggregate(planned=Sum("year_planned_investment"))
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
        year_completed=completed_investment(zone_projects, year=year).total,
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
    missing: bool = False  # a key step passed without its date: 待补录, not a step skipped


def project_timeline(project: Project) -> list[TimelineStep]:
    """The lifecycle as the detail page draws it: each stage with its date and whether it is reached."""
    reached = lifecycle.RANK[project.reached_stage]
    lacking = {gap.key for gap in project_gaps(project)}
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
        # Lead stages may be passed without a date; the key steps' dates are what history lacks.
        missing = lifecycle.DATE_FIELD.get(stage) in lacking
        steps.append(TimelineStep(stage, Stage(stage).label, when, state, missing))
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
