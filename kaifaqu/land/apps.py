from django.apps import AppConfig


class LandConfig(AppConfig):
    name = "kaifaqu.land"
    verbose_name = "标准地与亩均效益"

    def ready(self) -> None:
        from . import rights  # noqa: F401  (declares mujun.change and land.change)
