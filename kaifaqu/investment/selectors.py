"""Reads of 招商: the figures a zone counts and reports, the leaders' monthly trips, the board.

Every function takes querysets the caller has already scoped (``visible_to``) and
filtered to its zones; none of them decides who sees what.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from kaifaqu.core.money import as_decimal, format_wan, format_yi
from kaifaqu.projects.models import Project, Stage, reached_q
from kaifaqu.projects.selectors import Bucket
from kaifaqu.zones.models import Membership

from .models import Activity, InvestmentMode, Lead, Target

Kind = Activity.Kind
# The board's columns and the figures' stages: the pre-signing pipeline (屯留, seed 002).
LEAD_STAGES: tuple[str, ...] = (Stage.CONTACT, Stage.INTENT, Stage.READY, Stage.SIGNED)
LEAD_STAGE_LABELS = {
    Stage.CONTACT: "初步对接",
    Stage.INTENT: "重点意向",
    Stage.READY: "成熟待签约",
    Stage.SIGNED: "签约待备案",
}
NO_MODE = "未填写"


@dataclass
class ModeFigures:
    leads: int = 0
    signed: int = 0
    signed_investment: Decimal = field(default_factory=lambda: Decimal("0"))

    def as_json(self) -> dict:
        return {"leads": self.leads, "signed": self.signed, "signed_investment_wan": format_wan(self.signed_investment)}


@dataclass
class InvestmentFigures:
    """What a zone (or the zones of an office) did in 招商 over a period."""

    date_from: datetime.date | None
    date_to: datetime.date | None
    trips: int = 0
    visits_received: int = 0
    talks: int = 0
    deep_talks: int = 0
    events: int = 0
    agreements: int = 0
    strategic_agreements: int = 0
    signed_investment: Decimal = field(default_factory=lambda: Decimal("0"))
    leads_by_stage: dict[str, Bucket] = field(default_factory=dict)
    by_mode: dict[str, ModeFigures] = field(default_factory=dict)
    leaders_without_trip: dict[str, list[str]] = field(default_factory=dict)

    @property
    def project_agreements(self) -> int:
        return self.agreements - self.strategic_agreements

    @property
    def sentence(self) -> str:
        return investment_sentence(self)

    def as_json(self) -> dict:
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "trips": self.trips,
            "visits_received": self.visits_received,
            "talks": self.talks,
            "deep_talks": self.deep_talks,
            "events": self.events,
            "agreements": self.agreements,
            "strategic_agreements": self.strategic_agreements,
            "signed_investment_wan": format_wan(self.signed_investment),
            "leads_by_stage": {label: bucket.as_json() for label, bucket in self.leads_by_stage.items()},
            "by_mode": {name: item.as_json() for name, item in self.by_mode.items()},
            "leaders_without_trip": self.leaders_without_trip,
            "sentence": self.sentence,
        }


def investment_sentence(figures: InvestmentFigures) -> str:
    """灵石's sentence (seed 003): ``外出招商考察5次，深度洽谈16次，签订战略合作协议3份，签约总投资额92.8亿元。``

    The parts a period did not have are left out (no 来访 → no 接待来访 clause)."""
    parts = []
    if figures.trips:
        parts.append(f"外出招商考察{figures.trips}次")
    if figures.visits_received:
        parts.append(f"接待客商来访{figures.visits_received}次")
    if figures.deep_talks:
        parts.append(f"深度洽谈{figures.deep_talks}次")
    elif figures.talks:
        parts.append(f"洽谈{figures.talks}次")
    if figures.events:
        parts.append(f"举办推介会、组团招商活动{figures.events}次")
    if figures.strategic_agreements:
        parts.append(f"签订战略合作协议{figures.strategic_agreements}份")
    if figures.project_agreements:
        parts.append(f"签订项目合作协议{figures.project_agreements}份")
    if figures.agreements and figures.signed_investment:
        parts.append(f"签约总投资额{format_yi(figures.signed_investment, strip_zeros=True)}亿元")
    return "，".join(parts) + "。" if parts else "本期暂无招商活动记录。"


def in_period(activities: QuerySet[Activity], date_from=None, date_to=None) -> QuerySet[Activity]:
    """Activities that took place in the period (by their first day)."""
    if date_from:
        activities = activities.filter(start_on__gte=date_from)
    if date_to:
        activities = activities.filter(start_on__lte=date_to)
    return activities


def investment_figures(
    activities: QuerySet[Activity],
    projects: QuerySet[Project],
    *,
    zone_ids,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    today: datetime.date | None = None,
) -> InvestmentFigures:
    """The counts of a period, the leads standing now, the modes, and the leaders' trips.

    ``activities`` and ``projects`` are scoped and limited to ``zone_ids`` by the caller.
    Leads by stage are the board as it stands (a snapshot, not limited to the period); by 招商方式,
    a lead counts as signed when it was signed in the period (ever, without one).
    """
    figures = activity_figures(activities, projects, date_from=date_from, date_to=date_to)
    figures.by_mode = mode_figures(projects, date_from=date_from, date_to=date_to)
    months = months_between(date_from, date_to, today=today)
    figures.leaders_without_trip = {
        month: [row.name for row in rows if row.missed]
        for month, rows in leadership_compliance(activities, zone_ids=zone_ids, months=months).items()
    }
    return figures


def activity_figures(
    activities: QuerySet[Activity], projects: QuerySet[Project], *, date_from=None, date_to=None
) -> InvestmentFigures:
    """The period's counts and the leads standing now: what the sentence and the summary cards need
    (the zone page and the dashboard show no more, so they ask no more)."""
    figures = InvestmentFigures(date_from, date_to)
    counted = in_period(activities, date_from, date_to).order_by()
    rows = counted.values("kind", "depth", "agreement_kind").annotate(n=Count("id"), amount=Sum("signed_amount"))
    for row in rows:
        _count_activity(figures, row)
    figures.leads_by_stage = leads_by_stage(projects)
    return figures


def _count_activity(figures: InvestmentFigures, row: dict) -> None:
    count = row["n"]
    kind = row["kind"]
    if kind == Kind.TRIP:
        figures.trips += count
    elif kind == Kind.VISIT:
        figures.visits_received += count
    elif kind == Kind.TALK:
        figures.talks += count
        if row["depth"] == Activity.Depth.DEEP:
            figures.deep_talks += count
    elif kind == Kind.EVENT:
        figures.events += count
    elif kind == Kind.AGREEMENT:
        figures.agreements += count
        if row["agreement_kind"] == Activity.AgreementKind.STRATEGIC:
            figures.strategic_agreements += count
        figures.signed_investment += as_decimal(row["amount"])


def leads_by_stage(projects: QuerySet[Project]) -> dict[str, Bucket]:
    """Leads standing at each pre-signing stage: ``初步对接 → {count, investment}`` …"""
    buckets = {LEAD_STAGE_LABELS[stage]: Bucket() for stage in LEAD_STAGES}
    rows = (
        projects.filter(stage__in=LEAD_STAGES)
        .order_by()
        .values("stage")
        .annotate(n=Count("id"), investment=Sum("total_investment"))
    )
    for row in rows:
        buckets[LEAD_STAGE_LABELS[row["stage"]]].add(row["n"], row["investment"])
    return buckets


def mode_figures(projects: QuerySet[Project], *, date_from=None, date_to=None) -> dict[str, ModeFigures]:
    """Per 招商方式: the leads (every project that reached 初步对接 with that mode), and those signed.
    One grouped query: the signed side is a filtered count and sum of the same rows."""
    names = dict(InvestmentMode.objects.values_list("pk", "name"))
    result = {name: ModeFigures() for name in InvestmentMode.objects.filter(active=True).values_list("name", flat=True)}
    signed = reached_q(Stage.SIGNED)
    if date_from:
        signed &= Q(signed_on__gte=date_from)
    if date_to:
        signed &= Q(signed_on__lte=date_to)
    rows = (
        projects.filter(reached_q(Stage.CONTACT))
        .order_by()
        .values("lead__mode_id")
        .annotate(n=Count("id"), signed=Count("id", filter=signed), investment=Sum("total_investment", filter=signed))
    )
    for row in rows:
        item = result.setdefault(names.get(row["lead__mode_id"], NO_MODE), ModeFigures())
        item.leads += row["n"]
        item.signed += row["signed"]
        item.signed_investment += as_decimal(row["investment"])
    return result


def months_between(date_from, date_to, *, today: datetime.date | None = None) -> list[str]:
    """The months (``YYYY-MM``) of a period; without a start, the year to date (at most 12 months)."""
    end = date_to or today or datetime.date.today()
    start = date_from or end.replace(month=1, day=1)
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month) and len(months) < 120:
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass
class LeaderMonth:
    """One 班子成员 in one month: the trips he or she led (0 → on the list of those who did not;
    None → not yet in the 班子 that month, so not counted)."""

    user_id: int
    name: str
    zone: str
    trips: int | None = 0

    @property
    def missed(self) -> bool:
        return self.trips == 0


def zone_leaders(zone_ids) -> list[Membership]:
    """The 班子成员 of these zones' committees."""
    return list(
        Membership.objects.filter(unit__kind="zone", unit__zone_id__in=sorted(zone_ids), is_leadership=True)
        .select_related("user", "unit__zone")
        .order_by("unit__zone_id", "pk")  # in the order the 班子 was entered
    )


