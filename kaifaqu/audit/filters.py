import django_filters
from django import forms
from django.db.models import Q

from kaifaqu.zones.models import Zone

from .models import AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="搜索", help_text="姓名、账号或对象名称")
    zone = django_filters.ModelChoiceFilter(
        queryset=lambda request: Zone.objects.visible_to(request.user) if request else Zone.objects.none(),
        label="开发区",
        empty_label="全部开发区",
    )
    action = django_filters.ChoiceFilter(choices=AuditEntry.Action.choices, label="操作", empty_label="全部操作")
    source = django_filters.ChoiceFilter(choices=AuditEntry.Source.choices, label="来源", empty_label="全部来源")
    since = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label="起始日期", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label="截止日期", widget=forms.DateInput(attrs={"type": "date"})
    )
    record = django_filters.CharFilter(field_name="record_key", label="记录", widget=forms.HiddenInput)

    class Meta:
        model = AuditEntry
        fields = ["q", "zone", "action", "source", "since", "until", "record"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # People are shown by name, so they are found by name as well as by login id.
        person = Q(username__icontains=value) | Q(user__first_name__icontains=value)
        person |= Q(user__last_name__icontains=value)
        return queryset.filter(person | Q(object_repr__icontains=value))
