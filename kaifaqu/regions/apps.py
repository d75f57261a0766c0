from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "kaifaqu.regions"
    verbose_name = "行政区划"
