"""考核 pages' forms: a new scheme (from a template or another scheme), a scheme's settings, an item,
a run, a hand-entered value, and the 红黑榜 (generate, add, remove)."""

from __future__ import annotations

from django import forms

from kaifaqu.chains.forms import OwnerScopeMixin
from kaifaqu.core.forms import StyledFormMixin

from .metrics import metric_choices
from .models import HonorEntry, Item, ManualValue, Scheme


def _model_field(model, name: str, **overrides):
    field = model._meta.get_field(name).formfield()
    for key, value in overrides.items():
        setattr(field, key, value)
    return field


class NewSchemeForm(OwnerScopeMixin, StyledFormMixin, forms.Form):
    source = forms.ChoiceField(label="复制自", help_text="系统提供的模板，或您能看到的已有考核方案")
    scope = forms.ChoiceField(
        label="考核单位", help_text="市、省考核开发区选本部门的行政区划；开发区考核本区工作人员选开发区"
    )
    name = forms.CharField(label="考核方案名称", max_length=100, help_text="如：××市开发区月度考核")

    def __init__(self, *args, templates: dict[str, dict], schemes, **kwargs):
        super().__init__(*args, **kwargs)
        template_choices = [(f"template-{key}", data["name"]) for key, data in templates.items()]
        scheme_choices = [(f"scheme-{scheme.pk}", f"{scheme.name}（{scheme.scope_name}）") for scheme in schemes]
        choices = [("", "请选择"), ("系统模板", template_choices)]
        if scheme_choices:
            choices.append(("已有考核方案", scheme_choices))
        self.fields["source"].choices = choices
        self._templates = templates
        self._schemes = {f"scheme-{scheme.pk}": scheme for scheme in schemes}

    def clean_source(self):
        value = self.cleaned_data["source"]
        if value.startswith("template-") and value[len("template-") :] in self._templates:
            return self._templates[value[len("template-") :]]
        if value in self._schemes:
            return self._schemes[value]
        raise forms.ValidationError("复制自：请选择一个模板或已有的考核方案。")


class SchemeForm(StyledFormMixin, forms.Form):
    name = _model_field(Scheme, "name")
    period = _model_field(Scheme, "period")
    subject_kind = _model_field(Scheme, "subject_kind")
    honor_rules = _model_field(Scheme, "honor_rules")
    results_public = _model_field(Scheme, "results_public")
    description = _model_field(Scheme, "description", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].widget.attrs.setdefault("rows", 2)


ITEM_FIELDS = (
    "group",
    "name",
    "kind",
    "weight",
    "metric",
    "indicator",
    "unit",
    "rule",
    "target",
    "cap",
    "step",
    "bands",
    "per_event",
    "lower_is_better",
    "order",
)


class ItemForm(StyledFormMixin, forms.Form):
    group = _model_field(Item, "group")
    name = _model_field(Item, "name")
    kind = _model_field(Item, "kind")
    weight = _model_field(Item, "weight")
    metric = forms.ChoiceField(label="数据来源")
    indicator = forms.ModelChoiceField(
        label="月调度指标",
        queryset=None,
        required=False,
        empty_label="（不用月调度指标）",
        help_text="数据来源为月调度指标时选择",
    )
    unit = _model_field(Item, "unit")
    rule = _model_field(Item, "rule")
    target = _model_field(Item, "target")
    cap = _model_field(Item, "cap")
    step = _model_field(Item, "step")
    bands = _model_field(Item, "bands")
    per_event = _model_field(Item, "per_event")
    lower_is_better = _model_field(Item, "lower_is_better")
    order = _model_field(Item, "order")

    def __init__(self, *args, scheme: Scheme, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "请选择"), *metric_choices(scheme.subject_kind)]
        self.fields["indicator"].queryset = indicators
        for name in ("weight", "target", "cap", "step", "per_event"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"


class RunForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_run_%s")  # the scheme's page also holds the 红黑榜's period
        super().__init__(*args, **kwargs)

    period = forms.CharField(label="考核期", max_length=10, help_text="月度写 2026-10；季度写 2026-Q3；年度写 2026")


class HonorGenerateForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_honor_%s")
        super().__init__(*args, **kwargs)

    period = forms.CharField(label="月份", max_length=7, help_text="如 2026-10；月末之后才能生成")


class ManualValueForm(StyledFormMixin, forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    subject = forms.CharField(widget=forms.HiddenInput)
    value = forms.DecimalField(label="数值", max_digits=18, decimal_places=4)
    note = forms.CharField(label="说明", max_length=300, required=False)
    evidence = forms.FileField(
        label=ManualValue._meta.get_field("evidence").verbose_name,
        required=False,
        help_text="PDF、Word、Excel 或图片；已上传过的可不再上传",
    )


class HonorAddForm(StyledFormMixin, forms.Form):
    side = forms.ChoiceField(label="榜别", choices=[("", "请选择"), *HonorEntry.Side.choices])
    subject = forms.ChoiceField(label="对象")
    reason = forms.CharField(label="理由", max_length=300, help_text="如：按时、准确报送月报")

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "请选择"), *((subject.key, subject.name) for subject in subjects)]


class HonorRemoveForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label="移出说明", max_length=300, help_text="须写明移出的理由，公示前留档")
