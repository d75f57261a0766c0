from django.urls import path

from . import catalogue_views, views

app_name = "services"

urlpatterns = [
    path("", views.RequestListView.as_view(), name="list"),
    path("new/", views.request_create, name="create"),
    path("stats/", views.stats, name="stats"),
    path("levels/", catalogue_views.service_levels, name="levels"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/<slug:step>/", views.request_step, name="step"),
    path("<int:pk>/files/<int:file_id>/", views.attachment, name="attachment"),
]
