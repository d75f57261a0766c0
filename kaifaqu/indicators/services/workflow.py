"""The reporting round: the reporter's form, review (approve, return), deadlines and 催报."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kaifaqu.audit import trail
from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import Perm, scope_for
from kaifaqu.core.text import cn_date
from kaifaqu.projects.models import local_today
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Unit, Zone

from ..checks import check_figures
from ..models import (
    Indicator,
    IndicatorReport,
    ReportingDeadline,
    ReportReminder,
)
from ..reporting import earlier_figures, month_after, reporting_status, required_indicators
from .figures import keep_revision, report_for, report_save_figures
from .rights import is_office_over, owner_label, unchanged_figures


def report_fill(
    *, user, owner: Zone | Region, year: int, month: int, figures: dict[int, dict], submit: bool
) -> IndicatorReport:
    """Save a month's figures as a draft, or submit them for review.

    Raises ``ValidationError`` keyed ``<field>_<indicator id>`` (nothing saved) when a figure is
    missing or impossible, or, on submitting, when an outlier has no note. A draft keeps its
    outliers un-noted: the reporter may still be waiting for the explanation."""
    report = report_for(owner, year, month)
    ensure(user, "indicator.edit", owner, report=report)
    today = local_today()
    if (year, month) > (today.year, today.month):
        raise ValidationError(
            f"{year}年{month}月还没有到，不能填报（本月可填报的最晚月份是{today.year}年{today.month}月）。"
        )
    indicators = list(Indicator.objects.filter(active=True))
    checked = check_figures(
        indicators=indicators,
        month=month,
        figures=figures,
        earlier=earlier_figures(owner, year, month),
        required=required_indicators(owner) if submit else set(),
    )
    problems = {f"{name}_{pk}": [message] for (pk, name), message in checked.errors.items()}
    explained = _explained(report, figures) & set(checked.warnings)
    if submit:
        problems |= _unexplained(indicators, figures, checked.warnings, explained)
    if problems:
        raise ValidationError(problems)
    figures = {  # an outlier explained before keeps its note when the form sends it blank
        pk: {name: v for name, v in given.items() if name != "note" or pk not in explained or (v or "").strip()}
        for pk, given in figures.items()
    }
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
        if submit and report.comment:
            report.comment = ""  # the reason it was returned is answered; it stays in the revisions
            report.save(update_fields=["comment"])
    return report


def _unexplained(
    indicators: list[Indicator], figures: dict[int, dict], warnings: dict[int, str], explained: set[int]
) -> dict[str, list[str]]:
    """Outliers without a note, keyed as the form names the note, each message naming its indicator."""
    names = {indicator.pk: indicator.name for indicator in indicators}
    return {
        f"note_{pk}": [f"{names[pk]}：{warning}，请核实；确认无误请在“说明”中写明原因后再报送"]
        for pk, warning in warnings.items()
        if pk not in explained and not (figures.get(pk, {}).get("note") or "").strip()
    }


def _explained(report: IndicatorReport | None, figures: dict[int, dict]) -> set[int]:
    """Figures as already saved with a note, or as once approved: an outlier is not asked about again."""
    if report is None:
        return set()
    unchanged = unchanged_figures(report, figures)
    if report.revisions.filter(status=IndicatorReport.Status.APPROVED).exists():
        return unchanged
    noted = set(report.values.exclude(note="").values_list("indicator_id", flat=True))
    return unchanged & noted


def _kept(report: IndicatorReport | None) -> set[int]:
    return set() if report is None else set(report.values.values_list("indicator_id", flat=True))


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
    if len(comment) > 300:
        raise ValidationError({"comment": f"退回原因不能超过300个字（现有{len(comment)}个字）。"})
    if report.status not in (IndicatorReport.Status.SUBMITTED, IndicatorReport.Status.APPROVED):
        raise ValidationError(f"{report}当前为“{report.get_status_display()}”，无需退回。")
    return _set_status(user, report, IndicatorReport.Status.RETURNED, comment, f"退回：{comment}")


def _ensure_review(user, report: IndicatorReport) -> None:
    owner = report.zone or report.region
    if not can(user, "indicator.review", owner):
        raise PermissionDenied(f"您没有审核“{owner_label(owner)}”月报的权限。")


def _set_status(user, report: IndicatorReport, status: str, comment: str, note: str) -> IndicatorReport:
    with transaction.atomic():
        report.status = status
        report.comment = comment
        report.updated_by = user if getattr(user, "is_authenticated", False) else None
        report.save(update_fields=["status", "comment", "updated_by", "updated_at"])
        keep_revision(report, user, note)
        trail.record_event(action="update", user=user, instance=report, note=note)
    return report


def deadline_set(*, user, region: Region, year: int, month: int, day: datetime.date) -> ReportingDeadline:
    if not (
        scope_for(user).everything
        or (Perm.INDICATOR_REVIEW in scope_for(user).permissions and is_office_over(user, region))
    ):
        raise PermissionDenied(f"只有{region.name}主管部门的审核人员可以设置报送期限。")
    next_year, next_month = month_after(year, month)
    latest = datetime.date(*month_after(*month_after(next_year, next_month)), 1) - datetime.timedelta(days=1)
    if not datetime.date(next_year, next_month, 1) <= day <= latest:
        raise ValidationError(
            {
                "due_on": f"{year}年{month}月月报的截止日期应在{next_year}年{next_month}月1日至"
                f"{latest.year}年{latest.month}月{latest.day}日之间（该月结束之后的两个月内）。"
            }
        )
    deadline, _ = ReportingDeadline.objects.update_or_create(
        region=region, year=year, month=month, defaults={"due_on": day}
    )
    trail.record_event(
        action="update", user=user, instance=deadline, note=f"报送期限 {year}年{month}月：{cn_date(day)}"
    )
    return deadline


def reminders_send(*, user, city: Region, year: int, month: int, today: datetime.date) -> list[ReportReminder]:
    """催报: one reminder to every zone of the city (in the user's scope) whose report is overdue."""
    if not can(user, "indicator.review", city):
        raise PermissionDenied(f"只有{city.name}或省主管部门的审核人员可以催报。")
    zones = Zone.objects.visible_to(user)
    late = [
        row
        for row in reporting_status(
            city, year=year, month=month, zones=zones, reports=IndicatorReport.objects.visible_to(user), today=today
        )
        if row.overdue and (row.reminded_at is None or timezone.localdate(row.reminded_at) < today)
    ]  # once a day at most: a second click the same day sends nothing new
    if not all(can(user, "indicator.review", row.zone) for row in late):
        raise PermissionDenied("只有上级主管部门的审核人员可以催报。")
    unit_id = scope_for(user).unit_id
    sender = Unit.objects.get(pk=unit_id).name if unit_id else "平台管理员"
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
