"""Writes of the monthly dispatch: saving a report's figures (every version kept) and importing tables."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kaifaqu.audit import trail
from kaifaqu.core.scoping import Perm, scope_for
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import office_covers, office_region

from .checks import check_figures, cumulative_error, growth_of, outlier_limit
from .importer import ParsedTable, Row, parse_table
from .models import (
    AnnualTarget,
    Indicator,
    IndicatorReport,
    IndicatorValue,
    ReportingDeadline,
    ReportReminder,
    ReportRevision,
)
from .reporting import earlier_figures, required_indicators

FIELDS = ("value", "last_year", "growth_pct")


@dataclass
class ImportOutcome:
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    committed: bool = False


def report_for(owner: Zone | Region, year: int, month: int) -> IndicatorReport | None:
    if isinstance(owner, Zone):
        return IndicatorReport.objects.filter(zone=owner, year=year, month=month).first()
    return IndicatorReport.objects.filter(zone__isnull=True, region=owner, year=year, month=month).first()


def report_save_figures(
    *, user, owner: Zone | Region, year: int, month: int, figures: dict[int, dict], status: str, note: str = ""
) -> tuple[IndicatorReport, bool]:
    """Set the given fields of the given indicators (others stay as they are); a new version is kept."""
    report = report_for(owner, year, month)
    created = report is None
    if created:
        report = IndicatorReport(
            zone=owner if isinstance(owner, Zone) else None,
            region=owner.region if isinstance(owner, Zone) else owner,
            year=year,
            month=month,
        )
    else:
        report.version += 1
    report.status = status
    report.updated_by = user if getattr(user, "is_authenticated", False) else None
    report.save()
    existing = {value.indicator_id: value for value in report.values.all()}
    for indicator_id, given in figures.items():
        value = existing.get(indicator_id)
        if value is None:
            if given.get("value") is None:
                continue  # a blank cell: nothing reported for this indicator
            value = IndicatorValue(report=report, indicator_id=indicator_id, value=given["value"])
        for name in FIELDS:
            if name in given and (given[name] is not None or name != "value"):
                setattr(value, name, given[name])
        if "note" in given:
            value.note = (given["note"] or "")[:300]
        value.save()
    _keep_revision(report, user, note)
    trail.record_event(action="update", user=user, instance=report, note=f"第{report.version}版 {note}")
    return report, created


def _keep_revision(report: IndicatorReport, user, note: str) -> None:
    figures = {
        value.indicator.name: {
            name: None if getattr(value, name) is None else str(getattr(value, name)) for name in FIELDS
        }
        | ({"note": value.note} if value.note else {})
        for value in report.values.select_related("indicator")
    }
    ReportRevision.objects.create(
        report=report,
        version=report.version,
        status=report.status,
        figures=figures,
        note=note[:300],
        user=user if getattr(user, "is_authenticated", False) else None,
    )


def indicators_import(
    path: str | Path,
    *,
    extension: str,
    city: Region | None,
    period: tuple[int, int] | None,
    user=None,
    commit: bool = True,
    file_name: str = "",
) -> ImportOutcome:
    """Load a table of monthly figures; nothing is written when any row has an error."""
    zones = Zone.objects.all() if user is None else Zone.objects.visible_to(user)
    if city is not None:
        zones = zones.filter(region__code__startswith=city.scope_prefix)
    parsed = parse_table(path, extension=extension, city=city, period=period, zones=zones)
    outcome = ImportOutcome(rows=len(parsed.rows), skipped=parsed.skipped, errors=list(parsed.errors))
    outcome.warnings = list(parsed.warnings)
    _check_rows(parsed, outcome)
    if user is not None:
        _check_rights(parsed, user, outcome)
    if outcome.errors or not commit:
        return outcome
    with transaction.atomic():
        for row in parsed.rows:
            _, created = report_save_figures(
                user=user,
                owner=row.owner,
                year=row.year,
                month=row.month,
                figures=row.figures,
                status=_imported_status(user, row.owner),
                note=f"导入：{file_name or Path(path).name} {row.sheet} 第{row.number}行",
            )
            outcome.created += created
            outcome.updated += not created
    outcome.committed = True
    return outcome


def _imported_status(user, owner: Zone | Region) -> str:
    """Tables loaded from the command line or by a reviewer are figures of record; a reporter's are a draft."""
    if user is None or can_review(user, owner):
        return IndicatorReport.Status.APPROVED
    return IndicatorReport.Status.DRAFT


