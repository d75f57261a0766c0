"""Where an item's value comes from: each metric reads what the system already records, through the
selector that already answers the question (月调度 figures from ``indicators.selectors.city_summary``,
the signed cohort from ``projects.selectors.cohort``, 揭榜 results from ``bounty_metric`` …), and
names the records behind each value (``trace``: the list page filtered to them).

A metric measures every subject of a run at once and returns ``subject key → Measured``; a subject
it cannot measure (no approved report, no request in the month) gets ``value=None`` and scores
nothing under a ratio, rank or band rule, full marks under a deduction rule (no event).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from .periods import Period

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Subject:
    """A zone (a city's or the province's scheme) or a member of a zone's staff (a zone's scheme)."""

    key: str  # "zone:3" or "person:7": how scores, manual values and 红黑榜 entries name it
    name: str
    zone_id: int  # the zone itself, or the zone the person works for
    person_id: int | None = None

    @property
    def is_person(self) -> bool:
        return self.person_id is not None


@dataclass(frozen=True)
class Measured:
    value: Decimal | None
    count: int | None = None  # how many records the value stands on (shown beside it)
    trace: str = ""  # the filtered list of those records


@dataclass
class Context:
    scheme: object  # Scheme
    item: object  # Item
    period: Period
    subjects: list[Subject]
    today: datetime.date
    # Reads shared by the items of one run (each city's 月调度 summary is worked out once, not per item).
    shared: dict = field(default_factory=dict)


Measure = Callable[[Context], dict[str, Measured]]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    subject_kinds: tuple[str, ...]
    measure: Measure
    needs_indicator: bool = False
    counts_events: bool = False  # the value counts events (late reports …): a deduction rule fits
    definition: str = ""


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(TENTH, ROUND_HALF_UP)


def plain(value: Decimal) -> Decimal:
    """A typed figure without its stored trailing zeros (4.5000 → 4.5, 1.0000 → 1)."""
    return Decimal(format(value.normalize(), "f"))


@lru_cache(maxsize=4096)
def _path(name: str, args: tuple) -> str:
    return reverse(name, args=args or None)


def link(name: str, args=None, **query) -> str:
    """A list page filtered to the records behind a value. ``reverse`` is asked once per page (and
    zone): a province's run makes a link per zone and item, and resolving was most of its time."""
    url = _path(name, tuple(args or ()))
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def _zone_ids(ctx: Context) -> list[int]:
    return sorted({subject.zone_id for subject in ctx.subjects})


def _by_subject(ctx: Context, zone_values: dict, person_values: dict | None = None) -> dict:
    """Spread per-zone (or per-person) results over the run's subjects."""
    found = {}
    for subject in ctx.subjects:
        if subject.is_person:
            found[subject.key] = (person_values or {}).get(subject.person_id)
        else:
            found[subject.key] = zone_values.get(subject.zone_id)
    return {key: value or Measured(None) for key, value in found.items()}


# ------------------------------------------------------------------ 月调度 indicators


def _indicator(attribute: str) -> Measure:
    def measure(ctx: Context) -> dict[str, Measured]:
        from kaifaqu.indicators.models import IndicatorReport
        from kaifaqu.indicators.selectors import city_summary, in_units, of_record
        from kaifaqu.regions.models import Region
        from kaifaqu.zones.models import Zone

        indicator = ctx.item.indicator
        zones = Zone.objects.filter(pk__in=_zone_ids(ctx)).select_related("region")
        found: dict[int, Measured] = {}
        for city_code in sorted({zone.region.code[:4] + "00" for zone in zones}):
            key = ("city_summary", city_code)
            if key not in ctx.shared:
                ctx.shared[key] = city_summary(
                    Region.objects.get(code=city_code),
                    year=ctx.period.year,
                    month=ctx.period.last_month,
                    zones=zones,
                    reports=of_record(IndicatorReport.objects.all()),
                )
            summary = ctx.shared[key]
            for zone_id, figures in summary.by_zone.items():
                figure = figures.get(indicator.pk)
                if figure is None:
                    continue
                value = getattr(figure, attribute)
                if attribute == "value":
                    value = in_units(value, indicator)
                trace = link("indicators:zone", args=[zone_id], indicator=indicator.pk, year=ctx.period.year)
                found[zone_id] = Measured(value, 1 if value is not None else 0, trace)
        return _by_subject(ctx, found)

    return measure


