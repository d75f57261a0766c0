"""Pages of the import: upload, column mapping, preview with progress, commit, error file."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaifaqu.audit.context import current
from kaifaqu.core.rights import can
from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.core.views import add_service_errors
from kaifaqu.sheets.rows import ACTION_LABELS

from . import error_file, exports, services
from .forms import ImportUploadForm
from .models import ImportJob
from .registry import KINDS, ledger, ledger_kind

ROWS_PER_PAGE = 100


@login_required
def import_index(request):
    if not can(request.user, "ledger.import"):
        return render(request, "imports/index.html", {"form": None, "jobs": []}, status=403)
    # A list page's 导入 button names its ledger (``?kind=investment_targets``): the form starts there.
    initial = {"kind": request.GET["kind"]} if request.GET.get("kind") in KINDS else {}
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                user=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                zone=form.cleaned_data["zone"],
                ip=current().ip,
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("imports:detail", pk=job.pk)
    jobs = ImportJob.objects.listed().visible_to(request.user).select_related("zone")[:20]
    return render(request, "imports/index.html", {"form": form, "jobs": jobs})


@login_required
def import_detail(request, pk: int):
    # The mapping is not shown: leave it in the database.
    job = get_visible_or_404(ImportJob.objects.select_related("zone").defer("mapping"), request.user, pk=pk)
    services.check_stale(job)
    return render(request, "imports/detail.html", _detail_context(request, job))


def _detail_context(request, job: ImportJob) -> dict:
    result = job.result or {}
    kind = ledger_kind(job.kind)
    context = {
        "job": job,
        "fields": [(column.key, column.label) for column in kind.columns],
        "result": result,
        "action_labels": ACTION_LABELS,
        "list_url": reverse(ledger(job.kind).list_url),
    }
    if job.status in (ImportJob.Status.PREVIEWED, ImportJob.Status.DONE) and result:
        show = request.GET.get("show", "errors" if result.get("errors") else "rows")
        items = result.get("errors", []) if show == "errors" else result.get("outcomes", [])
        context.update(show=show, page=Paginator(items, ROWS_PER_PAGE).get_page(request.GET.get("page")))
    if job.running:
        context["progress"] = _progress(job)
    return context


def _progress(job: ImportJob) -> dict:
    done, total = services.read_progress(job)
    percent = min(99, round(done * 100 / total)) if total else None
    return {"done": done, "total": total, "percent": percent}


@login_required
def import_progress(request, pk: int):
    """Polled by the page while the import runs; when it ends, the page reloads itself."""
    # Polled every few seconds: only the small fields.
    small = ImportJob.objects.defer("columns", "mapping", "result")
    job = services.check_stale(get_visible_or_404(small, request.user, pk=pk))
    if not job.running:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "imports/_progress.html", {"job": job, "progress": _progress(job)})


@login_required
@require_POST
def import_mapping(request, pk: int):
    job = get_visible_or_404(ImportJob, request.user, pk=pk)
    choices = {
        column["index"]: request.POST.get(f"col-{column['index']}", column["key"]) or "" for column in job.columns
    }
    try:
        services.import_job_set_mapping(job=job, choices=choices)
        services.import_job_start(job=job, commit=False)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("imports:detail", pk=job.pk)


@login_required
@require_POST
def import_sheet(request, pk: int):
    job = get_visible_or_404(ImportJob, request.user, pk=pk)
    try:
        services.import_job_set_sheet(job=job, sheet=request.POST.get("sheet", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("imports:detail", pk=job.pk)


@login_required
@require_POST
def import_commit(request, pk: int):
    job = get_visible_or_404(ImportJob, request.user, pk=pk)
    try:
        services.import_job_start(job=job, commit=True, keep_valid=request.POST.get("keep_valid") == "1")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("imports:detail", pk=job.pk)


@login_required
def import_errors(request, pk: int):
    """The uploaded sheet with an error column, to fix in Excel and upload again. The file is
    built in the background (a long sheet takes longer than a page may wait)."""
    job = get_visible_or_404(ImportJob.objects.defer("columns", "mapping"), request.user, pk=pk)
    if not job.result.get("errors"):
        messages.info(request, "该导入没有错误。")
        return redirect("imports:detail", pk=job.pk)
    if not error_file.ready(job):
        error_file.request(job)
    if not error_file.ready(job):
        messages.info(request, "错误标注文件正在生成，请稍候再点“下载错误标注文件”。")
        return redirect("imports:detail", pk=job.pk)
    name = job.file_name.rsplit(".", 1)[0] + "-错误标注.xlsx"
    # A few MB at most: the file holds no more rows than an import may have.
    response = HttpResponse(
        job.errors_path.read_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def ledger_export(request, kind: str):
    """The filtered list of projects or enterprises as the office's ledger (.xlsx) or CSV."""
    queryset = exports.ledger_queryset(kind, request)
    if exports.export_is_large(queryset):  # too long for one request: written in the background
        job = exports.export_job_create(kind=kind, user=request.user, query=request.GET.urlencode())
        return redirect("imports:export_job", pk=job.pk)
    unit, file_format = exports.export_options(request.GET)
    response = services.export_response(
        kind=kind, queryset=queryset, unit=unit, file_format=file_format, user=request.user
    )
    return response
