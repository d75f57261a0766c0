"""The REST API under /api/: one router, token and session auth, OpenAPI served locally to signed-in users."""

from django.contrib.auth.views import redirect_to_login
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.routers import DefaultRouter

from kaifaqu.core.auth_api import ObtainToken
from kaifaqu.enterprises.api import EnterpriseViewSet
from kaifaqu.projects.api import MilestoneViewSet, PlanCategoryViewSet, ProgressReportViewSet, ProjectViewSet
from kaifaqu.zones.api import ParkViewSet, ZoneViewSet


class SignedInDocs(SpectacularSwaggerSplitView):
    """The docs page (signed in by session or token, SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]):
    a logged-out browser is sent to the login page rather than shown an API error."""

    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated | AuthenticationFailed):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


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
    path("docs/", SignedInDocs.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
