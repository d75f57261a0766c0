from django.core.exceptions import PermissionDenied
from rest_framework import serializers, viewsets

from kaifaqu.core.api import ModelSerializer, ScopedRelatedField

from . import services
from .models import Park, Zone

ZONE_FIELDS = ["name", "short_name", "level", "kind", "area_km2", "leading_industries"]


class ZoneSerializer(ModelSerializer):
    region = serializers.CharField(source="region_id", help_text="GB/T 2260 六位行政区划代码，如 141181。")
    region_name = serializers.CharField(source="region.full_name", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Zone
        fields = ["id", *ZONE_FIELDS, "level_label", "kind_label", "region", "region_name"]
        extra_kwargs = {"name": {"validators": []}, "short_name": {"validators": []}}


class ParkSerializer(ModelSerializer):
    zone = ScopedRelatedField(queryset=Zone.objects.all())

    class Meta:
        model = Park
        fields = ["id", "zone", "name"]
        validators = []


class ZoneViewSet(viewsets.ModelViewSet):
    """用户管辖范围内的开发区。新增、修改开发区仅限系统管理员；开发区不能通过接口删除。"""

    serializer_class = ZoneSerializer
    filterset_fields = ["level", "kind", "region"]
    write_right = "zone.register"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Zone.objects.visible_to(self.request.user)
            .select_related("region__parent__parent")
            .order_by("region_id", "name")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.zone_create(region_code=data.pop("region_id"), user=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "region_id" in data and data.pop("region_id") != serializer.instance.region_id:
            raise PermissionDenied("开发区所在行政区划不能修改。")
        serializer.instance = services.zone_update(user=self.request.user, zone=serializer.instance, fields=data)


class ParkViewSet(viewsets.ModelViewSet):
    """用户管辖范围内开发区的园区。开发区工作人员可增删改本区园区。"""

    serializer_class = ParkSerializer
    filterset_fields = ["zone"]
    write_right = "zone.change"

    def get_queryset(self):
        return Park.objects.visible_to(self.request.user).order_by("zone_id", "name")

    def perform_create(self, serializer):
        serializer.instance = services.park_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.park_update(
            user=self.request.user,
            park=serializer.instance,
            name=serializer.validated_data.get("name", serializer.instance.name),
        )

    def perform_destroy(self, instance):
        services.park_delete(user=self.request.user, park=instance)
