"""Pages of 企业经营数据 (issue 22): the enterprise's own form (its portal, or the zone's keepers),
its 经营状态, the zone list of a year with what is 待补录, and the 升规潜力 list."""

from __future__ import annotations

import tempfile

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from kaifaqu.core.export import XLSX_TYPE
from kaifaqu.core.rights import ensure
from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.core.views import add_service_errors, style_filter_form
from kaifaqu.projects.models import local_today
from kaifaqu.sheets.writer import INTEGER, MONEY, NUMBER, PERCENT, TEXT, Marked, OutputColumn, Table, write_xlsx
from kaifaqu.zones.models import Zone

from . import figures_selectors as selectors
from .figures import ABOVE_SCALE_REVENUE, figures_doubts, status_set, upgrade_candidates
from .figures import figures_save as save_figures
from .figures_import import figures_import_zones
from .models import Enterprise, EnterpriseFigures, OperatingStatus

PENDING_FILL = "FFF2CC"  # a 待补录 cell in the workbook: pale yellow, to be filled in
UPGRADE_YEARS = 5  # 小升规 / 个转企 counted over the last five years


def default_year() -> int:
    """Figures are reported for a year once it is over: last year."""
    return local_today().year - 1


YEARS_BACK = 8  # the years a page offers: this year and the seven before


def year_choices() -> list[tuple[int, str]]:
    this = local_today().year
    return [(year, f"{year}年") for year in range(this, this - YEARS_BACK, -1)]


def parse_year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default_year()
    this = local_today().year
    return year if this - YEARS_BACK < year <= this else default_year()


def parse_month(value) -> int | None:
    try:
        month = int(value)
    except (TypeError, ValueError):
        return None
    return month if 1 <= month <= 12 else None


# ------------------------------------------------------------------ the enterprise's form


class GroupedDecimalField(forms.DecimalField):
    """Figures are pasted from Excel as “1,234.5” (or with full-width commas): read them as numbers."""

    def to_python(self, value):
        return super().to_python(_ungrouped(value))


class GroupedIntegerField(forms.IntegerField):
    def to_python(self, value):
        return super().to_python(_ungrouped(value))


def _ungrouped(value):
    return value.replace(",", "").replace("，", "").strip() if isinstance(value, str) else value


class FiguresForm(forms.Form):
    """The nine figures, each optional (empty: 待补录); the rules on them are the service's."""

    def __init__(self, *args, last_year: EnterpriseFigures | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for figure in selectors.FIGURES:
            hint = getattr(last_year, figure.name, None) if last_year is not None else None
            attrs = {"inputmode": "numeric" if figure.name == "employees" else "decimal", "autocomplete": "off"}
            messages_ = {
                "invalid": f"{figure.label}请填数字，如 1234.5。",
                "max_digits": f"{figure.label}数值过大，请核对单位（{figure.unit}）。",
                "max_whole_digits": f"{figure.label}数值过大，请核对单位（{figure.unit}）。",
                "max_decimal_places": f"{figure.label}最多保留两位小数。",
            }
            if figure.name == "employees":
                messages_ = {"invalid": "用工请填整数（人）。"}
                field = GroupedIntegerField(required=False, error_messages=messages_)
            else:
                field = GroupedDecimalField(
                    required=False, max_digits=16, decimal_places=2, localize=False, error_messages=messages_
                )
            field.widget = forms.TextInput(attrs={**attrs, "class": "form-control text-end"})
            field.label = figure.label
            field.unit = figure.unit
            field.last_year = hint
            self.fields[figure.name] = field
        first = self.fields[selectors.FIGURE_NAMES[0]]
        first.widget.attrs["autofocus"] = True

    def clean(self):
        cleaned = super().clean()
        # A first report with nothing in it would only record nine 待补录: ask for one figure at least.
        if not self.initial and not self.errors and all(value is None for value in cleaned.values()):
            raise forms.ValidationError("请至少填写一项经营数据，不清楚的项可以留空待补录。")
        return cleaned


def _period_choices(year: int) -> list[tuple[str, str]]:
    return [("", f"{year}年全年"), *((str(month), _period(year, month)) for month in range(1, 13))]


@login_required
def figures_edit(request, pk: int):
    enterprise = get_visible_or_404(Enterprise.objects.select_related("zone"), request.user, pk=pk)
    ensure(request.user, "enterprise.figures", enterprise)
    year = parse_year(request.GET.get("year") or request.POST.get("year"))
    month = parse_month(request.GET.get("month") or request.POST.get("month"))
    record = selectors.year_figures(enterprise, year=year, month=month)
    before = selectors.year_figures(enterprise, year=year - 1, month=month)
    initial = {name: getattr(record, name) for name in selectors.FIGURE_NAMES} if record else {}
    form = FiguresForm(request.POST or None, initial=initial, last_year=before)
    # Only the figures the form sent are written: a post without a field leaves its figure as it was.
    posted = {
        name: value
        for name, value in (form.cleaned_data if form.is_bound and form.is_valid() else {}).items()
        if name in request.POST
    }
    doubts = figures_doubts(posted, last_year=before) if posted else []
    if request.method == "POST" and form.is_valid() and not posted:
        form.add_error(None, "没有收到任何经营数据，请在表中填写后保存。")
    elif request.method == "POST" and form.is_valid() and doubts and request.POST.get("confirmed") != "1":
        pass  # shown with the form: saved once the person confirms the figures are right
    elif request.method == "POST" and form.is_valid():
        try:
            save_figures(user=request.user, enterprise=enterprise, year=year, month=month, fields=posted)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            missing = sum(1 for value in form.cleaned_data.values() if value is None)  # as the form now reads
            note = f"，{missing} 项待补录" if missing else ""
            messages.success(request, f"已保存{enterprise.name}{_period(year, month)}经营数据{note}。")
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request,
        "enterprises/figures_form.html",
        {
            "enterprise": enterprise,
            "form": form,
            "year": year,
            "month": month,
            "period": _period(year, month),
            "previous": _period(year - 1, month),
            "years": year_choices(),
            "periods": _period_choices(year),
            "record": record,
            "doubts": doubts if request.POST.get("confirmed") != "1" else [],
        },
    )


