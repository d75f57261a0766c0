"""全代办 pages: all items in scope (filters, export), one project's checklist, statistics per
approval type, and the weekly and monthly documents."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaifaqu.core.export import DOCX_TYPE, export_response
from kaifaqu.core.rights import can
from kaifaqu.core.scoping import Perm, get_visible_or_404, scope_for
from kaifaqu.core.tables import Column, link
from kaifaqu.core.views import FilteredListView, add_service_errors
from kaifaqu.indicators.forms import parse_period
from kaifaqu.notifications.services import mark_read
from kaifaqu.projects.models import Project, local_today
from kaifaqu.reports.docx import write_docx
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import zone_members_with

from . import agency
from .documents import monthly_summary, weekly_report
from .forms import AgencyItemForm, ChecklistForm
from .models import AgencyItem, ApprovalType
from .selectors import AGENCY_HEADERS, agency_rows, agency_stats


def agents_of(zone: Zone):
    """The zone's members who may run its projects' approvals."""
    return zone_members_with(zone, Perm.PROJECT_CHANGE)


class AgencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="project__name", lookup_expr="icontains", label="搜索", help_text="项目名称"
    )
    zone = django_filters.ModelChoiceFilter(
        field_name="project__zone",
        queryset=lambda request: Zone.objects.visible_to(request.user) if request else Zone.objects.none(),
        label="开发区",
        empty_label="全部开发区",
    )
    approval_type = django_filters.ModelChoiceFilter(
        queryset=ApprovalType.objects.all(), label="审批事项", empty_label="全部事项"
    )
    status = django_filters.ChoiceFilter(choices=AgencyItem.Status.choices, label="状态", empty_label="全部状态")
    mine = django_filters.BooleanFilter(method="filter_mine", label="我代办的", widget=forms.CheckboxInput)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="只看逾期", widget=forms.CheckboxInput)
    # A 考核 score's trace: the items of one agent due within the period.
    agent = django_filters.NumberFilter(field_name="agent_id", widget=forms.HiddenInput)
    due_from = django_filters.DateFilter(field_name="due_on", lookup_expr="gte", widget=forms.HiddenInput)
    due_to = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", widget=forms.HiddenInput)

    class Meta:
        model = AgencyItem
        fields = ["q", "zone", "approval_type", "status", "mine", "overdue", "agent", "due_from", "due_to"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(agent=self.request.user) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(local_today()) if value else queryset


def _state(item: AgencyItem) -> str:
    text = item.get_status_display()
    late = item.lateness(local_today())
    return f"{text}（{'逾期' if late == '是' else late}）" if late else text


AGENCY_COLUMNS = [
    Column(
        "project",
        "项目",
        lambda i: link(reverse("agency:project", args=[i.project_id]), i.project.name),
        "project__name",
    ),
    Column("zone", "开发区", lambda i: i.project.zone.display_name, "project__zone__name"),
    Column("approval_type", "审批事项", lambda i: i.approval_type.name, "approval_type__order"),
    Column("agent", "代办员", lambda i: (i.agent.get_full_name() or i.agent.username) if i.agent else "—"),
    Column("status", "状态", _state, "status"),
    Column("due_on", "应办结", lambda i: i.due_on or "—", "due_on"),
    Column("finished_on", "办结", lambda i: i.finished_on or "—", "finished_on"),
    Column("commitment", "承诺制", lambda i: "是" if i.commitment else ""),
]


class AgencyListView(FilteredListView):
    model = AgencyItem
    filterset_class = AgencyFilter
    columns = AGENCY_COLUMNS
    default_ordering = ["project__name", "approval_type__order"]
    select_related = ("project", "project__zone", "approval_type", "agent")
    template_name = "services/agency_list.html"
    partial_template_name = "services/_agency_results.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            filterset = self.filterset_class(request.GET, queryset=self.base_queryset(), request=request)
            items = filterset.qs if filterset.is_valid() else self.base_queryset()
            return export_response(
                title="全代办台账", headers=AGENCY_HEADERS, rows=agency_rows(items, today=local_today())
            )
        return super().get(request, *args, **kwargs)

    def summarise(self, queryset) -> dict:
        last = local_today().replace(day=1) - datetime.timedelta(days=1)
        return {
            "count": queryset.count(),
            "overdue_count": queryset.overdue(local_today()).count(),
            "last_month": f"{last.year}-{last.month:02d}",
        }


@login_required
def project_checklist(request, pk: int):
    project = get_visible_or_404(Project.objects.select_related("zone", "enterprise"), request.user, pk=pk)
    mark_read(request.user, request.path)
    return render(request, "services/agency_project.html", _checklist_context(request, project))


def _checklist_context(request, project: Project, refused: AgencyItemForm | None = None) -> dict:
    """``refused``: a row's form that did not save, shown again with what was typed and why."""
    agents = agents_of(project.zone)
    items = list(
        AgencyItem.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("approval_type", "agent")
        .order_by("approval_type__order")
    )

    def row_form(item: AgencyItem) -> AgencyItemForm | None:
        if refused is not None and refused.prefix == f"i{item.pk}":
            return refused
        if not can(request.user, "agency.update", item):
            return None
        return AgencyItemForm(prefix=f"i{item.pk}", agents=agents, initial=_initial(item), form_id=f"form-{item.pk}")

    return {
        "project": project,
        "rows": [(item, row_form(item)) for item in items],
        "checklist_form": ChecklistForm(agents=agents) if can(request.user, "agency.run", project) else None,
        "today": local_today(),
    }


