"""Forms of the shared catalogues; ``catalogue`` checks the rules, these only shape the input."""

from __future__ import annotations

from django import forms

from kaifaqu.core.forms import ServiceModelForm, StyledFormMixin

from .catalogue import LEVEL_FIELDS, MAX_DAYS, level_key
from .models import ApprovalType, Category, ConstructionKind


def _days_input(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,  # the service names the empty cell, with the rest of the table's problems
        error_messages={"invalid": f"{label}须为整数天数。"},
        widget=forms.NumberInput(
            attrs={
                "min": 1,
                "max": MAX_DAYS,
                "step": 1,
                "inputmode": "numeric",
                "class": "form-control form-control-sm",
            }
        ),
    )


class ServiceLevelsForm(StyledFormMixin, forms.Form):
    """One row per category, two inputs each: ``<category>-days`` and ``<category>-urgent_days``."""

    def __init__(self, *args, stored: dict[str, tuple[int | None, int | None]], **kwargs):
        super().__init__(*args, **kwargs)
        for category in Category.values:
            for field, value in zip(LEVEL_FIELDS, stored.get(category, (None, None)), strict=True):
                name = level_key(category, field)
                self.fields[name] = _days_input(f"{Category(category).label}的{LEVEL_FIELDS[field]}")
                self.initial[name] = value
        self.style_fields()

    def rows(self):
        """(category label, [days field, urgent days field]), in the categories' order."""
        for category, label in Category.choices:
            yield label, [self[level_key(category, field)] for field in LEVEL_FIELDS]

    def values(self) -> dict[str, tuple[int | None, int | None]]:
        return {
            category: tuple(self.cleaned_data.get(level_key(category, field)) for field in LEVEL_FIELDS)
            for category in Category.values
        }


class ApprovalTypeForm(ServiceModelForm):
    kinds = forms.MultipleChoiceField(
        label="适用项目",
        choices=ConstructionKind.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": "请至少选择一种适用的项目类型。"},
        help_text="生成代办清单时，只列入适用于该项目类型的事项",
    )

    class Meta:
        model = ApprovalType
        fields = ["name", "standard_days", "kinds", "department", "order", "active"]
        labels = {"standard_days": "承诺办理时限（天）"}
        help_texts = {
            "standard_days": "事项启动后按此天数（自然日）计算应办结日期",
            "order": "代办清单按此从小到大排列",
            "active": "停用的事项不再列入新生成的代办清单，已有的代办事项不受影响",
        }
        error_messages = {
            "name": {
                "required": "请填写审批事项的名称。",
                "unique": "已有同名的审批事项，请换一个名称，或编辑已有的事项。",
            },
            "standard_days": {
                "required": "请填写承诺办理时限。",
                "invalid": "承诺办理时限须为整数天数。",
                "min_value": "承诺办理时限至少为 1 天。",
            },
            "order": {"required": "请填写排序。", "invalid": "排序须为整数。"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser's own hint; the service holds the rule (at least 1 day).
        self.fields["standard_days"].widget.attrs.update({"min": 1, "max": MAX_DAYS, "inputmode": "numeric"})
