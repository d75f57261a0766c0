"""Reads behind the 经营数据 pages (issue 22): an enterprise's years on its page, the zone list of a
year with what is still 待补录, and the 小升规 / 个转企 achieved per year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from .figures import current_statuses
from .models import Enterprise, EnterpriseFigures, OperatingStatus


@dataclass(frozen=True)
class Figure:
    name: str
    label: str  # without the unit: 产值
    unit: str  # 万元, 人, 吨标准煤, 亩, 平方米

    @property
    def header(self) -> str:
        return f"{self.label}（{self.unit}）"


# The nine figures an enterprise reports, in the order of its statistics form.
FIGURES = (
    Figure("output_value", "产值", "万元"),
    Figure("revenue", "营业收入", "万元"),
    Figure("value_added", "增加值", "万元"),
    Figure("tax", "税收", "万元"),
    Figure("employees", "用工", "人"),
    Figure("energy_tce", "能耗", "吨标准煤"),
    Figure("rd_spend", "研发投入", "万元"),
    Figure("land_mu", "用地面积", "亩"),
    Figure("floor_area", "建筑面积", "平方米"),
)
FIGURE_NAMES = tuple(figure.name for figure in FIGURES)
NO_STATUS = "none"  # the 经营状态 filter's value for 未登记

# 填报情况 of an enterprise's year: every figure given, some 待补录, or no record of the year at all.
COMPLETE, PARTIAL, MISSING = "complete", "partial", "missing"
FILL_LABELS = {COMPLETE: "已填报", PARTIAL: "待补录", MISSING: "未填报"}


def period_label(record: EnterpriseFigures) -> str:
    return f"{record.year}年" + (f"1-{record.month}月" if record.month else "")


def missing_count(record: EnterpriseFigures | None) -> int:
    """How many of the nine figures are 待补录 (all nine without a record)."""
    if record is None:
        return len(FIGURES)
    return sum(1 for name in FIGURE_NAMES if getattr(record, name) is None)


def figure_values(record: EnterpriseFigures | None) -> list[Decimal | int | None]:
    return [getattr(record, name) if record is not None else None for name in FIGURE_NAMES]


def year_figures(enterprise: Enterprise, *, year: int, month: int | None = None) -> EnterpriseFigures | None:
    return EnterpriseFigures.objects.filter(enterprise=enterprise, year=year, month=month).first()


# ------------------------------------------------------------------ the enterprise's page


def enterprise_overview(enterprise: Enterprise, *, on: datetime.date) -> dict:
    """The 经营数据 card: each year (and 1–N月) as a row of its figures, the current state and its history."""
    records = EnterpriseFigures.objects.filter(enterprise=enterprise).order_by("-year", "month")
    rows = [
        {
            "record": record,
            "label": period_label(record),
            "values": figure_values(record),
            "missing": missing_count(record),
        }
        for record in records
    ]
    history = list(OperatingStatus.objects.filter(enterprise=enterprise).select_related("recorded_by"))
    current = next((state for state in history if state.since <= on), None)
    return {"figures": FIGURES, "rows": rows, "status": current, "status_history": history}


# ------------------------------------------------------------------ the zone list of a year


def _missing_expression():
    """SQL: how many of the nine figures of a record are empty."""
    total = Value(0)
    for name in FIGURE_NAMES:
        total = total + Case(When(**{f"{name}__isnull": True}, then=Value(1)), default=Value(0))
    return total


def with_year_state(enterprises: QuerySet[Enterprise], *, year: int, on: datetime.date) -> QuerySet[Enterprise]:
    """Each enterprise with ``missing`` (待补录 figures of ``year``; 9 without a record), ``reported``
    (a record of the year exists) and ``current_status`` (on ``on``; empty: 未登记), for filtering."""
    record = EnterpriseFigures.objects.filter(enterprise=OuterRef("pk"), year=year, month__isnull=True)
    missing = record.annotate(empty=_missing_expression()).values("empty")[:1]
    state = OperatingStatus.objects.filter(enterprise=OuterRef("pk"), since__lte=on).order_by("-since", "-id")
    return enterprises.annotate(
        year_record=Subquery(record.values("pk")[:1]),
        missing=Coalesce(Subquery(missing, output_field=IntegerField()), Value(len(FIGURES))),
        current_status=Subquery(state.values("status")[:1]),
    )


def filter_fill(enterprises: QuerySet[Enterprise], fill: str) -> QuerySet[Enterprise]:
    """``enterprises`` annotated by ``with_year_state``, narrowed to one 填报情况."""
    if fill == COMPLETE:
        return enterprises.filter(year_record__isnull=False, missing=0)
    if fill == PARTIAL:
        return enterprises.filter(year_record__isnull=False, missing__gt=0)
    if fill == MISSING:
        return enterprises.filter(year_record__isnull=True)
    return enterprises


def filter_status(enterprises: QuerySet[Enterprise], status: str) -> QuerySet[Enterprise]:
    if status == NO_STATUS:
        return enterprises.filter(current_status__isnull=True)
    return enterprises.filter(current_status=status) if status else enterprises


def fill_counts(enterprises: QuerySet[Enterprise]) -> dict[str, int]:
    """已填报 / 待补录 / 未填报 户 of ``enterprises`` annotated by ``with_year_state``."""
    return {fill: filter_fill(enterprises, fill).order_by().count() for fill in FILL_LABELS}


def state_counts(enterprises: QuerySet[Enterprise], *, on: datetime.date) -> list[tuple[str, str, int]]:
    """(filter value, label, 户) for every operating state and 未登记, in the states' order."""
    counts = dict.fromkeys([*OperatingStatus.Status.values, NO_STATUS], 0)
    for state in current_statuses(enterprises, on=on).values():
        counts[state.status] += 1
    counts[NO_STATUS] = enterprises.count() - sum(counts.values())
    labels = {**dict(OperatingStatus.Status.choices), NO_STATUS: "未登记"}
    return [(value, labels[value], count) for value, count in counts.items()]


