"""Forms of the activity pages: a 招商活动 (with the companies met), a lead made of a company met,
an attachment, and a 平台公司.

The views save through ``services``; these forms only show the fields, limit the selects to the
zone's own records and say in Chinese which field is wrong and why.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from kaifaqu.core.forms import AmountConfirmMixin, ServiceModelForm, StyledFormMixin
from kaifaqu.core.rights import restrict
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.projects.models import Project, local_today
from kaifaqu.zones.models import Membership, Zone

from .models import Activity, InvestmentMode, PlatformCompany, Target
from .selectors import LEAD_STAGES

Kind = Activity.Kind
# Which kinds each kind-specific field belongs to (the page shows them by kind; without JS all show).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "end_on": (Kind.TRIP, Kind.EVENT),
    "leader": (Kind.TRIP, Kind.VISIT, Kind.AGREEMENT, Kind.EVENT),
    "members": (Kind.TRIP, Kind.EVENT),
    "depth": (Kind.TALK,),
    "agreement_kind": (Kind.AGREEMENT,),
    "signed_amount": (Kind.AGREEMENT,),
}
# 地区 is named after what it is for each kind (the page relabels it; this is the label without JS).
REGION_LABELS = {
    Kind.TRIP: "目的地",
    Kind.VISIT: "来源地",
    Kind.TALK: "对方所在地",
    Kind.AGREEMENT: "对方所在地",
    Kind.EVENT: "地点",
}


def writable_zones(user) -> QuerySet[Zone]:
    return restrict(user, "investment.change", Zone.objects.all()).order_by("region_id", "name")


def _person(user) -> str:
    return user.get_full_name() or user.username


def leader_choices(zones: list[Zone]) -> list:
    """The zones' committee members, 班子成员 first (grouped by zone when there are several)."""
    members = (
        Membership.objects.filter(unit__kind="zone", unit__zone__in=zones)
        .select_related("user", "unit__zone")
        .order_by("unit__zone_id", "-is_leadership", "pk")
    )
    choices: list = [("", "请选择（可不填）")]
    groups: dict[str, list] = {}
    for member in members:
        if not member.user.is_active:
            continue
        title = f"（{member.title}）" if member.title else ""
        group = "班子成员" if member.is_leadership else "其他成员"
        if len(zones) > 1:
            group = f"{member.unit.zone.display_name} · {group}"
        groups.setdefault(group, []).append((member.user_id, f"{_person(member.user)}{title}"))
    return choices + list(groups.items())


def _grouped(items, zones: list[Zone], label) -> list:
    if len(zones) <= 1:
        return [(item.pk, label(item)) for item in items]
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item.zone.display_name, []).append((item.pk, label(item)))
    return list(groups.items())


class OwnZoneMixin:
    """The zone field of a user with one zone is hidden; a post without it means that zone."""

    only_zone: Zone | None = None

    def clean_zone(self):
        zone = self.cleaned_data.get("zone")
        if zone is None and self.only_zone is not None:
            return self.only_zone
        if zone is None:
            raise forms.ValidationError("开发区：请选择开发区。")
        return zone


