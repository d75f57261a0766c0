from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kaifaqu.reports"
    verbose_name = "调度报告"
