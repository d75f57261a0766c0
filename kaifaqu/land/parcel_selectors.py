"""Reads on 标准地 parcels: the figures of ``kaifaqu land stats`` and of the pages (one place), the
事后监管 list (promises checked 未达标 and those awaiting their check) and the 低效闲置 list
(parcels sold but not started in time, enterprises graded D), each with its disposal steps."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q, QuerySet

from kaifaqu.enterprises.models import Enterprise
from kaifaqu.projects.models import local_today

from .models import Disposal, MuJunGrade, Parcel
from .parcels import IN_PRODUCTION, PROMISES, SOLD_OR_LATER

# 闲置土地处置办法 (国土资源部令第53号): 超过出让合同约定的动工开发日期满一年未动工的为闲置土地，
# 满两年未动工的可无偿收回; the zone's default counts two years from the 出让日期.
IDLE_MONTHS = 24


@dataclass(frozen=True)
class LandStats:
    parcels: int
    sold: int
    sold_standard: int
    standard_rate_pct: Decimal | None  # None when nothing was sold in the period
    awaiting_check: int
    below_promise: int
    check_year: int  # the latest complete year, the one a check is due for

    def as_json(self) -> dict[str, str | None]:
        """Numbers as strings (as ``mujun grade``); ``standard_rate_pct`` null when nothing was sold."""
        rate = None if self.standard_rate_pct is None else str(self.standard_rate_pct)
        return {
            "parcels": str(self.parcels),
            "sold": str(self.sold),
            "sold_standard": str(self.sold_standard),
            "standard_rate_pct": rate,
            "awaiting_check": str(self.awaiting_check),
            "below_promise": str(self.below_promise),
        }

    @property
    def rate_text(self) -> str:
        return "—" if self.standard_rate_pct is None else f"{self.standard_rate_pct}%"


def land_stats(
    zones: Iterable,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    *,
    parcels: QuerySet[Parcel] | None = None,
    today: datetime.date | None = None,
) -> LandStats:
    """The zones' parcels (``parcels``: already scoped or filtered, e.g. a page's list): all of them;
    industrial parcels sold (已出让 or later) with a 出让日期 in [from, to] and those of them sold as
    标准地 (出让率); 标准地 in production awaiting their check; parcels checked 未达标."""
    today = today or local_today()
    base = (parcels if parcels is not None else Parcel.objects.all()).filter(zone__in=zones)
    sold = sold_in(base, date_from, date_to)
    sold_count = sold.count()
    standard = sold.filter(is_standard=True).count()
    rate = None
    if sold_count:
        rate = (Decimal(standard) * 100 / sold_count).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return LandStats(
        parcels=base.count(),
        sold=sold_count,
        sold_standard=standard,
        standard_rate_pct=rate,
        awaiting_check=awaiting_check(base, today=today).count(),
        below_promise=base.filter(check_result=Parcel.Check.BELOW).count(),
        check_year=today.year - 1,
    )


def sold_in(
    parcels: QuerySet[Parcel], date_from: datetime.date | None, date_to: datetime.date | None
) -> QuerySet[Parcel]:
    """Industrial parcels (工业用地) at 已出让 or later whose 出让日期 falls in [from, to] (open ends
    allowed); a sold parcel without its date (older records) is counted when no period is asked."""
    found = parcels.filter(use=Parcel.Use.INDUSTRIAL, status__in=SOLD_OR_LATER)
    if date_from is not None:
        found = found.filter(sold_on__gte=date_from)
    if date_to is not None:
        found = found.filter(sold_on__lte=date_to)
    return found


def awaiting_check(parcels: QuerySet[Parcel], *, today: datetime.date | None = None) -> QuerySet[Parcel]:
    """标准地 in production (已投产/已验收) whose promise is not checked for the latest complete year
    (last year): never checked, checked for an earlier year, or left 待补录. A parcel that went into
    production after that year has no complete year to check yet."""
    year = (today or local_today()).year - 1
    checked = Q(check_year__gte=year) & ~Q(check_result=Parcel.Check.NONE)
    return (
        parcels.filter(is_standard=True, status__in=IN_PRODUCTION).exclude(checked).exclude(producing_on__year__gt=year)
    )


# ---------------------------------------------------------------- 事后监管


@dataclass
class SupervisionRow:
    parcel: Parcel
    state: str  # 未达标 / 待核验
    detail: str
    disposals: list[Disposal] = field(default_factory=list)

    @property
    def gap_lines(self) -> list[str]:
        return [line for line in self.parcel.check_gaps.splitlines() if line.strip()]


def supervision_list(parcels: QuerySet[Parcel], *, today: datetime.date | None = None) -> list[SupervisionRow]:
    """事后监管: parcels checked 未达标 first (with the gaps), then the 标准地 awaiting their check."""
    today = today or local_today()
    related = ("zone", "park", "enterprise", "project")
    below = list(parcels.filter(check_result=Parcel.Check.BELOW).select_related(*related).order_by("zone_id", "code"))
    rows = [SupervisionRow(parcel, "未达标", f"{parcel.check_year}年核验未达标") for parcel in below]
    seen = {parcel.pk for parcel in below}
    for parcel in awaiting_check(parcels, today=today).select_related(*related).order_by("zone_id", "code"):
        if parcel.pk in seen:
            continue
        rows.append(SupervisionRow(parcel, "待核验", _awaiting_reason(parcel, today.year - 1)))
    _attach_disposals(rows)
    return rows


def _awaiting_reason(parcel: Parcel, year: int) -> str:
    if not any(getattr(parcel, name) is not None for name in PROMISES):
        return "未登记承诺指标"
    if parcel.check_year and parcel.check_result == Parcel.Check.NONE:
        return f"{parcel.check_year}年核验：数据待补录"
    if parcel.check_year:
        return f"最近核验为{parcel.check_year}年，{year}年待核验"
    return f"{year}年待核验"


# ---------------------------------------------------------------- 低效闲置用地


@dataclass
class IdleRow:
    kind: str  # 闲置 / 低效
    parcel: Parcel | None
    enterprise: Enterprise | None
    reason: str
    disposals: list[Disposal] = field(default_factory=list)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def idle_parcels(
    parcels: QuerySet[Parcel], *, today: datetime.date | None = None, months: int = IDLE_MONTHS
) -> list[Parcel]:
    """Parcels sold but not started ``months`` months (or more) after their 出让日期."""
    today = today or local_today()
    sold = parcels.filter(status=Parcel.Status.SOLD, started_on__isnull=True, sold_on__isnull=False)
    return [parcel for parcel in sold.order_by("sold_on", "code") if add_months(parcel.sold_on, months) <= today]


def latest_grades(enterprises: QuerySet[Enterprise]) -> dict[int, MuJunGrade]:
    """Each enterprise's latest graded year (its zone's scheme before a city's in the same year)."""
    grades = (
        MuJunGrade.objects.filter(enterprise__in=enterprises)
        .exclude(grade="")
        .select_related("scheme", "enterprise")
        .order_by("enterprise_id", "-year", F("scheme__zone_id").asc(nulls_last=True), "-graded_at")
    )
    found: dict[int, MuJunGrade] = {}
    for grade in grades:
        found.setdefault(grade.enterprise_id, grade)
    return found


