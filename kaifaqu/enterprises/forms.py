from django import forms

from kaifaqu.core.forms import ServiceModelForm
from kaifaqu.core.rights import restrict
from kaifaqu.zones.models import Zone

from .models import Enterprise, IndustryClass


def _liaisons(zones):
    """Members of the zones' committees: the people an enterprise can be given to (包联)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(membership__unit__zone__in=zones, is_active=True).order_by("username")


class EnterpriseForm(ServiceModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "zone",
            "industry",
            "address",
            "contact_person",
            "contact_phone",
            "is_above_scale",
            "is_four_above",
            "above_scale_year",
            "converted_year",
            "is_high_tech",
            "specialised",
            "is_chain_leader",
            "is_listed",
            "industry_class",
            "liaison",
            "liaison_leader",
        ]
        help_texts = {
            "above_scale_year": "成为规上企业（小升规）的年度",
            "converted_year": "由个体工商户转为企业的年度",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The version the user is editing: a save based on it is refused if someone saved meanwhile.
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=self.instance.version
            )
        zones = restrict(user, "enterprise.change", Zone.objects.all())
        self.fields["zone"].queryset = zones
        self.fields["zone"].empty_label = "请选择开发区"
        if not self.is_bound and not self.instance.pk and zones.count() == 1:
            self.initial["zone"] = zones.first().pk
        self.fields["name"].widget.attrs["autofocus"] = True
        self.fields["industry_class"].queryset = IndustryClass.objects.filter(parent__isnull=False).select_related(
            "parent"
        )
        self.fields["industry_class"].empty_label = "请选择（GB/T 4754-2017 大类）"
        self.fields["liaison"].queryset = _liaisons(zones)
        self.fields["liaison"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["credit_code"].widget.attrs.update(
            {"placeholder": "18 位，如 91141181MA0K2XXXXX", "maxlength": 30, "autocomplete": "off"}
        )
