from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kaifaqu.demo"
    verbose_name = "演示数据"
