"""The REST API under /api/: one router, token and session auth, OpenAPI served locally."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from kaifaqu.core.auth_api import ObtainToken
from kaifaqu.enterprises.api import EnterpriseViewSet
from kaifaqu.projects.api import MilestoneViewSet, PlanCategoryViewSet, ProgressReportViewSet, ProjectViewSet
from kaifaqu.zones.api import ParkViewSet, ZoneViewSet

router = DefaultRouter()
router.register("zones", ZoneViewSet, basename="zone")
router.register("parks", ParkViewSet, basename="park")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("projects", ProjectViewSet, basename="project")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("progress", ProgressReportViewSet, basename="progress")
router.register("plan-categories", PlanCategoryViewSet, basename="plan-category")

urlpatterns = [
    path("auth/token/", ObtainToken.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
