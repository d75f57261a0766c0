from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "kaifaqu.projects"
    verbose_name = "项目"

    def ready(self) -> None:
        from kaifaqu.imports.registry import Ledger, register

        from . import rights  # noqa: F401  (declares the project rules)
        from .filters import ProjectFilter
        from .ledger.export import export_projects_csv, export_projects_xlsx
        from .ledger.importer import ProjectLedger
        from .models import Project

        register(
            Ledger(
                key="projects",
                label="项目台账",
                importer=ProjectLedger,
                model=lambda: Project,
                filterset=lambda: ProjectFilter,
                export_xlsx=export_projects_xlsx,
                export_csv=export_projects_csv,
                list_url="projects:list",
                right="project.create",
                has_unit=True,
            )
        )