# ------------------------------------------------------------------ projects


def _start_rate(ctx: Context) -> dict[str, Measured]:
    """开工率 of the year's signed cohort up to the period's end (signed → reached 已开工)."""
    from kaifaqu.projects.models import Project
    from kaifaqu.projects.selectors import cohort_by_zone

    first = datetime.date(ctx.period.year, 1, 1)
    zone_ids = _zone_ids(ctx)
    cohorts = cohort_by_zone(Project.objects.filter(zone_id__in=zone_ids), signed_from=first, signed_to=ctx.period.end)
    found = {}
    for zone_id in zone_ids:
        signed = started = 0
        if zone_id in cohorts:
            signed, started = cohorts[zone_id].signed.count, cohorts[zone_id].started.count
        trace = link("projects:list", zone=zone_id, signed_from=first.isoformat(), signed_to=ctx.period.end.isoformat())
        found[zone_id] = Measured(percent(started, signed), signed, trace)
    return _by_subject(ctx, found)


def _investment_completion(ctx: Context) -> dict[str, Measured]:
    """年度完成投资 ÷ 年度计划投资 of the year's projects, as known at the period's end."""
    from kaifaqu.projects.models import Project
    from kaifaqu.projects.selectors import completed_investment

    projects = Project.objects.filter(zone_id__in=_zone_ids(ctx), plan_year=ctx.period.year)
    completed = completed_investment(projects, year=ctx.period.year, as_of=ctx.period.end).by_zone
    planned = dict(
        projects.order_by()
        .values("zone_id")
        .annotate(p=Sum("year_planned_investment"), n=Count("pk"))
        .values_list("zone_id", "p")
    )
    counts = dict(projects.order_by().values("zone_id").annotate(n=Count("pk")).values_list("zone_id", "n"))
    found = {}
    for zone_id in _zone_ids(ctx):
        plan = planned.get(zone_id) or Decimal(0)
        value = (completed.get(zone_id, Decimal(0)) * 100 / plan).quantize(TENTH, ROUND_HALF_UP) if plan else None
        found[zone_id] = Measured(
            value, counts.get(zone_id, 0), link("projects:list", zone=zone_id, year=ctx.period.year)
        )
    return _by_subject(ctx, found)


def _campaign_investment(ctx: Context) -> dict[str, Measured]:
    """三个一批: the investment entered for the zone's projects in the campaigns held in the period (万元)."""
    from kaifaqu.campaigns.models import CampaignEntry

    rows = (
        CampaignEntry.objects.filter(
            project__zone_id__in=_zone_ids(ctx), campaign__held_on__range=(ctx.period.start, ctx.period.end)
        )
        .order_by()
        .values("project__zone_id")
        .annotate(amount=Sum("investment"), n=Count("pk"))
    )
    found = {row["project__zone_id"]: Measured(row["amount"], row["n"], link("campaigns:list")) for row in rows}
    return _by_subject(ctx, found)  # no entry, no value (zeros would share a rank rule's first place)


# ------------------------------------------------------------------ 企业诉求 and 全代办


def _requests_of(ctx: Context):
    from kaifaqu.services.models import ServiceRequest

    return ServiceRequest.objects.filter(zone_id__in=_zone_ids(ctx))


def _request_trace(ctx: Context, subject_zone: int, person: int | None = None, **extra) -> str:
    period = ctx.period.key if ctx.period.kind == "month" else ""
    return link("services:list", zone=subject_zone, period=period, assignee=person, **extra)


def _grouped(
    ctx: Context, queryset, *, zone_field: str, person_field: str, counts: dict, tally: Callable
) -> dict[str, Measured]:
    """One grouped query: ``counts`` (aggregates) per zone, or per person for a staff scheme, then
    ``tally(row, subject) -> Measured`` for every subject (a row of zeros where it had no record)."""
    staff = any(subject.is_person for subject in ctx.subjects)
    field = person_field if staff else zone_field
    rows = {row[field]: row for row in queryset.order_by().values(field).annotate(**counts)}
    empty = dict.fromkeys(counts, 0)
    found_zone, found_person = {}, {}
    for subject in ctx.subjects:
        if staff:
            found_person[subject.person_id] = tally(rows.get(subject.person_id, empty), subject)
        elif subject.zone_id not in found_zone:
            found_zone[subject.zone_id] = tally(rows.get(subject.zone_id, empty), subject)
    return _by_subject(ctx, found_zone, found_person)


