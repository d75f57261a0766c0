from django.conf import settings
from django.db import models

from kaifaqu.core.models import TimeStampedModel
from kaifaqu.core.scoping import ScopedQuerySet

from .credit_code import validate_credit_code


class EnterpriseQuerySet(ScopedQuerySet):
    zone_path = "zone"
    enterprise_path = "pk"


class IndustryClass(models.Model):
    """GB/T 4754-2017: a 门类 (A–T) or one of its 大类 (01–97)."""

    code = models.CharField("代码", max_length=2, primary_key=True)
    name = models.CharField("名称", max_length=60)
    parent = models.ForeignKey(
        "self", verbose_name="门类", null=True, blank=True, on_delete=models.PROTECT, related_name="divisions"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "国民经济行业分类"
        verbose_name_plural = verbose_name
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.parent_id or ''}{self.code} {self.name}" if self.parent_id else f"{self.code} {self.name}"


class Enterprise(TimeStampedModel):
    """An enterprise (企业), keyed by its 统一社会信用代码 when it has one."""

    class Specialised(models.TextChoices):
        NONE = "", "否"
        PROVINCIAL = "provincial", "省级专精特新"
        NATIONAL = "national", "国家级专精特新“小巨人”"

    name = models.CharField("企业名称", max_length=200)
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    zone = models.ForeignKey(
        "zones.Zone", verbose_name="所在开发区", on_delete=models.PROTECT, related_name="enterprises"
    )
    industry = models.CharField("所属行业", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    is_above_scale = models.BooleanField("规上企业", default=False)
    is_four_above = models.BooleanField("四上企业", default=False)
    # 小升规 and 个转企 counted per year (孝义: 新增培育“四上企业”10户): the year it happened, when known.
    above_scale_year = models.PositiveSmallIntegerField("入规年度", null=True, blank=True)
    converted_year = models.PositiveSmallIntegerField("个转企年度", null=True, blank=True)
    is_high_tech = models.BooleanField("高新技术企业", default=False)
    specialised = models.CharField("专精特新", max_length=12, choices=Specialised.choices, blank=True, default="")
    is_chain_leader = models.BooleanField("链主企业", default=False)
    is_listed = models.BooleanField("上市企业", default=False)
    industry_class = models.ForeignKey(
        IndustryClass,
        verbose_name="国民经济行业（大类）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"parent__isnull": False},
        related_name="+",
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="包联干部",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_enterprises",
    )
    liaison_leader = models.CharField("包联领导", max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Raised by every saved change: an edit based on an older version is refused (two stale
    # saves must not silently overwrite each other), as for projects.
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["zone_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="enterprise_unique_name_in_zone"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def flag_labels(self) -> list[str]:
        labels = [
            label
            for flag, label in (
                (self.is_above_scale, "规上"),
                (self.is_four_above, "四上"),
                (self.is_high_tech, "高新技术"),
                (self.is_chain_leader, "链主"),
                (self.is_listed, "上市"),
            )
            if flag
        ]
        if self.specialised == self.Specialised.NATIONAL:
            labels.append("小巨人")
        elif self.specialised == self.Specialised.PROVINCIAL:
            labels.append("专精特新")
        return labels


FIGURE = {"max_digits": 16, "decimal_places": 2, "null": True, "blank": True}


class EnterpriseFiguresQuerySet(ScopedQuerySet):
    zone_path = "enterprise__zone"
    enterprise_path = "enterprise"


class EnterpriseFigures(models.Model):
    """企业经营数据: an enterprise's figures for a year (``month`` empty), or for 1–N月 of it where a
    zone collects them monthly. The base of 亩均 evaluation and of 升规潜力. Amounts in 万元; a
    figure not known stays empty (待补录), never zero."""

    class Source(models.TextChoices):
        ENTERPRISE = "enterprise", "企业填报"
        ZONE = "zone", "开发区录入"
        IMPORT = "import", "导入"

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField(
        "月份", null=True, blank=True, help_text="按月填报时为1-N月累计；全年数据留空"
    )
    output_value = models.DecimalField("产值（万元）", **FIGURE)
    revenue = models.DecimalField("营业收入（万元）", **FIGURE)
    value_added = models.DecimalField("增加值（万元）", **FIGURE)
    tax = models.DecimalField("税收（万元）", **FIGURE)
    employees = models.PositiveIntegerField("用工（人）", null=True, blank=True)
    energy_tce = models.DecimalField("能耗（吨标准煤）", **FIGURE)
    rd_spend = models.DecimalField("研发投入（万元）", **FIGURE)
    land_mu = models.DecimalField("用地面积（亩）", **FIGURE)
    floor_area = models.DecimalField("建筑面积（平方米）", **FIGURE)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.ZONE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)

    objects = EnterpriseFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = "企业经营数据"
        verbose_name_plural = verbose_name
        ordering = ["enterprise_id", "-year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], condition=models.Q(month__isnull=True), name="one_year_figures"
            ),
            models.UniqueConstraint(
                fields=["enterprise", "year", "month"],
                condition=models.Q(month__isnull=False),
                name="one_month_figures",
            ),
            models.CheckConstraint(
                condition=models.Q(month__isnull=True) | models.Q(month__gte=1, month__lte=12),
                name="figures_month_1_12",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年" + (f"1-{self.month}月" if self.month else "")

    @property
    def zone_id(self) -> int:
        """Where the audit trail files a change of it: the enterprise's zone …"""
        return self.enterprise.zone_id

    def audit_owner(self):
        """… and the history it shows in: the enterprise's 修改记录."""
        return self.enterprise


class OperatingStatus(models.Model):
    """An enterprise's operating state from a day on (吕梁: 47户未复工复产企业，逐户研判): the latest is current."""

    class Status(models.TextChoices):
        NORMAL = "normal", "正常生产"
        STOPPED = "stopped", "停产"
        PARTIAL = "partial", "半停产"
        NOT_RESUMED = "not_resumed", "未复工复产"
        DEREGISTERED = "deregistered", "注销"

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="operating_statuses"
    )
    status = models.CharField("经营状态", max_length=14, choices=Status.choices)
    since = models.DateField("起始日期")
    reason = models.CharField("原因", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "企业经营状态"
        verbose_name_plural = verbose_name
        ordering = ["enterprise_id", "-since", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise}：{self.get_status_display()}（{self.since}起）"

    @property
    def zone_id(self) -> int:
        """Where the audit trail files a change of it: the enterprise's zone …"""
        return self.enterprise.zone_id

    def audit_owner(self):
        """… and the history it shows in: the enterprise's 修改记录."""
        return self.enterprise
