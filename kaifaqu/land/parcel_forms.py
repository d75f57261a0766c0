"""The parcel pages' forms: a parcel with its indicators and promise, a 区域评估 result, a check, a
disposal step. Saved through ``land.parcels`` services, never with ``form.save()``."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from kaifaqu.core.forms import ServiceModelForm, StyledFormMixin
from kaifaqu.core.rights import restrict
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.projects.models import Project
from kaifaqu.zones.models import Park, Zone

from .models import Assessment, Disposal, Parcel
from .parcels import FIELDS

ORDERED_FIELDS = [
    "zone",
    "park",
    "code",
    "location",
    "area_mu",
    "use",
    "is_standard",
    "status",
    "enterprise",
    "project",
    "price",
    "listed_on",
    "sold_on",
    "started_on",
    "producing_on",
    "accepted_on",
    "invest_intensity",
    "plot_ratio",
    "tax_per_mu",
    "energy_per_unit",
    "environment_standard",
    "promised_invest_intensity",
    "promised_plot_ratio",
    "promised_tax_per_mu",
    "promised_energy_per_unit",
    "note",
]
assert set(ORDERED_FIELDS) == FIELDS


class ParcelForm(ServiceModelForm):
    class Meta:
        model = Parcel
        fields = ORDERED_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        zones = restrict(user, "land.change", Zone.objects.all()).order_by("name")
        self.fields["zone"].queryset = zones
        self.fields["zone"].empty_label = "请选择"
        self.fields["park"].queryset = Park.objects.filter(zone__in=zones).select_related("zone").order_by("name")
        self.fields["enterprise"].queryset = Enterprise.objects.filter(zone__in=zones).order_by("name")
        self.fields["project"].queryset = Project.objects.filter(zone__in=zones).order_by("name")
        for name in ("park", "enterprise", "project"):
            self.fields[name].empty_label = "（无）"
        for name, value in list(self.initial.items()):
            if isinstance(value, Decimal):  # stored with four places: shown as typed (300, not 300.0000)
                self.initial[name] = format(value.normalize(), "f")
        if len(zones) == 1 and not self.instance.pk:
            self.fields["zone"].initial = zones[0].pk

    def validate_unique(self):
        """Left to the service, which names the clash in words."""


class AssessmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["kind", "conclusion", "reference", "done_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择"), *Assessment.Kind.choices]

    def validate_unique(self):
        """Adding a kind the parcel carries replaces it (the service does)."""


class CheckForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label="核验年度", min_value=2000, max_value=2100)


class DisposalForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Disposal
        fields = ["step", "done_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", "请选择"), *Disposal.Step.choices]
