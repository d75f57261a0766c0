import datetime

from django import forms

from kaifaqu.core.forms import StyledFormMixin
from kaifaqu.core.working_year import year_choices
from kaifaqu.projects.models import local_today
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import office_covers

from .models import Report


class ReportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="报告类型", choices=Report.Kind.choices)
    zone = forms.ModelChoiceField(
        label="开发区（周调度）", queryset=Zone.objects.none(), required=False, empty_label="请选择开发区"
    )
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False)
    as_of = forms.DateField(label="截至日期（周调度）", required=False)
    city = forms.ModelChoiceField(
        label="地市（月度报告、月调度分析）", queryset=Region.objects.none(), required=False, empty_label="请选择地市"
    )
    month = forms.CharField(
        label="月份（月度报告、月调度分析）", required=False, widget=forms.TextInput(attrs={"type": "month"})
    )

    def __init__(self, *args, user, year: int, **kwargs):
        """``year`` is the working year (工作年度) the form starts from."""
        super().__init__(*args, **kwargs)
        zones = Zone.objects.visible_to(user).select_related("region").order_by("region__code", "name")
        self.fields["zone"].queryset = zones
        if len(zones) == 1:  # a zone's own staff: their zone, not "请选择开发区"
            self.fields["zone"].initial = zones[0]
        codes = {zone.region.code[:4] + "00" for zone in zones}
        self.fields["city"].queryset = Region.objects.filter(code__in=codes).order_by("code")
        cities = [city for city in self.fields["city"].queryset if office_covers(user, city)]
        self.fields["city"].queryset = Region.objects.filter(code__in=[city.code for city in cities]).order_by("code")
        if len(cities) == 1:  # a city's own office: its city
            self.fields["city"].initial = cities[0]
        today = local_today()
        self.fields["year"].choices = [(choice, f"{choice}年度") for choice in year_choices()]
        self.fields["year"].initial = year
        self.fields["as_of"].initial = today
        self.fields["month"].initial = default_month(year, today)
        if not cities:
            self.fields["kind"].choices = [(Report.Kind.WEEKLY, Report.Kind.WEEKLY.label)]

    def clean_month(self):
        text = self.cleaned_data.get("month") or ""
        if not text:
            return None
        try:
            day = datetime.date.fromisoformat(f"{text}-01")
        except ValueError as exc:
            raise forms.ValidationError("月份应写作 YYYY-MM，如 2025-03。") from exc
        return day.year, day.month

    def clean(self):
        data = super().clean()
        self._year_of_month(data)
        if data.get("kind") == Report.Kind.WEEKLY and not data.get("zone"):
            self.add_error("zone", "周调度需要选择开发区。")
        if data.get("kind") in (Report.Kind.MONTHLY, Report.Kind.INDICATORS):
            if not data.get("city"):
                self.add_error("city", "月度报告需要选择地市。")
            if not data.get("month"):
                self.add_error("month", "月度报告需要选择月份。")
        return data

    def _year_of_month(self, data: dict) -> None:
        """A monthly report is of one month of the 年度: the two must agree; without a 年度 the
        month's year is taken."""
        if data.get("kind") not in (Report.Kind.MONTHLY, Report.Kind.INDICATORS) or not data.get("month"):
            return
        month_year, month = data["month"]
        if not data.get("year"):
            data["year"] = month_year
        elif data["year"] != month_year:
            self.add_error(
                "month", f"月份{month_year}年{month}月不在所选年度（{data['year']}年度）内：请改选月份或年度。"
            )


def default_month(year: int, today: datetime.date) -> str:
    """The month a monthly report of ``year`` is usually for, as YYYY-MM: the month just ended
    (material is written after the month ends), held inside ``year``."""
    last = today.replace(day=1) - datetime.timedelta(days=1)
    if year < last.year:
        last = datetime.date(year, 12, 1)
    elif year > last.year:
        last = datetime.date(year, 1, 1)
    return f"{last.year}-{last.month:02d}"
