"""The audit log (for roles with 查看操作记录), its export, and a record's history partial."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kaifaqu.core.export import FORMATS, export_response
from kaifaqu.core.rights import ensure
from kaifaqu.core.views import FilteredListView

from . import trail
from .filters import AuditEntryFilter
from .models import AuditEntry
from .selectors import record_history
from .tables import AUDIT_COLUMNS, EXPORT_HEADERS, export_rows


def _require_audit_view(user) -> None:
    ensure(user, "audit.view")


class AuditLogView(FilteredListView):
    model = AuditEntry
    filterset_class = AuditEntryFilter
    columns = AUDIT_COLUMNS
    default_ordering = ["-at", "-id"]
    select_related = ("user__membership__unit",)  # the 用户 column names the person and unit
    template_name = "audit/log.html"
    partial_template_name = "audit/_log_results.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require_audit_view(request.user)
        return super().dispatch(request, *args, **kwargs)


@login_required
def audit_export(request):
    _require_audit_view(request.user)
    file_format = request.GET.get("format", "xlsx")
    if file_format not in FORMATS:
        file_format = "xlsx"
    base = AuditEntry.objects.visible_to(request.user)
    filterset = AuditEntryFilter(request.GET or None, queryset=base, request=request)
    entries = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    entries = entries.order_by("-at", "-id").select_related("user__membership__unit")
    response = export_response(
        title="操作记录", headers=EXPORT_HEADERS, rows=export_rows(entries.iterator()), file_format=file_format
    )
    trail.record_event(action=AuditEntry.Action.EXPORT, user=request.user, note=f"导出操作记录（{file_format}）")
    return response


@login_required
def history(request):
    """A page of one record's history (HTMX partial on the record's page)."""
    key = request.GET.get("record", "")
    page = record_history(request.user, key, page=request.GET.get("page"))
    return render(request, "audit/_history.html", {"history": page, "record_key": key})
