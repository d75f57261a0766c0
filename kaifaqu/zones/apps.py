from django.apps import AppConfig


class ZonesConfig(AppConfig):
    name = "kaifaqu.zones"
    verbose_name = "开发区"