def _check_rights(parsed: ParsedTable, user, outcome: ImportOutcome) -> None:
    for row in parsed.rows:
        report = report_for(row.owner, row.year, row.month)
        if not editable(user, report, row.owner):
            outcome.errors.append(f"第{row.number}行 开发区: {_not_editable(user, report, row.owner)}")


def _check_rows(parsed: ParsedTable, outcome: ImportOutcome) -> None:
    """One row per owner and month; cumulative figures never fall below an earlier month's; outliers flagged."""
    seen: dict[tuple, int] = {}
    indicators = {indicator.pk: indicator for indicator in Indicator.objects.all()}
    ordered = sorted(parsed.rows, key=lambda row: (row.year, row.month))
    earlier: dict[tuple, Decimal] = {}
    for row in ordered:
        key = (type(row.owner).__name__, row.owner.pk, row.year, row.month)
        if key in seen:
            outcome.errors.append(
                f"第{row.number}行 开发区: {_name(row.owner)}{row.year}年{row.month}月的数据与第{seen[key]}行重复"
            )
            continue
        seen[key] = row.number
        for indicator_id, given in row.figures.items():
            indicator = indicators[indicator_id]
            value = given.get("value")
            if value is None:
                continue
            if indicator.cumulative:
                _check_cumulative(row, indicator, value, earlier, outcome)
            _flag_outlier(row, indicator, given, outcome)


def _check_cumulative(row: Row, indicator: Indicator, value: Decimal, earlier: dict, outcome: ImportOutcome) -> None:
    owner_key = (type(row.owner).__name__, row.owner.pk, indicator.pk, row.year)
    before = earlier.get(owner_key)
    if before is None and row.month > 1:
        previous = report_for(row.owner, row.year, row.month - 1)
        stored = previous.values.filter(indicator=indicator).first() if previous else None
        before = (row.month - 1, stored.value) if stored else None
    message = cumulative_error(indicator, row.month, value, *before) if before is not None else ""
    if message:
        outcome.errors.append(f"第{row.number}行 {indicator.name}: {message}")
    earlier[owner_key] = (row.month, value)


def _flag_outlier(row: Row, indicator: Indicator, given: dict, outcome: ImportOutcome) -> None:
    growth = growth_of(given)
    limit = outlier_limit()
    if growth is not None and abs(growth) > limit:
        outcome.warnings.append(
            f"第{row.number}行 {indicator.name}: {_name(row.owner)}同比增长 {growth:.1f}%，超过 ±{limit}%，请核实"
        )


def _name(owner) -> str:
    return owner.short_name or owner.name if isinstance(owner, Zone) else owner.name


# --- who may do what -------------------------------------------------------------------------


def can_fill(user, owner: Zone | Region) -> bool:
    """A zone's figures: its reporters, or an office above with either 月调度 code (代填, city tables).
    A region's own figures (全市、全省): reporters of that office or of one above it."""
    scope = scope_for(user)
    if isinstance(owner, Zone):
        return scope.can(Perm.INDICATOR_REPORT, owner.pk) or scope.can(Perm.INDICATOR_REVIEW, owner.pk)
    return scope.everything or (Perm.INDICATOR_REPORT in scope.permissions and office_covers(user, owner))


def can_review(user, owner: Zone | Region) -> bool:
    """Approving and returning: the reviewers of an office above the zone (or over the region)."""
    scope = scope_for(user)
    if isinstance(owner, Zone):
        return scope.can(Perm.INDICATOR_REVIEW, owner.pk)
    return scope.everything or (Perm.INDICATOR_REVIEW in scope.permissions and office_covers(user, owner))


def editable(user, report: IndicatorReport | None, owner: Zone | Region) -> bool:
    """Drafts and returned reports are the reporter's; submitted ones wait for review; approved ones are locked."""
    if not can_fill(user, owner):
        return False
    if report is None or report.status in (IndicatorReport.Status.DRAFT, IndicatorReport.Status.RETURNED):
        return True
    return report.status == IndicatorReport.Status.SUBMITTED and can_review(user, owner)