class ActivityForm(OwnZoneMixin, AmountConfirmMixin, ServiceModelForm):
    """A 招商活动: the kind first, then the fields of that kind, the companies met and the leads."""

    targets = forms.ModelMultipleChoiceField(
        label="对接企业（目标企业库）",
        queryset=Target.objects.none(),
        required=False,
        help_text="按住 Ctrl（苹果电脑按 ⌘）可多选",
    )
    new_targets = forms.CharField(
        label="新接触的企业（每行一个）",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "目标企业库中还没有的企业，保存后列入目标企业库（已接触）"}
        ),
    )
    leads = forms.ModelMultipleChoiceField(
        label="相关招商线索",
        queryset=Project.objects.none(),
        required=False,
        help_text="本开发区备案前的项目",
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "zone",
            "title",
            "start_on",
            "end_on",
            "region",
            "leader",
            "members",
            "depth",
            "agreement_kind",
            "signed_amount",
            "summary",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, zone: Zone | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        zones = writable_zones(user)
        if self.instance.pk:
            del self.fields["zone"]
            fixed = self.instance.zone
        else:
            self.fields["zone"].queryset = zones
            self.fields["zone"].empty_label = "请选择开发区"
            if not self.is_bound:
                chosen = zone if zone is not None and zones.filter(pk=zone.pk).exists() else None
                if chosen is None and zones.count() == 1:
                    chosen = zones.first()
                if chosen is not None:
                    self.initial["zone"] = chosen.pk
            fixed = self._chosen_zone(zones)
            if zones.count() == 1:  # the user's own zone, said nowhere: taken when not posted
                self.only_zone = zones.first()
                self.fields["zone"].widget = forms.HiddenInput()
                self.fields["zone"].required = False
                fixed = fixed or self.only_zone
        self.zone = fixed
        offered = [fixed] if fixed is not None else list(zones)
        self._limit_choices(offered)
        kind = self.fields["kind"]
        kind.choices = [("", "请选择"), *Kind.choices]
        kind.widget.attrs.update({"autofocus": True, "data-activity-kind": ""})
        self.fields["title"].widget.attrs["placeholder"] = "如 赴深圳开展新能源产业链招商"
        self.fields["region"].label = "地区（目的地/来源地/地点）"
        self.fields["region"].help_text = "外出招商填目的地，来访填客商来源地，推介会填举办地点"
        self.fields["members"].widget.attrs["placeholder"] = "参加人员姓名，用顿号分隔"
        self.fields["depth"].choices = [("", "请选择"), *Activity.Depth.choices]
        self.fields["agreement_kind"].choices = [("", "请选择"), *Activity.AgreementKind.choices]
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("start_on", local_today())
        if self.instance.pk and not self.is_bound:
            self.initial["targets"] = list(self.instance.targets.values_list("pk", flat=True))
            self.initial["leads"] = list(self.instance.leads.values_list("pk", flat=True))
        for name, kinds in KIND_FIELDS.items():
            self.fields[name].widget.attrs["data-kinds"] = " ".join(kinds)
        self.fields["region"].widget.attrs["data-region-labels"] = "|".join(
            f"{kind}:{label}" for kind, label in REGION_LABELS.items()
        )
        self.style_fields()

    def _chosen_zone(self, zones) -> Zone | None:
        wanted = self.data.get("zone") if self.is_bound else self.initial.get("zone")
        return zones.filter(pk=wanted).first() if str(wanted or "").isdigit() else None

    def _limit_choices(self, zones: list[Zone]) -> None:
        targets = Target.objects.filter(zone__in=zones).select_related("zone").order_by("zone_id", "name")
        self.fields["targets"].queryset = targets
        self.fields["targets"].choices = _grouped(targets, zones, lambda t: t.name)
        self.fields["targets"].widget.attrs["size"] = min(8, max(3, targets.count()))
        linked = self.instance.leads.values("pk") if self.instance.pk else Project.objects.none()
        projects = (
            Project.objects.filter(zone__in=zones)
            .filter(Q(stage__in=LEAD_STAGES) | Q(pk__in=linked))
            .select_related("zone")
            .order_by("zone_id", "-id")
        )
        self.fields["leads"].queryset = projects
        self.fields["leads"].choices = _grouped(projects, zones, lambda p: f"{p.name}（{p.get_stage_display()}）")
        self.fields["leads"].widget.attrs["size"] = min(6, max(3, projects.count()))
        leaders = get_user_model().objects.filter(membership__unit__kind="zone", membership__unit__zone__in=zones)
        self.fields["leader"].queryset = leaders
        self.fields["leader"].choices = leader_choices(zones)
        self.fields["leader"].help_text = "本开发区管委会成员，班子成员在前"

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind:
            # What the kind does not carry is dropped (the page hides those fields; without JS they show).
            for name, kinds in KIND_FIELDS.items():
                if kind not in kinds and name in data:
                    data[name] = None if name in ("end_on", "leader", "signed_amount") else ""
                    self.errors.pop(name, None)
        return data

    def new_target_names(self) -> list[str]:
        text = self.cleaned_data.get("new_targets") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def changed_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class ActivityLeadForm(AmountConfirmMixin, StyledFormMixin, forms.Form):
    """转为招商线索: a company met at the activity becomes a project at 初步对接."""

    target = forms.ModelChoiceField(label="对接企业", queryset=Target.objects.none())
    name = forms.CharField(label="项目名称", max_length=200)
    total_investment = forms.DecimalField(
        label="总投资（万元）", max_digits=14, decimal_places=2, min_value=0, help_text="单位：万元；尚不确定可填 0"
    )
    mode = forms.ModelChoiceField(label="招商方式", queryset=InvestmentMode.objects.none(), required=False)

    def __init__(self, *args, targets: QuerySet[Target], chosen: Target | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets
        self.fields["target"].empty_label = "请选择"
        self.fields["target"].widget.attrs["data-lead-target"] = ""
        self.fields["mode"].queryset = InvestmentMode.objects.filter(active=True)
        self.fields["mode"].empty_label = "请选择"
        self.fields["name"].widget.attrs["data-lead-name"] = ""
        if not self.is_bound:
            if chosen is not None:
                self.initial.update(target=chosen.pk, name=f"{chosen.name}项目")
                self.fields["name"].widget.attrs["autofocus"] = True
            else:
                self.fields["target"].widget.attrs["autofocus"] = True
        else:
            self.fields["target"].widget.attrs["autofocus"] = True


class ActivityFileForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="照片或纪要", help_text="可上传 .jpg、.png 照片，.pdf、.docx、.xlsx 纪要")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.pdf,.docx,.xlsx,.xls"
        self.fields["file"].error_messages["required"] = "请选择要上传的照片或纪要文件。"


class PlatformForm(OwnZoneMixin, ServiceModelForm):
    """A 平台公司: its zone's enterprises and projects only."""

    class Meta:
        model = PlatformCompany
        fields = [
            "name",
            "zone",
            "enterprise",
            "established_on",
            "registered_capital",
            "duties",
            "commissioned_projects",
            "note",
        ]
        widgets = {"duties": forms.Textarea(attrs={"rows": 2}), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, zone: Zone | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        zones = restrict(user, "platform.change", Zone.objects.all()).order_by("region_id", "name")
        if self.instance.pk:
            del self.fields["zone"]
            fixed = self.instance.zone
        else:
            self.fields["zone"].queryset = zones
            self.fields["zone"].empty_label = "请选择开发区"
            if not self.is_bound:
                chosen = zone if zone is not None and zones.filter(pk=zone.pk).exists() else None
                if chosen is None and zones.count() == 1:
                    chosen = zones.first()
                if chosen is not None:
                    self.initial["zone"] = chosen.pk
            wanted = self.data.get("zone") if self.is_bound else self.initial.get("zone")
            fixed = zones.filter(pk=wanted).first() if str(wanted or "").isdigit() else None
            if zones.count() == 1:  # the user's own zone, said nowhere: taken when not posted
                self.only_zone = zones.first()
                self.fields["zone"].widget = forms.HiddenInput()
                self.fields["zone"].required = False
                fixed = fixed or self.only_zone
        self.zone = fixed
        offered = [fixed] if fixed is not None else list(zones)
        enterprises = Enterprise.objects.filter(zone__in=offered).select_related("zone").order_by("zone_id", "name")
        self.fields["enterprise"].queryset = enterprises
        self.fields["enterprise"].choices = [("", "不关联"), *_grouped(enterprises, offered, lambda e: e.name)]
        projects = Project.objects.filter(zone__in=offered).select_related("zone").order_by("zone_id", "-id")
        self.fields["commissioned_projects"].queryset = projects
        self.fields["commissioned_projects"].choices = _grouped(projects, offered, lambda p: p.name)
        self.fields["commissioned_projects"].widget.attrs["size"] = min(8, max(3, projects.count()))
        self.fields["commissioned_projects"].help_text = "公司受托建设的本开发区项目；按住 Ctrl（苹果电脑按 ⌘）可多选"
        self.fields["name"].widget.attrs["autofocus"] = True
        self.fields["name"].widget.attrs["placeholder"] = "如 孝义经开区投资运营有限公司"

    def validate_unique(self):
        pass  # a clash is said under 公司名称 by ``clean``

    def clean(self):
        data = super().clean()
        zone = data.get("zone") or self.zone
        name = data.get("name")
        if zone and name:
            clash = PlatformCompany.objects.filter(zone=zone, name=name)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", f"公司名称：{zone.name}已登记平台公司“{name}”。")
        return data

    def changed_fields(self) -> dict:
        skip = {"commissioned_projects"}
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name in self.cleaned_data and name not in skip
        }
