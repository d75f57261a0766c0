from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "kaifaqu.campaigns"
    verbose_name = "三个一批"

    def ready(self) -> None:
        from . import rights  # noqa: F401  (declares the campaign rule)