def _period(year: int, month: int | None) -> str:
    if month == 1:
        return f"{year}年1月"
    return f"{year}年" + (f"1-{month}月" if month else "")


# ------------------------------------------------------------------ 经营状态


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="经营状态",
        choices=[("", "请选择"), *OperatingStatus.Status.choices],
        error_messages={"required": "请选择经营状态。"},
    )
    since = forms.DateField(
        label="起始日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写起始日期。", "invalid": "日期格式应为 2026-03-01。"},
    )
    reason = forms.CharField(
        label="原因",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="停产、半停产、未复工复产、注销须写明原因。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css


@login_required
def status_edit(request, pk: int):
    enterprise = get_visible_or_404(Enterprise.objects.select_related("zone"), request.user, pk=pk)
    ensure(request.user, "enterprise.figures", enterprise)
    form = StatusForm(request.POST or None, initial={"since": local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            state = status_set(user=request.user, enterprise=enterprise, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            said = f"{state.get_status_display()}（{state.since}起）"
            messages.success(request, f"已登记{enterprise.name}经营状态：{said}。")
            return redirect("enterprises:detail", pk=enterprise.pk)
    overview = selectors.enterprise_overview(enterprise, on=local_today())
    return render(
        request,
        "enterprises/figures_status.html",
        {"enterprise": enterprise, "form": form, "status": overview["status"], "history": overview["status_history"]},
    )


# ------------------------------------------------------------------ the zone list


SCALE_CHOICES = [("above", "规上企业"), ("below", "非规上企业")]


def _zones(request):
    return Zone.objects.visible_to(request.user) if request else Zone.objects.none()


class FiguresFilter(django_filters.FilterSet):
    """The list's filters; the year is read by the view (the annotations depend on it)."""

    zone = django_filters.ModelChoiceFilter(queryset=_zones, label="开发区", empty_label="全部开发区")
    year = django_filters.ChoiceFilter(choices=year_choices, label="年度", empty_label=None, method="keep")
    scale = django_filters.ChoiceFilter(
        choices=SCALE_CHOICES, label="规模", empty_label="规上和非规上", method="filter_scale"
    )
    status = django_filters.ChoiceFilter(
        choices=[*OperatingStatus.Status.choices, (selectors.NO_STATUS, "未登记")],
        label="经营状态",
        empty_label="全部状态",
        method="filter_status",
    )
    fill = django_filters.ChoiceFilter(
        choices=list(selectors.FILL_LABELS.items()), label="填报情况", empty_label="全部", method="filter_fill"
    )
    pending = django_filters.BooleanFilter(label="只看待补录", widget=forms.CheckboxInput, method="filter_pending")

    class Meta:
        model = Enterprise
        fields = ["zone", "year", "scale", "status", "fill", "pending"]

    def keep(self, queryset, name, value):
        return queryset

    def filter_scale(self, queryset, name, value):
        return queryset.filter(is_above_scale=value == "above")

    def filter_status(self, queryset, name, value):
        return selectors.filter_status(queryset, value)

    def filter_fill(self, queryset, name, value):
        return selectors.filter_fill(queryset, value)

    def filter_pending(self, queryset, name, value):
        return queryset.filter(missing__gt=0) if value else queryset


def _filtered(request):
    """(filterset, year, the enterprises before the 填报/状态 filters, the filtered list)."""
    year = parse_year(request.GET.get("year"))
    today = local_today()
    base = Enterprise.objects.visible_to(request.user).select_related("zone")
    data = request.GET.copy()
    data.setdefault("year", str(year))
    annotated = selectors.with_year_state(base, year=year, on=today)
    filterset = FiguresFilter(data, queryset=annotated, request=request)
    style_filter_form(filterset.form)
    if not filterset.is_valid():
        return filterset, year, base.none(), annotated.none()
    # The header counts are of the zone and scale chosen, whatever 填报 or 状态 is picked below them.
    cleaned = filterset.form.cleaned_data
    scoped = base
    if cleaned.get("zone"):
        scoped = scoped.filter(zone=cleaned["zone"])
    if cleaned.get("scale"):
        scoped = scoped.filter(is_above_scale=cleaned["scale"] == "above")
    return filterset, year, scoped, filterset.qs.order_by("zone_id", "name")


@login_required
def figures_list(request):
    filterset, year, scoped, rows = _filtered(request)
    today = local_today()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    selectors.attach_year(list(page.object_list), year=year, on=today)
    query = request.GET.copy()
    query.pop("page", None)
    base_query = query.copy()
    for key in ("fill", "status", "pending"):
        base_query.pop(key, None)
    base_query["year"] = str(year)
    context = {
        "filterset": filterset,
        "year": year,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "querystring": query.urlencode(),
        "base_query": base_query.urlencode(),
        "figures": selectors.FIGURES,
        "fill_counts": [
            (value, selectors.FILL_LABELS[value], count)
            for value, count in selectors.fill_counts(selectors.with_year_state(scoped, year=year, on=today)).items()
        ],
        "state_counts": selectors.state_counts(scoped, on=today),
        "today": today,
        "import_url": reverse("enterprises:figures_import") if figures_import_zones(request.user).exists() else None,
    }
    template = "enterprises/figures_list.html"
    if request.htmx and not request.htmx.boosted:
        template = "enterprises/figures_list_results.html"
    return render(request, template, context)


@login_required
def figures_xlsx(request):
    _filterset, year, _scoped, rows = _filtered(request)
    enterprises = selectors.attach_year(list(rows), year=year, on=local_today())
    columns = [
        OutputColumn("企业名称", TEXT, 32),
        OutputColumn("统一社会信用代码", TEXT, 22),
        OutputColumn("所在开发区", TEXT, 20),
        OutputColumn("规上企业", TEXT, 9),
        OutputColumn("经营状态", TEXT, 12),
        *(
            OutputColumn(figure.header, INTEGER if figure.name == "employees" else MONEY, 14)
            for figure in selectors.FIGURES
        ),
        OutputColumn("待补录项数", INTEGER, 10),
    ]
    data = []
    for enterprise in enterprises:
        values = [Marked(None, PENDING_FILL) if value is None else value for value in enterprise.values]
        data.append(
            [
                enterprise.name,
                enterprise.credit_code or "",
                enterprise.zone.name,
                "是" if enterprise.is_above_scale else "否",
                enterprise.status_label or "未登记",
                *values,
                selectors.missing_count(enterprise.year_figures),
            ]
        )
    title = f"{year}年企业经营数据"
    table = Table(name=title, title=title, columns=columns, rows=data, numbered=True, fit_width=True)
    return _xlsx_response(title, [table])


def _xlsx_response(title: str, tables: list[Table]) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    write_xlsx(handle, tables)
    handle.seek(0)
    filename = f"{title}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


# ------------------------------------------------------------------ 升规潜力


class UpgradeFilter(django_filters.FilterSet):
    zone = django_filters.ModelChoiceFilter(queryset=_zones, label="开发区", empty_label="全部开发区")
    year = django_filters.ChoiceFilter(choices=year_choices, label="年度", empty_label=None, method="keep")

    class Meta:
        model = Enterprise
        fields = ["zone", "year"]

    def keep(self, queryset, name, value):
        return queryset


def _upgrade(request) -> dict:
    year = parse_year(request.GET.get("year"))
    data = request.GET.copy()
    data.setdefault("year", str(year))
    base = Enterprise.objects.visible_to(request.user)
    filterset = UpgradeFilter(data, queryset=base, request=request)
    style_filter_form(filterset.form)
    enterprises = filterset.qs if filterset.is_valid() else base.none()
    candidates = upgrade_candidates(enterprises.select_related("zone"), year=year)
    liaison_ids = {candidate.enterprise.liaison_id for candidate in candidates} - {None}
    liaisons = get_user_model().objects.in_bulk(liaison_ids)
    rows = [(candidate, liaisons.get(candidate.enterprise.liaison_id)) for candidate in candidates]
    years = list(range(year - UPGRADE_YEARS + 1, year + 1))
    return {
        "filterset": filterset,
        "year": year,
        "rows": rows,
        "years": years,
        "zones": selectors.upgrades_by_zone(enterprises, years=years),
        "threshold": ABOVE_SCALE_REVENUE,
    }


@login_required
def upgrade_list(request):
    context = _upgrade(request)
    page = Paginator(context["rows"], 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        page=page,
        page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        querystring=query.urlencode(),
    )
    return render(request, "enterprises/figures_upgrade.html", context)


@login_required
def upgrade_xlsx(request):
    context = _upgrade(request)
    year = context["year"]
    columns = [
        OutputColumn("企业名称", TEXT, 32),
        OutputColumn("所在开发区", TEXT, 20),
        OutputColumn(f"{year}年营业收入（万元）", MONEY, 16),
        OutputColumn(f"{year - 1}年营业收入（万元）", MONEY, 16),
        OutputColumn("增长（%）", PERCENT, 10),
        OutputColumn("距2000万元（万元）", MONEY, 16),
        OutputColumn("包联干部", TEXT, 14),
    ]
    rows = [
        [
            candidate.enterprise.name,
            candidate.enterprise.zone.name,
            candidate.revenue,
            candidate.last_year,
            candidate.growth_pct,
            candidate.gap,
            (liaison.get_full_name() or liaison.username) if liaison else "",
        ]
        for candidate, liaison in context["rows"]
    ]
    title = f"{year}年升规潜力企业"
    candidates = Table(name="升规潜力", title=title, columns=columns, rows=rows, numbered=True, fit_width=True)
    achieved_columns = [OutputColumn("开发区", TEXT, 20)]
    for each in context["years"]:
        achieved_columns += [
            OutputColumn("小升规", NUMBER, 8, group=f"{each}年"),
            OutputColumn("个转企", NUMBER, 8, group=f"{each}年"),
        ]
    achieved_rows = [[zone["zone"], *(count for cell in zone["cells"] for count in cell)] for zone in context["zones"]]
    achieved = Table(
        name="小升规和个转企",
        title=f"{context['years'][0]}—{year}年小升规、个转企（户）",
        columns=achieved_columns,
        rows=achieved_rows,
    )
    return _xlsx_response(title, [candidates, achieved])


urls = [
    path("figures/", figures_list, name="figures"),
    path("figures/xlsx/", figures_xlsx, name="figures_xlsx"),
    path("upgrade/", upgrade_list, name="upgrade"),
    path("upgrade/xlsx/", upgrade_xlsx, name="upgrade_xlsx"),
    path("<int:pk>/figures/", figures_edit, name="figures_edit"),
    path("<int:pk>/status/", status_edit, name="status_set"),
]