def idle_list(
    parcels: QuerySet[Parcel],
    enterprises: QuerySet[Enterprise],
    *,
    today: datetime.date | None = None,
    months: int = IDLE_MONTHS,
) -> list[IdleRow]:
    """低效闲置: idle parcels (sold, not started ``months`` months on) and the enterprises graded D
    (整治提升) in their latest 亩均 grade, with the parcels they hold; each with its disposal steps."""
    today = today or local_today()
    rows = []
    for parcel in idle_parcels(parcels.select_related("zone", "enterprise"), today=today, months=months):
        due = add_months(parcel.sold_on, months)
        rows.append(IdleRow("闲置", parcel, parcel.enterprise, f"{parcel.sold_on}出让，至{due}满{months}个月仍未开工"))
    for enterprise_id, grade in sorted(latest_grades(enterprises).items(), key=lambda item: item[1].enterprise_id):
        if grade.grade != "D":
            continue
        held = [parcel for parcel in parcels.filter(enterprise_id=enterprise_id).select_related("zone")]
        reason = f"{grade.year}年亩均效益评价为D类（整治提升）"
        if not held:
            rows.append(IdleRow("低效", None, grade.enterprise, reason))
        for parcel in held:
            rows.append(IdleRow("低效", parcel, grade.enterprise, reason))
    _attach_disposals(rows)
    return rows


def _attach_disposals(rows: list) -> None:
    parcel_ids = {row.parcel.pk for row in rows if row.parcel is not None}
    enterprise_ids = {row.enterprise.pk for row in rows if getattr(row, "enterprise", None) is not None}
    steps = Disposal.objects.filter(Q(parcel_id__in=parcel_ids) | Q(enterprise_id__in=enterprise_ids))
    steps = list(steps.select_related("recorded_by").order_by("done_on", "id"))
    for row in rows:
        enterprise = getattr(row, "enterprise", None)
        row.disposals = [
            step
            for step in steps
            if (row.parcel is not None and step.parcel_id == row.parcel.pk)
            or (row.parcel is None and enterprise is not None and step.enterprise_id == enterprise.pk)
            or (
                enterprise is not None
                and step.parcel_id is None
                and step.enterprise_id == enterprise.pk
                and getattr(row, "kind", "") == "低效"
            )
        ]
