from django.apps import AppConfig


class ServicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaifaqu.services"
    label = "services"
    verbose_name = "企业服务"
