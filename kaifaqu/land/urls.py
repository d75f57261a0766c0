from .views import mujun, parcels

app_name = "land"

urlpatterns = [*mujun.urls, *parcels.urls]
