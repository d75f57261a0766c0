from django import forms

from kaifaqu.core.forms import StyledFormMixin
from kaifaqu.core.working_year import year_choices
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone


class DashboardForm(StyledFormMixin, forms.Form):
    """Which part of the user's scope the dashboard shows: a city, a zone, the working year (工作年度)."""

    city = forms.ChoiceField(label="地市", required=False)
    zone = forms.ModelChoiceField(
        label="开发区", queryset=Zone.objects.none(), required=False, empty_label="全部开发区"
    )
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False)
    stalled_days = forms.IntegerField(label="停滞天数", min_value=1, max_value=3650, required=False)

    def __init__(self, *args, user, default_year: int, stalled_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        zones = Zone.objects.visible_to(user).select_related("region").order_by("region__code", "name")
        self.fields["zone"].queryset = zones
        self.fields["zone"].label_from_instance = lambda zone: zone.short_name or zone.name
        city_codes = sorted({zone.region.code[:4] + "00" for zone in zones})
        cities = Region.objects.filter(code__in=city_codes).order_by("code")
        self.fields["city"].choices = [("", "全部地市"), *[(city.code, city.name) for city in cities]]
        self.show_city = len(city_codes) > 1
        self.fields["year"].choices = [(year, f"{year}年") for year in year_choices()]
        self.default_year = default_year
        self.default_stalled_days = stalled_days
        # The select shows the year the figures are for, not the first of its list.
        self.initial.setdefault("year", default_year)
        if self.is_bound and not self.data.get("year"):
            self.data = self.data.copy()
            self.data["year"] = str(default_year)
        for name in ("city", "zone", "year"):
            self.fields[name].widget.attrs["data-autosubmit"] = ""

    def chosen(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "city": data.get("city") or "",
            "zone": data.get("zone"),
            "year": data.get("year") or self.default_year,
            "stalled_days": data.get("stalled_days") or self.default_stalled_days,
        }
