from django.urls import path

from . import figures_import_views, figures_views, views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    # 经营数据 pages (figures_views) and their import (figures_import_views): each module lists its own.
    *figures_views.urls,
    *figures_import_views.urls,
]
