"""Reports page: request a report, watch it being built, download the .docx and .xlsx."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.core.views import add_service_errors
from kaifaqu.core.working_year import working_year

from . import services
from .forms import ReportForm
from .models import Report

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def report_index(request):
    form = ReportForm(request.POST or None, user=request.user, year=working_year(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _, month = data["month"] or (None, None)
        try:
            report = services.report_request(
                user=request.user,
                kind=data["kind"],
                zone=data["zone"],
                city=data["city"],
                as_of=data["as_of"],
                year=data["year"],
                month=month,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.info(request, f"正在生成“{report.title}”，完成后可在下方列表下载。")
            return redirect("reports:index")
    return render(request, "reports/index.html", {"form": form, **_rows(request)})


@login_required
def report_rows(request):
    """The list's rows again, for the page to poll while reports are being built."""
    return render(request, "reports/_rows.html", _rows(request))


def _rows(request) -> dict:
    page = Paginator(
        Report.objects.visible_to(request.user).select_related("created_by", "zone", "region"), 20
    ).get_page(request.GET.get("page"))
    reports = [services.check_stale(report) for report in page.object_list]
    return {"page": page, "polling": any(report.running for report in reports)}


@login_required
def report_download(request, pk: int):
    """``?file=docx`` (the default) or ``?file=xlsx``."""
    report = get_visible_or_404(Report, request.user, pk=pk)
    extension = request.GET.get("file", "docx")
    path = report.path(extension)
    if report.status != Report.Status.DONE or extension not in CONTENT_TYPES or not path.exists():
        raise Http404("报告尚未生成或文件已不存在。")
    services.record_download(request.user, report, extension)
    response = FileResponse(path.open("rb"), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{report.title}.{extension}')}"
    return response
