"""Forms of the request ledger; the services check the rules, these only shape the input."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from kaifaqu.core.forms import StyledFormMixin
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.projects.models import Project

from .models import AgencyItem, Category, ConstructionKind, Urgency


class RequestForm(StyledFormMixin, forms.Form):
    enterprise = forms.ModelChoiceField(
        label="企业", queryset=Enterprise.objects.none(), required=False, empty_label="请选择企业"
    )
    project = forms.ModelChoiceField(
        label="相关项目", queryset=Project.objects.none(), required=False, empty_label="（不涉及具体项目）"
    )
    title = forms.CharField(label="诉求事项", max_length=200)
    description = forms.CharField(label="具体情况", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label="类别", choices=[("", "请选择"), *Category.choices])
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    received_on = forms.DateField(label="受理日期", required=False, help_text="不填为今天")

    def __init__(self, *args, enterprises, projects, for_enterprise: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        if for_enterprise:  # an enterprise files for itself, today
            del self.fields["enterprise"]
            del self.fields["received_on"]
        else:
            self.fields["enterprise"].queryset = enterprises
            self.fields["enterprise"].help_text = "企业和项目至少选一项"


class AssignForm(StyledFormMixin, forms.Form):
    department = forms.CharField(label="承办部门", max_length=100, required=False)
    assignee = forms.ModelChoiceField(
        label="承办人", queryset=get_user_model().objects.none(), required=False, empty_label="（只交办部门）"
    )
    due_on = forms.DateField(label="交办时限")
    note = forms.CharField(label="交办意见", required=False, max_length=300)

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.username


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label="催办内容", required=False, max_length=300)


class EscalateForm(StyledFormMixin, forms.Form):
    leader = forms.CharField(label="督办领导", max_length=50)
    note = forms.CharField(label="督办事由", required=False, max_length=300)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ResolveForm(StyledFormMixin, forms.Form):
    resolution = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label="附件", required=False, help_text="可多选：PDF、Word、Excel、图片")


class ReopenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="退回原因", max_length=300)


class RateForm(StyledFormMixin, forms.Form):
    satisfaction = forms.TypedChoiceField(
        label="满意度",
        coerce=int,
        choices=[(5, "5 非常满意"), (4, "4 满意"), (3, "3 基本满意"), (2, "2 不满意"), (1, "1 很不满意")],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(label="评价意见", required=False, max_length=300)


class ChecklistForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="项目类型", choices=[("", "请选择"), *ConstructionKind.choices])
    agent = forms.ModelChoiceField(
        label="代办员", queryset=get_user_model().objects.none(), required=False, empty_label="（暂不指定）"
    )
    commitment = forms.BooleanField(label="按承诺制办理", required=False)

    def __init__(self, *args, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents
        self.fields["agent"].label_from_instance = lambda user: user.get_full_name() or user.username


class AgencyItemForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label="状态", choices=AgencyItem.Status.choices)
    agent = forms.ModelChoiceField(
        label="代办员", queryset=get_user_model().objects.none(), required=False, empty_label="（暂不指定）"
    )
    started_on = forms.DateField(label="启动日期", required=False)
    finished_on = forms.DateField(label="办结日期", required=False)
    commitment = forms.BooleanField(label="承诺制", required=False)
    note = forms.CharField(label="备注", required=False, max_length=300)

    def __init__(self, *args, agents, form_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents
        self.fields["agent"].label_from_instance = lambda user: user.get_full_name() or user.username
        for name, field in self.fields.items():
            # One form per table row: the inputs name their form, which sits outside the table.
            field.widget.attrs |= {"form": form_id, "aria-label": field.label} if form_id else {}
            if name != "commitment":
                field.widget.attrs["class"] += (
                    " form-control-sm" if "form-control" in field.widget.attrs["class"] else ""
                )
