"""Imports from the web: upload, confirm the column mapping, preview (a dry run), commit.

Preview and commit run in the background (``core.tasks``); progress goes to a small file
beside the upload so any process can show it while the import's transaction is open.
"""

from __future__ import annotations

import errno
import io
import json
import logging
import time
from pathlib import Path
from urllib.parse import quote

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils import timezone

from kaifaqu.core.rights import ensure, restrict
from kaifaqu.core.scoping import scope_for
from kaifaqu.core.tasks import enqueue
from kaifaqu.core.uploads import validate_upload
from kaifaqu.sheets.columns import ColumnMatcher, normal_header
from kaifaqu.sheets.readers import EXTENSIONS, ReadError
from kaifaqu.sheets.rows import ImportResult

from . import error_file
from .engine import ImportRefused, inspect_file, run_import
from .models import ImportJob, SavedMapping
from .registry import ledger, ledger_kind

logger = logging.getLogger(__name__)

# How many errors and row outcomes a job keeps for its pages (counts are always complete).
KEPT_ERRORS = 5000
# What one job row may hold: a hostile file's 400 MB cell must not end up in the database,
# where every list and page that loads the job would pay for it again.
KEPT_TEXT = 200  # characters of one header, sample, value or label
KEPT_COLUMNS = 200
KEPT_WARNINGS = 200


def importable_zones(user, kind: str):
    """Zones the user may import ``kind`` into: where the user may write that ledger's records."""
    from kaifaqu.zones.models import Zone

    return restrict(user, ledger(kind).right, Zone.objects.all())


def import_job_create(*, user, kind: str, upload, zone=None, ip: str | None = None) -> ImportJob:
    """Keep the uploaded file and find its header; the job then waits for the mapping."""
    if kind not in ImportJob.Kind.values:
        raise ValidationError({"kind": "请选择要导入的台账类型。"})
    ensure(user, "ledger.import", kind)
    if zone is not None and not importable_zones(user, kind).filter(pk=zone.pk).exists():
        raise PermissionDenied("您不能向该开发区导入台账。")
    try:
        extension = validate_upload(upload, allowed=EXTENSIONS)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    job = ImportJob.objects.create(
        kind=kind, user=user, zone=zone, file_name=Path(upload.name).name[:200], extension=extension, ip=ip
    )
    try:
        _store_upload(job, upload)
        _inspect(job, overrides=saved_mapping(user, kind))
    except (ImportRefused, OSError, MemoryError) as exc:
        job.path.unlink(missing_ok=True)
        job.delete()
        raise ValidationError({"file": failure_reason(exc)}) from exc
    return job


def _store_upload(job: ImportJob, upload) -> None:
    job.path.parent.mkdir(parents=True, exist_ok=True)
    with job.path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)


def saved_mapping(user, kind: str) -> dict[str, str]:
    unit_id = scope_for(user).unit_id
    saved = SavedMapping.objects.filter(unit_id=unit_id, kind=kind).first() if unit_id else None
    return dict(saved.mapping) if saved else {}


def _inspect(job: ImportJob, *, overrides: dict[str, str] | None, sheet: str | None = None) -> None:
    found = inspect_file(
        ledger_kind(job.kind), job.path, extension=job.extension, sheet=sheet or job.sheet or None, overrides=overrides
    )
    job.sheet, job.header_row, job.columns = found.sheet_name[:100], found.header_row, _kept_columns(found.columns)
    job.mapping = {column["header"]: column["key"] for column in found.columns if column["header"]}
    job.result = {"sheet_names": found.sheet_names}
    job.save()


def _kept_columns(columns: list[dict]) -> list[dict]:
    """The columns a job keeps: at most KEPT_COLUMNS, each header and sample cut to KEPT_TEXT."""
    return [
        column | {"header": _short(column["header"]), "samples": [_short(sample) for sample in column["samples"]]}
        for column in columns[:KEPT_COLUMNS]
    ]


