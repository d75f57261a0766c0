from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaifaqu.notifications"
    label = "notifications"
    verbose_name = "提醒与通知"

    def ready(self) -> None:
        from . import rights  # noqa: F401  (declares the channel rule)
