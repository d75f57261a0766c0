from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "kaifaqu.campaigns"
    verbose_name = "三个一批"
