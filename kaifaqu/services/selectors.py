"""Reads of the request ledger: statistics per scope and period, and the rows of the usual ledger."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from .models import Category, ServiceRequest

SATISFIED = 4  # 满意: 4 or 5 of 5


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class RequestStats:
    """``received``: filed in the period; ``resolved``: closed in the period; ``overdue``: of those
    received by the period's end, still open past a deadline today. 办结率 is the share of the
    period's requests already closed; 满意率 the share of ratings of 4 or 5 among the period's ratings."""

    received: int = 0
    resolved: int = 0
    overdue: int = 0
    resolution_rate_pct: Decimal | None = None
    avg_days_to_resolve: Decimal | None = None
    satisfaction_rate_pct: Decimal | None = None
    by_category: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_json(self) -> dict:
        def text(value):
            return None if value is None else str(value)

        return {
            "received": self.received,
            "resolved": self.resolved,
            "overdue": self.overdue,
            "resolution_rate_pct": text(self.resolution_rate_pct),
            "avg_days_to_resolve": text(self.avg_days_to_resolve),
            "satisfaction_rate_pct": text(self.satisfaction_rate_pct),
            "by_category": self.by_category,
        }


def request_stats(
    requests: QuerySet[ServiceRequest], *, today: datetime.date, period: tuple[int, int] | None = None
) -> RequestStats:
    """``requests`` already scoped; ``period`` a (year, month), or None for everything on record."""
    first, last = month_bounds(*period) if period else (datetime.date.min, datetime.date.max)
    received = requests.filter(received_on__range=(first, last))
    resolved = requests.filter(resolved_on__range=(first, last))
    overdue = requests.filter(received_on__lte=min(last, today)).overdue(today)
    stats = RequestStats(received=received.count(), resolved=resolved.count(), overdue=overdue.count())
    stats.resolution_rate_pct = _pct(received.filter(status__in=ServiceRequest.CLOSED).count(), stats.received)
    days = [(done - filed).days for filed, done in resolved.values_list("received_on", "resolved_on")]
    if days:
        stats.avg_days_to_resolve = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    rated = resolved.filter(satisfaction__isnull=False).aggregate(
        all=Count("pk"), satisfied=Count("pk", filter=Q(satisfaction__gte=SATISFIED))
    )
    stats.satisfaction_rate_pct = _pct(rated["satisfied"], rated["all"])
    stats.by_category = _by_category(received, resolved, overdue)
    return stats


def _by_category(received, resolved, overdue) -> dict[str, dict[str, int]]:
    counts = {label: {"received": 0, "resolved": 0, "overdue": 0} for label in Category.labels}
    for name, queryset in (("received", received), ("resolved", resolved), ("overdue", overdue)):
        for category, number in queryset.values_list("category").annotate(n=Count("pk")).values_list("category", "n"):
            counts[Category(category).label][name] = number
    return {label: row for label, row in counts.items() if any(row.values())}


def stats_by_zone(requests: QuerySet[ServiceRequest], *, zones, today, period) -> list[tuple]:
    """(zone, stats) for each zone with requests, for the offices' comparison table."""
    return [
        (zone, stats)
        for zone in zones
        if (stats := request_stats(requests.filter(zone=zone), today=today, period=period)).received
        or stats.resolved
        or stats.overdue
    ]


LEDGER_HEADERS = (
    "序号",
    "受理日期",
    "开发区",
    "企业",
    "项目",
    "诉求事项",
    "类别",
    "紧急程度",
    "来源",
    "承办部门",
    "承办人",
    "办结时限",
    "状态",
    "是否逾期",
    "办结日期",
    "办理天数",
    "办理结果",
    "满意度",
    "评价意见",
)


def ledger_rows(requests: QuerySet[ServiceRequest], *, today: datetime.date):
    """The 诉求台账 in the layout offices keep by hand, one row per request."""
    rows = requests.select_related("zone", "enterprise", "project", "assignee").order_by("received_on", "pk")
    for number, request in enumerate(rows.iterator(chunk_size=500), start=1):
        yield [
            number,
            request.received_on,
            request.zone.short_name or request.zone.name,
            request.enterprise.name if request.enterprise else "",
            request.project.name if request.project else "",
            request.title,
            request.get_category_display(),
            request.get_urgency_display(),
            request.get_source_display(),
            request.assignee_department,
            (request.assignee.get_full_name() or request.assignee.username) if request.assignee else "",
            request.due_on,
            request.get_status_display(),
            "是" if request.overdue_on(today) else "",
            request.resolved_on,
            request.days_to_resolve,
            request.resolution,
            request.satisfaction,
            request.feedback,
        ]


def overdue_days(request: ServiceRequest, today: datetime.date) -> int:
    deadlines = [day for day in (request.due_on, request.assigned_due_on) if day is not None and day < today]
    return (today - min(deadlines)).days if deadlines and not request.closed else 0


# --- 全代办 ----------------------------------------------------------------------------------------------


@dataclass
class ApprovalFigures:
    name: str
    standard_days: int
    total: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    commitment: int = 0
    avg_days: Decimal | None = None


def agency_stats(items, *, today: datetime.date) -> list[ApprovalFigures]:
    """Counts and average days (启动 to 办结) per approval type, for the items given (already scoped)."""
    from .models import AgencyItem, ApprovalType

    rows = {t.pk: ApprovalFigures(t.name, t.standard_days) for t in ApprovalType.objects.all()}
    days: dict[int, list[int]] = {}
    for type_id, status, started, finished, due, commitment in items.values_list(
        "approval_type_id", "status", "started_on", "finished_on", "due_on", "commitment"
    ):
        row = rows[type_id]
        row.total += 1
        row.done += status == AgencyItem.Status.DONE
        row.in_progress += status == AgencyItem.Status.IN_PROGRESS
        row.overdue += status == AgencyItem.Status.IN_PROGRESS and due is not None and due < today
        row.commitment += commitment
        if status == AgencyItem.Status.DONE and started and finished:
            days.setdefault(type_id, []).append((finished - started).days)
    for type_id, spans in days.items():
        rows[type_id].avg_days = (Decimal(sum(spans)) / len(spans)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return [row for row in rows.values() if row.total]


AGENCY_HEADERS = (
    "序号",
    "开发区",
    "项目",
    "建设单位",
    "审批事项",
    "代办员",
    "状态",
    "承诺制",
    "启动日期",
    "应办结日期",
    "办结日期",
    "用时（天）",
    "是否逾期",
    "备注",
)


def agency_rows(items, *, today: datetime.date):
    ordered = items.select_related("project", "project__zone", "project__enterprise", "approval_type", "agent")
    for number, item in enumerate(ordered.order_by("project__zone_id", "project__name", "approval_type__order")):
        yield [
            number + 1,
            item.project.zone.display_name,
            item.project.name,
            item.project.enterprise.name if item.project.enterprise else "",
            item.approval_type.name,
            (item.agent.get_full_name() or item.agent.username) if item.agent else "",
            item.get_status_display(),
            "是" if item.commitment else "",
            item.started_on,
            item.due_on,
            item.finished_on,
            item.days_taken,
            "是" if item.overdue_on(today) else "",
            item.note,
        ]
