"""Pages of the project ledger. Thin: parse with a form, call a service, render."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kaifaqu.audit import trail
from kaifaqu.audit.models import AuditEntry
from kaifaqu.audit.selectors import record_history
from kaifaqu.audit.trail import record_key
from kaifaqu.core.money import format_yi
from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.core.validation import EditConflict
from kaifaqu.core.views import FilteredListView, add_service_errors, htmx_redirect, show_edit_conflict
from kaifaqu.regions.models import Region

from . import lifecycle, services
from .completeness import GAP_BY_KEY, project_gaps, with_gap
from .filters import ProjectFilter
from .forms import (
    GapFillForm,
    MilestoneCompleteForm,
    MilestoneForm,
    PlanCategoryForm,
    ProgressForm,
    ProjectCreateForm,
    ProjectForm,
    StageMoveForm,
    dialog_gaps,
)
from .ledger.fill_sheet import write_fill_sheet
from .models import Milestone, PlanCategory, PriorityLevel, ProgressReport, Project, Stage
from .selectors import project_detail_context, project_ids_with_overdue, project_totals
from .tables import PROJECT_COLUMNS, STALLED_COLUMNS, stage_badge


class ProjectListView(FilteredListView):
    model = Project
    filterset_class = ProjectFilter
    columns = PROJECT_COLUMNS
    select_related = ("zone", "enterprise", "plan_category")
    template_name = "projects/project_list.html"
    partial_template_name = "projects/_project_results.html"

    # Only what the columns show: a narrow row sorts and travels faster than the whole ledger row.
    list_fields = (
        "name",
        "stage",
        "priority_level",
        "total_investment",
        "plan_year",
        "updated_at",
        "zone__name",
        "zone__short_name",
        "enterprise__name",
        "plan_category__name",
        "plan_category__order",
    )

    def base_queryset(self):
        return super().base_queryset().only(*self.list_fields)

    def summarise(self, queryset) -> dict:
        totals = project_totals(queryset)
        return {
            "count": totals.count,
            "total_investment_yi": format_yi(totals.total_investment, strip_zeros=True, grouped=True),
        }

    def get(self, request, *args, **kwargs):
        if request.GET.get("stalled"):  # 停滞项目: show each one's last progress report
            self.columns = STALLED_COLUMNS
        return super().get(request, *args, **kwargs)

    def decorate(self, rows):
        overdue = project_ids_with_overdue([row.pk for row in rows])
        for row in rows:
            row.has_overdue = row.pk in overdue
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["drill"] = drill_labels(self.request.GET)
        query = self.request.GET.copy()
        for key in DRILL_WORDS:
            query.pop(key, None)
        context["undrilled_query"] = query.urlencode()
        context["can_create"] = can(self.request.user, "project.create")
        return context


def _gap_words(value: str) -> str:
    if value == "any":
        return "有待补录的信息"
    return f"缺{GAP_BY_KEY[value].label}（待补录）" if value in GAP_BY_KEY else ""


# How the list names each drill-down filter a dashboard link sets.
DRILL_WORDS = {
    "city": lambda value: f"地市：{Region.objects.filter(code=value).values_list('name', flat=True).first() or value}",
    "reached": lambda value: f"阶段达到“{Stage(value).label}”及以后" if value in Stage.values else "",
    "industry": lambda value: f"产业类别：{value}",
    "category": lambda value: f"年度分类：{value}",
    "level": lambda value: f"重点级别：{dict(PriorityLevel.choices).get(value, value)}",
    "min_investment": lambda value: f"总投资不低于 {value} 万元",
    "stalled": lambda value: f"在建项目超过 {value} 天未报进展",
    "progress_month": lambda value: f"{value} 有进展填报",
    "gap": _gap_words,
    "signed_from": lambda value: f"签约日期不早于 {value}",
    "signed_to": lambda value: f"签约日期不晚于 {value}",
    "in_statistics_year": lambda value: f"{value}年入统",
}


def drill_labels(params) -> list[str]:
    """The dashboard's drill-down filters present in ``params``, as the list names them."""
    return [label for key, word in DRILL_WORDS.items() if params.get(key) and (label := word(params[key]))]


