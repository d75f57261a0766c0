"""The upload form of the 经营数据 import page."""

from django import forms

from kaifaqu.projects.models import local_today
from kaifaqu.zones.models import Zone


class FiguresImportForm(forms.Form):
    file = forms.FileField(
        label="经营数据表",
        help_text="支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码）；标题行、“单位：万元”行、合并单元格和合计行会自动跳过。",
    )
    zone = forms.ModelChoiceField(
        label="开发区",
        queryset=Zone.objects.none(),
        empty_label="请选择开发区",
        error_messages={"invalid_choice": "您不能向该开发区导入经营数据：只能选择您维护企业库的开发区。"},
    )
    year = forms.IntegerField(label="数据年度", min_value=2000, max_value=2100, help_text="表中各项为该年全年数据。")

    def __init__(self, *args, zones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zones.order_by("name")
        only = list(zones[:2])
        if len(only) == 1:
            self.fields["zone"].initial = only[0].pk  # a zone's own staff import into their zone
        self.fields["year"].initial = local_today().year - 1
        self.fields["year"].error_messages.update(
            min_value="年度应在 2000 到 2100 之间。",
            max_value="年度应在 2000 到 2100 之间。",
            invalid="请填写四位年份，如 2025。",
        )
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xls,.csv"
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
