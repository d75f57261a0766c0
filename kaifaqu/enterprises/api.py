from rest_framework import serializers, viewsets

from kaifaqu.core.api import ModelSerializer, ScopedRelatedField, service_fields
from kaifaqu.zones.models import Zone

from . import services
from .filters import EnterpriseFilter
from .forms import EnterpriseForm
from .models import Enterprise

ENTERPRISE_FIELDS = EnterpriseForm.Meta.fields


class EnterpriseSerializer(ModelSerializer):
    zone = ScopedRelatedField(queryset=Zone.objects.all())
    flag_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="读取时为当前版本；修改（PUT/PATCH）时回传所依据的版本，期间若有他人保存则返回 409 及其修改内容。",
    )

    class Meta:
        model = Enterprise
        fields = ["id", *ENTERPRISE_FIELDS, "flag_labels", "version", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        # Checked once, in the service, as on the pages.
        extra_kwargs = {"credit_code": {"validators": []}}
        validators = []


class EnterpriseViewSet(viewsets.ModelViewSet):
    """企业（建设单位）。统一社会信用代码按 GB 32100-2015 校验。"""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    write_right = "enterprise.change"

    def get_queryset(self):
        return Enterprise.objects.visible_to(self.request.user).select_related("zone").order_by("zone_id", "name")

    def perform_create(self, serializer):
        serializer.instance = services.enterprise_create(
            user=self.request.user, fields=service_fields(serializer.validated_data, ENTERPRISE_FIELDS)
        )

    def perform_update(self, serializer):
        serializer.instance = services.enterprise_update(
            user=self.request.user,
            enterprise=serializer.instance,
            fields=service_fields(serializer.validated_data, ENTERPRISE_FIELDS),
            expected_version=serializer.validated_data.get("version"),
        )

    def perform_destroy(self, instance):
        services.enterprise_delete(user=self.request.user, enterprise=instance)
