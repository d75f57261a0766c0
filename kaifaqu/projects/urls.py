from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("new/", views.project_create, name="create"),
    path("zone-fields/", views.zone_fields, name="zone_fields"),
    path("plan-categories/", views.plan_categories, name="plan_categories"),
    path("fill-sheet/", views.fill_sheet_export, name="fill_sheet"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/delete/", views.project_delete, name="delete"),
    path("<int:pk>/move/", views.project_move, name="move"),
    path("<int:pk>/fill/", views.project_fill, name="fill"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/progress/", views.progress_add, name="progress_add"),
    path("milestones/<int:pk>/complete/", views.milestone_complete, name="milestone_complete"),
    path("milestones/<int:pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path("progress/<int:pk>/delete/", views.progress_delete, name="progress_delete"),
]
