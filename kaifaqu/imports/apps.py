from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "kaifaqu.imports"
    verbose_name = "台账导入导出"

    def ready(self) -> None:
        from . import rights  # noqa: F401  (declares the import rule)