def _request_due(ctx: Context):
    """The period's requests that count for timeliness: received in it, and closed or already past due."""
    from kaifaqu.services.models import ServiceRequest

    received = _requests_of(ctx).filter(received_on__range=(ctx.period.start, ctx.period.end))
    return received.filter(Q(status__in=ServiceRequest.CLOSED) | Q(due_on__lt=ctx.today))


def _on_time_q() -> Q:
    from django.db.models import F

    from kaifaqu.services.models import ServiceRequest

    return Q(status__in=ServiceRequest.CLOSED, resolved_on__lte=F("due_on"))


def _request_counts() -> dict:
    return {"due": Count("pk"), "on_time": Count("pk", filter=_on_time_q())}


def _request_on_time(ctx: Context) -> dict[str, Measured]:
    def tally(row, subject):
        trace = _request_trace(ctx, subject.zone_id, subject.person_id)
        return Measured(percent(row["on_time"], row["due"]), row["due"], trace)

    return _grouped(
        ctx, _request_due(ctx), zone_field="zone_id", person_field="assignee_id", counts=_request_counts(), tally=tally
    )


def _request_late(ctx: Context) -> dict[str, Measured]:
    def tally(row, subject):
        late = row["due"] - row["on_time"]
        return Measured(Decimal(late), late, _request_trace(ctx, subject.zone_id, subject.person_id))

    return _grouped(
        ctx, _request_due(ctx), zone_field="zone_id", person_field="assignee_id", counts=_request_counts(), tally=tally
    )


def _request_satisfaction(ctx: Context) -> dict[str, Measured]:
    """满意率 as the request statistics count it: ratings of 4 or 5 among the period's rated requests."""
    from kaifaqu.services.selectors import SATISFIED

    rated = _requests_of(ctx).filter(resolved_on__range=(ctx.period.start, ctx.period.end), satisfaction__isnull=False)
    counts = {"rated": Count("pk"), "satisfied": Count("pk", filter=Q(satisfaction__gte=SATISFIED))}

    def tally(row, subject):
        trace = _request_trace(ctx, subject.zone_id, subject.person_id)
        return Measured(percent(row["satisfied"], row["rated"]), row["rated"], trace)

    return _grouped(ctx, rated, zone_field="zone_id", person_field="assignee_id", counts=counts, tally=tally)


def _agency_on_time(ctx: Context) -> dict[str, Measured]:
    """全代办 items due in the period: the share 办结 by their due date."""
    from django.db.models import F

    from kaifaqu.services.models import AgencyItem

    items = AgencyItem.objects.filter(
        project__zone_id__in=_zone_ids(ctx), due_on__range=(ctx.period.start, ctx.period.end)
    ).exclude(status=AgencyItem.Status.NOT_NEEDED)
    on_time = Q(status=AgencyItem.Status.DONE, finished_on__lte=F("due_on"))
    counts = {"due": Count("pk"), "on_time": Count("pk", filter=on_time)}

    def tally(row, subject):
        trace = link(
            "agency:list",
            zone=subject.zone_id,
            agent=subject.person_id,
            due_from=ctx.period.start.isoformat(),
            due_to=ctx.period.end.isoformat(),
        )
        return Measured(percent(row["on_time"], row["due"]), row["due"], trace)

    return _grouped(ctx, items, zone_field="project__zone_id", person_field="agent_id", counts=counts, tally=tally)


# ------------------------------------------------------------------ 招商 and 揭榜挂帅


def _activities(ctx: Context):
    from kaifaqu.investment.models import Activity

    return Activity.objects.filter(zone_id__in=_zone_ids(ctx), start_on__range=(ctx.period.start, ctx.period.end))


def _activity_trace(ctx: Context, subject: Subject, **extra) -> str:
    return link(
        "investment:activities",
        zone=subject.zone_id,
        leader=subject.person_id,
        date_from=ctx.period.start.isoformat(),
        date_to=ctx.period.end.isoformat(),
        **extra,
    )


def _investment_activities(ctx: Context) -> dict[str, Measured]:
    def tally(row, subject):
        return Measured(Decimal(row["n"]), row["n"], _activity_trace(ctx, subject))

    counts = {"n": Count("pk")}
    return _grouped(ctx, _activities(ctx), zone_field="zone_id", person_field="leader_id", counts=counts, tally=tally)