def _short(value, limit: int = KEPT_TEXT):
    """A text cut to ``limit`` characters with “…” (other values as they are)."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    return value


def _ensure_open(job: ImportJob) -> None:
    if job.status == ImportJob.Status.DONE:
        raise ValidationError("该文件已导入，如需再次导入请重新上传。")


def import_job_set_sheet(*, job: ImportJob, sheet: str) -> ImportJob:
    """Read another sheet of the workbook: its header and columns are found afresh."""
    _ensure_open(job)
    if job.running:
        raise ValidationError("导入正在进行，不能切换工作表。")
    names = job.result.get("sheet_names", [])
    if sheet not in names:
        raise ValidationError(f"文件中没有名为“{sheet}”的工作表。")
    try:
        _inspect(job, overrides=saved_mapping(job.user, job.kind), sheet=sheet)
    except ImportRefused as exc:
        raise ValidationError(str(exc)) from exc
    job.status, job.message = ImportJob.Status.MAPPING, ""
    job.save(update_fields=["status", "message"])
    return job


def import_job_set_mapping(*, job: ImportJob, choices: dict[int, str]) -> ImportJob:
    """The user's column mapping: column index → field key ("" to leave the column out)."""
    _ensure_open(job)
    if job.running:
        raise ValidationError("导入正在进行，不能修改列对应。")
    known = {column.key for column in ledger_kind(job.kind).columns}
    chosen: dict[int, str] = {}
    for index, key in choices.items():
        if key and key not in known:
            raise ValidationError(f"第 {index + 1} 列的对应字段“{key}”无效。")
        chosen[index] = key
    keys = [key for key in chosen.values() if key and key != "seq"]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    if duplicated:
        labels = "、".join(ColumnMatcher(ledger_kind(job.kind).columns).label(key) for key in duplicated)
        raise ValidationError(f"“{labels}”对应了多个列，每个字段只能对应一列。")
    if "name" not in keys:
        raise ValidationError("请为“名称”选择对应的列（项目名称或企业名称）。")
    for column in job.columns:
        if column["index"] in chosen:
            column["key"] = chosen[column["index"]]
            column["auto"] = False
    job.mapping = {column["header"]: column["key"] for column in job.columns if column["header"]}
    job.status = ImportJob.Status.MAPPING
    job.save(update_fields=["columns", "mapping", "status"])
    return job


def import_job_start(*, job: ImportJob, commit: bool, keep_valid: bool = False) -> ImportJob:
    """Preview (commit=False) or commit in the background."""
    _ensure_open(job)
    if job.running:
        raise ValidationError("该导入正在进行中。")
    if commit and job.status != ImportJob.Status.PREVIEWED:
        raise ValidationError("请先试导入并查看预览，再确认导入。")
    job.status = ImportJob.Status.COMMITTING if commit else ImportJob.Status.PREVIEWING
    job.keep_valid = keep_valid
    job.message = ""
    job.save(update_fields=["status", "keep_valid", "message"])
    try:
        error_file.forget(job)
        write_progress(job, 0, None)
        enqueue(run_job, job.pk, commit=commit)
    except Exception as exc:  # whatever stops the start, the job must not stay 试导入中
        _fail(job.pk, exc)
    job.refresh_from_db(fields=["status", "message", "finished_at"])
    return job


def run_job(job_id: int, *, commit: bool) -> None:
    """The background part: run the import and keep its result on the job.

    Every way out ends the job: a job left 试导入中 would wait for ever (issue 18)."""
    try:
        _run_job(job_id, commit=commit)
    except Exception as exc:
        _fail(job_id, exc)


def _run_job(job_id: int, *, commit: bool) -> None:
    job = ImportJob.objects.select_related("user", "zone").defer("columns").get(pk=job_id)
    try:
        result = run_import(
            ledger_kind(job.kind),
            job.path,
            extension=job.extension,
            file_name=job.file_name,
            user=job.user,
            zone=job.zone,
            sheet=job.sheet or None,
            overrides=job.mapping,
            commit=commit,
            keep_valid=job.keep_valid,
            ip=job.ip,
            expected_versions=job.result.get("versions") if commit else None,
            progress=lambda done, total: write_progress(job, done, total),
        )
    except ImportRefused as exc:
        _finish(job, ImportJob.Status.FAILED, message=str(exc))
        return
    if result.committed:
        _remember_mapping(job)
        _finish(job, ImportJob.Status.DONE, result=result)
    else:
        message = "有错误，未写入任何数据。" if commit else ""
        _finish(job, ImportJob.Status.PREVIEWED, result=result, message=message)
    if job.result.get("errors"):
        # Built here, off the request: a large sheet takes longer than a page may wait.
        error_file.build_quietly(job.pk)


def _finish(job: ImportJob, status: str, *, result: ImportResult | None = None, message: str = "") -> None:
    job.status = status
    job.message = message[:500]
    fields = ["status", "message", "finished_at"]
    if result is not None:
        job.result = result_json(result) | {"sheet_names": job.result.get("sheet_names", [])}
        fields.append("result")
    job.finished_at = timezone.now()
    job.save(update_fields=fields)


