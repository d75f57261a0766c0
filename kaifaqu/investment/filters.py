"""The 招商 lists' filters: the list pages, their exports and the registered ledgers use them."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q

from kaifaqu.core.forms import DateInput
from kaifaqu.zones.models import Zone

from .models import Activity, Target, TargetIndustry


def _zones(request):
    return Zone.objects.visible_to(request.user) if request else Zone.objects.none()


def _industries(request):
    if request is None:
        return TargetIndustry.objects.none()
    return TargetIndustry.objects.visible_to(request.user).select_related("zone").order_by("zone_id", "order", "id")


def _leaders(request):
    """Who has led one of the activities the user sees."""
    if request is None:
        return get_user_model().objects.none()
    led = Activity.objects.visible_to(request.user).filter(leader__isnull=False).values("leader")
    return get_user_model().objects.filter(pk__in=led).order_by("first_name", "username")


class TargetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label="搜索", help_text="企业名称、信用代码、总部所在地或责任人"
    )
    zone = django_filters.ModelChoiceFilter(queryset=_zones, label="开发区", empty_label="全部开发区")
    status = django_filters.ChoiceFilter(choices=Target.Status.choices, label="对接状态", empty_label="全部状态")
    industry = django_filters.ModelChoiceFilter(queryset=_industries, label="招商产业", empty_label="全部产业")
    size = django_filters.ChoiceFilter(choices=Target.Size.choices, label="企业规模", empty_label="全部规模")

    class Meta:
        model = Target
        fields = ["q", "zone", "status", "industry", "size"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(credit_code__icontains=value)
            | Q(hq_region__icontains=value)
            | Q(owner__icontains=value)
        )


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="搜索", help_text="活动名称、地区、纪要或对接企业")
    zone = django_filters.ModelChoiceFilter(queryset=_zones, label="开发区", empty_label="全部开发区")
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices, label="活动类型", empty_label="全部类型")
    date_from = django_filters.DateFilter(
        field_name="start_on", lookup_expr="gte", label="起始日期", widget=DateInput()
    )
    date_to = django_filters.DateFilter(field_name="start_on", lookup_expr="lte", label="截止日期", widget=DateInput())
    leader = django_filters.ModelChoiceFilter(queryset=_leaders, label="带队领导", empty_label="全部领导")

    class Meta:
        model = Activity
        fields = ["q", "zone", "kind", "date_from", "date_to", "leader"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # The companies met through a subquery: a join would list an activity once per company.
        met = Activity.targets.through.objects.filter(target__name__icontains=value).values("activity_id")
        return queryset.filter(
            Q(title__icontains=value) | Q(region__icontains=value) | Q(summary__icontains=value) | Q(pk__in=met)
        )
