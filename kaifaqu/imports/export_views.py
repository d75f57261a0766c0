"""Pages of a background ledger export: its progress, then its file (its requester's only)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse

from kaifaqu.core.scoping import get_visible_or_404

from .exports import CONTENT_TYPES, export_job_checked
from .models import ExportJob
from .registry import ledger


@login_required
def export_job_detail(request, pk: int):
    job = export_job_checked(get_visible_or_404(ExportJob, request.user, pk=pk))
    context = {
        "job": job,
        "list_url": reverse(ledger(job.kind).list_url),
        "inline_rows": settings.KAIFAQU_EXPORT_INLINE_ROWS,
    }
    return render(request, "imports/export_job.html", context)


@login_required
def export_job_progress(request, pk: int):
    """The progress block again, for the page to poll while the file is being written."""
    job = export_job_checked(get_visible_or_404(ExportJob, request.user, pk=pk))
    return render(request, "imports/_export_progress.html", {"job": job})


@login_required
def export_job_download(request, pk: int):
    job = get_visible_or_404(ExportJob, request.user, pk=pk)
    if job.status != ExportJob.Status.DONE or not job.path.exists():
        raise Http404("导出文件尚未生成或已不存在。")
    response = FileResponse(job.path.open("rb"), content_type=CONTENT_TYPES[job.file_format])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.file_name)}"
    return response
