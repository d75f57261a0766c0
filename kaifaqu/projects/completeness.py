"""数据完整度: what a project's record lacks (待补录), counted over any set of projects.

History arrives from offices' ledgers with gaps: a project stands at 在建 without its
签约日期, a filed one without its 项目代码. Those are recorded as missing, never invented
and never an error (DESIGN.md, "History arrives with gaps"). Each gap is declared once,
as a filter (for counts and the project list) and as a test on one project (for an
import's summary), and the two are kept in step by a test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from . import lifecycle
from .models import Project, Stage, reached_q


@dataclass(frozen=True)
class Gap:
    key: str  # the field that is missing
    label: str  # how offices name it (the key of ``data_gaps`` in the command's JSON)
    applies: Q  # the projects that should have it
    missing_q: Q  # … and do not
    applies_to: Callable[[Project], bool]
    is_missing: Callable[[Project], bool]

    @property
    def q(self) -> Q:
        return self.applies & self.missing_q

    def lacks(self, project: Project) -> bool:
        return self.applies_to(project) and self.is_missing(project)


def _reached(stage: str) -> Callable[[Project], bool]:
    rank = lifecycle.RANK[stage]
    return lambda project: lifecycle.RANK[project.reached_stage] >= rank


def _stage_date(stage: str) -> Gap:
    name = lifecycle.DATE_FIELD[stage]
    return Gap(
        key=name,
        label=lifecycle.date_label(name),
        applies=reached_q(stage),
        missing_q=Q(**{f"{name}__isnull": True}),
        applies_to=_reached(stage),
        is_missing=lambda project: getattr(project, name) is None,
    )


# In the order of the lifecycle, then the record's other fields.
GAPS: tuple[Gap, ...] = (
    _stage_date(Stage.SIGNED),
    _stage_date(Stage.FILED),
    Gap(
        key="project_code",
        label="项目代码",
        applies=reached_q(Stage.FILED),
        missing_q=Q(project_code__isnull=True) | Q(project_code=""),
        applies_to=_reached(Stage.FILED),
        is_missing=lambda project: not project.project_code,
    ),
    _stage_date(Stage.STARTED),
    Gap(
        key="completed_on",
        label="竣工日期",
        applies=Q(completed=True),
        missing_q=Q(completed_on__isnull=True),
        applies_to=lambda project: project.completed,
        is_missing=lambda project: project.completed_on is None,
    ),
    _stage_date(Stage.PRODUCING),
    _stage_date(Stage.AT_CAPACITY),
    Gap(
        key="in_statistics_on",
        label="入统日期",
        applies=Q(in_statistics=True),
        missing_q=Q(in_statistics_on__isnull=True),
        applies_to=lambda project: project.in_statistics,
        is_missing=lambda project: project.in_statistics_on is None,
    ),
    Gap(
        # A signed project has a counterparty; a lead may not have one yet.
        key="enterprise",
        label="建设单位",
        applies=reached_q(Stage.SIGNED),
        missing_q=Q(enterprise__isnull=True),
        applies_to=_reached(Stage.SIGNED),
        # An enterprise registered by the same import has no id yet: look at the object too.
        is_missing=lambda project: project.enterprise_id is None and _cached(project, "enterprise") is None,
    ),
    Gap(
        key="industry",
        label="行业",
        applies=Q(),
        missing_q=Q(industry=""),
        applies_to=lambda project: True,
        is_missing=lambda project: not project.industry,
    ),
)
GAP_BY_KEY = {gap.key: gap for gap in GAPS}
GAP_LABELS = [gap.label for gap in GAPS]


def _cached(project: Project, name: str):
    return Project._meta.get_field(name).get_cached_value(project, default=None)


@dataclass
class GapCount:
    gap: Gap
    missing: int  # projects that lack it
    expected: int  # projects that should have it

    @property
    def complete_pct(self):
        """The share of the projects that should have it and do (None when none should)."""
        if not self.expected:
            return None
        share = Decimal(self.expected - self.missing) * 100 / Decimal(self.expected)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def label(self) -> str:
        return self.gap.label


def gap_counts(projects: QuerySet[Project]) -> list[GapCount]:
    """How many of ``projects`` (scoped by the caller) lack each field, of how many should have it: one query."""
    aggregates = {}
    for gap in GAPS:
        aggregates[f"{gap.key}__expected"] = Count("pk", filter=gap.applies)
        aggregates[f"{gap.key}__missing"] = Count("pk", filter=gap.q)
    row = projects.order_by().aggregate(**aggregates)
    return [GapCount(gap, row[f"{gap.key}__missing"], row[f"{gap.key}__expected"]) for gap in GAPS]


def data_gaps(projects: QuerySet[Project]) -> dict[str, int]:
    """``{"签约日期": 12, "项目代码": 3, …}`` for every gap (zeros included)."""
    return {count.label: count.missing for count in gap_counts(projects)}


def project_gaps(project: Project) -> list[Gap]:
    """What this one project lacks."""
    return [gap for gap in GAPS if gap.lacks(project)]


def with_gap(projects: QuerySet[Project], key: str) -> QuerySet[Project]:
    """The projects lacking ``key`` (a ``GAPS`` key; ``any`` for projects lacking anything)."""
    if key == "any":
        condition = Q()
        for gap in GAPS:
            condition |= gap.q
        return projects.filter(condition)
    gap = GAP_BY_KEY.get(key)
    return projects.none() if gap is None else projects.filter(gap.q)


def gaps_sentence(counts: dict[str, int]) -> str:
    """``签约日期 12，项目代码 3`` (only what is missing); empty when nothing is."""
    return "，".join(f"{label} {count}" for label, count in counts.items() if count)


@dataclass
class CompletenessCard:
    """数据完整度 as a page shows it: each gap's count with the address of the projects behind it."""

    figures: list[tuple[GapCount, str]]
    lacking: int  # projects lacking anything
    lacking_url: str

    @property
    def empty(self) -> bool:
        return all(count.expected == 0 for count, _ in self.figures)


def completeness_card(projects: QuerySet[Project], *, link: Callable[..., str]) -> CompletenessCard:
    """The card for ``projects`` (scoped by the caller); ``link(gap=key)`` is the address of the
    project list filtered as the page's figures are (its zone, city or year): two queries."""
    figures = [(count, link(gap=count.gap.key)) for count in gap_counts(projects)]
    return CompletenessCard(figures, with_gap(projects, "any").count(), link(gap="any"))