def attach_year(enterprises: list[Enterprise], *, year: int, on: datetime.date) -> list[Enterprise]:
    """One query for a page of rows: each enterprise's record of the year, values and state label."""
    records = {
        record.enterprise_id: record
        for record in EnterpriseFigures.objects.filter(enterprise__in=enterprises, year=year, month__isnull=True)
    }
    labels = dict(OperatingStatus.Status.choices)
    for enterprise in enterprises:
        enterprise.year_figures = records.get(enterprise.pk)
        enterprise.values = figure_values(enterprise.year_figures)
        enterprise.status_label = labels.get(getattr(enterprise, "current_status", None) or "", "")
    return enterprises


# ------------------------------------------------------------------ 小升规 / 个转企


def upgrades_by_zone(enterprises: QuerySet[Enterprise], *, years: list[int]) -> list[dict]:
    """Per zone: 小升规 (入规年度) and 个转企 (个转企年度) counted in each of ``years``, and their totals."""
    counts = (
        enterprises.filter(Q(above_scale_year__in=years) | Q(converted_year__in=years))
        .values("zone_id", "zone__name", "above_scale_year", "converted_year")
        .order_by()
    )
    zones: dict[int, dict] = {}
    for row in counts:
        empty = {"zone": row["zone__name"], "scale": dict.fromkeys(years, 0), "converted": dict.fromkeys(years, 0)}
        zone = zones.setdefault(row["zone_id"], empty)
        if row["above_scale_year"] in years:
            zone["scale"][row["above_scale_year"]] += 1
        if row["converted_year"] in years:
            zone["converted"][row["converted_year"]] += 1
    found = sorted(zones.values(), key=lambda zone: zone["zone"])
    for zone in found:
        zone["cells"] = [(zone["scale"][year], zone["converted"][year]) for year in years]
        zone["scale_total"] = sum(zone["scale"].values())
        zone["converted_total"] = sum(zone["converted"].values())
    return found
