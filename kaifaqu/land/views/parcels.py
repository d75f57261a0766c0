"""标准地 pages: the parcel list (filters, the zone's figures, .xlsx), a parcel (control indicators vs
promise vs actual, 区域评估, status timeline, disposal steps), its form, the promise check, and
/land/supervision/ (事后监管 and 低效闲置用地, .xlsx). Reads are scoped by ``visible_to``; every write
goes through ``land.parcels`` and asks ``land.change``."""

from __future__ import annotations

import datetime

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from kaifaqu.audit.selectors import record_history
from kaifaqu.audit.trail import record_key
from kaifaqu.core.export import export_response
from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.core.tables import Column, choice_rank
from kaifaqu.core.views import FilteredListView, add_service_errors
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.projects.models import local_today
from kaifaqu.zones.models import Park, Zone

from .. import parcels as services
from ..models import Assessment, Disposal, Parcel
from ..parcel_forms import AssessmentForm, CheckForm, DisposalForm, ParcelForm
from ..parcel_selectors import idle_list, land_stats, supervision_list

CHECK_CSS = {"met": "text-bg-success", "below": "text-bg-danger", "": "text-bg-light border"}
STATUS_CSS = {
    "reserve": "text-bg-light border",
    "listed": "text-bg-info",
    "sold": "text-bg-primary",
    "started": "text-bg-warning",
    "producing": "text-bg-success",
    "accepted": "text-bg-dark",
}
# The seven 区域评估 every 标准地 is meant to carry (区域评估…土地带标).
SEVEN = [kind for kind in Assessment.Kind.values[:7]]
INDICATORS = [
    ("invest_intensity", "投资强度", "万元/亩"),
    ("plot_ratio", "容积率", ""),
    ("tax_per_mu", "亩均税收", "万元/亩"),
    ("energy_per_unit", "单位能耗", "吨标准煤/万元"),
]


def _zones(request):
    return Zone.objects.visible_to(request.user).order_by("name") if request else Zone.objects.none()


def _parks(request):
    return Park.objects.visible_to(request.user).order_by("name") if request else Park.objects.none()


class ParcelFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="搜索", help_text="地块编号、坐落或受让企业")
    zone = django_filters.ModelChoiceFilter(queryset=_zones, label="开发区", empty_label="全部开发区")
    park = django_filters.ModelChoiceFilter(queryset=_parks, label="园区", empty_label="全部园区")
    status = django_filters.ChoiceFilter(choices=Parcel.Status.choices, label="状态", empty_label="全部状态")
    use = django_filters.ChoiceFilter(choices=Parcel.Use.choices, label="用途", empty_label="全部用途")
    standard = django_filters.ChoiceFilter(
        choices=(("yes", "标准地"), ("no", "非标准地")), label="出让方式", empty_label="全部", method="filter_standard"
    )
    sold_year = django_filters.ChoiceFilter(
        choices=lambda: [(str(year), f"{year}年") for year in range(local_today().year, 2009, -1)],
        label="出让年度",
        empty_label="全部年度",
        method="filter_year",
    )

    class Meta:
        model = Parcel
        fields = ["q", "zone", "park", "status", "use", "standard", "sold_year"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(location__icontains=value) | Q(enterprise__name__icontains=value)
        )

    def filter_year(self, queryset, name, value):
        return queryset.filter(sold_on__year=int(value)) if value else queryset

    def filter_standard(self, queryset, name, value):
        if value in ("yes", "no"):
            return queryset.filter(is_standard=value == "yes")
        return queryset


def _code(parcel: Parcel):
    return format_html('<a class="fw-semibold" href="{}">{}</a>', reverse("land:parcel", args=[parcel.pk]), parcel.code)


def _status(parcel: Parcel):
    return format_html('<span class="badge {}">{}</span>', STATUS_CSS[parcel.status], parcel.get_status_display())


def _check(parcel: Parcel):
    if not parcel.is_standard:
        return "—"
    label = parcel.get_check_result_display()
    year = f"（{parcel.check_year}年）" if parcel.check_year and parcel.check_result else ""
    return format_html('<span class="badge {}">{}</span>{}', CHECK_CSS[parcel.check_result], label, year)


