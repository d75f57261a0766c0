"""考核: a scheme's weighted items, its runs (versions of results, draft → reviewed → published) and
the monthly 红黑榜.

A scheme belongs to the office that evaluates: a city or the province scoring its zones, or a
zone scoring its staff (``subject_kind``). Its items say where each value comes from (``metric``,
from what the system already records, or entered by hand with evidence) and how the value becomes
points (``rule``, see ``scoring.py``). A run freezes the items as they were (``items``), so a
published result still reads the same after the scheme is edited.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from kaifaqu.core.models import TimeStampedModel
from kaifaqu.zones.ownership import OwnedByZoneOrRegion, OwnedQuerySet

POINTS = {"max_digits": 8, "decimal_places": 2}
FIGURE = {"max_digits": 18, "decimal_places": 4}


class SchemeQuerySet(OwnedQuerySet):
    """An enterprise sees no scheme (the default)."""


class Scheme(OwnedByZoneOrRegion, TimeStampedModel):
    class Period(models.TextChoices):
        MONTH = "month", "月度"
        QUARTER = "quarter", "季度"
        YEAR = "year", "年度"

    class SubjectKind(models.TextChoices):
        ZONE = "zone", "开发区"
        STAFF = "staff", "工作人员"

    class HonorRules(models.TextChoices):
        NONE = "", "不生成红黑榜"
        REPORTING = "reporting", "信息报送红黑榜"
        LIAISON = "liaison", "包联服务企业红黑榜"

    name = models.CharField("考核方案名称", max_length=100)
    zone = models.ForeignKey(
        "zones.Zone",
        verbose_name="开发区",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluation_schemes",
        help_text="开发区考核本区工作人员时填写；市、省考核开发区时留空并选择行政区划",
    )
    region = models.ForeignKey("regions.Region", verbose_name="行政区划", on_delete=models.PROTECT, related_name="+")
    period = models.CharField("考核周期", max_length=8, choices=Period.choices, default=Period.MONTH)
    subject_kind = models.CharField("考核对象", max_length=8, choices=SubjectKind.choices, default=SubjectKind.ZONE)
    honor_rules = models.CharField("红黑榜", max_length=10, choices=HonorRules.choices, blank=True)
    results_public = models.BooleanField(
        "结果公开",
        default=False,
        help_text="勾选后，被考核的开发区（人员）可以看到全部对象的得分和排名；否则只看到自己的",
    )
    description = models.TextField("说明", blank=True)
    template = models.CharField("来源模板", max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = verbose_name
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="scheme_unique_in_zone"),
            models.UniqueConstraint(
                fields=["region", "name"],
                condition=models.Q(zone__isnull=True),
                name="scheme_unique_in_region",
                violation_error_message="该市（省）已有同名的考核方案，请换一个考核方案名称。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """One scored item: its group, its weight (full marks), where its value comes from and its rule."""

    class Kind(models.TextChoices):
        NORMAL = "normal", "常规项"
        BONUS = "bonus", "加分项"
        VETO = "veto", "一票否决"

    class Rule(models.TextChoices):
        RATIO = "ratio", "按完成比例（封顶）"
        RANK = "rank", "按排名递减"
        BANDS = "bands", "分档计分"
        DEDUCTION = "deduction", "按次扣分"
        DIRECT = "direct", "直接计分（手工打分）"

    scheme = models.ForeignKey(Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="items")
    group = models.CharField("指标分组", max_length=30, help_text="如：经济发展、项目建设、对外开放")
    name = models.CharField("考核项目", max_length=50)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.NORMAL)
    weight = models.DecimalField("分值", validators=[MinValueValidator(0)], **POINTS)
    metric = models.CharField("数据来源", max_length=30)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name="月调度指标",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="数据来源为月调度指标时选择",
    )
    unit = models.CharField("单位", max_length=20, blank=True, help_text="手工录入项目的数值单位，如：%、起、分")
    rule = models.CharField("计分规则", max_length=10, choices=Rule.choices, default=Rule.RATIO)
    target = models.DecimalField(
        "目标值", null=True, blank=True, help_text="按完成比例计分时：达到此值得满分", **FIGURE
    )
    cap = models.DecimalField(
        "封顶倍数", default=1, validators=[MinValueValidator(0)], help_text="1 表示超额不另加分", **POINTS
    )
    step = models.DecimalField("每名递减", null=True, blank=True, help_text="按排名计分时：每后一名少得的分", **POINTS)
    bands = models.CharField(
        "分档", max_length=200, blank=True, help_text="“门槛:得分”，用逗号分隔，如：90:10, 80:8, 60:5"
    )
    per_event = models.DecimalField("每次扣分", null=True, blank=True, help_text="按次扣分时：每次扣的分", **POINTS)
    lower_is_better = models.BooleanField("越小越好", default=False, help_text="排名、分档时数值越小越好（如能耗）")
    order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "考核项目"
        verbose_name_plural = verbose_name
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="item_unique_in_scheme")]

    def __str__(self) -> str:
        return self.name


class ManualValue(models.Model):
    """A value the system does not hold (党建, 安全 …), entered by the office for one subject and
    period with its evidence."""

    item = models.ForeignKey(Item, verbose_name="考核项目", on_delete=models.CASCADE, related_name="manual_values")
    period = models.CharField("考核期", max_length=7)
    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", null=True, blank=True, on_delete=models.CASCADE)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="工作人员",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    value = models.DecimalField("数值", **FIGURE)
    evidence = models.FileField("佐证材料", upload_to="evaluation/%Y/%m/", blank=True)
    evidence_name = models.CharField("佐证材料文件名", max_length=200, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "手工录入考核值"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["item", "period", "zone"], condition=models.Q(zone__isnull=False), name="one_manual_value_zone"
            ),
            models.UniqueConstraint(
                fields=["item", "period", "person"],
                condition=models.Q(person__isnull=False),
                name="one_manual_value_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.period}：{self.value}"


class Run(models.Model):
    """One computation of a scheme for a period. Published runs are locked; publishing a newer version
    of a period marks the older one superseded (kept, still readable)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEWED = "reviewed", "已审核"
        PUBLISHED = "published", "已发布"
        SUPERSEDED = "superseded", "已被新版本替代"

    scheme = models.ForeignKey(Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="runs")
    period = models.CharField("考核期", max_length=7, help_text="2026-10、2026-Q3 或 2026")
    version = models.PositiveIntegerField("版本", default=1)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    items = models.JSONField("考核项目（计算时）", default=list)
    computed_at = models.DateTimeField("计算时间")
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="计算人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "考核结果"
        verbose_name_plural = verbose_name
        ordering = ["-period", "-version"]
        constraints = [models.UniqueConstraint(fields=["scheme", "period", "version"], name="one_run_per_version")]

    def __str__(self) -> str:
        from .periods import parse

        return f"“{self.scheme}”{parse(self.period, self.scheme.period).label}第{self.version}版"

    @property
    def locked(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.SUPERSEDED)


