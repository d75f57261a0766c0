from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("export/", views.export, name="export"),
    path("fill/", views.fill, name="fill"),
    path("reports/<int:pk>/review/", views.review, name="review"),
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/remind/", views.remind, name="remind"),
    path("zones/<int:pk>/", views.zone_detail, name="zone"),
    path("rankings/", views.rankings, name="rankings"),
    path("behind/", views.behind, name="behind"),
    path("targets/", views.targets, name="targets"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.indicator_edit, name="indicator_create"),
    path("catalogue/<int:pk>/", views.indicator_edit, name="indicator_edit"),
    path("import/", views.upload, name="import"),
]
