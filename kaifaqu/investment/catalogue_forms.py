"""Forms of the target catalogue: an industry sought, a target company, a lead made of a target, a 招商方式.

The views save through ``services``; these forms only show the fields, limit the selects to what
the user may choose and say in Chinese which field is wrong and why.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from kaifaqu.core.forms import DateInput, ServiceModelForm, StyledFormMixin
from kaifaqu.core.rights import restrict
from kaifaqu.enterprises.models import IndustryClass
from kaifaqu.projects.models import local_today
from kaifaqu.zones.models import Zone

from .models import InvestmentMode, Target, TargetIndustry


def industry_class_choices() -> list:
    """GB/T 4754 大类 grouped under their 门类, for a select with ``<optgroup>``."""
    groups: dict[str, list] = {}
    for division in IndustryClass.objects.filter(parent__isnull=False).select_related("parent"):
        groups.setdefault(f"{division.parent.code} {division.parent.name}", []).append(
            (division.pk, f"{division.code} {division.name}")
        )
    return [("", "请选择（GB/T 4754-2017 大类）"), *groups.items()]


def _class_select(field) -> None:
    field.queryset = IndustryClass.objects.filter(parent__isnull=False)
    field.choices = industry_class_choices()


def _group_industries(industries: QuerySet[TargetIndustry], *, by_zone: bool) -> list:
    if not by_zone:
        return [("", "不限/未分类"), *((industry.pk, industry.name) for industry in industries)]
    groups: dict[str, list] = {}
    for industry in industries.select_related("zone"):
        groups.setdefault(industry.zone.display_name, []).append((industry.pk, industry.name))
    return [("", "不限/未分类"), *groups.items()]


class NamedOnceMixin:
    """The name clash is said under 名称 by ``clean`` (Django's own message names no field)."""

    def validate_unique(self):
        pass


def _unique_name(form, model, zone, name: str, message: str) -> None:
    """The zone's catalogue holds one record of each name: refuse a second under the field, in words."""
    if not zone or not name:
        return
    clash = model.objects.filter(zone=zone, name=name)
    if form.instance.pk:
        clash = clash.exclude(pk=form.instance.pk)
    if clash.exists():
        form.add_error("name", message.format(name=name, zone=zone.name))


class IndustryForm(NamedOnceMixin, ServiceModelForm):
    """One line of a zone's 招商产业目录; its zone is the page's (never chosen here)."""

    class Meta:
        model = TargetIndustry
        fields = ["name", "industry_class", "focus", "order"]

    def __init__(self, *args, zone: Zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["name"].widget.attrs["autofocus"] = True
        _class_select(self.fields["industry_class"])
        self.fields["focus"].widget.attrs["placeholder"] = "重点招引的环节、产品或企业类型"

    def clean(self):
        data = super().clean()
        message = "招商产业：{zone}的招商产业目录中已有“{name}”。"
        _unique_name(self, TargetIndustry, self.zone, data.get("name"), message)
        return data


class TargetForm(NamedOnceMixin, ServiceModelForm):
    """A 目标企业: the zone among those the user may write, the 招商产业 among that zone's."""

    class Meta:
        model = Target
        fields = [
            "name",
            "zone",
            "credit_code",
            "hq_region",
            "industry",
            "industry_class",
            "size",
            "status",
            "owner",
            "contact",
            "reason",
            "note",
        ]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2}), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, zone: Zone | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        zones = restrict(user, "investment.change", Zone.objects.all()).order_by("region_id", "name")
        self.fields["zone"].queryset = zones
        self.fields["zone"].empty_label = "请选择开发区"
        if not self.is_bound and not self.instance.pk:
            chosen = zone if zone is not None and zones.filter(pk=zone.pk).exists() else None
            if chosen is None and zones.count() == 1:
                chosen = zones.first()
            if chosen is not None:
                self.initial["zone"] = chosen.pk
        fixed = self._fixed_zone(zones)
        industries = TargetIndustry.objects.filter(zone__in=zones)
        if fixed is not None:
            industries = industries.filter(zone=fixed)
        self.fields["industry"].queryset = industries
        self.fields["industry"].choices = _group_industries(industries, by_zone=fixed is None)
        self.fields["industry"].help_text = "本开发区招商产业目录中的产业"
        _class_select(self.fields["industry_class"])
        self.fields["size"].choices = [("", "请选择"), *Target.Size.choices]
        self.fields["name"].widget.attrs["autofocus"] = True
        self.fields["credit_code"].widget.attrs.update(
            {"placeholder": "18 位，已知时填写", "maxlength": 30, "autocomplete": "off"}
        )
        if zones.count() == 1:
            self.fields["zone"].widget = forms.HiddenInput()

    def _fixed_zone(self, zones) -> Zone | None:
        """The zone whose industries the select lists: the record's, the one posted, or the one proposed."""
        if self.instance.pk:
            return self.instance.zone
        wanted = self.data.get("zone") if self.is_bound else self.initial.get("zone")
        return zones.filter(pk=wanted).first() if str(wanted or "").isdigit() else None

    def clean(self):
        data = super().clean()
        zone = data.get("zone")
        industry = data.get("industry")
        if zone and industry and industry.zone_id != zone.pk:
            self.add_error("industry", f"招商产业：“{industry}”不属于{zone.name}的招商产业目录。")
        _unique_name(self, Target, zone, data.get("name"), "企业名称：{zone}的目标企业库中已有“{name}”。")
        return data


class TargetLeadForm(StyledFormMixin, forms.Form):
    """转为招商线索: the project a target becomes (at 初步对接)."""

    name = forms.CharField(label="项目名称", max_length=200)
    total_investment = forms.DecimalField(
        label="总投资（万元）", max_digits=14, decimal_places=2, min_value=0, help_text="单位：万元；尚不确定可填 0"
    )
    contact_on = forms.DateField(label="对接日期", widget=DateInput())
    mode = forms.ModelChoiceField(label="招商方式", queryset=InvestmentMode.objects.none(), required=False)
    content = forms.CharField(label="建设内容", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, target: Target, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].queryset = InvestmentMode.objects.filter(active=True)
        self.fields["mode"].empty_label = "请选择"
        self.fields["name"].widget.attrs["autofocus"] = True
        if not self.is_bound:
            self.initial.update(name=f"{target.name}项目", contact_on=local_today())

    def clean_contact_on(self):
        day = self.cleaned_data["contact_on"]
        if day and day > local_today():
            raise forms.ValidationError("对接日期：不能晚于今天。")
        return day


class ModeForm(ServiceModelForm):
    class Meta:
        model = InvestmentMode
        fields = ["name", "description", "order", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True