# --- the reporter's form ------------------------------------------------------------------------


def report_fill(
    *, user, owner: Zone | Region, year: int, month: int, figures: dict[int, dict], submit: bool
) -> IndicatorReport:
    """Save a month's figures as a draft, or submit them for review.

    Raises ``ValidationError`` keyed ``<field>_<indicator id>`` (nothing saved) when a figure is
    missing or impossible, or when an outlier has no note."""
    report = report_for(owner, year, month)
    if not editable(user, report, owner):
        raise PermissionDenied(_not_editable(user, report, owner))
    indicators = list(Indicator.objects.filter(active=True))
    checked = check_figures(
        indicators=indicators,
        month=month,
        figures=figures,
        earlier=earlier_figures(owner, year, month),
        required=required_indicators(owner) if submit else set(),
    )
    problems = {f"{name}_{pk}": [message] for (pk, name), message in checked.errors.items()}
    for pk, warning in checked.warnings.items():
        if not figures.get(pk, {}).get("note", "").strip():
            problems[f"note_{pk}"] = [f"{warning}，请核实；确认无误请在“说明”中写明原因"]
    if problems:
        raise ValidationError(problems)
    status = IndicatorReport.Status.SUBMITTED if submit else IndicatorReport.Status.DRAFT
    with transaction.atomic():
        report, _ = report_save_figures(
            user=user,
            owner=owner,
            year=year,
            month=month,
            figures={
                pk: given for pk, given in figures.items() if given.get("value") is not None or pk in _kept(report)
            },
            status=status,
            note="报送" if submit else "保存草稿",
        )
    return report


def _kept(report: IndicatorReport | None) -> set[int]:
    return set() if report is None else set(report.values.values_list("indicator_id", flat=True))


def _not_editable(user, report: IndicatorReport | None, owner) -> str:
    if not can_fill(user, owner):
        return f"您没有填报“{_name(owner)}”月调度指标的权限。"
    if report is not None and report.locked:
        return f"{report}月报已审核，已锁定；如需修改，请联系审核单位退回。"
    return f"{report}月报已报送，正在等待审核；如需修改，请联系审核单位退回。"


# --- review -------------------------------------------------------------------------------------


def report_approve(*, user, report: IndicatorReport) -> IndicatorReport:
    """Submitted → approved: the figures are locked and count in the city's tables."""
    _ensure_review(user, report)
    if report.status != IndicatorReport.Status.SUBMITTED:
        raise ValidationError(f"只能审核已报送的月报，{report}当前为“{report.get_status_display()}”。")
    return _set_status(user, report, IndicatorReport.Status.APPROVED, "", "审核通过")


def report_return(*, user, report: IndicatorReport, comment: str) -> IndicatorReport:
    """Submitted or approved → returned with the reviewer's comment; the reporter may edit again."""
    _ensure_review(user, report)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "退回时请写明退回原因，便于填报单位修改。"})
    if report.status not in (IndicatorReport.Status.SUBMITTED, IndicatorReport.Status.APPROVED):
        raise ValidationError(f"{report}当前为“{report.get_status_display()}”，无需退回。")
    return _set_status(user, report, IndicatorReport.Status.RETURNED, comment[:300], f"退回：{comment}")


def _ensure_review(user, report: IndicatorReport) -> None:
    owner = report.zone or report.region
    if not can_review(user, owner):
        raise PermissionDenied(f"您没有审核“{_name(owner)}”月报的权限。")


def _set_status(user, report: IndicatorReport, status: str, comment: str, note: str) -> IndicatorReport:
    with transaction.atomic():
        report.status = status
        report.comment = comment
        report.updated_by = user if getattr(user, "is_authenticated", False) else None
        report.save(update_fields=["status", "comment", "updated_by", "updated_at"])
        _keep_revision(report, user, note)
        trail.record_event(action="update", user=user, instance=report, note=note)
    return report


# --- deadlines and reminders ----------------------------------------------------------------------


