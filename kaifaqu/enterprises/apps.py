from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "kaifaqu.enterprises"
    verbose_name = "企业"

    def ready(self) -> None:
        from kaifaqu.imports.registry import Ledger, register

        from . import rights  # noqa: F401  (declares the enterprise rules)
        from .filters import EnterpriseFilter
        from .ledger import EnterpriseLedger, export_enterprises_csv, export_enterprises_xlsx
        from .models import Enterprise

        register(
            Ledger(
                key="enterprises",
                label="企业台账",
                importer=EnterpriseLedger,
                model=lambda: Enterprise,
                filterset=lambda: EnterpriseFilter,
                export_xlsx=lambda handle, queryset, *, unit, scope_name="": export_enterprises_xlsx(
                    handle, queryset, scope_name=scope_name
                ),
                export_csv=lambda queryset, *, unit: export_enterprises_csv(queryset),
                list_url="enterprises:list",
                right="enterprise.change",
            )
        )