@login_required
def project_detail(request, pk: int):
    project = get_visible_or_404(
        Project.objects.select_related("zone", "park", "enterprise", "plan_category", "created_by"),
        request.user,
        pk=pk,
    )
    context = project_detail_context(project)
    gaps = project_gaps(project)
    context.update(
        can_edit=can(request.user, "project.change", project),
        gaps=gaps,
        dialog_gaps=dialog_gaps(gaps),
        history=record_history(request.user, record_key(project)),
        record_key=record_key(project),
        stage_badge=stage_badge(project),
        milestone_form=MilestoneForm(prefix="milestone"),
        progress_form=ProgressForm(prefix="progress"),
    )
    return render(request, "projects/project_detail.html", context)


@login_required
def project_create(request):
    ensure(request.user, "project.create")
    form = ProjectCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                user=request.user,
                fields=form.changed_fields(),
                stage=form.cleaned_data["stage"],
                stage_dates=form.stage_dates(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记项目“{project.name}”。")
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "title": "登记项目"})


@login_required
def project_edit(request, pk: int):
    project = get_visible_or_404(Project, request.user, pk=pk)
    _require_edit(request, project)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                user=request.user,
                project=project,
                fields=form.changed_fields(),
                expected_version=form.cleaned_data.get("version"),
            )
        except EditConflict as conflict:
            show_edit_conflict(form, conflict)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "项目信息已保存。")
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project, "title": "编辑项目"})


@login_required
def project_delete(request, pk: int):
    project = get_visible_or_404(Project, request.user, pk=pk)
    _require_edit(request, project)
    refusal = ""
    if request.method == "POST":
        name = project.name
        try:
            services.project_delete(user=request.user, project=project)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(request, f"已删除项目“{name}”。")
            return htmx_redirect(request, reverse("projects:list"))
    return render(request, "projects/project_confirm_delete.html", {"project": project, "refusal": refusal})


@login_required
def zone_fields(request):
    """The park / enterprise / plan category selects for the zone just chosen (HTMX)."""
    form = ProjectForm(initial={"zone": request.GET.get("zone")}, user=request.user)
    return render(request, "projects/_zone_fields.html", {"form": form})