def _investment_signed(ctx: Context) -> dict[str, Measured]:
    from kaifaqu.investment.models import Activity

    signed = _activities(ctx).filter(kind=Activity.Kind.AGREEMENT)

    def tally(row, subject):
        # No agreement signed: no value, so a rank rule does not seat the zeros first together.
        amount = (row["amount"] or Decimal(0)) if row["n"] else None
        return Measured(amount, row["n"], _activity_trace(ctx, subject, kind=Activity.Kind.AGREEMENT))

    counts = {"amount": Sum("signed_amount"), "n": Count("pk")}
    return _grouped(ctx, signed, zone_field="zone_id", person_field="leader_id", counts=counts, tally=tally)


def _bounty_score(ctx: Context) -> dict[str, Measured]:
    """揭榜挂帅: the points of the claims verified in the period (``bounty_metric``), per zone or person."""
    from kaifaqu.chains.bounty_selectors import bounty_metric
    from kaifaqu.chains.models import BountyClaim
    from kaifaqu.zones.models import Unit

    staff = any(subject.is_person for subject in ctx.subjects)
    rows = bounty_metric(
        BountyClaim.objects.all(), start=ctx.period.start, end=ctx.period.end, per="person" if staff else "unit"
    )
    trace = link("chains:bounties")
    if staff:
        return _by_subject(ctx, {}, {row.key: Measured(row.score, row.claimed, trace) for row in rows})
    unit_zone = dict(Unit.objects.filter(pk__in=[row.key for row in rows]).values_list("pk", "zone_id"))
    found: dict[int, Measured] = {}
    for row in rows:
        zone_id = unit_zone.get(row.key)
        if zone_id is not None:
            earlier = found.get(zone_id, Measured(Decimal(0), 0))
            found[zone_id] = Measured(earlier.value + row.score, earlier.count + row.claimed, trace)
    for zone_id in _zone_ids(ctx):
        found.setdefault(zone_id, Measured(Decimal(0), 0, trace))
    return _by_subject(ctx, found)


# ------------------------------------------------------------------ 月报 punctuality


@dataclass(frozen=True)
class ReportMark:
    """One month's report of a zone as the 信息报送 rules read it."""

    zone_id: int
    year: int
    month: int
    due_on: datetime.date
    reported: bool  # submitted (or approved): the zone has sent its figures
    submitted_on: datetime.date | None  # its first submission (None: not sent, or sent before revisions were kept)
    submitted_by: int | None
    returned: int  # times sent back for correction

    def late(self, today: datetime.date) -> bool:
        if not self.reported:
            return today > self.due_on
        return self.submitted_on is not None and self.submitted_on > self.due_on

    def on_time(self, today: datetime.date) -> bool:
        return self.reported and not self.late(today) and not self.returned

    def reason(self, today: datetime.date) -> str:
        """What went wrong, in the 公示's words (empty: nothing)."""
        words = []
        if not self.reported and today > self.due_on:
            words.append(f"{self.month}月月报逾期未报送（截止{self.due_on.month}月{self.due_on.day}日）")
        elif self.late(today):
            words.append(
                f"{self.month}月月报{self.submitted_on.month}月{self.submitted_on.day}日报送，"
                f"晚于截止日{self.due_on.month}月{self.due_on.day}日"
            )
        if self.returned:
            words.append(f"{self.month}月月报被退回修改{self.returned}次")
        return "；".join(words)

    def praise(self) -> str:
        if self.submitted_on is None:
            return f"{self.month}月月报按时报送"
        return f"{self.month}月月报{self.submitted_on.month}月{self.submitted_on.day}日按时报送"


