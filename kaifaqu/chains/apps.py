from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "kaifaqu.chains"
    verbose_name = "产业链"

    def ready(self) -> None:
        from . import rights  # noqa: F401  (declares the chain rules)
