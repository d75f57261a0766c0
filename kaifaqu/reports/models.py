"""Reports the system writes (周调度, 月度项目建设情况, 月调度分析): requested, built in the background, kept."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models

from kaifaqu.core.scoping import scope_for


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportQuerySet:
        """A zone's report to whoever sees the zone; a city's to the city's and the province's offices."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.enterprise_id is not None or not scope.zone_ids:
            return self.none()
        from kaifaqu.zones.selectors import office_region

        office = office_region(user)
        regions = models.Q(region__code__startswith=office.scope_prefix) if office is not None else models.Q(pk__in=[])
        return self.filter(models.Q(zone_id__in=sorted(scope.zone_ids)) | (models.Q(zone__isnull=True) & regions))


class Report(models.Model):
    class Kind(models.TextChoices):
        WEEKLY = "weekly", "周调度"
        MONTHLY = "monthly", "月度项目建设情况"
        INDICATORS = "indicators", "月调度分析"

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("报告类型", max_length=10, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", null=True, blank=True, on_delete=models.CASCADE)
    region = models.ForeignKey(
        "regions.Region", verbose_name="地市", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    as_of = models.DateField("截至日期")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    error = models.TextField("错误", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", on_delete=models.CASCADE)
    created_at = models.DateTimeField("请求时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "调度报告"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    def path(self, extension: str) -> Path:
        return Path(settings.DATA_DIR) / "reports" / f"{self.pk}.{extension}"
