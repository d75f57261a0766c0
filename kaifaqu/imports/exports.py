"""Ledger exports: small ones answered at once, large ones written in the background.

A 60,000-row ledger takes longer than a web worker may hold a request (gunicorn's 30 s), so
an export of more than ``KAIFAQU_EXPORT_INLINE_ROWS`` rows becomes an ``ExportJob``: the
list's filters are kept and applied again in the task, in its requester's scope, the file
is written under the data directory, and a page shows the progress and then the download.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from kaifaqu.core.tasks import enqueue, fail_if_stale
from kaifaqu.sheets.ledger import UNITS
from kaifaqu.sheets.writer import rows_progress

from .models import ExportJob, ImportJob
from .registry import ledger

logger = logging.getLogger(__name__)
# A job still "running" after this long was cut off by a restart: it will never finish.
STALE_SECONDS = 30 * 60
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def ledger_queryset(kind: str, request: HttpRequest) -> QuerySet:
    """What the ledger's list shows for ``request``: its filters over the user's scope (none if invalid)."""
    chosen = ledger(kind)
    visible = chosen.model().objects.visible_to(request.user)
    filterset = chosen.filterset()(request.GET or None, queryset=visible, request=request)
    if not filterset.is_bound:
        return visible
    return filterset.qs if filterset.is_valid() else visible.none()


def export_options(params: QueryDict) -> tuple[str, str]:
    """(unit, file format) asked for, or the defaults 万元 and xlsx."""
    unit = params.get("unit") if params.get("unit") in UNITS else "万元"
    return unit, "csv" if params.get("format") == "csv" else "xlsx"


def export_is_large(queryset: QuerySet) -> bool:
    return queryset.count() > settings.KAIFAQU_EXPORT_INLINE_ROWS


def export_file_name(kind: str, *, unit: str, file_format: str) -> str:
    unit_part = f"-{unit}" if ledger(kind).has_unit else ""
    return f"{ImportJob.Kind(kind).label}{unit_part}-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"


def export_job_create(*, kind: str, user, query: str) -> ExportJob:
    """Queue the export of the list ``query`` selects; the export is kept in the audit trail now,
    as a direct one is, with the address it was asked from."""
    from kaifaqu.audit import trail
    from kaifaqu.audit.models import AuditEntry

    unit, file_format = export_options(QueryDict(query))
    job = ExportJob.objects.create(
        kind=kind,
        user=user,
        query=query,
        unit=unit,
        file_format=file_format,
        file_name=export_file_name(kind, unit=unit, file_format=file_format),
    )
    label = ImportJob.Kind(kind).label
    trail.record_event(action=AuditEntry.Action.EXPORT, user=user, note=f"导出{label}（{file_format}，{unit}，后台）")
    enqueue(run_export_job, job.pk)
    return job


def run_export_job(job_id: int) -> None:
    """Write the job's file (to a temporary name first: a half-written file is never offered)."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    jobs = ExportJob.objects.filter(pk=job.pk)
    try:
        queryset = ledger_queryset(job.kind, _replayed_request(job))
        jobs.update(status=ExportJob.Status.RUNNING, total=queryset.count())
        job.path.parent.mkdir(parents=True, exist_ok=True)
        partial = job.path.with_suffix(".partial")
        with rows_progress(lambda done: jobs.update(done=done)):
            _write(job, queryset, partial)
        partial.replace(job.path)
    except Exception as exc:
        logger.exception("导出失败：%s", job.file_name)
        jobs.update(status=ExportJob.Status.FAILED, error=f"导出失败：{exc}"[:500], finished_at=timezone.now())
        return
    jobs.update(status=ExportJob.Status.DONE, finished_at=timezone.now())


def _write(job: ExportJob, queryset: QuerySet, path) -> None:
    from .services import _scope_name

    chosen = ledger(job.kind)
    if job.file_format == "csv":
        path.write_bytes(chosen.export_csv(queryset, unit=job.unit))
        return
    with path.open("wb") as handle:
        chosen.export_xlsx(handle, queryset, unit=job.unit, scope_name=_scope_name(job.user))


def _replayed_request(job: ExportJob) -> HttpRequest:
    """The list's request as the filters read it: its query string and its user."""
    request = HttpRequest()
    request.user = job.user
    request.GET = QueryDict(job.query)
    return request


def export_job_checked(job: ExportJob) -> ExportJob:
    """The job, marked failed if a restart cut it off (the page would otherwise wait forever)."""
    return fail_if_stale(job, seconds=STALE_SECONDS, error="导出已中断（服务可能重启过），请重新导出。")
