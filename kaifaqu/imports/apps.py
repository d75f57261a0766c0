from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "kaifaqu.imports"
    verbose_name = "台账导入导出"
