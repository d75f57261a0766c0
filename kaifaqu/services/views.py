"""Pages of the request ledger: the list (with the ledger export), filing, one request with its
steps, attachments, and the statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from kaifaqu.core.export import export_response
from kaifaqu.core.rights import can, ensure, restrict
from kaifaqu.core.scoping import Perm, get_visible_or_404, scope_for
from kaifaqu.core.text import cn_date
from kaifaqu.core.views import FilteredListView, add_service_errors
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.indicators.forms import parse_period
from kaifaqu.notifications.services import mark_read
from kaifaqu.projects.models import Project, local_today
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import zone_members_with

from . import services
from .filters import RequestFilter
from .forms import AssignForm, EscalateForm, NoteForm, RateForm, ReopenForm, RequestForm, ResolveForm
from .models import RequestAttachment, ServiceRequest
from .rights import is_requester
from .selectors import (
    CATEGORY_HEADERS,
    LEDGER_HEADERS,
    STATS_HEADERS,
    STATS_NOTES,
    category_rows,
    ledger_rows,
    overdue_days,
    request_stats,
    stats_by_zone,
    stats_rows,
)
from .tables import REQUEST_COLUMNS


class RequestListView(FilteredListView):
    model = ServiceRequest
    filterset_class = RequestFilter
    columns = REQUEST_COLUMNS
    default_ordering = ["-received_on", "-pk"]
    select_related = ("zone", "enterprise", "assignee")
    template_name = "services/request_list.html"
    partial_template_name = "services/_request_results.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        filterset = self.filterset_class(self.request.GET, queryset=self.base_queryset(), request=self.request)
        rows = ledger_rows(filterset.qs if filterset.is_valid() else self.base_queryset(), today=local_today())
        return export_response(title="企业诉求台账", headers=LEDGER_HEADERS, rows=rows)

    def summarise(self, queryset) -> dict:
        return {"count": queryset.count(), "overdue_count": queryset.overdue(local_today()).count()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_file"] = can(self.request.user, "request.file")
        return context


@login_required
def request_create(request):
    ensure(request.user, "request.file")
    for_enterprise = scope_for(request.user).enterprise_id is not None
    form = RequestForm(
        request.POST or None,
        enterprises=Enterprise.objects.visible_to(request.user).filter(zone_id__in=_handled_zones(request.user)),
        projects=Project.objects.visible_to(request.user).select_related("zone").order_by("name"),
        for_enterprise=for_enterprise,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = services.request_file(
                user=request.user,
                enterprise=data.get("enterprise"),
                project=data.get("project"),
                title=data["title"],
                description=data["description"],
                category=data["category"],
                urgency=data["urgency"],
                received_on=data.get("received_on"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"诉求“{filed.title}”已受理，办结时限 {cn_date(filed.due_on)}。")
            return redirect("services:detail", pk=filed.pk)
    status = 400 if form.errors else 200
    return render(
        request, "services/request_form.html", {"form": form, "for_enterprise": for_enterprise}, status=status
    )


def _handled_zones(user):
    return restrict(user, "request.file", Zone.objects.all()).values("pk")


def assignees(zone: Zone):
    """The zone's members who may handle its requests (the people a request can be given to)."""
    return zone_members_with(zone, Perm.REQUEST_HANDLE)


@login_required
def request_detail(request, pk: int):
    item = _visible(request, pk)
    mark_read(request.user, request.path)
    return render(request, "services/request_detail.html", _detail_context(request, item))


def _visible(request, pk: int) -> ServiceRequest:
    return get_visible_or_404(
        ServiceRequest.objects.select_related("zone", "enterprise", "project", "assignee", "filed_by"),
        request.user,
        pk=pk,
    )


def _detail_context(request, item: ServiceRequest, **forms) -> dict:
    user, today = request.user, local_today()
    handle = can(user, "request.handle", item)
    requester = is_requester(user, item)
    open_ = not item.closed
    return {
        "item": item,
        "events": item.events.select_related("user").prefetch_related("files"),
        "overdue_days": overdue_days(item, today),
        "assign_form": forms.get("assign")
        or (_form("assign", assignees=assignees(item.zone)) if handle and open_ else None),
        "remind_form": forms.get("remind")
        or (_form("remind") if handle and open_ and item.status != "received" else None),
        "escalate_form": forms.get("escalate")
        or (_form("escalate") if handle and open_ and item.status != "escalated" else None),
        "resolve_form": forms.get("resolve")
        or (_form("resolve") if can(user, "request.resolve", item) and open_ else None),
        "reopen_form": forms.get("reopen")
        or (_form("reopen") if can(user, "request.reopen", item) and item.status == "resolved" else None),
        "rate_form": forms.get("rate")
        or (_form("rate") if can(user, "request.rate", item) and item.status == "resolved" else None),
        # Staff record the enterprise's rating from a 回访; the enterprise rates for itself.
        "rate_label": "评价" if requester else "回访代录评价",
    }


