"""The project list's filters, declared once for the list page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone

from kaifaqu.zones.models import Park, Zone

from .models import PlanCategory, PriorityLevel, Project, Stage
from .selectors import project_search


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
        ]

    def filter_search(self, queryset, name, value):
        return project_search(queryset, value)

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.with_overdue_milestones()
        return queryset
