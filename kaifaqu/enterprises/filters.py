import django_filters
from django.db.models import Q

from kaifaqu.zones.models import Zone

from .models import Enterprise

FLAG_CHOICES = [
    ("is_above_scale", "规上企业"),
    ("is_four_above", "四上企业"),
    ("is_high_tech", "高新技术企业"),
    ("is_chain_leader", "链主企业"),
    ("specialised", "专精特新"),
]


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="搜索", help_text="企业名称或统一社会信用代码")
    zone = django_filters.ModelChoiceFilter(
        queryset=lambda request: Zone.objects.visible_to(request.user) if request else Zone.objects.none(),
        label="开发区",
        empty_label="全部开发区",
    )
    flag = django_filters.ChoiceFilter(
        choices=FLAG_CHOICES, method="filter_flag", label="企业类型", empty_label="全部类型"
    )

    class Meta:
        model = Enterprise
        fields = ["q", "zone", "flag"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value)) if value else queryset

    def filter_flag(self, queryset, name, value):
        if value == "specialised":
            return queryset.exclude(specialised="")
        return queryset.filter(**{value: True})
