"""亩均 pages' forms: a new scheme (its owner and name; 浙江's method filled in), a scheme's settings,
and the year to grade."""

from __future__ import annotations

from django import forms

from kaifaqu.chains.forms import OwnerScopeMixin
from kaifaqu.core.forms import StyledFormMixin

from .models import MuJunScheme

SCHEME_FIELDS = (
    "name",
    "weight_tax",
    "weight_revenue",
    "weight_energy",
    "weight_rd",
    "revenue_basis",
    "cap",
    "band_a",
    "band_b",
    "band_c",
    "min_land_mu",
    "description",
)


class NewSchemeForm(OwnerScopeMixin, StyledFormMixin, forms.Form):
    scope = forms.ChoiceField(label="评价单位", help_text="开发区评价本区企业选开发区；市评价全市开发区企业选行政区划")
    name = forms.CharField(label="评价方案名称", max_length=100, initial="亩均效益综合评价")


class SchemeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = MuJunScheme
        fields = SCHEME_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class GradeForm(StyledFormMixin, forms.Form):
    year = forms.TypedChoiceField(
        label="评价年度", coerce=int, widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"})
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, f"{year}年") for year in years]