def report_marks(zone_ids: list[int], period: Period) -> list[ReportMark]:
    """Each zone's reports for the months of ``period``: whether and when first submitted, by whom,
    how often returned. An office's import approves figures at once: that counts as submitting."""
    from kaifaqu.indicators.models import IndicatorReport, ReportRevision
    from kaifaqu.indicators.reporting import due_on
    from kaifaqu.regions.models import Region
    from kaifaqu.zones.models import Zone

    sent = (IndicatorReport.Status.SUBMITTED, IndicatorReport.Status.APPROVED)
    zones = list(Zone.objects.filter(pk__in=zone_ids).select_related("region"))
    cities = {code: Region.objects.get(code=code) for code in {zone.region.code[:4] + "00" for zone in zones}}
    months = (period.first_month, period.last_month)
    reported = set(
        IndicatorReport.objects.filter(
            zone_id__in=zone_ids, year=period.year, month__range=months, status__in=sent
        ).values_list("zone_id", "month")
    )
    revisions = ReportRevision.objects.filter(
        report__zone_id__in=zone_ids, report__year=period.year, report__month__range=months
    ).order_by("at", "pk")
    first: dict[tuple, tuple] = {}
    returned: dict[tuple, int] = {}
    for zone_id, month, status, at, user_id in revisions.values_list(
        "report__zone_id", "report__month", "status", "at", "user_id"
    ):
        key = (zone_id, month)
        if status in sent and key not in first:
            first[key] = (timezone.localdate(at), user_id)
        if status == IndicatorReport.Status.RETURNED:
            returned[key] = returned.get(key, 0) + 1
    dues = {  # each city's deadline of each month, asked once (not once per zone)
        (code, month): due_on(city, period.year, month)
        for code, city in cities.items()
        for month in range(period.first_month, period.last_month + 1)
    }
    marks = []
    for zone in zones:
        city_code = zone.region.code[:4] + "00"
        for month in range(period.first_month, period.last_month + 1):
            key = (zone.pk, month)
            submitted_on, submitted_by = first.get(key, (None, None))
            due = dues[(city_code, month)]
            marks.append(
                ReportMark(
                    zone.pk,
                    period.year,
                    month,
                    due,
                    key in reported or key in first,
                    submitted_on,
                    submitted_by,
                    returned.get(key, 0),
                )
            )
    return marks


def _report_lapses(ctx: Context) -> dict[str, Measured]:
    """迟报、漏报 and 退回 of the period's 月报: one event each. A staff member answers for the reports
    they submitted."""
    marks = report_marks(_zone_ids(ctx), ctx.period)
    trace = link("indicators:submissions", period=f"{ctx.period.year}-{ctx.period.last_month:02d}")
    found_zone: dict[int, int] = {}
    found_person: dict[int, int] = {}
    for mark in marks:
        events = int(mark.late(ctx.today)) + mark.returned
        found_zone[mark.zone_id] = found_zone.get(mark.zone_id, 0) + events
        if mark.submitted_by is not None:
            found_person[mark.submitted_by] = found_person.get(mark.submitted_by, 0) + events
    return _by_subject(
        ctx,
        {zone_id: Measured(Decimal(n), n, trace) for zone_id, n in found_zone.items()},
        {person_id: Measured(Decimal(n), n, trace) for person_id, n in found_person.items()},
    ) | {
        subject.key: Measured(Decimal(0), 0, trace)
        for subject in ctx.subjects
        if subject.is_person and subject.person_id not in found_person
    }


# ------------------------------------------------------------------ 红黑榜 and manual values


def _honor(side: str) -> Measure:
    def measure(ctx: Context) -> dict[str, Measured]:
        from .models import HonorEntry

        entries = HonorEntry.objects.filter(
            honor_list__scheme=ctx.scheme, honor_list__period__in=ctx.period.months, side=side, removed=False
        )
        counts: dict[str, int] = {}
        lists: dict[str, int] = {}
        for zone_id, person_id, list_id in entries.values_list("zone_id", "person_id", "honor_list_id"):
            key = f"person:{person_id}" if person_id else f"zone:{zone_id}"
            counts[key] = counts.get(key, 0) + 1
            lists[key] = list_id
        found = {}
        for subject in ctx.subjects:
            n = counts.get(subject.key, 0)
            trace = link("evaluation:honor_list", args=[lists[subject.key]]) if subject.key in lists else ""
            found[subject.key] = Measured(Decimal(n), n, trace)
        return found

    return measure


def _manual(ctx: Context) -> dict[str, Measured]:
    from .models import ManualValue

    values = ManualValue.objects.filter(item=ctx.item, period=ctx.period.key)
    by_key = {}
    for value in values:
        key = f"person:{value.person_id}" if value.person_id else f"zone:{value.zone_id}"
        trace = link("evaluation:manual_evidence", args=[value.pk]) if value.evidence else ""
        by_key[key] = Measured(plain(value.value), 1, trace)
    return {subject.key: by_key.get(subject.key, Measured(None)) for subject in ctx.subjects}


