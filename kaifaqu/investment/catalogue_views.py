"""The target catalogue pages: 招商产业目录, 目标企业库 (list, export, form, detail, → lead), 招商方式."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, CharField, Count, F, Max, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.core.views import FilteredListView, add_service_errors
from kaifaqu.imports.views import ledger_export
from kaifaqu.projects.models import Stage, reached_q

from . import selectors, services
from .catalogue_forms import IndustryForm, ModeForm, TargetForm, TargetLeadForm
from .filters import TargetFilter
from .ledgers import TARGET_LEDGER
from .models import Activity, InvestmentMode, Lead, Target, TargetIndustry
from .pages import page_context, zone_choice
from .tables import STATUS_BADGES, TARGET_COLUMNS, shown_status

# ---------------------------------------------------------------- 招商产业目录


def _industry_rows(request, industries) -> list[dict]:
    """Each industry with the targets filed under it and the leads made of those targets (both as the user sees)."""
    targets = dict(
        Target.objects.visible_to(request.user)
        .filter(industry__in=industries)
        .order_by()
        .values_list("industry")
        .annotate(n=Count("id"))
    )
    leads = dict(
        Lead.objects.visible_to(request.user)
        .filter(target__industry__in=industries)
        .order_by()
        .values_list("target__industry")
        .annotate(n=Count("id"))
    )
    return [
        {"industry": item, "targets": targets.get(item.pk, 0), "leads": leads.get(item.pk, 0)} for item in industries
    ]


@login_required
def industry_list(request):
    context = page_context(request, "industries")
    zone = context["zone"]
    industries = context["choice"].limit(
        TargetIndustry.objects.visible_to(request.user).select_related("zone", "industry_class__parent")
    )
    may_add = zone is not None and can(request.user, "investment.change", zone)
    form = IndustryForm(request.POST or None, zone=zone) if may_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("请先选择一个您有权维护的开发区，再添加招商产业。")
        if form.is_valid():
            try:
                industry = services.target_industry_save(
                    user=request.user, industry=TargetIndustry(zone=zone), fields=form.changed_fields()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已将“{industry.name}”列入{zone.name}的招商产业目录。")
                return redirect(reverse("investment:industries") + context["zone_query"])
    rows = _industry_rows(request, list(industries))
    groups: dict = {}
    for row in rows:
        groups.setdefault(row["industry"].zone, []).append(row)
    context.update(
        rows=rows,
        groups=groups,
        form=form,
        may_add=may_add,
        editable={row["industry"].pk for row in rows if can(request.user, "investment.change", row["industry"])},
        any_writable=can(request.user, "investment.change"),
    )
    return render(request, "investment/industry_list.html", context, status=400 if form and form.errors else 200)


@login_required
def industry_edit(request, pk: int):
    industry = get_visible_or_404(TargetIndustry.objects.select_related("zone"), request.user, pk=pk)
    ensure(request.user, "investment.change", industry)
    context = page_context(request, "industries")
    form = IndustryForm(request.POST or None, instance=industry, zone=industry.zone)
    back = reverse("investment:industries") + context["zone_query"]
    if request.method == "POST" and form.is_valid():
        try:
            services.target_industry_save(
                user=request.user, industry=TargetIndustry.objects.get(pk=pk), fields=form.changed_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "招商产业已保存。")
            return redirect(back)
    context.update(form=form, industry=TargetIndustry.objects.get(pk=pk), back=back)
    return render(request, "investment/industry_form.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def industry_delete(request, pk: int):
    industry = get_visible_or_404(TargetIndustry, request.user, pk=pk)
    services.target_industry_delete(user=request.user, industry=industry)
    messages.success(request, f"已从招商产业目录删除“{industry.name}”；原属该产业的目标企业改为未分类。")
    return redirect(reverse("investment:industries") + zone_choice(request).query)


# ---------------------------------------------------------------- 目标企业库


def _targets(request):
    """The targets the page lists: scoped, limited to the chosen zone, with their progress."""
    targets = zone_choice(request).limit(Target.objects.visible_to(request.user))
    targets = selectors.targets_with_progress(targets).annotate(last_activity_on=Max("activities__start_on"))
    # 已落地 as soon as a lead has signed (the table, the chips and the filter agree).
    return targets.annotate(
        shown_status=Case(
            When(has_signed_lead=True, status__in=_LANDABLE, then=Value(Target.Status.LANDED)),
            default=F("status"),
            output_field=CharField(),
        )
    )


_LANDABLE = [Target.Status.UNTOUCHED, Target.Status.CONTACTED, Target.Status.NEGOTIATING, Target.Status.LANDED]


class ShownStatusFilter(TargetFilter):
    """The list's filter, its status matched against the status shown (已落地 once a lead has signed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.filters:
            self.filters["status"].field_name = "shown_status"
        # A zone's staff see one zone: the heading says which, a select of one would only take room.
        if self.request is not None and "zone" in self.filters and zone_choice(self.request).zones.count() < 2:
            del self.filters["zone"]


