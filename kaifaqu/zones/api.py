from rest_framework import serializers, viewsets

from .models import Park, Zone


class ZoneSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.full_name", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Zone
        fields = [
            "id",
            "name",
            "short_name",
            "level",
            "level_label",
            "kind",
            "kind_label",
            "region",
            "region_name",
            "area_km2",
            "leading_industries",
        ]
        read_only_fields = fields


class ParkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Park
        fields = ["id", "zone", "name"]
        read_only_fields = fields


class ZoneViewSet(viewsets.ReadOnlyModelViewSet):
    """用户管辖范围内的开发区。"""

    serializer_class = ZoneSerializer
    filterset_fields = ["level", "kind", "region"]

    def get_queryset(self):
        return (
            Zone.objects.visible_to(self.request.user)
            .select_related("region__parent__parent")
            .order_by("region_id", "name")
        )


class ParkViewSet(viewsets.ReadOnlyModelViewSet):
    """用户管辖范围内开发区的园区。"""

    serializer_class = ParkSerializer
    filterset_fields = ["zone"]

    def get_queryset(self):
        return Park.objects.visible_to(self.request.user).order_by("zone_id", "name")