def leadership_compliance(
    activities: QuerySet[Activity], *, zone_ids, months: list[str]
) -> dict[str, list[LeaderMonth]]:
    """``班子成员每月至少带队外出招商1次`` (孝义, seed 000): per month, each leader with the trips led."""
    leaders = zone_leaders(zone_ids)
    if not months:
        return {}
    first = datetime.date.fromisoformat(f"{months[0]}-01")
    last_year, last_month = map(int, months[-1].split("-"))
    after = datetime.date(last_year + (last_month == 12), last_month % 12 + 1, 1)
    trips = defaultdict(int)
    led = activities.filter(
        kind=Kind.TRIP, leader__isnull=False, zone_id__in=sorted(zone_ids), start_on__gte=first, start_on__lt=after
    )
    for leader_id, start_on in led.values_list("leader_id", "start_on"):
        trips[(f"{start_on.year}-{start_on.month:02d}", leader_id)] += 1
    return {
        month: [
            LeaderMonth(
                member.user_id,
                member.user.get_full_name() or member.user.username,
                member.unit.zone.display_name,
                trips[(month, member.user_id)] if _in_team(member, month) else None,
            )
            for member in leaders
        ]
        for month in months
    }


def _in_team(member: Membership, month: str) -> bool:
    """Was ``member`` in the 班子 in ``month`` (``YYYY-MM``)? Unknown since when: always."""
    since = member.leadership_since
    return since is None or month >= f"{since.year}-{since.month:02d}"