def _filtered(request, targets):
    """``targets`` as the list's filters leave them (the status chips use the status shown)."""
    params = request.GET.copy()
    status = params.pop("status", [""])[-1]
    filterset = ShownStatusFilter(params or None, queryset=targets, request=request)
    if filterset.is_bound:
        targets = filterset.qs if filterset.is_valid() else targets.none()
    return targets, status


class TargetListView(FilteredListView):
    model = Target
    filterset_class = ShownStatusFilter
    columns = TARGET_COLUMNS
    default_ordering = ["zone_id", "-id"]
    template_name = "investment/target_list.html"
    partial_template_name = "investment/_target_results.html"

    def get(self, request, *args, **kwargs):
        self.page = page_context(request, "targets")
        if self.page["zone"] is not None:  # one zone shown: no 开发区 column
            self.columns = [column for column in TARGET_COLUMNS if column.key != "zone"]
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        return _targets(self.request).select_related("zone", "industry")

    def summarise(self, queryset) -> dict:
        # The chips count the list as filtered by everything but the status, so each says what a click shows.
        unfiltered, status = _filtered(self.request, self.base_queryset())
        counts = dict(unfiltered.order_by().values_list("shown_status").annotate(n=Count("id", distinct=True)))
        chips = [
            {"value": value, "label": label, "count": counts.get(value, 0), "badge": STATUS_BADGES[value]}
            for value, label in Target.Status.choices
        ]
        return {"count": queryset.order_by().values("pk").count(), "chips": chips, "status": status}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("status", None)
        context.update(
            self.page,
            can_create=can(user, "investment.change"),
            can_import=can(user, "ledger.import", TARGET_LEDGER),
            chip_query=query.urlencode(),
            export_query=self.request.GET.urlencode(),
        )
        return context


target_list = TargetListView.as_view()


@login_required
def target_export(request):
    """What the list shows, as the 目标企业清单 (the registered ledger's file when there is one)."""
    page_context(request, "targets")
    return ledger_export(request, kind=TARGET_LEDGER)


def _target_form_page(request, form, context: dict, *, target: Target | None):
    context.update(form=form, target=target, title="编辑目标企业" if target else "新增目标企业")
    return render(request, "investment/target_form.html", context, status=400 if form.errors else 200)


