"""Reads of the request ledger: statistics per scope and period, and the rows of the usual ledger."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet

from .models import Category, ServiceRequest

SATISFIED = 4  # 满意: 4 or 5 of 5
TENTH = Decimal("0.1")


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
    sets = _period_sets(requests, today=today, period=period)
    stats = sum(_tallies(*sets).values(), _Tally()).stats()
    stats.by_category = _by_category(*sets)
    return stats


def stats_by_zone(requests: QuerySet[ServiceRequest], *, zones, today, period) -> list[tuple]:
    """(zone, stats) for every zone given, those without requests included (their zeros are news too),
    in a fixed number of grouped queries however many zones there are."""
    tallies = _tallies(*_period_sets(requests, today=today, period=period))
    return [(zone, tallies.get(zone.pk, _Tally()).stats()) for zone in zones]


def open_counts(requests: QuerySet[ServiceRequest], *, today: datetime.date) -> tuple[int, int]:
    """(not yet closed, of which overdue): the dashboard's 待办诉求 card."""
    return requests.open().count(), requests.overdue(today).count()


def _period_sets(requests, *, today, period):
    """The period's received, resolved and (still) overdue requests."""
    first, last = month_bounds(*period) if period else (datetime.date.min, datetime.date.max)
    received = requests.filter(received_on__range=(first, last))
    resolved = requests.filter(resolved_on__range=(first, last))
    overdue = requests.filter(received_on__lte=min(last, today)).overdue(today)
    return received, resolved, overdue


@dataclass
class _Tally:
    """One zone's counts (or several zones' added up), from which its figures are worked out."""

    received: int = 0
    resolved: int = 0
    overdue: int = 0
    closed: int = 0  # of those received, closed by now
    rated: int = 0
    satisfied: int = 0
    days: list[int] = field(default_factory=list)

    def __add__(self, other: _Tally) -> _Tally:  # counts add, the lists of days join
        return _Tally(**{name.name: getattr(self, name.name) + getattr(other, name.name) for name in fields(self)})

    def stats(self) -> RequestStats:
        stats = RequestStats(received=self.received, resolved=self.resolved, overdue=self.overdue)
        stats.resolution_rate_pct = _pct(self.closed, self.received)
        stats.satisfaction_rate_pct = _pct(self.satisfied, self.rated)
        if self.days:
            stats.avg_days_to_resolve = (Decimal(sum(self.days)) / len(self.days)).quantize(TENTH, ROUND_HALF_UP)
        return stats


def _tallies(received, resolved, overdue) -> dict[int, _Tally]:
    """Zone id → its tally, each count one grouped query."""
    tallies: dict[int, _Tally] = {}
    counts = (
        ("received", received),
        ("resolved", resolved),
        ("overdue", overdue),
        ("closed", received.filter(status__in=ServiceRequest.CLOSED)),
        ("rated", resolved.filter(satisfaction__isnull=False)),
        ("satisfied", resolved.filter(satisfaction__gte=SATISFIED)),
    )
    for name, queryset in counts:
        for zone_id, number in queryset.values_list("zone").annotate(n=Count("pk")).values_list("zone", "n"):
            setattr(tallies.setdefault(zone_id, _Tally()), name, number)
    for zone_id, filed, finished in resolved.values_list("zone_id", "received_on", "resolved_on"):
        tallies.setdefault(zone_id, _Tally()).days.append((finished - filed).days)
    return tallies


def _by_category(received, resolved, overdue) -> dict[str, dict[str, int]]:
    counts = {label: {"received": 0, "resolved": 0, "overdue": 0} for label in Category.labels}
    for name, queryset in (("received", received), ("resolved", resolved), ("overdue", overdue)):
        for category, number in queryset.values_list("category").annotate(n=Count("pk")).values_list("category", "n"):
            counts[Category(category).label][name] = number
    return {label: row for label, row in counts.items() if any(row.values())}


STATS_HEADERS = ("开发区", "受理", "期内办结", "逾期未办结", "办结率（%，期内受理的）", "平均办理天数", "满意率（%）")


CATEGORY_HEADERS = ("类别", "受理", "期内办结", "逾期未办结")
STATS_NOTES = (
    ("受理", "期间内受理的诉求"),
    ("期内办结", "期间内办结的诉求（含以前受理的）"),
    ("办结率", "期间内受理的诉求中至今已办结的比例，所以与期内办结可以不一致"),
    ("平均办理天数", "期间内办结的诉求从受理到办结的平均天数"),
    ("满意率", "期间内办结并评价的诉求中 4 分及以上的比例"),
    ("逾期未办结", "至今仍未办结且已过办结时限或交办时限的诉求"),
)


def category_rows(total: RequestStats):
    for label, row in total.by_category.items():
        yield [label, row["received"], row["resolved"], row["overdue"]]


def stats_rows(by_zone: list[tuple], total: RequestStats):
    """The by-zone table as exported, with the 合计 row the offices add at the bottom."""
    for zone, stats in [*by_zone, ("合计", total)]:
        name = zone if isinstance(zone, str) else zone.display_name
        yield [
            name,
            stats.received,
            stats.resolved,
            stats.overdue,
            stats.resolution_rate_pct,
            stats.avg_days_to_resolve,
            stats.satisfaction_rate_pct,
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


def agency_stats(items, *, today: datetime.date, as_of: datetime.date | None = None) -> list[ApprovalFigures]:
    """Counts and average days (启动 to 办结) per approval type, for the items given (already scoped):
    as they stand today, or, with ``as_of`` (a month's last day), as they stood then by their dates."""
    from .models import AgencyItem, ApprovalType

    Status = AgencyItem.Status
    rows = {t.pk: ApprovalFigures(t.name, t.standard_days) for t in ApprovalType.objects.all()}
    days: dict[int, list[int]] = {}
    for type_id, status, started, finished, due, commitment in items.values_list(
        "approval_type_id", "status", "started_on", "finished_on", "due_on", "commitment"
    ):
        if as_of is None:
            done, running, day = status == Status.DONE, status == Status.IN_PROGRESS, today
        else:  # finished by then, or started and not yet finished then (无需办理 and 未启动 carry no dates)
            done = status == Status.DONE and finished is not None and finished <= as_of
            running = not done and status in (Status.DONE, Status.IN_PROGRESS) and started is not None
            running = running and started <= as_of
            day = as_of
        row = rows[type_id]
        row.total += 1
        row.done += done
        row.in_progress += running
        row.overdue += running and due is not None and due < day
        row.commitment += commitment
        if done and started and finished:
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
            item.lateness(today),
            item.note,
        ]