def deadline_set(*, user, region: Region, year: int, month: int, day: datetime.date) -> ReportingDeadline:
    if not (
        scope_for(user).everything
        or (Perm.INDICATOR_REVIEW in scope_for(user).permissions and _is_office(user, region))
    ):
        raise PermissionDenied(f"只有{region.name}主管部门的审核人员可以设置报送期限。")
    if day < datetime.date(year, month, 1):
        raise ValidationError({"due_on": f"报送截止日期不能早于{year}年{month}月。"})
    deadline, _ = ReportingDeadline.objects.update_or_create(
        region=region, year=year, month=month, defaults={"due_on": day}
    )
    trail.record_event(action="update", user=user, instance=deadline, note=f"报送期限 {year}年{month}月：{day}")
    return deadline


def _is_office(user, region: Region) -> bool:
    office = office_region(user)
    return office is not None and region.code.startswith(office.scope_prefix)


def reminders_send(*, user, city: Region, year: int, month: int, today: datetime.date) -> list[ReportReminder]:
    """催报: one reminder to every zone of the city (in the user's scope) whose report is overdue."""
    from .reporting import reporting_status

    zones = Zone.objects.visible_to(user)
    late = [
        row
        for row in reporting_status(
            city, year=year, month=month, zones=zones, reports=IndicatorReport.objects.visible_to(user), today=today
        )
        if row.overdue
    ]
    if not all(can_review(user, row.zone) for row in late):
        raise PermissionDenied("只有上级主管部门的审核人员可以催报。")
    office = office_region(user)
    sender = f"{office.name}主管部门" if office else "平台管理员"
    with transaction.atomic():
        sent = [
            ReportReminder.objects.create(
                zone=row.zone, year=year, month=month, due_on=row.due_on, sent_by=user, sender_name=sender
            )
            for row in late
        ]
        for reminder in sent:
            trail.record_event(action="update", user=user, instance=reminder.zone, note=f"催报{year}年1-{month}月月报")
    return sent


# --- targets and the catalogue -----------------------------------------------------------------------


def targets_save(*, user, year: int, values: dict[tuple[int, int], Decimal | None]) -> int:
    """Set (or clear, with None) the annual targets of zones the user reviews; returns how many changed."""
    zones = {zone.pk: zone for zone in Zone.objects.filter(pk__in={zone_id for zone_id, _ in values})}
    refused = [zones[zone_id].name for zone_id in zones if not can_review(user, zones[zone_id])]
    if refused or len(zones) < len({zone_id for zone_id, _ in values}):
        raise PermissionDenied(f"您没有设置这些开发区年度目标的权限：{'、'.join(refused) or '（开发区不存在）'}。")
    changed = 0
    with transaction.atomic():
        existing = {
            (target.zone_id, target.indicator_id): target
            for target in AnnualTarget.objects.filter(year=year, zone_id__in=zones)
        }
        for (zone_id, indicator_id), value in values.items():
            target = existing.get((zone_id, indicator_id))
            if value is None:
                if target is not None:
                    trail.record_delete(user=user, instance=target)
                    target.delete()
                    changed += 1
            elif target is None:
                target = AnnualTarget.objects.create(zone_id=zone_id, indicator_id=indicator_id, year=year, value=value)
                trail.record_create(user=user, instance=target)
                changed += 1
            elif target.value != value:
                before = trail.snapshot(target)
                target.value = value
                target.save(update_fields=["value"])
                trail.record_update(user=user, instance=target, before=before)
                changed += 1
    return changed


def can_edit_catalogue(user) -> bool:
    """The catalogue is shared by every office: its administrators (reviewers of a city or province)."""
    scope = scope_for(user)
    return scope.everything or (Perm.INDICATOR_REVIEW in scope.permissions and office_region(user) is not None)


def indicator_save(*, user, indicator: Indicator) -> Indicator:
    if not can_edit_catalogue(user):
        raise PermissionDenied("只有市、省主管部门的审核人员可以维护指标目录。")
    created = indicator.pk is None
    before = {} if created else trail.stored_snapshot(indicator)
    with transaction.atomic():
        indicator.full_clean()
        indicator.save()
        if created:
            trail.record_create(user=user, instance=indicator)
        else:
            trail.record_update(user=user, instance=indicator, before=before)
    return indicator