COLUMNS = [
    Column("code", "地块编号", _code, "code", "col-name"),
    Column("zone", "开发区", lambda parcel: parcel.zone.short_name or parcel.zone.name, "zone__name", "col-optional"),
    Column("park", "园区", lambda parcel: parcel.park or "—", "park__name", "col-optional"),
    Column("area", "面积（亩）", lambda parcel: parcel.area_mu, "area_mu", "text-end"),
    Column("use", "用途", lambda parcel: parcel.get_use_display(), "use", "col-optional"),
    Column("standard", "标准地", lambda parcel: "是" if parcel.is_standard else "否", "is_standard", "col-optional"),
    Column("status", "状态", _status, choice_rank("status", Parcel.Status.values)),
    Column("enterprise", "受让企业", lambda parcel: parcel.enterprise or "—", "enterprise__name", "col-optional"),
    Column("sold_on", "出让日期", lambda parcel: parcel.sold_on or "—", "sold_on", "text-nowrap col-optional"),
    Column("check", "承诺核验", _check, "check_result"),
]


def _filtered(request):
    base = Parcel.objects.visible_to(request.user)
    filterset = ParcelFilter(request.GET or None, queryset=base, request=request)
    if not filterset.is_bound:
        return filterset, base
    return filterset, filterset.qs if filterset.is_valid() else base.none()


def _stats_for(request, parcels):
    """The header figures of what the list shows; a sold year asked is the 出让率's period."""
    year = request.GET.get("sold_year", "").strip()
    start = end = None
    if year.isdigit() and 1900 < int(year) < 2200:
        start, end = datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)
    zones = Zone.objects.filter(pk__in=parcels.values("zone_id"))
    return land_stats(zones, start, end, parcels=parcels)


class ParcelListView(FilteredListView):
    model = Parcel
    filterset_class = ParcelFilter
    columns = COLUMNS
    default_ordering = ["zone__name", "code"]
    template_name = "land/parcel_list.html"
    partial_template_name = "land/parcel_results.html"
    select_related = ("zone", "park", "enterprise")

    def summarise(self, queryset) -> dict:
        stats = _stats_for(self.request, queryset)
        return {"count": stats.parcels, "stats": stats}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            can_create=can(self.request.user, "land.change"),
            export_query=self.request.GET.urlencode(),
            tab="parcels",
        )
        return context


parcel_list = ParcelListView.as_view()


@login_required
def parcels_xlsx(request):
    """The list as its filters leave it, with the indicators and the promise."""
    _filterset, parcels = _filtered(request)
    parcels = parcels.select_related("zone", "park", "enterprise", "project").order_by("zone__name", "code")
    headers = [
        "开发区",
        "园区",
        "地块编号",
        "坐落",
        "面积（亩）",
        "用途",
        "以标准地出让",
        "状态",
        "受让企业",
        "项目",
        "出让价款（万元）",
        "出让日期",
        "开工日期",
        "投产日期",
        "投资强度（万元/亩）",
        "容积率",
        "亩均税收（万元/亩）",
        "单位能耗（吨标准煤/万元）",
        "环境标准",
        "承诺投资强度",
        "承诺容积率",
        "承诺亩均税收",
        "承诺单位能耗",
        "核验结果",
        "核验年度",
        "未达标项",
    ]
    rows = (
        [
            parcel.zone.name,
            str(parcel.park or ""),
            parcel.code,
            parcel.location,
            parcel.area_mu,
            parcel.get_use_display(),
            "是" if parcel.is_standard else "否",
            parcel.get_status_display(),
            str(parcel.enterprise or ""),
            str(parcel.project or ""),
            parcel.price,
            parcel.sold_on,
            parcel.started_on,
            parcel.producing_on,
            parcel.invest_intensity,
            parcel.plot_ratio,
            parcel.tax_per_mu,
            parcel.energy_per_unit,
            parcel.environment_standard,
            parcel.promised_invest_intensity,
            parcel.promised_plot_ratio,
            parcel.promised_tax_per_mu,
            parcel.promised_energy_per_unit,
            parcel.get_check_result_display() if parcel.is_standard else "",
            parcel.check_year,
            parcel.check_gaps.replace("\n", "；"),
        ]
        for parcel in parcels
    )
    return export_response(title="地块（标准地）清单", headers=headers, rows=rows)


# ---------------------------------------------------------------- a parcel


def _get(request, pk: int) -> Parcel:
    related = ("zone", "park", "enterprise", "project")
    return get_visible_or_404(Parcel.objects.select_related(*related), request.user, pk=pk)


def _indicator_rows(parcel: Parcel, comparison) -> list[dict]:
    items = {item.key: item for item in comparison.items}
    rows = []
    for key, label, unit in INDICATORS:
        item = items.get(key)
        rows.append(
            {
                "label": label,
                "unit": unit,
                "control": getattr(parcel, key),
                "promised": getattr(parcel, f"promised_{key}"),
                "actual": None if item is None else item.actual,
                "missing": "" if item is None or item.actual is not None else item.missing,
                "met": None if item is None else item.met,
                "lower": key == "energy_per_unit",
            }
        )
    return rows


