from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    name = "kaifaqu.investment"
    verbose_name = "招商引资"

    def ready(self) -> None:
        from . import ledgers, rights  # noqa: F401  (declares the rules; registers the 招商 ledgers)

        ledgers.register_ledgers()