def _initial(item: AgencyItem) -> dict:
    return {
        "status": item.status,
        "agent": item.agent_id,
        "started_on": item.started_on,
        "finished_on": item.finished_on,
        "commitment": item.commitment,
        "note": item.note,
    }


@require_POST
@login_required
def checklist_create(request, pk: int):
    project = get_visible_or_404(Project.objects.select_related("zone"), request.user, pk=pk)
    form = ChecklistForm(request.POST, agents=agents_of(project.zone))
    if not form.is_valid():
        messages.error(request, "请选择项目类型。")
        return redirect("agency:project", pk=project.pk)
    try:
        made = agency.checklist_create(
            user=request.user,
            project=project,
            kind=form.cleaned_data["kind"],
            agent=form.cleaned_data["agent"],
            commitment=form.cleaned_data["commitment"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"已生成 {len(made)} 项代办事项。" if made else "清单中已有这些事项，没有新增。")
    return redirect("agency:project", pk=project.pk)


@login_required
def item_update(request, pk: int):
    item = get_visible_or_404(
        AgencyItem.objects.select_related("project", "project__zone", "approval_type"), request.user, pk=pk
    )
    if request.method != "POST":  # the address a refused save leaves in the bar: back to the checklist
        return redirect(f"{reverse('agency:project', args=[item.project_id])}#item-{item.pk}")
    form = AgencyItemForm(
        request.POST, prefix=f"i{item.pk}", agents=agents_of(item.project.zone), form_id=f"form-{item.pk}"
    )
    problem = None
    if form.is_valid():
        try:
            agency.item_update(user=request.user, item=item, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                add_service_errors(form, exc)
            problem = exc
        else:
            messages.success(request, f"“{item.approval_type.name}”已更新为{item.get_status_display()}。")
            data = form.cleaned_data
            if item.started_on is None and data.get("started_on"):
                messages.info(request, f"{item.get_status_display()}的事项不记录启动日期，填写的日期未保存。")
            return redirect(f"{reverse('agency:project', args=[item.project_id])}#item-{item.pk}")
    if isinstance(problem, PermissionDenied):
        raise problem
    # Show the page again with this row as typed, so nothing has to be entered twice.
    messages.error(request, f"“{item.approval_type.name}”未保存：" + "；".join(_messages(problem, form)))
    context = _checklist_context(request, item.project, refused=form)
    context["refused_item"] = item.pk
    return render(request, "services/agency_project.html", context, status=400)


def _messages(exc, form) -> list[str]:
    if isinstance(exc, PermissionDenied):
        return [str(exc)]
    return [_labelled(form, name, error) for name, errors in form.errors.items() for error in errors]


def _labelled(form, name: str, error: str) -> str:
    """``备注：…`` where the error does not already name its field (``办结日期不能早于启动日期``)."""
    label = str(form.fields[name].label) if name in form.fields else ""
    return error if not label or error.startswith(label) else f"{label}：{error}"


@login_required
def stats(request):
    items = AgencyItem.objects.visible_to(request.user)
    return render(request, "services/agency_stats.html", {"rows": agency_stats(items, today=local_today())})


@login_required
def weekly(request):
    """周一汇报: the signed-in agent's items (or, for office users, everything in scope)."""
    day = _date(request.GET.get("date")) or local_today()
    monday = day - datetime.timedelta(days=day.weekday())
    items = AgencyItem.objects.visible_to(request.user)
    mine = items.filter(agent=request.user)
    who = request.user.get_full_name() or request.user.username
    content = weekly_report(mine if mine.exists() else items, who=who, monday=monday)
    return _docx(content.title + f"{monday:%Y%m%d}", write_docx(content))


@login_required
def monthly(request):
    """一月一汇总 of everything in the user's scope."""
    period = parse_period(request.GET.get("month"))
    if period is None:
        last = local_today().replace(day=1) - datetime.timedelta(days=1)
        period = (last.year, last.month)
    unit_name = _scope_name(request.user)
    content = monthly_summary(
        AgencyItem.objects.visible_to(request.user),
        scope_name=unit_name,
        year=period[0],
        month=period[1],
        today=local_today(),
    )
    return _docx(content.title + f"{period[0]}年{period[1]}月", write_docx(content))


def _scope_name(user) -> str:
    from kaifaqu.zones.models import Unit

    unit_id = scope_for(user).unit_id
    return Unit.objects.get(pk=unit_id).name if unit_id else "开发区"


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _docx(title: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.docx"
    return response
