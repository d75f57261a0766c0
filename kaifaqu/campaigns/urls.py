from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/export/", views.campaign_export, name="export"),
    path("entries/<int:pk>/remove/", views.entry_remove, name="entry_remove"),
]
