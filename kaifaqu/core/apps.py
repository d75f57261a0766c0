from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kaifaqu.core"
    verbose_name = "基础"

    def ready(self):
        from . import auth_api  # noqa: F401  (connects the logout signal that revokes API tokens)
