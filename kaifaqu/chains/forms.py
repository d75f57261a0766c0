"""产业链 pages' forms: a chain, a link, placing an enterprise, a project or a 招商 target on a link."""

from __future__ import annotations

from django import forms

from kaifaqu.core.forms import StyledFormMixin

from .models import ChainLink, Task


def owner_choices(user, right: str, model) -> dict:
    """What an ``OwnerScopeMixin`` form offers the user: the zones it keeps, and its office's region
    when ``right`` lets it keep a ``model`` record of that region."""
    from kaifaqu.core.rights import can, restrict
    from kaifaqu.zones.models import Zone
    from kaifaqu.zones.selectors import office_region

    kept = restrict(user, "zone.change", Zone.objects.all()).order_by("region_id", "name")
    zones = [zone for zone in kept if can(user, right, model(zone=zone, region_id=zone.region_id))]
    region = office_region(user)
    if region is not None and not can(user, right, model(region=region)):
        region = None
    return {"zones": zones, "region": region}


def region_choice(region) -> tuple[str, str]:
    """An office's own region as a ``scope`` choice: 吕梁市（全市）, 山西省（全省）."""
    whole = "全省" if region.level == region.Level.PROVINCE else "全市"
    return f"region-{region.code}", f"{region.name}（{whole}）"


class OwnerScopeMixin:
    """The ``scope`` choice of a record owned by a zone or an office's region (a chain, a policy):
    the zones the user keeps, and the user's own office region when it may keep that."""

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
        label = self.fields["scope"].label
        raise forms.ValidationError(f"{label}：请选择您可以维护的开发区或本部门的行政区划。")


class ChainForm(OwnerScopeMixin, StyledFormMixin, forms.Form):
    name = forms.CharField(label="产业链名称", max_length=50, help_text="如：氢能、煤化工、铝系循环")
    scope = forms.ChoiceField(label="所属范围", help_text="开发区的产业链选开发区；市、省的产业链选主管部门的行政区划")
    chief = forms.CharField(label="链长", max_length=50, required=False)
    building = forms.BooleanField(label="在建链（建链）", required=False)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ChainEditForm(StyledFormMixin, forms.Form):
    """A chain's own facts on its page: name, 链长, 链主, being built; its scope stays."""

    name = forms.CharField(label="产业链名称", max_length=50)
    chief = forms.CharField(label="链长", max_length=50, required=False)
    leader_enterprise = forms.ModelChoiceField(
        label="链主企业", queryset=None, required=False, empty_label="（未指定）"
    )
    building = forms.BooleanField(label="在建链（建链）", required=False)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    order = forms.IntegerField(label="排序", min_value=0, max_value=32767, initial=100)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader_enterprise"].queryset = enterprises


class PolicyForm(OwnerScopeMixin, StyledFormMixin, forms.Form):
    title = forms.CharField(label="政策名称", max_length=200)
    issuer = forms.CharField(label="发文单位", max_length=100)
    number = forms.CharField(label="文号", max_length=60, required=False, help_text="如：孝政发〔2024〕12号")
    issued_on = forms.DateField(label="发布日期", required=False, help_text="不详可暂不填写（待补录）")
    scope = forms.ChoiceField(label="发布范围", help_text="开发区的政策选开发区；市、省的政策选主管部门的行政区划")
    summary = forms.CharField(label="主要内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    links = forms.ModelMultipleChoiceField(
        label="服务环节", queryset=None, required=False, help_text="按住 Ctrl（Mac 为 ⌘）可多选"
    )
    file = forms.FileField(label="政策文件", required=False, help_text="PDF、Word（.docx）或图片")

    def __init__(self, *args, links, scope_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["links"].queryset = links
        self.fields["links"].label_from_instance = lambda link: f"{link.chain.name} › {link.name}"
        self.fields["links"].widget.attrs["size"] = 8
        if not scope_required:  # changing a policy: it stays where it was published
            del self.fields["scope"]


class LinkForm(StyledFormMixin, forms.Form):
    segment = forms.ChoiceField(label="链段", choices=ChainLink.Segment.choices)
    name = forms.CharField(label="环节名称", max_length=50)
    status = forms.ChoiceField(
        label="现状", choices=ChainLink.Status.choices, help_text="已有→强链，薄弱→补链，缺失→延链"
    )
    parent = forms.ModelChoiceField(
        label="上级环节", queryset=ChainLink.objects.none(), required=False, empty_label="（无，直接属于链段）"
    )
    note = forms.CharField(label="说明", max_length=200, required=False)
    order = forms.IntegerField(label="排序", min_value=0, max_value=32767, initial=100)

    def __init__(self, *args, chain, link=None, autofocus=False, **kwargs):
        super().__init__(*args, **kwargs)
        parents = ChainLink.objects.filter(chain=chain).in_chain_order()
        if link is not None and link.pk:
            parents = parents.exclude(pk=link.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda item: f"{item.get_segment_display()} › {item.name}"
        if autofocus:  # the page of its own; on the chain's page it would scroll past the links
            self.fields["segment"].widget.attrs["autofocus"] = True


class EnterprisePlaceForm(StyledFormMixin, forms.Form):
    enterprise = forms.ModelChoiceField(label="企业", queryset=None, empty_label="请选择企业")
    product = forms.CharField(label="主要产品", max_length=100, required=False)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class ProjectPlaceForm(StyledFormMixin, forms.Form):
    project = forms.ModelChoiceField(label="项目", queryset=None, empty_label="请选择项目")
    task = forms.ChoiceField(label="链条任务", choices=Task.choices)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda item: f"{item.name}（{item.get_stage_display()}）"


class TargetPlaceForm(StyledFormMixin, forms.Form):
    target = forms.ModelChoiceField(label="目标企业", queryset=None, empty_label="请选择目标企业")

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets


class PolicyPlaceForm(StyledFormMixin, forms.Form):
    policy = forms.ModelChoiceField(label="政策", queryset=None, empty_label="请选择已登记的政策")

    def __init__(self, *args, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = policies


PLACE_FORMS = {
    "enterprise": EnterprisePlaceForm,
    "project": ProjectPlaceForm,
    "target": TargetPlaceForm,
    "policy": PolicyPlaceForm,
}