ZONE, STAFF = "zone", "staff"
BOTH = (ZONE, STAFF)

METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in [
        Metric(
            "indicator_growth",
            "月调度指标同比增速",
            "%",
            (ZONE,),
            _indicator("growth_pct"),
            needs_indicator=True,
            definition="审核通过的月报中该指标本年累计的同比增长率",
        ),
        Metric(
            "indicator_value",
            "月调度指标累计值",
            "",
            (ZONE,),
            _indicator("value"),
            needs_indicator=True,
            definition="审核通过的月报中该指标的本年累计值（指标的单位）",
        ),
        Metric(
            "indicator_completion",
            "月调度指标年度目标完成率",
            "%",
            (ZONE,),
            _indicator("target_completion_pct"),
            needs_indicator=True,
            definition="本年累计 ÷ 年度目标",
        ),
        Metric(
            "start_rate",
            "当年签约项目开工率",
            "%",
            (ZONE,),
            _start_rate,
            definition="当年1月1日至考核期末签约的项目中已开工的比例",
        ),
        Metric(
            "investment_completion",
            "年度计划投资完成率",
            "%",
            (ZONE,),
            _investment_completion,
            definition="年度完成投资 ÷ 年度计划投资（截至考核期末）",
        ),
        Metric(
            "campaign_investment",
            "三个一批入库投资",
            "万元",
            (ZONE,),
            _campaign_investment,
            definition="考核期内举办的“三个一批”活动中本区项目计入的投资",
        ),
        Metric(
            "request_on_time",
            "企业诉求按时办结率",
            "%",
            BOTH,
            _request_on_time,
            definition="期内受理、已办结或已到期的诉求中，在办结时限内办结的比例（工作人员按承办人计）",
        ),
        Metric(
            "request_late",
            "企业诉求超时件数",
            "件",
            BOTH,
            _request_late,
            counts_events=True,
            definition="期内受理、已办结或已到期的诉求中，超过时限办结或逾期未办结的件数",
        ),
        Metric(
            "request_satisfaction",
            "企业诉求满意率",
            "%",
            BOTH,
            _request_satisfaction,
            definition="期内办结并评价的诉求中评价为满意（4、5分）的比例",
        ),
        Metric(
            "agency_on_time",
            "全代办按时办结率",
            "%",
            BOTH,
            _agency_on_time,
            definition="应办结日期在考核期内的代办事项中，按期办结的比例（工作人员按代办员计）",
        ),
        Metric(
            "investment_activities",
            "招商活动次数",
            "次",
            BOTH,
            _investment_activities,
            definition="考核期内登记的招商活动（外出招商、来访接待、洽谈、签约、推介会）；工作人员按带队领导计",
        ),
        Metric(
            "investment_signed",
            "招商签约金额",
            "万元",
            BOTH,
            _investment_signed,
            definition="考核期内签约活动的签约投资额",
        ),
        Metric(
            "bounty_score",
            "揭榜挂帅得分",
            "分",
            BOTH,
            _bounty_score,
            definition="考核期内验收通过的揭榜得分（按揭榜单位所属开发区或揭榜人计）",
        ),
        Metric(
            "report_lapses",
            "月报迟报、漏报、退回次数",
            "次",
            BOTH,
            _report_lapses,
            counts_events=True,
            definition="考核期各月月报晚于截止日报送、逾期未报或被退回修改，每次计一次；工作人员按报送人计",
        ),
        Metric("honor_red", "上红榜次数", "次", BOTH, _honor("red"), definition="本方案考核期内红黑榜的红榜条目"),
        Metric(
            "honor_black",
            "上黑榜次数",
            "次",
            BOTH,
            _honor("black"),
            counts_events=True,
            definition="本方案考核期内红黑榜的黑榜条目",
        ),
        Metric(
            "manual",
            "手工录入（附佐证材料）",
            "",
            BOTH,
            _manual,
            definition="系统中没有的数据（党建、安全生产等），由考核单位逐个录入并上传佐证材料",
        ),
    ]
}


def metric_choices(subject_kind: str | None = None) -> list[tuple[str, str]]:
    return [(key, metric.label) for key, metric in METRICS.items() if subject_kind in (None, *metric.subject_kinds)]