def monthly_rows(activities: QuerySet[Activity]) -> list[dict]:
    """Trips, visits, deep talks, agreements and signed amounts by month (the 招商 ledger's summary)."""
    table: dict[str, dict] = {}
    for start_on, kind, depth, amount in activities.order_by("start_on").values_list(
        "start_on", "kind", "depth", "signed_amount"
    ):
        row = table.setdefault(
            f"{start_on.year}-{start_on.month:02d}",
            {"trips": 0, "visits": 0, "deep_talks": 0, "talks": 0, "agreements": 0, "signed": Decimal("0")},
        )
        _add_to_row(row, kind, depth, amount)
    return [{"key": key, **row} for key, row in table.items()]


def grouped_rows(activities: QuerySet[Activity], *, by: str) -> list[dict]:
    """The same counts by leader (``by="leader"``, with the zone when several), by region (``by="region"``)
    or by zone (``by="zone"``), most trips first."""
    table: dict[str, dict] = {}
    values = activities.order_by().values_list(
        "leader__last_name",
        "leader__first_name",
        "leader__username",
        "region",
        "zone__short_name",
        "zone__name",
        "kind",
        "depth",
        "signed_amount",
    )
    several = by == "leader" and activities.values("zone_id").distinct().count() > 1
    for last, first, username, region, short, zone, kind, depth, amount in values:
        if by == "leader":
            key = _person(first, last, username) + (f"（{short or zone}）" if several and username else "")
        elif by == "zone":
            key = short or zone
        else:
            key = region or "未填写地区"
        row = table.setdefault(
            key, {"trips": 0, "visits": 0, "deep_talks": 0, "talks": 0, "agreements": 0, "signed": Decimal("0")}
        )
        _add_to_row(row, kind, depth, amount)
    ordered = sorted(table.items(), key=lambda item: (-item[1]["trips"], -item[1]["agreements"], item[0]))
    return [{"key": key, **row} for key, row in ordered]


def _person(first: str | None, last: str | None, username: str | None) -> str:
    """As ``User.get_full_name`` (our users keep the whole name in 名), else the login id."""
    return f"{first or ''} {last or ''}".strip() or username or "未填写带队领导"