@login_required
def project_move(request, pk: int):
    """The stage move dialog (GET: the form in a modal; POST: the move)."""
    project = get_visible_or_404(Project, request.user, pk=pk)
    _require_edit(request, project)
    next_url = _safe_next(request)
    form = StageMoveForm(
        request.POST or None, project=project, user=request.user, initial=_move_initial(request, project)
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = services.project_move_stage(
                user=request.user,
                project=project,
                to_stage=form.cleaned_data["to_stage"],
                dates=form.dates(),
                project_code=form.cleaned_data["project_code"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as refused:  # e.g. a 招商专员 moving a project on to 备案: say so in the dialog
            form.add_error("to_stage", str(refused))
        else:
            messages.success(request, f"项目阶段已变更：{change}。")
            return htmx_redirect(request, next_url or reverse("projects:detail", args=[project.pk]))
    template = "projects/_move_dialog.html" if request.htmx else "projects/project_move.html"
    context = {
        "form": form,
        "project": project,
        "next_url": next_url,
        "current_rank": lifecycle.RANK.get(project.stage, -1),
        "terminated_rank": -1,
    }
    return render(request, template, context, status=400 if form.errors else 200)


def _safe_next(request) -> str:
    """Where a dialog returns after success (the leads board, say): a path on this site, else nothing."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return iri_to_uri(wanted) if wanted and safe else ""  # ASCII: it goes back in a header (HX-Redirect)


def _move_initial(request, project: Project) -> dict:
    """``?to_stage=intent`` (a card dropped on the board): that stage chosen and, forward, its date today."""
    to_stage = request.GET.get("to_stage", "")
    if request.method == "POST" or to_stage not in lifecycle.RANK or to_stage == project.stage:
        return {}
    initial = {"to_stage": to_stage}
    if lifecycle.RANK[to_stage] > lifecycle.RANK.get(project.stage, len(lifecycle.ORDER)):
        initial[lifecycle.DATE_FIELD[to_stage]] = timezone.localdate()
    return initial


@login_required
def project_fill(request, pk: int):
    """补录 dialog (GET: a field for each date or code the project lacks; POST: fill them)."""
    project = get_visible_or_404(Project, request.user, pk=pk)
    _require_edit(request, project)
    # A form with every field blank still posts (and is told to fill something in).
    form = GapFillForm(request.POST if request.method == "POST" else None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_fill_gaps(
                user=request.user, project=project, dates=form.dates(), project_code=form.project_code()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已补录：{'、'.join(form.filled_labels())}。")
            return htmx_redirect(request, reverse("projects:detail", args=[project.pk]))
    template = "projects/_fill_dialog.html" if request.htmx else "projects/project_fill.html"
    gaps = project_gaps(project)
    context = {"form": form, "project": project, "edit_gaps": [gap for gap in gaps if gap not in dialog_gaps(gaps)]}
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
def fill_sheet_export(request):
    """导出补录表: the listed projects that lack something, as a sheet to fill in and import back."""
    visible = Project.objects.visible_to(request.user)
    filterset = ProjectFilter(request.GET or None, queryset=visible, request=request)
    if filterset.is_bound and not filterset.is_valid():
        projects = visible.none()
    else:
        projects = filterset.qs if filterset.is_bound else visible
    if not request.GET.get("gap"):
        projects = with_gap(projects, "any")  # only what there is to fill in
    buffer = io.BytesIO()
    count = write_fill_sheet(buffer, projects)
    filename = f"项目补录表-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    trail.record_event(action=AuditEntry.Action.EXPORT, user=request.user, note=f"导出项目补录表（{count} 个项目）")
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_POST
def milestone_add(request, pk: int):
    project = get_visible_or_404(Project, request.user, pk=pk)
    _require_edit(request, project)
    form = MilestoneForm(request.POST, prefix="milestone")
    if form.is_valid():
        try:
            services.milestone_create(user=request.user, project=project, **form.changed_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = MilestoneForm(prefix="milestone")
    return _milestones_partial(request, project, form)


@login_required
@require_POST
def milestone_complete(request, pk: int):
    milestone = get_visible_or_404(Milestone.objects.select_related("project"), request.user, pk=pk)
    _require_edit(request, milestone.project)
    form = MilestoneCompleteForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.milestone_complete(
                user=request.user, milestone=milestone, actual_on=form.cleaned_data["actual_on"]
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
    else:
        error = "实际完成日期格式不正确。"
    return _milestones_partial(request, milestone.project, MilestoneForm(prefix="milestone"), error=error)


@login_required
@require_POST
def milestone_delete(request, pk: int):
    milestone = get_visible_or_404(Milestone.objects.select_related("project"), request.user, pk=pk)
    _require_edit(request, milestone.project)
    project = milestone.project
    services.milestone_delete(user=request.user, milestone=milestone)
    return _milestones_partial(request, project, MilestoneForm(prefix="milestone"))


@login_required
@require_POST
def progress_add(request, pk: int):
    project = get_visible_or_404(Project, request.user, pk=pk)
    _require_edit(request, project)
    form = ProgressForm(request.POST, prefix="progress")
    if form.is_valid():
        try:
            services.progress_create(user=request.user, project=project, **form.changed_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = ProgressForm(prefix="progress")
    return _progress_partial(request, project, form)


@login_required
@require_POST
def progress_delete(request, pk: int):
    report = get_visible_or_404(ProgressReport.objects.select_related("project"), request.user, pk=pk)
    _require_edit(request, report.project)
    project = report.project
    services.progress_delete(user=request.user, report=report)
    return _progress_partial(request, project, ProgressForm(prefix="progress"))


@login_required
def plan_categories(request):
    if request.method == "POST":
        ensure(request.user, "zone.change")
    form = PlanCategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.plan_category_create(user=request.user, **form.changed_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已添加年度分类“{category.name}”。")
            return redirect("projects:plan_categories")
    categories = PlanCategory.objects.visible_to(request.user).select_related("unit")
    return render(request, "projects/plan_categories.html", {"form": form, "categories": categories})


def _require_edit(request, project: Project) -> None:
    ensure(request.user, "project.change", project)


def _milestones_partial(request, project: Project, form, error: str | None = None) -> HttpResponse:
    project.refresh_from_db()
    context = project_detail_context(project) | {
        "milestone_form": form,
        "can_edit": True,
        "milestone_error": error,
    }
    response = render(request, "projects/_milestones.html", context)
    if form.errors or error:
        response["HX-Retarget"] = "#milestones"
    return response


def _progress_partial(request, project: Project, form) -> HttpResponse:
    project.refresh_from_db()
    context = project_detail_context(project) | {"progress_form": form, "can_edit": True}
    return render(request, "projects/_progress.html", context)
