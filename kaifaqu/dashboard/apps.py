from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "kaifaqu.dashboard"
    verbose_name = "驾驶舱与统计"
