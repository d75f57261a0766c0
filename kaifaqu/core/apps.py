from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kaifaqu.core"
    verbose_name = "基础"
