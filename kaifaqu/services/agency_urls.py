from django.urls import path

from . import agency_views as views

app_name = "agency"

urlpatterns = [
    path("", views.AgencyListView.as_view(), name="list"),
    path("stats/", views.stats, name="stats"),
    path("weekly/", views.weekly, name="weekly"),
    path("monthly/", views.monthly, name="monthly"),
    path("projects/<int:pk>/", views.project_checklist, name="project"),
    path("projects/<int:pk>/checklist/", views.checklist_create, name="checklist"),
    path("items/<int:pk>/", views.item_update, name="item"),
]
