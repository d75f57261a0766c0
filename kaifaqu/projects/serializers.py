"""API shapes of the project ledger. Writes go through the same services as the pages."""

from __future__ import annotations

from rest_framework import serializers

from kaifaqu.core.api import ModelSerializer, ScopedRelatedField, Serializer
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.zones.models import Park, Zone

from . import lifecycle
from .forms import PROJECT_FIELDS
from .models import Milestone, PlanCategory, ProgressReport, Project, Stage, StageChange

STAGE_DATE_FIELDS = list(lifecycle.STAGE_DATE_FIELDS)


class PlanCategorySerializer(ModelSerializer):
    class Meta:
        model = PlanCategory
        fields = ["id", "name", "unit", "order"]
        read_only_fields = fields


class ProjectSerializer(ModelSerializer):
    zone = ScopedRelatedField(queryset=Zone.objects.all())
    park = ScopedRelatedField(queryset=Park.objects.all(), required=False, allow_null=True)
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all(), required=False, allow_null=True)
    plan_category = serializers.PrimaryKeyRelatedField(
        queryset=PlanCategory.objects.all(), required=False, allow_null=True
    )
    zone_name = serializers.CharField(source="zone.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default=None, allow_null=True)
    plan_category_name = serializers.CharField(
        source="plan_category.name", read_only=True, default=None, allow_null=True
    )
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    priority_level_label = serializers.CharField(source="get_priority_level_display", read_only=True)
    terminated_from = serializers.ChoiceField(
        choices=Stage.choices, allow_blank=True, read_only=True, help_text="终止前所处的阶段（未终止时为空）。"
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="读取时为当前版本；修改（PUT/PATCH）时须回传所依据的版本，期间若有他人保存则返回 409 及其修改内容。",
    )

    class Meta:
        model = Project
        fields = [
            "id",
            *PROJECT_FIELDS,
            "zone_name",
            "enterprise_name",
            "plan_category_name",
            "year_completed_investment",
            "stage",
            "stage_label",
            "priority_level_label",
            *STAGE_DATE_FIELDS,
            "terminated_from",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "year_completed_investment",
            "stage",
            *STAGE_DATE_FIELDS,
            "terminated_from",
            "created_at",
            "updated_at",
        ]
        # Model validators run once, in the service, so every entry point answers alike.
        extra_kwargs = {"project_code": {"validators": []}}

    def validate(self, attrs):
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError(
                {"version": "请回传您所依据的版本号（读取该项目时返回的 version），以免覆盖他人在此期间的修改。"}
            )
        return attrs


class ProjectCreateSerializer(ProjectSerializer):
    """A new project may be registered at a later stage, with that stage's dates."""

    stage = serializers.ChoiceField(choices=[(s, Stage(s).label) for s in lifecycle.ORDER], default=Stage.PLANNING)

    class Meta(ProjectSerializer.Meta):
        read_only_fields = [
            "year_completed_investment",
            "terminated_from",
            "terminated_on",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "project_code": {"validators": []},
            **{name: {"required": False, "allow_null": True} for name in STAGE_DATE_FIELDS},
        }


class StageMoveSerializer(Serializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    dates = serializers.DictField(
        child=serializers.DateField(allow_null=True),
        required=False,
        default=dict,
        help_text='本次变更经过的各阶段日期，如 {"signed_on": "2026-03-01"}。',
    )
    project_code = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False, min_value=1, allow_null=True, default=None, help_text="所依据的项目版本（可选）。"
    )


class StageChangeSerializer(ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True, default=None, allow_null=True)
    from_stage_label = serializers.CharField(source="get_from_stage_display", read_only=True)
    to_stage_label = serializers.CharField(source="get_to_stage_display", read_only=True)

    class Meta:
        model = StageChange
        fields = [
            "id",
            "project",
            "from_stage",
            "from_stage_label",
            "to_stage",
            "to_stage_label",
            "step_date",
            "dates",
            "reason",
            "user",
            "created_at",
        ]
        read_only_fields = fields


class MilestoneSerializer(ModelSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "project",
            "name",
            "planned_on",
            "actual_on",
            "owner",
            "note",
            "overdue",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_overdue(self, milestone) -> bool:
        return milestone.is_overdue()


class MilestoneCompleteSerializer(Serializer):
    actual_on = serializers.DateField(required=False, allow_null=True, help_text="不填则为今天。")


class ProgressReportSerializer(ModelSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "project", "reported_on", "text", "investment", "created_by", "created_at"]
        read_only_fields = ["created_at"]
