from kaifaqu.core.forms import ServiceModelForm, editable_zones
from kaifaqu.core.scoping import Perm
from kaifaqu.zones.models import Zone

from .models import Enterprise


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
            "is_high_tech",
            "specialised",
            "is_chain_leader",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        zones = editable_zones(user, Zone, Perm.ENTERPRISE_CHANGE)
        self.fields["zone"].queryset = zones
        self.fields["zone"].empty_label = "请选择开发区"
        if not self.is_bound and not self.instance.pk and zones.count() == 1:
            self.initial["zone"] = zones.first().pk
        self.fields["name"].widget.attrs["autofocus"] = True
        self.fields["credit_code"].widget.attrs.update(
            {"placeholder": "18 位，如 91141181MA0K2XXXXX", "maxlength": 30, "autocomplete": "off"}
        )