def _timeline(parcel: Parcel) -> list[dict]:
    reached = services.ORDER.index(parcel.status)
    steps = []
    for index, (value, label) in enumerate(Parcel.Status.choices):
        name = services.STATUS_DATES.get(value)
        steps.append(
            {
                "label": label,
                "date": getattr(parcel, name) if name else None,
                "reached": index <= reached,
                "current": index == reached,
                "dated": name is not None,
            }
        )
    return steps


def _assessments(parcel: Parcel) -> list[dict]:
    carried = {record.kind: record for record in parcel.assessments.all()}
    kinds = SEVEN + [kind for kind in carried if kind not in SEVEN]
    return [{"label": Assessment.Kind(kind).label, "record": carried.get(kind)} for kind in kinds]


def _detail(request, parcel: Parcel, *, check_form=None, assessment_form=None, disposal_form=None, status=200):
    may_change = can(request.user, "land.change", parcel)
    year = parcel.check_year or local_today().year - 1
    # Actual figures only once the parcel produces: before, the buyer's figures are not this land's.
    producing = parcel.is_standard and parcel.status in services.IN_PRODUCTION
    comparison = services.compare_promise(parcel, year) if producing else services.Comparison(year=year)
    context = {
        "parcel": parcel,
        "may_change": may_change,
        "status_css": STATUS_CSS[parcel.status],
        "check_css": CHECK_CSS[parcel.check_result],
        "year": year,
        "indicators": _indicator_rows(parcel, comparison),
        "has_promise": any(getattr(parcel, name) is not None for name in services.PROMISES),
        "gap_lines": [line for line in parcel.check_gaps.splitlines() if line.strip()],
        "timeline": _timeline(parcel),
        "assessments": _assessments(parcel),
        "done_count": sum(1 for kind in SEVEN if parcel.assessments.filter(kind=kind).exists()),
        "disposals": parcel.disposals.select_related("recorded_by").order_by("done_on", "id"),
        # The parcel's own changes, its 区域评估, checks and disposal steps (``audit_owner``).
        "history": record_history(request.user, record_key(parcel)),
        "record_key": record_key(parcel),
        "tab": "parcels",
    }
    if may_change:
        checkable = parcel.is_standard and parcel.status in services.IN_PRODUCTION
        context.update(
            check_form=(check_form or CheckForm(initial={"year": local_today().year - 1})) if checkable else None,
            assessment_form=assessment_form or AssessmentForm(),
            disposal_form=disposal_form or DisposalForm(initial={"done_on": local_today()}),
        )
    return render(request, "land/parcel_detail.html", context, status=status)


@login_required
def parcel_detail(request, pk: int):
    return _detail(request, _get(request, pk))


def _form_page(request, form, parcel: Parcel | None):
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "parcel": parcel, "tab": "parcels", "promises": services.PROMISES}
    return render(request, "land/parcel_form.html", context, status=status)


def _save(request, form, parcel: Parcel):
    if not form.is_valid():
        return None
    try:
        return services.parcel_save(user=request.user, parcel=parcel, fields=form.changed_fields())
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied as exc:
        form.add_error("zone", str(exc))
    return None


@login_required
def parcel_create(request):
    ensure(request.user, "land.change")
    form = ParcelForm(request.POST or None, user=request.user, instance=Parcel())
    if request.method == "POST":
        saved = _save(request, form, Parcel())
        if saved is not None:
            messages.success(request, f"已登记地块“{saved.code}”。")
            return redirect("land:parcel", pk=saved.pk)
    return _form_page(request, form, None)


@login_required
def parcel_edit(request, pk: int):
    parcel = _get(request, pk)
    ensure(request.user, "land.change", parcel)
    form = ParcelForm(request.POST or None, user=request.user, instance=parcel)
    if request.method == "POST":
        saved = _save(request, form, _get(request, pk))
        if saved is not None:
            messages.success(request, f"已保存地块“{saved.code}”。")
            return redirect("land:parcel", pk=saved.pk)
    return _form_page(request, form, parcel)


@login_required
@require_POST
def parcel_check(request, pk: int):
    parcel = _get(request, pk)
    ensure(request.user, "land.change", parcel)
    form = CheckForm(request.POST)
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            comparison = services.check_promise(request.user, parcel, year)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            said = {"met": "达标", "below": "未达标"}.get(comparison.result, "数据待补录，暂不能判定")
            messages.success(request, f"已核验{year}年承诺指标：{said}。")
            return redirect("land:parcel", pk=pk)
    return _detail(request, parcel, check_form=form, status=400)