def failure_reason(exc: BaseException) -> str:
    """What the user reads when a job fails: our own Chinese message, or the kind of failure."""
    if isinstance(exc, ImportRefused | ReadError):
        return str(exc)
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "导入失败：服务器磁盘空间已满，未写入任何数据。请联系系统管理员清理磁盘后重试。"
    if isinstance(exc, MemoryError):
        return "导入失败：文件太大，服务器内存不足，未写入任何数据。请拆分文件后重试。"
    if isinstance(exc, DatabaseError):
        return "导入失败：数据库出错（文件中可能有过长的内容），未写入任何数据。请检查文件后重试。"
    return f"导入失败：{type(exc).__name__}，未写入任何数据。请检查文件后重试。"


def _fail(job_id: int, exc: BaseException) -> None:
    """Mark the job failed with the reason, whatever state the import left the connection in."""
    logger.error("导入任务 %s 失败", job_id, exc_info=exc)
    fields = {"status": ImportJob.Status.FAILED, "message": failure_reason(exc)[:500], "finished_at": timezone.now()}
    try:
        # An update of three small fields: saving the job would write back what may have failed.
        ImportJob.objects.filter(pk=job_id).update(**fields)
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        connection.close()  # a broken connection: the next query opens a fresh one
        ImportJob.objects.filter(pk=job_id).update(**fields)


def result_json(result: ImportResult) -> dict:
    """What the job keeps: the summary, each row's outcome for the preview, and the versions seen;
    every text cut to KEPT_TEXT, so the row stays small whatever the file held."""
    summary = result.summary(max_errors=KEPT_ERRORS)
    return summary | {
        "errors": [{key: _short(value) for key, value in error.items()} for error in summary["errors"]],
        "warnings": [_short(text, 500) for text in summary["warnings"][:KEPT_WARNINGS]],
        "unmapped_columns": [_short(text) for text in summary["unmapped_columns"][:KEPT_COLUMNS]],
        "outcomes": [
            {
                "row": o.row,
                "action": o.action,
                "label": _short(o.label),
                "changes": [[_short(k), *(_short(value) for value in v)] for k, v in o.changes.items()],
            }
            for o in result.outcomes
        ],
        "versions": result.versions,
    }


def _remember_mapping(job: ImportJob) -> None:
    """Offer this mapping to the unit next time (merged with what it confirmed before)."""
    unit_id = scope_for(job.user).unit_id
    if unit_id is None:
        return
    saved, _ = SavedMapping.objects.get_or_create(unit_id=unit_id, kind=job.kind)
    saved.mapping = saved.mapping | {normal_header(header): key for header, key in job.mapping.items()}
    saved.save()


# A running import writes its progress at least every chunk of rows; one silent this long
# was cut off (the server restarted) and its transaction rolled back.
STALE_SECONDS = 300


def check_stale(job: ImportJob) -> ImportJob:
    """Mark an import that stopped reporting progress as failed; nothing of it was written."""
    if not job.running:
        return job
    try:
        age = time.time() - job.progress_path.stat().st_mtime
    except OSError:
        age = (timezone.now() - job.created_at).total_seconds()
    if age > STALE_SECONDS:
        _finish(job, ImportJob.Status.FAILED, message="导入已中断（服务可能重启过），未写入任何数据，请重新试导入。")
    return job


def write_progress(job: ImportJob, done: int, total: int | None) -> None:
    job.progress_path.write_text(json.dumps({"done": done, "total": total}))


def read_progress(job: ImportJob) -> tuple[int, int | None]:
    try:
        data = json.loads(job.progress_path.read_text())
    except (OSError, ValueError):
        return 0, None
    return int(data.get("done") or 0), data.get("total")


def export_response(*, kind: str, queryset, unit: str, file_format: str, user) -> HttpResponse:
    """The ledger file for a filtered, scoped queryset; the export is kept in the audit trail."""
    from kaifaqu.audit import trail
    from kaifaqu.audit.models import AuditEntry

    chosen = ledger(kind)
    label = ImportJob.Kind(kind).label
    if file_format == "csv":
        data = chosen.export_csv(queryset, unit=unit)
        content_type = "text/csv; charset=utf-8"
    else:
        buffer = io.BytesIO()
        chosen.export_xlsx(buffer, queryset, unit=unit, scope_name=_scope_name(user))
        data = buffer.getvalue()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    unit_part = f"-{unit}" if chosen.has_unit else ""
    filename = f"{label}{unit_part}-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    trail.record_event(action=AuditEntry.Action.EXPORT, user=user, note=f"导出{label}（{file_format}，{unit}）")
    return response


def _scope_name(user) -> str:
    """How the title names a list of several zones: 吕梁市各开发区, 山西省各开发区."""
    unit = getattr(getattr(user, "membership", None), "unit", None)
    region = getattr(unit, "region", None)
    return f"{region.name}各开发区" if region is not None else ""
