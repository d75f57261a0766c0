from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kaifaqu.audit"
    verbose_name = "操作记录"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (logins, logouts and failed logins)