def _form(step: str, *args, **kwargs):
    """Each step's form carries its own prefix: several share field names (note) on one page."""
    form_class = STEPS[step][0]
    return form_class(*args, prefix=step, **kwargs)


STEPS = {
    "assign": (AssignForm, "交办"),
    "remind": (NoteForm, "催办"),
    "escalate": (EscalateForm, "督办"),
    "resolve": (ResolveForm, "办结"),
    "reopen": (ReopenForm, "退回重办"),
    "rate": (RateForm, "评价"),
}


@login_required
def request_step(request, pk: int, step: str):
    item = _visible(request, pk)
    if request.method != "POST":  # the address a refused step leaves in the bar: back to the request
        return redirect("services:detail", pk=item.pk)
    if step not in STEPS:
        raise Http404("没有这个办理环节。")
    label = STEPS[step][1]
    extra = {"assignees": assignees(item.zone)} if step == "assign" else {}
    form = _form(step, request.POST, request.FILES, **extra)
    if form.is_valid():
        try:
            _take(step, request.user, item, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已{label}。")
            return redirect("services:detail", pk=item.pk)
    item.refresh_from_db()
    context = _detail_context(request, item, **{step: form})
    context["failed_step"] = step
    return render(request, "services/request_detail.html", context, status=400)


def _take(step: str, user, item: ServiceRequest, data: dict) -> None:
    if step == "assign":
        services.request_assign(
            user=user,
            request=item,
            department=data["department"],
            assignee=data["assignee"],
            due_on=data["due_on"],
            note=data["note"],
        )
    elif step == "remind":
        services.request_remind(user=user, request=item, note=data["note"])
    elif step == "escalate":
        services.request_escalate(user=user, request=item, leader=data["leader"], note=data["note"])
    elif step == "resolve":
        services.request_resolve(user=user, request=item, resolution=data["resolution"], files=data["files"])
    elif step == "reopen":
        services.request_reopen(user=user, request=item, reason=data["reason"])
    else:
        services.request_rate(user=user, request=item, satisfaction=data["satisfaction"], comment=data["comment"])


@login_required
def attachment(request, pk: int, file_id: int):
    item = _visible(request, pk)
    found = RequestAttachment.objects.filter(pk=file_id, event__request=item).first()
    if found is None:
        raise Http404("未找到该附件。")
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@login_required
def stats(request):
    """The scope's figures for a month (or everything), and each zone's beside them, every zone listed."""
    text = (request.GET.get("period") or "").strip()
    period = parse_period(text)
    if text and period is None:
        context = {
            "period": text,
            "period_label": "月份有误",
            "period_error": f"月份“{text}”不对，应为 YYYY-MM（如 2026-10），请重新选择。",
        }
        return render(request, "services/stats.html", context, status=400)
    today = local_today()
    requests = ServiceRequest.objects.visible_to(request.user)
    zones = list(Zone.objects.visible_to(request.user).select_related("region").order_by("region__code", "name"))
    total = request_stats(requests, today=today, period=period)
    by_zone = stats_by_zone(requests, zones=zones, today=today, period=period)
    label = f"{period[0]}年{period[1]}月" if period else "全部"
    if request.GET.get("export") == "xlsx":
        return export_response(
            title=f"企业诉求统计（{label}）",
            headers=STATS_HEADERS,
            rows=stats_rows(by_zone, total),
            more_sheets=[
                ("按类别", CATEGORY_HEADERS, category_rows(total)),
                ("指标说明", ("指标", "口径"), STATS_NOTES),
            ],
        )
    context = {
        "period": f"{period[0]}-{period[1]:02d}" if period else "",
        "period_label": label,
        "total": total,
        "zones": by_zone,
    }
    return render(request, "services/stats.html", context)
