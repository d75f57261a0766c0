"""Requesting a report and building it in the background: the content from the requester's
scope, then the .docx and the .xlsx beside it."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kaifaqu.audit import trail
from kaifaqu.campaigns.models import Campaign
from kaifaqu.core.tasks import enqueue, fail_if_stale
from kaifaqu.indicators.models import IndicatorReport
from kaifaqu.indicators.selectors import of_record
from kaifaqu.investment.models import Activity
from kaifaqu.projects.models import Project, local_today
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import office_covers

from .analysis import indicators_report, indicators_title
from .builders import Progress, month_end, monthly_report, weekly_report
from .content import ReportContent
from .docx import write_docx
from .models import Report
from .xlsx import write_report_xlsx

logger = logging.getLogger(__name__)
STALE_SECONDS = 600  # a report not finished after ten minutes was cut off (a restart)


def report_request(
    *,
    user,
    kind: str,
    zone: Zone | None = None,
    city: Region | None = None,
    as_of: datetime.date | None = None,
    year: int | None = None,
    month: int | None = None,
) -> Report:
    """Queue a report; the page shows its progress and offers the files when done."""
    today = local_today()
    report = Report(kind=kind, zone=zone, region=city, created_by=user)
    if kind == Report.Kind.WEEKLY:
        _weekly_fields(report, user=user, as_of=as_of or today, year=year)
    elif kind in (Report.Kind.MONTHLY, Report.Kind.INDICATORS):
        _city_fields(report, user=user, year=year, month=month, today=today)
    else:
        raise ValidationError({"kind": f"未知的报告类型“{kind}”。"})
    report.save()
    enqueue(run_report, report.pk)
    return report


def _weekly_fields(report: Report, *, user, as_of: datetime.date, year: int | None) -> None:
    zone = report.zone
    if zone is None:
        raise ValidationError({"zone": "周调度需要选择开发区。"})
    if not Zone.objects.visible_to(user).filter(pk=zone.pk).exists():
        raise PermissionDenied("该开发区不在您的管辖范围内。")
    report.as_of = as_of
    # The working year asked for; without one, the year of the day it is as of (never the
    # zone's latest project year: one project entered for next year must not switch it).
    report.year = year or as_of.year
    report.title = f"{zone.name}{report.year}年度重点项目建设周调度（截至{report.as_of:%Y-%m-%d}）"


def _city_fields(report: Report, *, user, year: int | None, month: int | None, today: datetime.date) -> None:
    """A city's reports (月度项目建设情况, 月调度分析) are the city's or the province's office's to ask for."""
    city = report.region
    name = "月调度分析" if report.kind == Report.Kind.INDICATORS else "月度报告"
    if city is None or year is None or month is None:
        raise ValidationError({"city": f"{name}需要选择地市和月份。"})
    if datetime.date(year, month, 1) > today:
        raise ValidationError({"month": f"{year}年{month}月还没有开始，不能生成{name}。"})
    if not office_covers(user, city):
        raise PermissionDenied(f"{city.name}的{name}由市、省主管部门生成；{city.name}不在您的管辖范围内。")
    report.as_of = min(month_end(year, month), today)
    report.year, report.month = year, month
    if report.kind == Report.Kind.INDICATORS:
        report.title = indicators_title(city, year, month)
    else:
        report.title = f"{city.name}开发区{year}年{month}月项目建设情况"


def run_report(report_id: int) -> None:
    """Build the report's content in its requester's scope and write both files."""
    report = Report.objects.select_related("zone", "region", "created_by").get(pk=report_id)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, progress=5)

    def progress(percent: int) -> None:
        Report.objects.filter(pk=report.pk).update(progress=percent)

    try:
        content = report_content(report, progress=progress)
        save_files(report, content)
    except Exception as exc:
        logger.exception("报告生成失败：%s", report.title)
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED, error=f"生成失败：{exc}", finished_at=timezone.now()
        )
        return
    Report.objects.filter(pk=report.pk).update(status=Report.Status.DONE, progress=100, finished_at=timezone.now())


def report_content(report: Report, *, progress: Progress) -> ReportContent:
    user = report.created_by
    projects = Project.objects.visible_to(user)
    if report.kind == Report.Kind.WEEKLY:
        return weekly_report(
            report.zone,
            projects,
            as_of=report.as_of,
            year=report.year,
            progress=progress,
            activities=Activity.objects.visible_to(user),
        )
    if report.kind == Report.Kind.INDICATORS:
        return indicators_report(
            report.region,
            Zone.objects.visible_to(user),
            of_record(IndicatorReport.objects.visible_to(user)),  # approved figures, as the matrix shows
            year=report.year,
            month=report.month,
            progress=progress,
        )
    return monthly_report(
        report.region,
        projects,
        Campaign.objects.visible_to(user),
        year=report.year,
        month=report.month,
        today=report.as_of,
        progress=progress,
        activities=Activity.objects.visible_to(user),
    )


def save_files(report: Report, content: ReportContent) -> None:
    folder = report.path("docx").parent
    folder.mkdir(parents=True, exist_ok=True)
    report.path("docx").write_bytes(write_docx(content))
    report.path("xlsx").write_bytes(write_report_xlsx(content))


def check_stale(report: Report) -> Report:
    return fail_if_stale(report, seconds=STALE_SECONDS, error="报告生成已中断（服务可能重启过），请重新生成。")


def record_download(user, report: Report, extension: str) -> None:
    from kaifaqu.audit.models import AuditEntry

    trail.record_event(action=AuditEntry.Action.EXPORT, user=user, note=f"下载报告：{report.title}（{extension}）")
