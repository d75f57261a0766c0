"""月调度: the indicator catalogue, annual targets, and each zone's (or office's) monthly figures.

Figures are year-to-date cumulative (1–N月累计), as statistics bureaus report them. A city
or province office reports its own whole-region figures too (全市、全省): a report then
names the region instead of a zone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from kaifaqu.core.scoping import ScopedQuerySet, scope_for

FIGURE = {"max_digits": 18, "decimal_places": 4}


class Indicator(models.Model):
    class Kind(models.TextChoices):
        AMOUNT = "amount", "总量"  # summable; growth from last year's same period
        RATE = "rate", "速度/比率"  # reported as given (增加值增速)

    name = models.CharField("指标名称", max_length=50, unique=True)
    unit = models.CharField("单位", max_length=20)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.AMOUNT)
    cumulative = models.BooleanField(
        "逐月累计", default=True, help_text="产值、投资等按1至N月累计填报；企业数等为月末时点数，不累计"
    )
    decimals = models.PositiveSmallIntegerField("小数位数", default=2, validators=[MaxValueValidator(4)])
    higher_is_better = models.BooleanField("越大越好", default=True)
    in_evaluation = models.BooleanField("计入考核", default=False)
    aliases = models.CharField("其他写法", max_length=200, blank=True, help_text="导入时也认作本指标的列名，用顿号分隔")
    order = models.PositiveSmallIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = verbose_name
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def names(self) -> list[str]:
        """The name and the other ways a table writes it."""
        return [self.name, *(alias.strip() for alias in self.aliases.replace(",", "、").split("、") if alias.strip())]


class AnnualTarget(models.Model):
    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    value = models.DecimalField("年度目标", **FIGURE)

    class Meta:
        verbose_name = "年度目标"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["zone", "indicator", "year"], name="one_target_per_year")]

    def __str__(self) -> str:
        return f"{self.zone} {self.year}年 {self.indicator}"


class IndicatorReportQuerySet(ScopedQuerySet):
    def visible_to(self, user) -> IndicatorReportQuerySet:
        """A zone's reports to whoever sees the zone; a region's own figures to everyone who sees a zone in it."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.enterprise_id is not None or not scope.zone_ids:
            return self.none()
        from kaifaqu.regions.selectors import regions_holding
        from kaifaqu.zones.models import Zone

        codes = regions_holding(Zone.objects.filter(pk__in=scope.zone_ids).values_list("region__code", flat=True))
        return self.filter(Q(zone_id__in=sorted(scope.zone_ids)) | Q(zone__isnull=True, region_id__in=sorted(codes)))


class IndicatorReport(models.Model):
    """One zone's (or one office's whole-region) figures for one month: draft → submitted → approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已报送"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已审核"

    zone = models.ForeignKey(
        "zones.Zone",
        verbose_name="开发区",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicator_reports",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="行政区划（全市、全省）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    comment = models.CharField("审核意见", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)

    objects = IndicatorReportQuerySet.as_manager()

    class Meta:
        verbose_name = "指标月报"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-month", "zone_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "year", "month"], condition=Q(zone__isnull=False), name="one_report_per_zone_month"
            ),
            models.UniqueConstraint(
                fields=["region", "year", "month"], condition=Q(zone__isnull=True), name="one_report_per_region_month"
            ),
            models.CheckConstraint(
                condition=Q(zone__isnull=False) | Q(region__isnull=False), name="report_names_zone_or_region"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_name} {self.year}年1-{self.month}月"

    @property
    def owner_name(self) -> str:
        if self.zone_id:
            return self.zone.name
        return f"全{self.region.name[-1]}" if self.region.name[-1] in "市省" else self.region.name

    @property
    def locked(self) -> bool:
        return self.status == self.Status.APPROVED


class IndicatorValue(models.Model):
    """One indicator's year-to-date figure in a report, with last year's same period or the growth as reported."""

    report = models.ForeignKey(IndicatorReport, verbose_name="月报", on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT)
    value = models.DecimalField("本年累计", **FIGURE)
    last_year = models.DecimalField("上年同期", null=True, blank=True, **FIGURE)
    growth_pct = models.DecimalField("同比增长（%）", null=True, blank=True, max_digits=9, decimal_places=2)
    note = models.CharField("说明", max_length=300, blank=True, help_text="数值异常时的说明")

    class Meta:
        verbose_name = "指标数值"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator}：{self.value}"


class ReportRevision(models.Model):
    """Every saved version of a report's figures, kept for ever."""

    report = models.ForeignKey(IndicatorReport, verbose_name="月报", on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField("版本")
    status = models.CharField("状态", max_length=10, choices=IndicatorReport.Status.choices)
    figures = models.JSONField("数值")  # indicator name → {value, last_year, growth_pct, note} as strings
    note = models.CharField("说明", max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "月报修订记录"
        verbose_name_plural = verbose_name
        ordering = ["report", "version"]

    def __str__(self) -> str:
        return f"{self.report} 第{self.version}版"


class ReportingDeadline(models.Model):
    """The day a city's (or province's) zones must have submitted a month's report."""

    region = models.ForeignKey("regions.Region", verbose_name="地市（省）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    due_on = models.DateField("报送截止日期")

    class Meta:
        verbose_name = "报送期限"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["region", "year", "month"], name="one_deadline_per_month")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}年{self.month}月 {self.due_on}"


class ReportReminderQuerySet(ScopedQuerySet):
    pass


class ReportReminder(models.Model):
    """A 催报 sent to a zone whose month's report is overdue; its users see it until they submit."""

    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    due_on = models.DateField("报送截止日期")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="催报人", null=True, blank=True, on_delete=models.SET_NULL
    )
    sender_name = models.CharField("催报单位", max_length=100)
    sent_at = models.DateTimeField("催报时间", auto_now_add=True)

    objects = ReportReminderQuerySet.as_manager()

    class Meta:
        verbose_name = "催报记录"
        verbose_name_plural = verbose_name
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.zone} {self.year}年{self.month}月 催报"
