from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.open_message, name="open"),
    path("read-all/", views.read_all, name="read_all"),
    path("channels/", views.channels, name="channels"),
    path("channels/<int:pk>/edit/", views.channel_edit, name="channel_edit"),
    path("channels/<int:pk>/<slug:action>/", views.channel_action, name="channel_action"),
]
