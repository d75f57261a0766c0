"""An import in progress or done (its file, mapping, progress and result), and the column
mapping each unit confirmed last time."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KT

from kaifaqu.core.scoping import scope_for


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportJobQuerySet:
        """A user's own imports (a system administrator sees all)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if scope_for(user).everything:
            return self.all()
        return self.filter(user=user)

    def listed(self) -> ImportJobQuerySet:
        """For the list of imports: the counts it shows, without the big fields it does not
        (a job's columns and result may run to megabytes)."""
        return self.defer("columns", "mapping", "result").annotate(
            created_count=KT("result__created"),
            updated_count=KT("result__updated"),
            error_rows_count=KT("result__error_rows"),
        )


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        PROJECTS = "projects", "项目台账"
        ENTERPRISES = "enterprises", "企业台账"
        INVESTMENT_TARGETS = "investment_targets", "招商目标企业清单"
        INVESTMENT_ACTIVITIES = "investment_activities", "招商活动台账"

    class Status(models.TextChoices):
        MAPPING = "mapping", "待确认列对应"
        PREVIEWING = "previewing", "试导入中"
        PREVIEWED = "previewed", "待确认导入"
        COMMITTING = "committing", "导入中"
        DONE = "done", "已导入"
        FAILED = "failed", "失败"

    RUNNING = (Status.PREVIEWING, Status.COMMITTING)

    kind = models.CharField("台账类型", max_length=30, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.CASCADE)
    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", null=True, blank=True, on_delete=models.SET_NULL)
    file_name = models.CharField("文件名", max_length=200)
    extension = models.CharField("文件类型", max_length=5)
    sheet = models.CharField("工作表", max_length=100, blank=True)
    header_row = models.PositiveIntegerField("表头行", default=0)
    columns = models.JSONField("文件的列", default=list, blank=True)
    mapping = models.JSONField("列对应", default=dict, blank=True)
    keep_valid = models.BooleanField("只导入无误的行", default=False)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.MAPPING)
    result = models.JSONField("结果", default=dict, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.file_name}"

    @property
    def path(self) -> Path:
        return Path(settings.DATA_DIR) / "imports" / f"{self.pk}.{self.extension}"

    @property
    def progress_path(self) -> Path:
        return self.path.with_suffix(".progress")

    @property
    def errors_path(self) -> Path:
        """The error file (the upload with its errors marked), once built."""
        return self.path.with_name(f"{self.pk}.errors.xlsx")

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING


class SavedMapping(models.Model):
    """The column mapping a unit confirmed: offered again for its next file of the same kind."""

    unit = models.ForeignKey("zones.Unit", verbose_name="单位", on_delete=models.CASCADE)
    kind = models.CharField("台账类型", max_length=30, choices=ImportJob.Kind.choices)
    mapping = models.JSONField("列对应", default=dict)  # normalised header → field key ("" to ignore)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "列对应方案"
        verbose_name_plural = "列对应方案"
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="saved_mapping_unique_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()}"


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> ExportJobQuerySet:
        """A user's own exports only: the file holds what its requester may see, nobody else's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class ExportJob(models.Model):
    """A ledger export too large to answer within a request: written in the background, then downloaded."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "导出中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("台账类型", max_length=30, choices=ImportJob.Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.CASCADE)
    query = models.TextField("筛选条件", blank=True)  # the list's query string, applied again in the task
    unit = models.CharField("金额单位", max_length=4, default="万元")
    file_format = models.CharField("文件类型", max_length=4, default="xlsx")
    file_name = models.CharField("文件名", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已写行数", default=0)
    error = models.CharField("错误", max_length=500, blank=True)
    created_at = models.DateTimeField("请求时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def path(self) -> Path:
        return Path(settings.DATA_DIR) / "exports" / f"{self.pk}.{self.file_format}"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else min(99, self.done * 100 // max(self.total, 1))
