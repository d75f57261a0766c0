"""The leads board's filters and the form of a lead's 招商 facts."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet

from kaifaqu.core.forms import StyledFormMixin
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.projects.models import Project

from .models import Activity, InvestmentMode, Lead, PlatformCompany, Target

NO_MODE = "none"  # the board's filter value for leads whose 招商方式 is not filled in


class BoardFilterForm(StyledFormMixin, forms.Form):
    mode = forms.ChoiceField(label="招商方式", required=False)
    q = forms.CharField(label="搜索", required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        modes = InvestmentMode.objects.filter(active=True)
        self.fields["mode"].choices = [
            ("", "全部招商方式"),
            *((str(mode.pk), mode.name) for mode in modes),
            (NO_MODE, "未填写"),
        ]
        self.fields["q"].widget.attrs.update({"placeholder": "项目名称、目标企业、产业", "type": "search"})

    def filter(self, projects: QuerySet[Project]) -> QuerySet[Project]:
        if not self.is_valid():
            return projects
        mode = self.cleaned_data["mode"]
        if mode == NO_MODE:
            projects = projects.filter(Q(lead__isnull=True) | Q(lead__mode__isnull=True))
        elif mode:
            projects = projects.filter(lead__mode_id=int(mode))
        text = " ".join(self.cleaned_data["q"].split())
        if text:
            projects = projects.filter(
                Q(name__icontains=text)
                | Q(lead__target__name__icontains=text)
                | Q(industry__icontains=text)
                | Q(enterprise__name__icontains=text)
            )
        return projects

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


# Which detail field each source needs; the others are cleared when the source changes.
SOURCE_DETAIL = {
    Lead.Source.PERSON: "source_person",
    Lead.Source.PLATFORM: "source_platform",
    Lead.Source.ENTERPRISE: "source_enterprise",
    Lead.Source.EVENT: "source_activity",
}


class LeadFactsForm(StyledFormMixin, forms.ModelForm):
    """招商方式, 线索来源 with its detail, 目标企业. The selects offer the project's zone only;
    a value posted from another zone is left to ``services.lead_save``, which says why."""

    class Meta:
        model = Lead
        fields = [
            "mode",
            "source",
            "source_person",
            "source_platform",
            "source_enterprise",
            "source_activity",
            "target",
        ]

    def __init__(self, *args, project: Project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        current_mode = self.instance.mode_id if self.instance.pk else None
        self.fields["mode"].queryset = InvestmentMode.objects.filter(Q(active=True) | Q(pk=current_mode))
        self.fields["mode"].widget.attrs["autofocus"] = True
        self.fields["source"].widget.attrs.update({"data-source-select": ""})
        zone_id = project.zone_id
        offered = {
            "source_platform": (PlatformCompany.objects.visible_to(user), "name"),
            "source_enterprise": (Enterprise.objects.visible_to(user), "name"),
            "source_activity": (Activity.objects.visible_to(user), "-start_on"),
            "target": (Target.objects.visible_to(user), "name"),
        }
        for name, (queryset, order) in offered.items():
            field = self.fields[name]
            field.queryset = queryset  # any visible row is accepted here; the service checks its zone
            own = queryset.filter(zone_id=zone_id).order_by(order)
            if name == "source_activity":
                labels = [(row.pk, f"{row.start_on:%Y-%m-%d} {row.get_kind_display()} {row.title}") for row in own]
            else:
                labels = [(row.pk, str(row)) for row in own]
            field.widget.choices = [("", "---------"), *labels]

    def shown_source(self) -> str:
        """The source whose detail field the form shows: the one posted or stored."""
        if self.is_bound:
            return self.data.get("source", "")
        return self.initial.get("source") or self.instance.source or ""

    def detail_field(self):
        name = SOURCE_DETAIL.get(self.shown_source())
        return self[name] if name else None

    def facts(self) -> dict:
        """What the service saves: the chosen source's detail, the others cleared."""
        data = dict(self.cleaned_data)
        for source, name in SOURCE_DETAIL.items():
            if data.get("source") != source:
                data[name] = "" if name == "source_person" else None
        return data
