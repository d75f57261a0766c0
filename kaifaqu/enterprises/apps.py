from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "kaifaqu.enterprises"
    verbose_name = "企业"
