from django.urls import path

from . import export_views, views

app_name = "imports"

urlpatterns = [
    path("", views.import_index, name="index"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/progress/", views.import_progress, name="progress"),
    path("<int:pk>/mapping/", views.import_mapping, name="mapping"),
    path("<int:pk>/sheet/", views.import_sheet, name="sheet"),
    path("<int:pk>/commit/", views.import_commit, name="commit"),
    path("<int:pk>/errors/", views.import_errors, name="errors"),
    path("export/projects/", views.ledger_export, {"kind": "projects"}, name="export_projects"),
    path("export/enterprises/", views.ledger_export, {"kind": "enterprises"}, name="export_enterprises"),
    path("export/<int:pk>/", export_views.export_job_detail, name="export_job"),
    path("export/<int:pk>/progress/", export_views.export_job_progress, name="export_progress"),
    path("export/<int:pk>/download/", export_views.export_job_download, name="export_download"),
]
