from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "kaifaqu.indicators"
    verbose_name = "月调度指标"

    def ready(self) -> None:
        from .services import rights  # noqa: F401  (declares the 月调度 rules)
