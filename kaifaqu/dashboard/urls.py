from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("wall-chart/", views.wall_chart, name="wall_chart"),
]
