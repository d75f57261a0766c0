from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "kaifaqu.indicators"
    verbose_name = "月调度指标"
