from django.urls import path

from . import agency_views as views
from . import catalogue_views

app_name = "agency"

urlpatterns = [
    path("", views.AgencyListView.as_view(), name="list"),
    path("stats/", views.stats, name="stats"),
    path("weekly/", views.weekly, name="weekly"),
    path("monthly/", views.monthly, name="monthly"),
    path("projects/<int:pk>/", views.project_checklist, name="project"),
    path("projects/<int:pk>/checklist/", views.checklist_create, name="checklist"),
    path("items/<int:pk>/", views.item_update, name="item"),
    path("approvals/", catalogue_views.approval_list, name="approvals"),
    path("approvals/new/", catalogue_views.approval_edit, name="approval_create"),
    path("approvals/<int:pk>/", catalogue_views.approval_edit, name="approval_edit"),
    path("approvals/<int:pk>/delete/", catalogue_views.approval_delete, name="approval_delete"),
    path("approvals/<int:pk>/active/", catalogue_views.approval_active, name="approval_active"),
]
