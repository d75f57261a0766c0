"""REST endpoints of the project ledger: thin wrappers over the services."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kaifaqu.core.api import service_fields

from . import lifecycle, services
from .filters import ProjectFilter
from .forms import PROJECT_FIELDS
from .models import Milestone, PlanCategory, ProgressReport, Project
from .serializers import (
    MilestoneCompleteSerializer,
    MilestoneSerializer,
    PlanCategorySerializer,
    ProgressReportSerializer,
    ProjectCreateSerializer,
    ProjectSerializer,
    StageChangeSerializer,
    StageMoveSerializer,
)


class ProjectViewSet(viewsets.ModelViewSet):
    """项目台账。列表支持与页面相同的筛选（q、zone、park、stage、plan_category、priority_level、year、overdue）。"""

    filterset_class = ProjectFilter
    ordering = ["-id"]
    write_right = "project.change"

    def get_queryset(self):
        return (
            Project.objects.visible_to(self.request.user)
            .select_related("zone", "enterprise", "plan_category")
            .order_by("-id")
        )

    def get_serializer_class(self):
        return ProjectCreateSerializer if self.action == "create" else ProjectSerializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.project_create(
            user=self.request.user,
            fields=service_fields(data, PROJECT_FIELDS),
            stage=data.get("stage"),
            stage_dates={name: data.get(name) for name in lifecycle.STAGE_DATE_FIELDS},
        )

    def perform_update(self, serializer):
        serializer.instance = services.project_update(
            user=self.request.user,
            project=serializer.instance,
            fields=service_fields(serializer.validated_data, PROJECT_FIELDS),
            expected_version=serializer.validated_data["version"],
        )

    def perform_destroy(self, instance):
        services.project_delete(user=self.request.user, project=instance)

    @extend_schema(request=StageMoveSerializer, responses={201: StageChangeSerializer}, summary="变更项目阶段")
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        project = self.get_object()
        payload = StageMoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        change = services.project_move_stage(
            user=request.user,
            project=project,
            to_stage=data["to_stage"],
            dates=data["dates"],
            project_code=data["project_code"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        return Response(StageChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=StageChangeSerializer(many=True), summary="阶段变更历史")
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        project = self.get_object()
        changes = project.stage_changes.select_related("user")
        return Response(StageChangeSerializer(changes, many=True).data)


class MilestoneFilter(filters.FilterSet):
    overdue = filters.BooleanFilter(method="filter_overdue", label="逾期")

    class Meta:
        model = Milestone
        fields = ["project", "overdue"]

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset.exclude(pk__in=queryset.overdue().values("pk"))


class MilestoneViewSet(viewsets.ModelViewSet):
    """项目节点（计划日期、实际日期、责任人）。计划日期已过且未完成的节点为逾期。"""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    write_right = "project.change"

    def write_target(self, milestone):
        return milestone.project

    def get_queryset(self):
        return Milestone.objects.visible_to(self.request.user).select_related("project").order_by("planned_on", "id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        serializer.instance = services.milestone_create(user=self.request.user, project=project, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("project", None)
        serializer.instance = services.milestone_update(
            user=self.request.user, milestone=serializer.instance, fields=data
        )

    def perform_destroy(self, instance):
        services.milestone_delete(user=self.request.user, milestone=instance)

    @extend_schema(request=MilestoneCompleteSerializer, responses=MilestoneSerializer, summary="标记节点完成")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        milestone = self.get_object()
        payload = MilestoneCompleteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        milestone = services.milestone_complete(
            user=request.user, milestone=milestone, actual_on=payload.validated_data.get("actual_on")
        )
        return Response(MilestoneSerializer(milestone, context={"request": request}).data)


class ProgressReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """项目进展（日期、进展情况、本期完成投资，万元）。本年度的投资计入项目的年度完成投资。"""

    serializer_class = ProgressReportSerializer
    filterset_fields = ["project"]
    write_right = "project.change"

    def write_target(self, report):
        return report.project

    def get_queryset(self):
        return ProgressReport.objects.visible_to(self.request.user).select_related("created_by")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        serializer.instance = services.progress_create(user=self.request.user, project=project, **data)

    def perform_destroy(self, instance):
        services.progress_delete(user=self.request.user, report=instance)


class PlanCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """年度分类：默认分类及用户所在单位（和其管辖范围内单位）添加的分类。"""

    serializer_class = PlanCategorySerializer
    pagination_class = None

    def get_queryset(self):
        return PlanCategory.objects.visible_to(self.request.user)
