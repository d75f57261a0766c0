"""Pages of the enterprise ledger."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render

from kaifaqu.audit.selectors import record_history
from kaifaqu.audit.trail import record_key
from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.core.validation import EditConflict
from kaifaqu.core.views import FilteredListView, add_service_errors, show_edit_conflict
from kaifaqu.land.selectors import history as mujun_history
from kaifaqu.projects.models import Project, local_today
from kaifaqu.services.models import AgencyItem, ServiceRequest

from . import services
from .figures_selectors import enterprise_overview
from .filters import EnterpriseFilter
from .forms import EnterpriseForm
from .models import Enterprise
from .tables import ENTERPRISE_COLUMNS


class EnterpriseListView(FilteredListView):
    model = Enterprise
    filterset_class = EnterpriseFilter
    columns = ENTERPRISE_COLUMNS
    default_ordering = ["zone_id", "name"]
    select_related = ("zone",)
    template_name = "enterprises/enterprise_list.html"
    partial_template_name = "enterprises/_enterprise_results.html"

    def base_queryset(self):
        return super().base_queryset().annotate(project_count=Count("projects"))

    def summarise(self, queryset) -> dict:
        return {"count": queryset.order_by().values("pk").count()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = can(self.request.user, "enterprise.change")
        return context


@login_required
def enterprise_detail(request, pk: int):
    enterprise = get_visible_or_404(
        Enterprise.objects.select_related("zone", "liaison", "industry_class__parent"), request.user, pk=pk
    )
    projects = (
        Project.objects.visible_to(request.user)
        .filter(enterprise=enterprise)
        .select_related("zone", "plan_category")
        .order_by("-plan_year", "name")
    )
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "projects": projects,
            # Its requests and its projects' approvals, from the services app's scoped querysets.
            "requests": ServiceRequest.objects.visible_to(request.user)
            .filter(enterprise=enterprise)
            .select_related("assignee")[:50],
            "agency_items": AgencyItem.objects.visible_to(request.user)
            .filter(project__enterprise=enterprise)
            .select_related("project", "approval_type", "agent")
            .order_by("project__name", "approval_type__order")[:100],
            "today": local_today(),
            "can_edit": can(request.user, "enterprise.change", enterprise),
            # 经营数据 and 经营状态 (figures_views): the card and who may report them.
            "business": enterprise_overview(enterprise, on=local_today()),
            "can_report_figures": can(request.user, "enterprise.figures", enterprise),
            "mujun_grades": mujun_history(enterprise, user=request.user)[:10],
            "history": record_history(request.user, record_key(enterprise)),
            "record_key": record_key(enterprise),
        },
    )


@login_required
def enterprise_create(request):
    ensure(request.user, "enterprise.change")
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(user=request.user, fields=form.changed_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记企业“{enterprise.name}”。")
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "title": "登记企业"})


@login_required
def enterprise_edit(request, pk: int):
    enterprise = get_visible_or_404(Enterprise, request.user, pk=pk)
    ensure(request.user, "enterprise.change", enterprise)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_update(
                user=request.user,
                enterprise=enterprise,
                fields=form.changed_fields(),
                expected_version=form.cleaned_data.get("version"),
            )
        except EditConflict as conflict:
            show_edit_conflict(form, conflict)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "企业信息已保存。")
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request,
        "enterprises/enterprise_form.html",
        {"form": form, "enterprise": enterprise, "title": "编辑企业"},
    )
