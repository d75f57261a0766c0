"""Forms of the monthly dispatch: a month's figures (one row per indicator), targets, the catalogue."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django import forms

from kaifaqu.core.forms import ServiceModelForm, StyledFormMixin

from .models import Indicator, IndicatorValue
from .selectors import in_units

FIELDS = ("value", "last_year", "growth_pct", "note")
PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_period(text: str | None) -> tuple[int, int] | None:
    """``2026-10`` → (2026, 10); anything else → None (the page then picks the latest month)."""
    match = PERIOD.match((text or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return (year, month) if 2000 <= year <= 2100 and 1 <= month <= 12 else None


class FiguresForm(StyledFormMixin, forms.Form):
    """Four inputs per indicator, named ``<field>_<indicator id>``, as the service's errors are keyed."""

    def __init__(self, *args, indicators: list[Indicator], stored: dict[int, IndicatorValue], last_year: dict, **kw):
        super().__init__(*args, **kw)
        self.indicators = indicators
        for indicator in indicators:
            value = stored.get(indicator.pk)
            step = "1" if indicator.decimals == 0 else str(Decimal(1).scaleb(-indicator.decimals))
            self.fields[f"value_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name}（{indicator.unit}）本年累计", required=False, max_digits=18, decimal_places=4
            )
            self.fields[f"last_year_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name} 上年同期", required=False, max_digits=18, decimal_places=4
            )
            self.fields[f"growth_pct_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name} 同比增长（%）", required=False, max_digits=9, decimal_places=2
            )
            self.fields[f"note_{indicator.pk}"] = forms.CharField(
                label=f"{indicator.name} 说明", required=False, max_length=300
            )
            for name in ("value", "last_year"):
                self.fields[f"{name}_{indicator.pk}"].widget.attrs["step"] = step
            self.initial.update(_initial(indicator, value, last_year.get(indicator.pk)))
        self.style_fields()

    warnings: dict[int, str] = {}  # set by the view: outliers among the figures on record, for the reviewer

    def rows(self):
        """(indicator, value, last-year, growth and note fields, warning) for the template."""
        for indicator in self.indicators:
            yield indicator, *(self[f"{name}_{indicator.pk}"] for name in FIELDS), self.warnings.get(indicator.pk, "")

    def figures(self) -> dict[int, dict]:
        return {
            indicator.pk: {name: self.cleaned_data.get(f"{name}_{indicator.pk}") for name in FIELDS}
            | {"note": (self.cleaned_data.get(f"note_{indicator.pk}") or "").strip()}
            for indicator in self.indicators
        }


def _initial(indicator: Indicator, stored: IndicatorValue | None, last_year: Decimal | None) -> dict:
    """Figures shown in the indicator's own decimals (never 4E+1 or 234.8800)."""
    pk = indicator.pk
    if stored is None:
        return {f"last_year_{pk}": in_units(last_year, indicator)} if last_year is not None else {}
    return {
        f"value_{pk}": in_units(stored.value, indicator),
        f"last_year_{pk}": in_units(stored.last_year if stored.last_year is not None else last_year, indicator),
        f"growth_pct_{pk}": stored.growth_pct,
        f"note_{pk}": stored.note,
    }


class ReturnForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label="退回原因", max_length=300, widget=forms.TextInput(attrs={"placeholder": "写明需要修改的地方"})
    )


class DeadlineForm(StyledFormMixin, forms.Form):
    due_on = forms.DateField(label="报送截止日期")


class TargetsForm(StyledFormMixin, forms.Form):
    """One input per zone and indicator: ``target_<zone id>_<indicator id>``; blank clears the target."""

    def __init__(self, *args, zones, indicators, stored: dict[tuple[int, int], Decimal], **kw):
        super().__init__(*args, **kw)
        self.zones, self.indicators = zones, indicators
        for zone in zones:
            for indicator in indicators:
                name = f"target_{zone.pk}_{indicator.pk}"
                self.fields[name] = forms.DecimalField(
                    label=f"{zone.display_name} {indicator.name}（{indicator.unit}）",
                    required=False,
                    min_value=0,
                    max_digits=18,
                    decimal_places=4,
                )
                if (zone.pk, indicator.pk) in stored:
                    self.initial[name] = stored[(zone.pk, indicator.pk)].normalize()
        self.style_fields()

    def grid(self):
        for zone in self.zones:
            yield zone, [self[f"target_{zone.pk}_{indicator.pk}"] for indicator in self.indicators]

    def values(self) -> dict[tuple[int, int], Decimal | None]:
        return {
            (zone.pk, indicator.pk): self.cleaned_data.get(f"target_{zone.pk}_{indicator.pk}")
            for zone in self.zones
            for indicator in self.indicators
        }


class IndicatorForm(ServiceModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "kind",
            "cumulative",
            "decimals",
            "higher_is_better",
            "in_evaluation",
            "aliases",
            "order",
            "active",
        ]
        error_messages = {"name": {"unique": "已有同名指标，请换一个名称，或编辑已有的指标。"}}


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="指标表文件", help_text="本系统导出的填报模板，或市里常用的汇总表（.xlsx、.xls、.csv）"
    )
    period = forms.CharField(
        label="月份",
        required=False,
        help_text="表格标题写明了月份时可不填",
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    dry_run = forms.BooleanField(label="只检查，不写入", required=False)

    def clean_period(self):
        text = self.cleaned_data["period"].strip()
        if text and parse_period(text) is None:
            raise forms.ValidationError("请按 YYYY-MM 填写月份，如 2026-10。")
        return parse_period(text) if text else None


def default_period(today: datetime.date) -> tuple[int, int]:
    """Last month: the month being reported on now."""
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
