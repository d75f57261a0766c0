"""Reads of the monthly reporting round: who reports what by when, and who is late."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet

from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

from .checks import base_of
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
    """Indicator id → what this month's figures are checked against (see ``checks.check_figures``):
    last month's figure, and last year's figures of last month and of this month, where known."""
    found: dict[int, dict[str, Decimal | None]] = {}
    for indicator_id, value in last_year_figures(owner, year, month).items():
        found.setdefault(indicator_id, {})["base"] = value
    if month == 1:
        return found  # cumulative figures start again in January
    previous = owner_report(owner, year, month - 1)
    for stored in previous.values.all() if previous else []:
        before = found.setdefault(stored.indicator_id, {})
        before["previous"] = stored.value
        base = base_of(stored.value, stored.last_year, stored.growth_pct)
        if base is not None:
            before["previous_base"] = base  # last year as the zone stated it (可比口径) comes first
    for indicator_id, value in last_year_figures(owner, year, month - 1).items():
        found.setdefault(indicator_id, {}).setdefault("previous_base", value)
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


@dataclass
class ReviewRow:
    """One indicator as the reviewer reads it: the figure, last year's, the growth, the outlier and its note."""

    indicator: Indicator
    value: Decimal | None
    last_year: Decimal | None  # as stated, implied by the stated growth, or last year's report on record
    growth_pct: Decimal | None
    warning: str
    note: str


def review_rows(report: IndicatorReport) -> list[ReviewRow]:
    from .selectors import Figure, one_decimal

    owner = report.zone or report.region
    stored = visible_value_rows(report)
    on_record = last_year_figures(owner, report.year, report.month)
    warnings = stored_warnings(report)
    rows = []
    for indicator in Indicator.objects.filter(active=True):
        value = stored.get(indicator.pk)
        if value is None:
            rows.append(ReviewRow(indicator, None, on_record.get(indicator.pk), None, "", ""))
            continue
        figure = Figure.from_values(value.value, value.last_year, value.growth_pct, None)
        if figure.base is None and on_record.get(indicator.pk):
            figure.base = on_record[indicator.pk]
            figure.growth_pct = one_decimal((value.value / figure.base - 1) * 100)
        growth = figure.growth_pct if indicator.kind == Indicator.Kind.AMOUNT else None
        rows.append(ReviewRow(indicator, value.value, figure.base, growth, warnings.get(indicator.pk, ""), value.note))
    return rows


def unexplained_outliers(report: IndicatorReport) -> list[str]:
    """Names of the indicators whose outliers still want a note before the report can be submitted."""
    warnings = stored_warnings(report)
    noted = set(report.values.exclude(note="").values_list("indicator_id", flat=True))
    return [indicator.name for indicator in Indicator.objects.filter(pk__in=set(warnings) - noted)]
