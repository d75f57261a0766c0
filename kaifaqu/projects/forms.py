"""Forms of the project ledger pages. They parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.urls import reverse
from django.utils import timezone

from kaifaqu.core.forms import AmountConfirmMixin, DateInput, ServiceModelForm, StyledFormMixin
from kaifaqu.core.rights import restrict
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.zones.models import Park, Zone

from . import lifecycle
from .completeness import Gap, project_gaps
from .models import Milestone, PlanCategory, PriorityLevel, ProgressReport, Project, Stage
from .rights import reachable_stages

PROJECT_FIELDS = [
    "name",
    "zone",
    "park",
    "enterprise",
    "project_code",
    "industry",
    "content",
    "total_investment",
    "plan_year",
    "year_planned_investment",
    "land_area_mu",
    "plan_category",
    "priority_level",
    "completed",
    "completed_on",
    "in_statistics",
    "in_statistics_on",
    "liaison_leader",
    "agent",
    "task_force",
    "remark",
]


class ProjectForm(AmountConfirmMixin, ServiceModelForm):
    """Ledger fields of a project. Park, enterprise and plan category follow the chosen zone."""

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {"content": forms.Textarea(attrs={"rows": 3}), "remark": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            # The version the user is editing: a save based on it is refused if someone saved meanwhile.
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=self.instance.version
            )
        self.fields["zone"].queryset = restrict(user, "project.create", Zone.objects.all())
        self.fields["zone"].empty_label = "请选择开发区"
        self.fields["zone"].widget.attrs.update(
            {"hx-get": reverse("projects:zone_fields"), "hx-target": "#zone-fields", "hx-trigger": "change"}
        )
        zones = self.fields["zone"].queryset
        if not self.is_bound and not self.instance.pk and zones.count() == 1:
            self.initial["zone"] = zones.first().pk
        self.fields["plan_year"].initial = timezone.localdate().year
        self.fields["priority_level"].choices = [("", "（非重点项目）"), *PriorityLevel.choices]
        self.fields["name"].widget.attrs["autofocus"] = True
        self.fields["project_code"].widget.attrs["placeholder"] = "如 2025-141181-26-03-012345"
        self.limit_to_zone(self.selected_zone())

    def selected_zone(self) -> Zone | None:
        raw = self.data.get(self.add_prefix("zone")) if self.is_bound else self.initial.get("zone")
        if raw is None and self.instance.pk:
            return self.instance.zone
        try:
            return self.fields["zone"].queryset.get(pk=getattr(raw, "pk", raw))
        except (Zone.DoesNotExist, ValueError, TypeError):
            return None

    def limit_to_zone(self, zone: Zone | None) -> None:
        """Offer only the parks, enterprises and plan categories of ``zone``."""
        if zone is None:
            for name in ("park", "enterprise", "plan_category"):
                self.fields[name].queryset = self.fields[name].queryset.none()
                self.fields[name].empty_label = "请先选择开发区"
            return
        self.fields["park"].queryset = Park.objects.filter(zone=zone)
        self.fields["enterprise"].queryset = Enterprise.objects.filter(zone=zone).order_by("name")
        self.fields["plan_category"].queryset = PlanCategory.objects.for_zone(zone)
        self.fields["park"].empty_label = "（不在具体园区）"
        self.fields["enterprise"].empty_label = "（暂无建设单位）"
        self.fields["plan_category"].empty_label = "（未分类）"


class ProjectCreateForm(ProjectForm):
    """A new project, which may be registered at a later stage with that stage's dates."""

    stage = forms.ChoiceField(
        label="当前阶段",
        choices=[(stage, Stage(stage).label) for stage in lifecycle.ORDER],
        initial=Stage.PLANNING,
        help_text="已在推进中的项目可直接登记到当前阶段，并填写各阶段日期。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].widget.attrs.update({"class": "form-select", "data-stage-select": ""})
        for stage, name in lifecycle.DATE_FIELD.items():
            if stage == Stage.TERMINATED:
                continue
            self.fields[name] = forms.DateField(
                label=lifecycle.date_label(name),
                required=False,
                widget=DateInput(attrs={"class": "form-control", "data-stage-rank": lifecycle.RANK[stage]}),
            )

    def stage_dates(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in lifecycle.STAGE_DATE_FIELDS if name in self.cleaned_data}

    def date_fields(self):
        return [self[name] for name in lifecycle.STAGE_DATE_FIELDS if name in self.fields]


class StageMoveForm(StyledFormMixin, forms.Form):
    """The stage move dialog: target stage, the dates of the steps passed, code, reason."""

    to_stage = forms.ChoiceField(label="变更为")
    project_code = forms.CharField(label="项目代码", required=False, max_length=40)
    reason = forms.CharField(
        label="原因",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="退回、终止或恢复项目时必填。",
    )

    def __init__(self, *args, project: Project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        # Only the stages this user may move the project to (a 招商专员 does not see 已备案 … 已达产).
        # A stage posted anyway is left to the service, which says why it is not this user's move.
        reachable = set(reachable_stages(user, project))
        choices = [(stage, label) for stage, label in Stage.choices if stage != project.stage]
        self.fields["to_stage"].choices = choices
        self.fields["to_stage"].widget.choices = [(stage, label) for stage, label in choices if stage in reachable]
        self.fields["to_stage"].widget.attrs.update({"data-move-select": "", "autofocus": True})
        rank = lifecycle.RANK.get(project.stage)
        if rank is not None and rank + 1 < len(lifecycle.ORDER) and lifecycle.ORDER[rank + 1] in reachable:
            self.fields["to_stage"].initial = lifecycle.ORDER[rank + 1]  # the usual move: one step on
        self.fields["project_code"].initial = project.project_code
        for stage, name in lifecycle.DATE_FIELD.items():
            rank = lifecycle.RANK.get(stage, -1)
            self.fields[name] = forms.DateField(
                label=lifecycle.date_label(name),
                required=False,
                widget=DateInput(attrs={"class": "form-control", "data-stage-rank": rank}),
            )

    def date_fields(self):
        return [self[name] for name in lifecycle.STAGE_DATE_FIELDS]

    def dates(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in lifecycle.STAGE_DATE_FIELDS}


# What the 补录 dialog fills: the dates history left missing, and the 项目代码.
# 建设单位 and 行业 are filled in the edit form, with their selects and hints.
FILLED_IN_DIALOG = frozenset({*lifecycle.STAGE_DATE_FIELDS, "completed_on", "in_statistics_on", "project_code"})


def dialog_gaps(gaps: list[Gap]) -> list[Gap]:
    return [gap for gap in gaps if gap.key in FILLED_IN_DIALOG]


class GapFillForm(StyledFormMixin, forms.Form):
    """补录: a field for each date or code the project lacks (and only those)."""

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate().isoformat()
        for gap in dialog_gaps(project_gaps(project)):
            if gap.key == "project_code":
                self.fields[gap.key] = forms.CharField(
                    label=gap.label,
                    required=False,
                    max_length=40,
                    help_text="投资项目在线审批监管平台赋予的代码，如 2025-141181-26-03-012345。",
                )
            else:
                self.fields[gap.key] = forms.DateField(
                    label=gap.label, required=False, widget=DateInput({"max": today})
                )
        self.style_fields()

    def dates(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "project_code" and value}

    def project_code(self) -> str:
        return self.cleaned_data.get("project_code") or ""

    def filled_labels(self) -> list[str]:
        return [str(self.fields[name].label) for name, value in self.cleaned_data.items() if value]


class MilestoneForm(ServiceModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "planned_on", "owner", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _placeholders(self)


class MilestoneCompleteForm(StyledFormMixin, forms.Form):
    actual_on = forms.DateField(label="实际完成日期", required=False)


class ProgressForm(ServiceModelForm):
    class Meta:
        model = ProgressReport
        fields = ["reported_on", "investment", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()
        # A note without money is common: an empty amount means 0.
        self.fields["investment"].required = False
        self.fields["investment"].initial = None
        _placeholders(self)

    def clean_investment(self):
        return self.cleaned_data.get("investment") or Decimal("0")


def _placeholders(form) -> None:
    """Inline forms show no labels: the label becomes the placeholder and the accessible name."""
    for field in form.fields.values():
        field.widget.attrs.setdefault("placeholder", field.label)
        field.widget.attrs.setdefault("aria-label", field.label)
        field.widget.attrs["class"] += " form-control-sm"


class PlanCategoryForm(ServiceModelForm):
    class Meta:
        model = PlanCategory
        fields = ["name", "order"]
