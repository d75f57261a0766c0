from django import forms

from kaifaqu.zones.models import Zone

from .models import ImportJob
from .services import importable_zones


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="台账类型", choices=ImportJob.Kind.choices, initial=ImportJob.Kind.PROJECTS)
    zone = forms.ModelChoiceField(
        label="导入到开发区",
        queryset=Zone.objects.none(),
        required=False,
        empty_label="按表中的“开发区”列",
        help_text="表中没有“开发区”列时必须选择。",
    )
    file = forms.FileField(label="台账文件", help_text="支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码）。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        zones = Zone.objects.none()
        for kind in ImportJob.Kind.values:
            zones = zones | importable_zones(user, kind)
        self.fields["zone"].queryset = zones.distinct().order_by("name")
        only = list(self.fields["zone"].queryset[:2])
        if len(only) == 1:
            self.fields["zone"].initial = only[0].pk  # a zone's own staff import into their zone
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xls,.csv"
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
