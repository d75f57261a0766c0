from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "kaifaqu.evaluation"
    verbose_name = "考核"

    def ready(self) -> None:
        from . import rights  # noqa: F401  (declares evaluation.change)