@login_required
@require_POST
def assessment_save(request, pk: int):
    parcel = _get(request, pk)
    ensure(request.user, "land.change", parcel)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.assessment_save(user=request.user, parcel=parcel, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记区域评估“{record.get_kind_display()}”。")
            return redirect("land:parcel", pk=pk)
    return _detail(request, parcel, assessment_form=form, status=400)


# ---------------------------------------------------------------- disposal steps


@login_required
def disposal_add(request, pk: int):
    """A step on a parcel (from its page or the 低效闲置 list)."""
    parcel = _get(request, pk)
    return _disposal(request, parcel=parcel, enterprise=None)


@login_required
def enterprise_disposal_add(request, pk: int):
    """A step on an enterprise graded D that holds no parcel on the platform."""
    enterprise = get_visible_or_404(Enterprise.objects.select_related("zone"), request.user, pk=pk)
    return _disposal(request, parcel=None, enterprise=enterprise)


def _disposal(request, *, parcel, enterprise):
    ensure(request.user, "land.change", parcel or enterprise)
    form = DisposalForm(request.POST or None, initial={"done_on": local_today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.disposal_record(user=request.user, parcel=parcel, enterprise=enterprise, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记处置措施“{Disposal.Step(data['step']).label}”。")
            back = request.POST.get("next", "")
            if back == "supervision":
                return redirect("land:supervision")
            return redirect("land:parcel", pk=parcel.pk) if parcel else redirect("land:supervision")
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "parcel": parcel, "enterprise": enterprise, "tab": "supervision"}
    return render(request, "land/parcel_disposal_form.html", context, status=status)


# ---------------------------------------------------------------- 事后监管 and 低效闲置


def _supervision(request):
    parcels = Parcel.objects.visible_to(request.user)
    enterprises = Enterprise.objects.visible_to(request.user)
    return supervision_list(parcels), idle_list(parcels, enterprises)


@login_required
def supervision(request):
    checks, idle = _supervision(request)
    context = {
        "checks": checks,
        "idle": idle,
        "may_change": can(request.user, "land.change"),
        "year": local_today().year - 1,
        "tab": "supervision",
    }
    return render(request, "land/supervision.html", context)


def _steps(row) -> str:
    return "；".join(f"{step.done_on} {step.get_step_display()}：{step.note}" for step in row.disposals)


@login_required
def supervision_xlsx(request):
    checks, idle = _supervision(request)
    headers = ["开发区", "地块编号", "受让企业", "状态", "监管类别", "说明", "未达标项", "处置措施"]
    rows = (
        [
            row.parcel.zone.name,
            row.parcel.code,
            str(row.parcel.enterprise or ""),
            row.parcel.get_status_display(),
            row.state,
            row.detail,
            "；".join(row.gap_lines),
            _steps(row),
        ]
        for row in checks
    )
    idle_headers = ["开发区", "类别", "地块编号", "企业", "认定依据", "处置措施"]
    idle_rows = [
        [
            (row.parcel.zone.name if row.parcel else row.enterprise.zone.name),
            row.kind,
            row.parcel.code if row.parcel else "",
            str(row.enterprise or ""),
            row.reason,
            _steps(row),
        ]
        for row in idle
    ]
    return export_response(
        title="标准地事后监管清单",
        headers=headers,
        rows=rows,
        more_sheets=[("低效闲置用地", idle_headers, idle_rows)],
    )


urls = [
    path("parcels/", parcel_list, name="parcels"),
    path("parcels/export.xlsx", parcels_xlsx, name="parcels_xlsx"),
    path("parcels/add/", parcel_create, name="parcel_create"),
    path("parcels/<int:pk>/", parcel_detail, name="parcel"),
    path("parcels/<int:pk>/edit/", parcel_edit, name="parcel_edit"),
    path("parcels/<int:pk>/check/", parcel_check, name="parcel_check"),
    path("parcels/<int:pk>/assessments/", assessment_save, name="assessment_save"),
    path("parcels/<int:pk>/disposals/add/", disposal_add, name="disposal_add"),
    path("enterprises/<int:pk>/disposals/add/", enterprise_disposal_add, name="enterprise_disposal_add"),
    path("supervision/", supervision, name="supervision"),
    path("supervision/export.xlsx", supervision_xlsx, name="supervision_xlsx"),
]
