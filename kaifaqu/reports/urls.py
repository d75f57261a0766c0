from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("rows/", views.report_rows, name="rows"),
    path("<int:pk>/download/", views.report_download, name="download"),
]
