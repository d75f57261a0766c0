from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "kaifaqu.chains"
    verbose_name = "产业链"

    def ready(self) -> None:
        from . import bounty_rights, rights  # noqa: F401  (declares the chain and 揭榜挂帅 rules)
