from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from kaifaqu.core import account_views
from kaifaqu.core.forms import LoginForm
from kaifaqu.core.views import favicon, not_found

admin.site.site_header = "开发区调度平台 管理后台"
admin.site.site_title = "开发区调度平台"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="projects:list", permanent=False), name="home"),
    path("favicon.ico", favicon),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/me/", account_views.account, name="account"),
    path("accounts/me/token/revoke/", account_views.token_revoke, name="account_token_revoke"),
    path("projects/", include("kaifaqu.projects.urls")),
    path("enterprises/", include("kaifaqu.enterprises.urls")),
    path("zones/", include("kaifaqu.zones.urls")),
    path("audit/", include("kaifaqu.audit.urls")),
    path("imports/", include("kaifaqu.imports.urls")),
    path("campaigns/", include("kaifaqu.campaigns.urls")),
    path("chains/", include("kaifaqu.chains.urls")),
    path("investment/", include("kaifaqu.investment.urls")),
    path("indicators/", include("kaifaqu.indicators.urls")),
    path("requests/", include("kaifaqu.services.urls")),
    path("agency/", include("kaifaqu.services.agency_urls")),
    path("inbox/", include("kaifaqu.notifications.urls")),
    path("dashboard/", include("kaifaqu.dashboard.urls")),
    path("reports/", include("kaifaqu.reports.urls")),
    path("evaluation/", include("kaifaqu.evaluation.urls")),
    path("land/", include("kaifaqu.land.urls")),
    path("api/", include("kaifaqu.api_urls")),
    path("admin/", admin.site.urls),
]

handler404 = not_found
