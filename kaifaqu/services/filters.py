import django_filters
from django import forms
from django.db.models import Q

from kaifaqu.indicators.forms import parse_period
from kaifaqu.projects.models import local_today
from kaifaqu.zones.models import Zone

from .models import Category, ServiceRequest
from .selectors import month_bounds


class MonthInput(forms.TextInput):
    input_type = "month"


OPEN = "open"  # every status before 办结: what the dashboard's 待办诉求 counts


class RequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="搜索", help_text="诉求事项、企业或项目名称")
    zone = django_filters.ModelChoiceFilter(
        queryset=lambda request: Zone.objects.visible_to(request.user) if request else Zone.objects.none(),
        label="开发区",
        empty_label="全部开发区",
    )
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, "未办结（全部）"), *ServiceRequest.Status.choices],
        method="filter_status",
        label="状态",
        empty_label="全部状态",
    )
    category = django_filters.ChoiceFilter(choices=Category.choices, label="类别", empty_label="全部类别")
    period = django_filters.CharFilter(method="filter_period", label="受理月份", widget=MonthInput)
    # The 驾驶舱's 地市 (a city's code, 141100): its card links here with it.
    city = django_filters.CharFilter(method="filter_city", widget=forms.HiddenInput)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="只看逾期", widget=forms.CheckboxInput)
    # A 考核 score's trace names the person whose requests it counted.
    assignee = django_filters.NumberFilter(field_name="assignee_id", widget=forms.HiddenInput)

    class Meta:
        model = ServiceRequest
        fields = ["q", "zone", "status", "category", "period", "overdue", "city", "assignee"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(enterprise__name__icontains=value) | Q(project__name__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        return queryset.open() if value == OPEN else queryset.filter(status=value)

    def filter_period(self, queryset, name, value):
        """Received in the month (``2026-10``), as the statistics count 受理; a malformed month filters nothing."""
        period = parse_period(value)
        if period is None:
            return queryset
        return queryset.filter(received_on__range=month_bounds(*period))

    def filter_city(self, queryset, name, value):
        code = value.strip()
        return (
            queryset.filter(zone__region__code__startswith=code[:4]) if code.isdigit() and len(code) == 6 else queryset
        )

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(local_today()) if value else queryset
