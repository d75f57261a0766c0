"""The project list's filters, declared once for the list page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone

from kaifaqu.zones.models import Park, Zone

from .completeness import GAPS, with_gap
from .models import LIFECYCLE, PlanCategory, PriorityLevel, ProgressReport, Project, Stage
from .selectors import NOT_PRIORITY, UNCATEGORISED, UNFILLED, entered_statistics_in, project_search


def _visible(model):
    def queryset(request):
        if request is None:
            return model.objects.none()
        return model.objects.visible_to(request.user)

    return queryset


def _parks_of_chosen_zone(request):
    """Parks only make sense within a zone: offer those of the zone chosen in the filter."""
    if request is None:
        return Park.objects.none()
    parks = Park.objects.visible_to(request.user)
    zone = request.GET.get("zone", "")
    if zone.isdigit():
        return parks.filter(zone_id=zone)
    return parks if request.GET.get("park") else parks.none()  # an API call may name a park alone


def _year_choices() -> list[tuple[int, str]]:
    """Plan years from next year back to 2000: no query, and any year a ledger holds can be chosen."""
    this_year = timezone.localdate().year
    return [(year, f"{year}年") for year in range(this_year + 1, 1999, -1)]


class YearChoiceFilter(django_filters.TypedChoiceFilter):
    """A year select (choices computed when the form is built, so a new year appears on 1 January)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        super().__init__(*args, choices=[], **kwargs)

    @property
    def field(self):
        field = super().field
        field.choices = [("", "全部年度"), *_year_choices()]
        return field


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="搜索", help_text="项目名称、项目代码或建设单位")
    zone = django_filters.ModelChoiceFilter(queryset=_visible(Zone), label="开发区", empty_label="全部开发区")
    park = django_filters.ModelChoiceFilter(
        queryset=lambda request: _parks_of_chosen_zone(request), label="园区", empty_label="全部园区"
    )
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label="阶段", empty_label="全部阶段")
    plan_category = django_filters.ModelChoiceFilter(
        queryset=lambda request: (
            PlanCategory.objects.visible_to(request.user) if request else PlanCategory.objects.none()
        ),
        label="年度分类",
        empty_label="全部分类",
    )
    priority_level = django_filters.ChoiceFilter(
        choices=PriorityLevel.choices, label="重点级别", empty_label="全部级别"
    )
    year = YearChoiceFilter(field_name="plan_year", label="年度")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label="有逾期节点",
        widget=forms.CheckboxInput,
    )
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", label="建设单位编号")
    # Filters a dashboard's drill-down sets (kept as hidden fields; the list names them above the table).
    city = django_filters.CharFilter(method="filter_city", label="地市", widget=forms.HiddenInput)
    reached = django_filters.ChoiceFilter(
        choices=[(stage, Stage(stage).label) for stage in LIFECYCLE],
        method="filter_reached",
        label="阶段达到",
        widget=forms.HiddenInput,
    )
    industry = django_filters.CharFilter(method="filter_industry", label="产业类别", widget=forms.HiddenInput)
    category = django_filters.CharFilter(method="filter_category", label="年度分类", widget=forms.HiddenInput)
    level = django_filters.CharFilter(method="filter_level", label="重点级别", widget=forms.HiddenInput)
    min_investment = django_filters.NumberFilter(
        field_name="total_investment", lookup_expr="gte", label="总投资不低于（万元）", widget=forms.HiddenInput
    )
    stalled = django_filters.NumberFilter(
        method="filter_stalled", label="未报进展超过（天）", min_value=1, max_value=36500, widget=forms.HiddenInput
    )
    progress_month = django_filters.CharFilter(
        method="filter_progress_month", label="填报进展的月份", widget=forms.HiddenInput
    )
    gap = django_filters.ChoiceFilter(
        choices=[("any", "任一项"), *((gap.key, gap.label) for gap in GAPS)],
        method="filter_gap",
        label="待补录",
        widget=forms.HiddenInput,
    )
    # A cohort's drill-down (签约日期 within a period, both days included) and 当年入统投资's.
    signed_from = django_filters.DateFilter(
        field_name="signed_on", lookup_expr="gte", label="签约日期不早于", widget=forms.HiddenInput
    )
    signed_to = django_filters.DateFilter(
        field_name="signed_on", lookup_expr="lte", label="签约日期不晚于", widget=forms.HiddenInput
    )
    in_statistics_year = django_filters.NumberFilter(
        method="filter_in_statistics_year", label="入统年份", min_value=2000, max_value=2100, widget=forms.HiddenInput
    )

    class Meta:
        model = Project
        fields = [
            "q",
            "zone",
            "park",
            "stage",
            "plan_category",
            "priority_level",
            "year",
            "overdue",
            "enterprise",
            "city",
            "reached",
            "industry",
            "category",
            "level",
            "min_investment",
            "stalled",
            "progress_month",
            "gap",
            "signed_from",
            "signed_to",
            "in_statistics_year",
        ]

    def filter_search(self, queryset, name, value):
        return project_search(queryset, value)

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.with_overdue_milestones()
        return queryset

    def filter_city(self, queryset, name, value):
        """A city's six-digit code (141100): its zones."""
        if not (value.isdigit() and len(value) == 6):
            return queryset.none()
        return queryset.filter(zone__region__code__startswith=value[:4])

    def filter_reached(self, queryset, name, value):
        return queryset.reached(value) if value else queryset

    def filter_industry(self, queryset, name, value):
        return queryset.filter(industry="" if value == UNFILLED else value)

    def filter_category(self, queryset, name, value):
        if value == UNCATEGORISED:
            return queryset.filter(plan_category__isnull=True)
        return queryset.filter(plan_category__name=value)

    def filter_level(self, queryset, name, value):
        """A level's code, or 非重点 (none)."""
        return queryset.filter(priority_level="" if value in (NOT_PRIORITY, "none") else value)

    def filter_stalled(self, queryset, name, value):
        return queryset.stalled(int(value)) if value else queryset

    def filter_gap(self, queryset, name, value):
        """Projects lacking a field that history left missing (数据完整度's drill-down)."""
        return with_gap(queryset, value) if value else queryset

    def filter_in_statistics_year(self, queryset, name, value):
        """The projects counted in that year's 当年入统投资."""
        return entered_statistics_in(queryset, year=int(value)) if value else queryset

    def filter_progress_month(self, queryset, name, value):
        try:
            year, month = (int(part) for part in value.split("-"))
        except ValueError:
            return queryset.none()  # not YYYY-MM: a hand-edited address, nothing matches
        months = ProgressReport.objects.filter(reported_on__year=year, reported_on__month=month)
        return queryset.filter(pk__in=months.values("project_id"))
