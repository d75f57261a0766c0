from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "kaifaqu.projects"
    verbose_name = "项目"