def _add_to_row(row: dict, kind: str, depth: str, amount) -> None:
    if kind == Kind.TRIP:
        row["trips"] += 1
    elif kind == Kind.VISIT:
        row["visits"] += 1
    elif kind == Kind.TALK:
        row["talks"] += 1
        row["deep_talks"] += depth == Activity.Depth.DEEP
    elif kind == Kind.AGREEMENT:
        row["agreements"] += 1
        row["signed"] += as_decimal(amount)


def board_columns(projects: QuerySet[Project]) -> list[dict]:
    """The kanban: one column per pre-signing stage, its cards and its totals."""
    cards = (
        projects.filter(stage__in=LEAD_STAGES)
        .select_related("zone", "lead__mode", "lead__target")
        .order_by("-total_investment", "-id")
    )
    by_stage: dict[str, list[Project]] = {stage: [] for stage in LEAD_STAGES}
    for project in cards[:2000]:  # a zone has tens of leads; a province hundreds: the board stays bounded
        by_stage[project.stage].append(project)
    totals = leads_by_stage(projects)
    return [
        {
            "stage": stage,
            "label": LEAD_STAGE_LABELS[stage],
            "cards": by_stage[stage],
            "bucket": totals[LEAD_STAGE_LABELS[stage]],
        }
        for stage in LEAD_STAGES
    ]


def targets_with_progress(targets: QuerySet[Target]) -> QuerySet[Target]:
    """Targets with their lead count and whether one of their leads has signed (then 已落地 in effect)."""
    signed = Lead.objects.filter(target=OuterRef("pk")).filter(reached_q(Stage.SIGNED, prefix="project__"))
    return targets.annotate(lead_count=Count("leads", distinct=True), has_signed_lead=Exists(signed))


def platform_rows(platforms, projects: QuerySet[Project]) -> list[dict]:
    """Each 平台公司 with the leads it brought, its 委托代建 projects and its own investment."""
    rows = []
    for platform in platforms.select_related("enterprise"):
        brought = projects.filter(lead__source_platform=platform)
        commissioned = projects.filter(commissioned_by=platform)
        own = projects.filter(enterprise_id=platform.enterprise_id) if platform.enterprise_id else projects.none()
        rows.append(
            {
                "platform": platform,
                "leads": _count_sum(brought),
                "signed": _count_sum(brought.filter(reached_q(Stage.SIGNED))),
                "commissioned": _count_sum(commissioned),
                "own": _count_sum(own),
            }
        )
    return rows


def _count_sum(projects: QuerySet[Project]) -> Bucket:
    row = projects.order_by().aggregate(n=Count("id"), investment=Sum("total_investment"))
    bucket = Bucket()
    bucket.add(row["n"] or 0, row["investment"])
    return bucket


def lead_timeline(project: Project, activities: QuerySet[Activity]) -> dict[str, list[dict]]:
    """招前 / 招中 / 招后 (孝义, seed 000): one timeline of a lead, in three phases.

    招前: the activities about it and its pre-signing steps; 招中: the agreement and signing;
    招后: its later steps, its 全代办 items and the requests about it."""
    phases: dict[str, list[dict]] = {"before": [], "signing": [], "after": []}
    for activity in activities.filter(Q(leads=project) | Q(targets__leads__project=project)).distinct():
        phase = "signing" if activity.kind == Kind.AGREEMENT else "before"
        phases[phase].append(
            {"on": activity.start_on, "what": activity.get_kind_display(), "text": activity.title, "activity": activity}
        )
    for change in project.stage_changes.order_by("created_at"):
        step = change.step_date or change.created_at.date()
        phase = _phase_of(change.to_stage)
        phases[phase].append({"on": step, "what": "阶段变更", "text": str(change), "change": change})
    for item in project.agency_items.all() if hasattr(project, "agency_items") else []:
        phases["after"].append({"on": item.created_at.date(), "what": "全代办", "text": str(item)})
    for request in project.service_requests.all() if hasattr(project, "service_requests") else []:
        phases["after"].append({"on": request.created_at.date(), "what": "企业诉求", "text": request.title})
    for items in phases.values():
        items.sort(key=lambda item: item["on"])
    return phases


def _phase_of(stage: str) -> str:
    if stage in (Stage.PLANNING, Stage.CONTACT, Stage.INTENT, Stage.READY):
        return "before"
    if stage == Stage.SIGNED:
        return "signing"
    return "after"
