"""Saving a month's figures (every version kept) and importing tables of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from kaifaqu.audit import trail
from kaifaqu.core.rights import can
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

from ..checks import cumulative_error, outlier_message
from ..importer import ParsedTable, Row, parse_table
from ..models import (
    Indicator,
    IndicatorReport,
    IndicatorValue,
    ReportRevision,
)
from .rights import FIELDS, owner_label, unchanged_figures, why_not_editable


@dataclass
class ImportOutcome:
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    committed: bool = False


NOTE_LIMIT = IndicatorValue._meta.get_field("note").max_length


def report_for(owner: Zone | Region, year: int, month: int) -> IndicatorReport | None:
    if isinstance(owner, Zone):
        return IndicatorReport.objects.filter(zone=owner, year=year, month=month).first()
    return IndicatorReport.objects.filter(zone__isnull=True, region=owner, year=year, month=month).first()


def report_save_figures(
    *, user, owner: Zone | Region, year: int, month: int, figures: dict[int, dict], status: str, note: str = ""
) -> tuple[IndicatorReport, bool]:
    """Set the given fields of the given indicators (others stay as they are); a new version is kept."""
    _refuse_long_notes(figures)
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
            value.note = given["note"] or ""
        value.save()
    keep_revision(report, user, note)
    trail.record_event(action="update", user=user, instance=report, note=f"第{report.version}版 {note}")
    return report, created


def _refuse_long_notes(figures: dict[int, dict]) -> None:
    """A 说明 longer than the field holds is refused whole, never cut (an import names the row first)."""
    limit = NOTE_LIMIT
    long = {pk: len(given["note"]) for pk, given in figures.items() if len(given.get("note") or "") > limit}
    if long:
        names = dict(Indicator.objects.filter(pk__in=long).values_list("pk", "name"))
        raise ValidationError(
            "；".join(
                f"{names.get(pk, pk)}的说明不能超过{limit}个字（现有{length}个字）" for pk, length in long.items()
            )
            + "。"
        )


def keep_revision(report: IndicatorReport, user, note: str) -> None:
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
    if user is None or can(user, "indicator.review", owner):
        return IndicatorReport.Status.APPROVED
    return IndicatorReport.Status.DRAFT


def _check_rights(parsed: ParsedTable, user, outcome: ImportOutcome) -> None:
    """Rows the user may not write are errors, except rows equal to what is on record (a table read back)."""
    kept = []
    for row in parsed.rows:
        report = report_for(row.owner, row.year, row.month)
        if can(user, "indicator.edit", row.owner, report=report):
            kept.append(row)
        elif report is not None and unchanged_figures(report, row.figures) >= set(row.figures):
            outcome.skipped += 1
        else:
            outcome.errors.append(f"第{row.number}行 开发区: {why_not_editable(user, report, row.owner)}")
    parsed.rows[:] = kept


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
                f"第{row.number}行 开发区: {owner_label(row.owner)}{row.year}年{row.month}月的数据与第{seen[key]}行重复"
            )
            continue
        seen[key] = row.number
        for indicator_id, given in row.figures.items():
            indicator = indicators[indicator_id]
            if len(given.get("note") or "") > NOTE_LIMIT:
                outcome.errors.append(
                    f"第{row.number}行 {indicator.name}说明: 不能超过{NOTE_LIMIT}个字（现有{len(given['note'])}个字）"
                )
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
    warning = outlier_message(indicator, row.month, given, {})  # against last year's same period, as given
    if warning:
        outcome.warnings.append(f"第{row.number}行 {indicator.name}: {owner_label(row.owner)}{warning}，请核实")
