from django import forms

from kaifaqu.core.forms import StyledFormMixin
from kaifaqu.projects import lifecycle
from kaifaqu.projects.models import Project, Stage

from .models import Batch, Campaign
from .selectors import ScopeNotFound, campaign_scope


class CampaignForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="活动名称", max_length=100, help_text="如：吕梁市2025年第一季度“三个一批”活动")
    held_on = forms.DateField(label="活动日期")
    level = forms.ChoiceField(label="活动级别", choices=Campaign.Level.choices, initial=Campaign.Level.CITY)
    scope = forms.CharField(
        label="活动范围", max_length=100, help_text="省、市、县（市、区）或开发区的名称，如 吕梁市、孝义经开区"
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def clean_scope(self):
        try:
            return campaign_scope(self.cleaned_data["scope"])
        except ScopeNotFound as exc:
            raise forms.ValidationError(str(exc)) from exc


class EntryForm(StyledFormMixin, forms.Form):
    batch = forms.ChoiceField(label="批次", choices=Batch.choices)
    project = forms.ModelChoiceField(label="项目", queryset=Project.objects.none(), empty_label="请选择项目")
    investment = forms.DecimalField(
        label="计入投资（万元）",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="签约一批填签约投资额；留空则取项目总投资",
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        # Projects that could be in some batch: signed or later (the service checks the dates
        # and says why when one does not fit).
        signed_or_later = [stage for stage in lifecycle.ORDER if lifecycle.RANK[stage] >= lifecycle.RANK[Stage.SIGNED]]
        self.fields["project"].queryset = (
            projects.filter(stage__in=signed_or_later).select_related("zone").order_by("zone__name", "name")
        )
        self.fields["project"].label_from_instance = lambda project: (
            f"{project.name}（{project.zone.short_name or project.zone.name}，{project.get_stage_display()}）"
        )
