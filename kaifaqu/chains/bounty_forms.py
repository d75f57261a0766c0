"""揭榜挂帅 pages' forms: a board, a bounty on it, a claim (揭榜), a progress report, a 验收."""

from __future__ import annotations

from django import forms

from kaifaqu.core.forms import StyledFormMixin
from kaifaqu.projects.models import local_today

from .forms import region_choice
from .models import Bounty, BountyClaim

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EVIDENCE_HELP = "可上传 .pdf、.docx、.xlsx 文件或 .jpg、.png 照片"


class BoardForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="榜单名称", max_length=200, help_text="如：2025年重点招引项目榜单")
    scope = forms.ChoiceField(label="发布范围", help_text="开发区的榜单选开发区；市、省的榜单选主管部门的行政区划")
    deadline = forms.DateField(label="揭榜截止日期", widget=DATE)
    reward_note = forms.CharField(
        label="奖励说明", required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="如：验收通过的给予重奖"
    )
    description = forms.CharField(label="榜单说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, zones, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "请选择")]
        if region is not None:
            choices.append(region_choice(region))
        choices += [(f"zone-{zone.pk}", zone.name) for zone in zones]
        self.fields["scope"].choices = choices
        self._zones = {f"zone-{zone.pk}": zone for zone in zones}
        self._region = region

    def clean_scope(self):
        value = self.cleaned_data["scope"]
        if value in self._zones:
            return {"zone": self._zones[value]}
        if self._region is not None and value == f"region-{self._region.code}":
            return {"zone": None, "region": self._region}
        raise forms.ValidationError("发布范围：请选择您可以发布榜单的开发区或本部门的行政区划。")


class BoardEditForm(StyledFormMixin, forms.Form):
    title = BoardForm.base_fields["title"]
    deadline = BoardForm.base_fields["deadline"]
    reward_note = BoardForm.base_fields["reward_note"]
    description = BoardForm.base_fields["description"]


class BountyForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="榜的类型", choices=Bounty.Kind.choices)
    title = forms.CharField(label="榜题", max_length=200, help_text="如：引进氢燃料电池零部件项目")
    goal = forms.DecimalField(
        label="目标值（万元）",
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="项目落地：项目投资额；签约：签约投资额；招引投资额：期内招引额。关联项目时可留空（取项目总投资）",
    )
    project = forms.ModelChoiceField(label="关联项目", queryset=None, required=False, empty_label="（不关联）")
    target = forms.ModelChoiceField(label="目标企业", queryset=None, required=False, empty_label="（不关联）")
    period_start = forms.DateField(label="考核期起", required=False, widget=DATE)
    period_end = forms.DateField(label="考核期止", required=False, widget=DATE)
    deadline = forms.DateField(label="完成时限", required=False, widget=DATE)
    link = forms.ModelChoiceField(label="服务环节", queryset=None, required=False, empty_label="（不关联）")
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, projects, targets, links, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["target"].queryset = targets
        self.fields["link"].queryset = links
        self.fields["link"].label_from_instance = lambda item: f"{item.chain.name} › {item.name}"


class ClaimForm(StyledFormMixin, forms.Form):
    team = forms.CharField(label="团队名称", max_length=100, required=False, help_text="如：招商一局氢能专班")
    pledge = forms.CharField(label="承诺", max_length=300, required=False, help_text="如：年内签约落地")


class ProgressForm(StyledFormMixin, forms.Form):
    reported_on = forms.DateField(label="报告日期", widget=DATE, initial=local_today)
    value = forms.DecimalField(
        label="累计完成（万元）", max_digits=14, decimal_places=2, help_text="截至报告日期累计完成的投资额"
    )
    note = forms.CharField(label="进展说明", max_length=500, required=False)
    evidence = forms.FileField(label="佐证材料", required=False, help_text=EVIDENCE_HELP)


class VerifyForm(StyledFormMixin, forms.Form):
    result = forms.ChoiceField(label="验收结果", choices=[("", "请选择"), *BountyClaim.Result.choices])
    achieved = forms.DecimalField(label="验收完成值（万元）", max_digits=14, decimal_places=2)
    verified_on = forms.DateField(label="验收日期", widget=DATE, initial=local_today)
    note = forms.CharField(label="验收意见", max_length=300, required=False)
    evidence = forms.FileField(label="验收材料", required=False, help_text=EVIDENCE_HELP)
