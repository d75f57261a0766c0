"""Reads of the monthly reporting round: who reports what by when, and who is late."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet

from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

from .checks import PREVIOUS_KEYS
from .models import Indicator, IndicatorReport, IndicatorValue, ReportingDeadline, ReportReminder

Owner = Zone | Region
WAITING = (IndicatorReport.Status.DRAFT, IndicatorReport.Status.RETURNED)  # still the reporter's to finish


def month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def due_on(region: Region, year: int, month: int) -> datetime.date:
    """The date set by the city (or else the province) office, else the default day of the next month."""
    codes = [region.code]
    if region.level != Region.Level.PROVINCE:
        codes.append(region.code[:2] + "0000")
    set_dates = dict(
        ReportingDeadline.objects.filter(region__code__in=codes, year=year, month=month).values_list(
            "region__code", "due_on"
        )
    )
    for code in codes:
        if code in set_dates:
            return set_dates[code]
    next_year, next_month = month_after(year, month)
    return datetime.date(next_year, next_month, settings.KAIFAQU_INDICATOR_DUE_DAY)


def owner_report(owner: Owner, year: int, month: int) -> IndicatorReport | None:
    reports = IndicatorReport.objects.filter(year=year, month=month)
    if isinstance(owner, Zone):
        return reports.filter(zone=owner).first()
    return reports.filter(zone__isnull=True, region=owner).first()


def earlier_figures(owner: Owner, year: int, month: int) -> dict[int, dict[str, Decimal | None]]:
    """Indicator id → the figures of the two months before (for cumulative and month-on-month checks)."""
    found: dict[int, dict[str, Decimal | None]] = {}
    when = (year, month)
    for key in PREVIOUS_KEYS:
        when = month_before(*when)
        if when[0] != year:
            break  # cumulative figures start again in January
        report = owner_report(owner, *when)
        if report is None:
            break
        for indicator_id, value in report.values.values_list("indicator_id", "value"):
            found.setdefault(indicator_id, {})[key] = value
    return found


def last_year_figures(owner: Owner, year: int, month: int) -> dict[int, Decimal]:
    """Last year's same-period figures on record, offered as 上年同期 in the form."""
    report = owner_report(owner, year - 1, month)
    if report is None:
        return {}
    return dict(report.values.values_list("indicator_id", "value"))


def required_indicators(owner: Owner) -> set[int]:
    """A zone must report every indicator that counts in evaluation; an office reports what it has."""
    if not isinstance(owner, Zone):
        return set()
    return set(Indicator.objects.filter(active=True, in_evaluation=True).values_list("pk", flat=True))


@dataclass
class Submission:
    zone: Zone
    report: IndicatorReport | None
    due_on: datetime.date
    overdue: bool
    reminded_at: datetime.datetime | None

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else "未填报"

    @property
    def status(self) -> str:
        return self.report.status if self.report else "missing"


def reporting_status(
    city: Region, *, year: int, month: int, zones: QuerySet[Zone], reports: QuerySet[IndicatorReport], today
) -> list[Submission]:
    """Each zone of the city (in the user's scope) with its report's state; late ones first."""
    due = due_on(city, year, month)
    city_zones = list(zones.filter(region__code__startswith=city.scope_prefix).order_by("region__code", "name"))
    by_zone = {report.zone_id: report for report in reports.filter(year=year, month=month, zone__in=city_zones)}
    reminded: dict[int, datetime.datetime] = {}
    for zone_id, sent_at in ReportReminder.objects.filter(zone__in=city_zones, year=year, month=month).values_list(
        "zone_id", "sent_at"
    ):
        reminded[zone_id] = max(sent_at, reminded.get(zone_id, sent_at))
    rows = []
    for zone in city_zones:
        report = by_zone.get(zone.pk)
        waiting = report is None or report.status in WAITING
        rows.append(Submission(zone, report, due, waiting and today > due, reminded.get(zone.pk)))
    return sorted(rows, key=lambda row: not row.overdue)


def open_reminders(zones: QuerySet[Zone]) -> list[ReportReminder]:
    """催报 addressed to these zones whose report is still not submitted (newest first, one per month)."""
    shown: dict[tuple, ReportReminder] = {}
    for reminder in ReportReminder.objects.filter(zone__in=zones).select_related("zone")[:50]:
        key = (reminder.zone_id, reminder.year, reminder.month)
        if key in shown:
            continue
        report = owner_report(reminder.zone, reminder.year, reminder.month)
        if report is None or report.status in WAITING:
            shown[key] = reminder
    return list(shown.values())


def revisions(report: IndicatorReport):
    return report.revisions.select_related("user").order_by("-version", "-at")


def visible_value_rows(report: IndicatorReport | None) -> dict[int, IndicatorValue]:
    if report is None:
        return {}
    return {value.indicator_id: value for value in report.values.all()}


def stored_warnings(report: IndicatorReport | None) -> dict[int, str]:
    """The outliers among a report's figures, shown to the reviewer beside the reporter's note."""
    from .checks import check_figures

    if report is None:
        return {}
    owner = report.zone or report.region
    figures = {
        value.indicator_id: {"value": value.value, "last_year": value.last_year, "growth_pct": value.growth_pct}
        for value in report.values.all()
    }
    checked = check_figures(
        indicators=list(Indicator.objects.filter(active=True)),
        month=report.month,
        figures=figures,
        earlier=earlier_figures(owner, report.year, report.month),
        required=set(),
    )
    return checked.warnings