@login_required
def target_create(request):
    ensure(request.user, "investment.change")
    context = page_context(request, "targets")
    form = TargetForm(request.POST or None, user=request.user, zone=context["zone"])
    if request.method == "POST" and form.is_valid():
        try:
            target = services.target_save(user=request.user, target=Target(), fields=form.changed_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已将“{target.name}”列入目标企业库。")
            return redirect("investment:target", pk=target.pk)
    return _target_form_page(request, form, context, target=None)


@login_required
def target_edit(request, pk: int):
    target = get_visible_or_404(Target.objects.select_related("zone"), request.user, pk=pk)
    ensure(request.user, "investment.change", target)
    context = page_context(request, "targets")
    form = TargetForm(request.POST or None, instance=target, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: the form has already written the posted values onto ``target``.
            services.target_save(user=request.user, target=Target.objects.get(pk=pk), fields=form.changed_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "目标企业已保存。")
            return redirect("investment:target", pk=pk)
    return _target_form_page(request, form, context, target=Target.objects.get(pk=pk))


@require_POST
@login_required
def target_delete(request, pk: int):
    target = get_visible_or_404(Target, request.user, pk=pk)
    try:
        services.target_delete(user=request.user, target=target)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("investment:target", pk=pk)
    messages.success(request, f"已从目标企业库删除“{target.name}”。")
    return redirect("investment:targets")


@login_required
def target_detail(request, pk: int):
    context = page_context(request, "targets")
    target = get_visible_or_404(
        selectors.targets_with_progress(Target.objects.select_related("zone", "industry", "industry_class__parent")),
        request.user,
        pk=pk,
    )
    activities = (
        Activity.objects.visible_to(request.user).filter(targets=target).select_related("leader").order_by("-start_on")
    )
    leads = (
        Lead.objects.visible_to(request.user)
        .filter(target=target)
        .select_related("project", "mode")
        .order_by("-project__created_at")
    )
    may_change = can(request.user, "investment.change", target)
    context.update(
        target=target,
        status=shown_status(target),
        status_label=Target.Status(shown_status(target)).label,
        badge=STATUS_BADGES[shown_status(target)],
        activities=activities,
        leads=leads,
        may_change=may_change,
    )
    return render(request, "investment/target_detail.html", context)


@login_required
def target_lead(request, pk: int):
    """转为招商线索: a project at 初步对接 made of the target, which keeps the link (and is 洽谈中)."""
    target = get_visible_or_404(Target.objects.select_related("zone", "industry"), request.user, pk=pk)
    ensure(request.user, "investment.change", target)
    context = page_context(request, "targets")
    form = TargetLeadForm(request.POST or None, target=target)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.lead_create(
                user=request.user,
                zone=target.zone,
                name=data["name"],
                total_investment=data["total_investment"],
                contact_on=data["contact_on"],
                content=data["content"],
                target=target,
                lead_fields={"mode": data["mode"]} if data["mode"] else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已由“{target.name}”生成招商线索“{project.name}”（初步对接）。")
            return redirect("investment:lead", pk=project.pk)
    context.update(form=form, target=target)
    return render(request, "investment/target_lead.html", context, status=400 if form.errors else 200)


# ---------------------------------------------------------------- 招商方式


@login_required
def mode_list(request):
    context = page_context(request, "modes")
    leads = context["choice"].limit(Lead.objects.visible_to(request.user), path="project__zone")
    used = dict(leads.filter(mode__isnull=False).order_by().values_list("mode").annotate(n=Count("id")))
    signed = dict(
        leads.filter(reached_q(Stage.SIGNED, prefix="project__"), mode__isnull=False)
        .order_by()
        .values_list("mode")
        .annotate(n=Count("id"))
    )
    modes = [
        {"mode": mode, "leads": used.get(mode.pk, 0), "signed": signed.get(mode.pk, 0)}
        for mode in InvestmentMode.objects.all()
    ]
    context.update(modes=modes, may_edit=can(request.user, "investment_mode.change"))
    return render(request, "investment/mode_list.html", context)


def _mode_form(request, mode: InvestmentMode | None):
    ensure(request.user, "investment_mode.change")
    context = page_context(request, "modes")
    form = ModeForm(request.POST or None, instance=mode or InvestmentMode())
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.mode_save(
                user=request.user,
                mode=InvestmentMode.objects.get(pk=mode.pk) if mode else InvestmentMode(),
                fields=form.changed_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"招商方式“{saved.name}”已保存。")
            return redirect("investment:modes")
    context.update(form=form, mode=mode, title="编辑招商方式" if mode else "新增招商方式")
    return render(request, "investment/mode_form.html", context, status=400 if form.errors else 200)


@login_required
def mode_create(request):
    return _mode_form(request, None)


@login_required
def mode_edit(request, pk: int):
    mode = InvestmentMode.objects.filter(pk=pk).first()
    if mode is None:
        from django.http import Http404

        raise Http404("没有这个招商方式。")
    return _mode_form(request, mode)
