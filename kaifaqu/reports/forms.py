import datetime

from django import forms
from django.utils import timezone

from kaifaqu.core.forms import StyledFormMixin
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import office_covers

from .models import Report


class ReportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="报告类型", choices=Report.Kind.choices)
    zone = forms.ModelChoiceField(
        label="开发区（周调度）", queryset=Zone.objects.none(), required=False, empty_label="请选择开发区"
    )
    as_of = forms.DateField(label="截至日期（周调度）", required=False)
    city = forms.ModelChoiceField(
        label="地市（月度报告、月调度分析）", queryset=Region.objects.none(), required=False, empty_label="请选择地市"
    )
    month = forms.CharField(
        label="月份（月度报告、月调度分析）", required=False, widget=forms.TextInput(attrs={"type": "month"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        zones = Zone.objects.visible_to(user).select_related("region").order_by("region__code", "name")
        self.fields["zone"].queryset = zones
        codes = {zone.region.code[:4] + "00" for zone in zones}
        self.fields["city"].queryset = Region.objects.filter(code__in=codes).order_by("code")
        cities = [city for city in self.fields["city"].queryset if office_covers(user, city)]
        self.fields["city"].queryset = Region.objects.filter(code__in=[city.code for city in cities]).order_by("code")
        today = timezone.localdate()
        self.fields["as_of"].initial = today
        # Monthly material is written after the month ends: last month by default.
        last = today.replace(day=1) - datetime.timedelta(days=1)
        self.fields["month"].initial = f"{last.year}-{last.month:02d}"
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
        if data.get("kind") == Report.Kind.WEEKLY and not data.get("zone"):
            self.add_error("zone", "周调度需要选择开发区。")
        if data.get("kind") in (Report.Kind.MONTHLY, Report.Kind.INDICATORS):
            if not data.get("city"):
                self.add_error("city", "月度报告需要选择地市。")
            if not data.get("month"):
                self.add_error("month", "月度报告需要选择月份。")
        return data
