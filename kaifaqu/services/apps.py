from django.apps import AppConfig


class ServicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaifaqu.services"
    label = "services"
    verbose_name = "企业服务"

    def ready(self) -> None:
        from . import rights  # noqa: F401  (declares the rules for requests, 全代办 and the catalogues)