class Score(models.Model):
    """One subject's result in a run: its total, its place, and each item's value, points and trace."""

    run = models.ForeignKey(Run, verbose_name="考核结果", on_delete=models.CASCADE, related_name="scores")
    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", null=True, blank=True, on_delete=models.CASCADE)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="工作人员",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    subject_name = models.CharField("考核对象", max_length=100)
    total = models.DecimalField("总分", **POINTS)
    rank = models.PositiveIntegerField("名次")
    vetoed = models.BooleanField("一票否决", default=False)
    # item id (as text) → {"value": str|None, "score": str, "max": str, "count": int|None, "trace": url|""}
    items = models.JSONField("各项得分", default=dict)

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = verbose_name
        ordering = ["rank", "subject_name"]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.total}"


class HonorList(models.Model):
    """红黑榜 of one scheme for one month: generated by its rule set, reviewed, published."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待审核"
        PUBLISHED = "published", "已公示"

    scheme = models.ForeignKey(Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="honor_lists")
    period = models.CharField("月份", max_length=7)
    rules = models.CharField("红黑榜", max_length=10, choices=Scheme.HonorRules.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    generated_at = models.DateTimeField("生成时间")
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="公示人", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "红黑榜"
        verbose_name_plural = verbose_name
        ordering = ["-period"]
        constraints = [models.UniqueConstraint(fields=["scheme", "period"], name="one_honor_list_per_month")]

    def __str__(self) -> str:
        from .periods import parse

        return f"“{self.scheme}”{parse(self.period, 'month').label}{self.get_rules_display()}"


class HonorEntry(models.Model):
    class Side(models.TextChoices):
        RED = "red", "红榜"
        BLACK = "black", "黑榜"

    honor_list = models.ForeignKey(HonorList, verbose_name="红黑榜", on_delete=models.CASCADE, related_name="entries")
    side = models.CharField("榜别", max_length=5, choices=Side.choices)
    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", null=True, blank=True, on_delete=models.CASCADE)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="工作人员",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    subject_name = models.CharField("对象", max_length=100)
    reason = models.CharField("理由", max_length=300)
    by_rule = models.BooleanField("规则生成", default=True)
    removed = models.BooleanField("已移除", default=False)
    note = models.CharField("审核说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "红黑榜条目"
        verbose_name_plural = verbose_name
        ordering = ["side", "subject_name"]

    def __str__(self) -> str:
        return f"{self.get_side_display()}：{self.subject_name}"
