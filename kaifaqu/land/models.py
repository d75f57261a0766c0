"""标准地 and 亩均效益 (issue 22).

- ``MuJunScheme``: a zone's or a city's 亩均效益评价 (weights, cap, score bands, the land threshold);
  浙江's method is the shipped default (``mujun.Weighting``).
- ``MuJunGrade``: one enterprise's grade for a year under a scheme, kept per year (its history,
  the enterprises that moved down); excluded enterprises are kept too, with the reason.
- ``Parcel``: a parcel of land (地块) with its control indicators (控制指标), the 区域评估 results it
  carries, its status from 储备 to 已验收, the buyer and the project, and what the buyer promised
  (承诺) — checked after production against the enterprise's own figures.
- ``Disposal``: a step taken on idle or inefficient land (约谈, 收回, 再开发 …).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from kaifaqu.core.models import TimeStampedModel
from kaifaqu.core.scoping import ScopedQuerySet
from kaifaqu.zones.ownership import OwnedByZoneOrRegion, OwnedQuerySet

from .mujun import INDICATORS, Weighting, plain

POINTS = {"max_digits": 8, "decimal_places": 2}
FIGURE = {"max_digits": 16, "decimal_places": 4, "null": True, "blank": True}
AREA = {"max_digits": 12, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal(0))]


class MuJunSchemeQuerySet(OwnedQuerySet):
    """An enterprise sees no scheme; it sees its own grades (``MuJunGrade``)."""


class MuJunScheme(OwnedByZoneOrRegion, TimeStampedModel):
    """亩均效益评价方案: weights in points (100 at the group's level), the cap on one indicator, the
    grade bands and the land below which an enterprise is not graded."""

    class Basis(models.TextChoices):
        REVENUE = "revenue", "营业收入"
        VALUE_ADDED = "value_added", "增加值"

    name = models.CharField("评价方案名称", max_length=100)
    zone = models.ForeignKey(
        "zones.Zone",
        verbose_name="开发区",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mujun_schemes",
        help_text="开发区评价本区企业时填写；市评价全市开发区企业时留空并选择行政区划",
    )
    region = models.ForeignKey("regions.Region", verbose_name="行政区划", on_delete=models.PROTECT, related_name="+")
    weight_tax = models.DecimalField("亩均税收权重（分）", default=Decimal(40), validators=NON_NEGATIVE, **POINTS)
    weight_revenue = models.DecimalField(
        "亩均营业收入（增加值）权重（分）", default=Decimal(25), validators=NON_NEGATIVE, **POINTS
    )
    weight_energy = models.DecimalField(
        "单位能耗增加值权重（分）", default=Decimal(20), validators=NON_NEGATIVE, **POINTS
    )
    weight_rd = models.DecimalField("研发投入强度权重（分）", default=Decimal(15), validators=NON_NEGATIVE, **POINTS)
    revenue_basis = models.CharField(
        "亩均产出口径",
        max_length=12,
        choices=Basis.choices,
        default=Basis.REVENUE,
        help_text="第二项指标按亩均营业收入或亩均增加值计算",
    )
    cap = models.DecimalField(
        "单项封顶倍数",
        default=Decimal(3),
        validators=[MinValueValidator(Decimal(1))],
        max_digits=5,
        decimal_places=2,
        help_text="单项得分最多为权重的几倍，避免一项指标特别突出就定档",
    )
    band_a = models.DecimalField("A类（优先发展）最低分", default=Decimal(120), **POINTS)
    band_b = models.DecimalField("B类（提升发展）最低分", default=Decimal(80), **POINTS)
    band_c = models.DecimalField("C类（帮扶转型）最低分", default=Decimal(50), **POINTS)
    min_land_mu = models.DecimalField(
        "参评最小用地（亩）",
        default=Decimal(3),
        validators=NON_NEGATIVE,
        **AREA,
        help_text="用地面积不足此数的企业不参评，名单中注明",
    )
    description = models.TextField("说明", blank=True)
    template = models.CharField("来源模板", max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = MuJunSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = "亩均效益评价方案"
        verbose_name_plural = verbose_name
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="mujun_scheme_unique_in_zone"),
            models.UniqueConstraint(
                fields=["region", "name"],
                condition=models.Q(zone__isnull=True),
                name="mujun_scheme_unique_in_region",
                violation_error_message="该市已有同名的亩均效益评价方案，请换一个名称。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def indicator_names(self) -> dict[str, str]:
        """The four indicators' names as this scheme measures them (亩均营业收入 or 亩均增加值)."""
        output = "亩均增加值" if self.revenue_basis == self.Basis.VALUE_ADDED else "亩均营业收入"
        return {**INDICATORS, "revenue_per_mu": output}

    def rules_text(self) -> str:
        """The scheme in the office's words, as the pages and the workbook state it."""
        names = self.indicator_names()
        weights = (self.weight_tax, self.weight_revenue, self.weight_energy, self.weight_rd)
        parts = "、".join(f"{names[key]}{plain(weight)}分" for key, weight in zip(names, weights, strict=True))
        return (
            f"{parts}；各项以参评企业整体水平（合计数相除）为该项满分，按比例计分，单项最高为权重的{plain(self.cap)}倍；未填报的指标按已填报指标折算；"
            f"综合得分≥{plain(self.band_a)}分为A类（优先发展），≥{plain(self.band_b)}分为B类（提升发展），"
            f"≥{plain(self.band_c)}分为C类（帮扶转型），其余为D类（整治提升）；用地不足{plain(self.min_land_mu)}亩的企业不参评。"
        )

    def weighting(self) -> Weighting:
        return Weighting(
            weights={
                "tax_per_mu": self.weight_tax,
                "revenue_per_mu": self.weight_revenue,
                "energy_productivity": self.weight_energy,
                "rd_intensity_pct": self.weight_rd,
            },
            cap=self.cap,
            bands=((self.band_a, "A"), (self.band_b, "B"), (self.band_c, "C")),
            min_land_mu=self.min_land_mu,
            basis=self.revenue_basis,
        )


class MuJunGradeQuerySet(ScopedQuerySet):
    zone_path = "enterprise__zone"
    enterprise_path = "enterprise"


class MuJunGrade(models.Model):
    """An enterprise's 亩均 grade for a year under a scheme (grading the year again replaces the
    year's rows; other years stay: the history). ``grade`` empty: excluded, with the reason."""

    scheme = models.ForeignKey(MuJunScheme, verbose_name="评价方案", on_delete=models.CASCADE, related_name="grades")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="mujun_grades"
    )
    year = models.PositiveSmallIntegerField("年度")
    grade = models.CharField("等级", max_length=1, blank=True)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    score = models.DecimalField("综合得分", null=True, blank=True, **POINTS)
    tax_per_mu = models.DecimalField("亩均税收（万元/亩）", **FIGURE)
    revenue_per_mu = models.DecimalField("亩均营业收入（万元/亩）", **FIGURE)
    energy_productivity = models.DecimalField("单位能耗增加值（万元/吨标准煤）", **FIGURE)
    rd_intensity_pct = models.DecimalField("研发投入强度（%）", **FIGURE)
    points = models.JSONField("各项得分", default=dict, blank=True)
    # The group's level of each indicator when graded (the sums divided): 100 points at it.
    levels = models.JSONField("参评企业整体水平", default=dict, blank=True)
    gaps = models.CharField("待补录指标", max_length=100, blank=True)
    excluded_reason = models.CharField("不参评原因", max_length=200, blank=True)
    graded_at = models.DateTimeField("评价时间", auto_now=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评价人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MuJunGradeQuerySet.as_manager()

    class Meta:
        verbose_name = "亩均效益评价结果"
        verbose_name_plural = verbose_name
        ordering = ["scheme_id", "-year", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "enterprise", "year"], name="mujun_grade_once_a_year"),
        ]
        indexes = [models.Index(fields=["scheme", "year", "grade"], name="mujun_grade_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年 {self.grade or '不参评'}"


class ParcelQuerySet(ScopedQuerySet):
    zone_path = "zone"
    enterprise_path = "enterprise"


class Parcel(TimeStampedModel):
    """A parcel (地块): its control indicators (控制指标), the 区域评估 it carries, its status, the
    buyer and the project, and the buyer's promise (承诺) for a 标准地."""

    class Use(models.TextChoices):
        INDUSTRIAL = "industrial", "工业用地"
        STORAGE = "storage", "仓储用地"
        COMMERCIAL = "commercial", "商服用地"
        OTHER = "other", "其他用地"

    class Status(models.TextChoices):
        RESERVE = "reserve", "储备"
        LISTED = "listed", "挂牌"
        SOLD = "sold", "已出让"
        STARTED = "started", "已开工"
        PRODUCING = "producing", "已投产"
        ACCEPTED = "accepted", "已验收"

    class Check(models.TextChoices):
        NONE = "", "未核验"
        MET = "met", "达标"
        BELOW = "below", "未达标"

    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="parcels")
    park = models.ForeignKey(
        "zones.Park", verbose_name="园区", null=True, blank=True, on_delete=models.SET_NULL, related_name="parcels"
    )
    code = models.CharField("地块编号", max_length=60)
    location = models.CharField("坐落", max_length=200, blank=True)
    area_mu = models.DecimalField("面积（亩）", validators=NON_NEGATIVE, **AREA)
    use = models.CharField("用途", max_length=12, choices=Use.choices, default=Use.INDUSTRIAL)
    is_standard = models.BooleanField("以“标准地”出让", default=True)
    # 控制指标 (灵石: 投资强度、容积率、能耗控制、环境标准).
    invest_intensity = models.DecimalField("投资强度（万元/亩）", **FIGURE)
    plot_ratio = models.DecimalField("容积率", **FIGURE)
    tax_per_mu = models.DecimalField("亩均税收（万元/亩）", **FIGURE)
    energy_per_unit = models.DecimalField("单位能耗（吨标准煤/万元增加值）", help_text="不高于此数为达标", **FIGURE)
    environment_standard = models.CharField("环境标准", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RESERVE)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="受让企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parcels",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parcels",
    )
    price = models.DecimalField("出让价款（万元）", **FIGURE)
    listed_on = models.DateField("挂牌日期", null=True, blank=True)
    sold_on = models.DateField("出让日期", null=True, blank=True)
    started_on = models.DateField("开工日期", null=True, blank=True)
    producing_on = models.DateField("投产日期", null=True, blank=True)
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    # 承诺 (标准地+承诺制): what the buyer signed, checked after production.
    promised_invest_intensity = models.DecimalField("承诺投资强度（万元/亩）", **FIGURE)
    promised_plot_ratio = models.DecimalField("承诺容积率", **FIGURE)
    promised_tax_per_mu = models.DecimalField("承诺亩均税收（万元/亩）", **FIGURE)
    promised_energy_per_unit = models.DecimalField("承诺单位能耗（吨标准煤/万元）", **FIGURE)
    check_result = models.CharField("核验结果", max_length=6, choices=Check.choices, blank=True, default="")
    check_year = models.PositiveSmallIntegerField("核验年度", null=True, blank=True)
    checked_on = models.DateField("核验日期", null=True, blank=True)
    check_gaps = models.TextField("未达标项", blank=True)
    note = models.TextField("备注", blank=True)

    objects = ParcelQuerySet.as_manager()

    class Meta:
        verbose_name = "地块"
        verbose_name_plural = "地块"
        ordering = ["zone_id", "code"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="parcel_code_unique_in_zone")]

    def __str__(self) -> str:
        return self.code


class Assessment(models.Model):
    """A 区域评估 result a parcel carries (区域评估…土地带标): done once for the area, reused by every
    project on it instead of each doing its own."""

    class Kind(models.TextChoices):
        MINERALS = "minerals", "压覆矿产资源评估"
        GEOHAZARD = "geohazard", "地质灾害危险性评估"
        SOIL_WATER = "soil_water", "水土保持方案"
        RELICS = "relics", "文物考古调查勘探"
        FLOOD = "flood", "洪水影响评价"
        SEISMIC = "seismic", "地震安全性评价"
        ENVIRONMENT = "environment", "环境影响评价"
        ENERGY = "energy", "节能评价"
        OTHER = "other", "其他"

    parcel = models.ForeignKey(Parcel, verbose_name="地块", on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField("评估事项", max_length=12, choices=Kind.choices)
    conclusion = models.CharField("结论", max_length=200, blank=True)
    reference = models.CharField("批复文号", max_length=100, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "区域评估"
        verbose_name_plural = verbose_name
        ordering = ["parcel_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["parcel", "kind"], name="assessment_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.parcel} {self.get_kind_display()}"

    # Where the audit trail files a change of it: the parcel's zone and buyer.
    @property
    def zone_id(self) -> int:
        return self.parcel.zone_id

    @property
    def enterprise_id(self) -> int | None:
        return self.parcel.enterprise_id

    def audit_owner(self):
        return self.parcel


class DisposalQuerySet(ScopedQuerySet):
    zone_path = "zone"
    enterprise_path = "enterprise"


class Disposal(models.Model):
    """A step on idle or inefficient land (低效闲置用地处置): on a parcel, or on an enterprise graded D."""

    class Step(models.TextChoices):
        TALK = "talk", "约谈"
        DEADLINE = "deadline", "限期整改"
        RECLAIM = "reclaim", "收回"
        REDEVELOP = "redevelop", "再开发"
        TRANSFER = "transfer", "转让盘活"
        DONE = "done", "处置完毕"

    zone = models.ForeignKey("zones.Zone", verbose_name="开发区", on_delete=models.CASCADE, related_name="+")
    parcel = models.ForeignKey(
        Parcel, verbose_name="地块", null=True, blank=True, on_delete=models.CASCADE, related_name="disposals"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="land_disposals",
    )
    step = models.CharField("处置措施", max_length=10, choices=Step.choices)
    done_on = models.DateField("日期")
    note = models.TextField("情况说明")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = DisposalQuerySet.as_manager()

    class Meta:
        verbose_name = "低效闲置用地处置"
        verbose_name_plural = verbose_name
        ordering = ["-done_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parcel__isnull=False) | models.Q(enterprise__isnull=False),
                name="disposal_on_parcel_or_enterprise",
            )
        ]

    def __str__(self) -> str:
        return f"{self.parcel or self.enterprise} {self.get_step_display()}"

    def audit_owner(self):
        """A step is in the history of the parcel it was taken on (or of the enterprise)."""
        return self.parcel if self.parcel_id is not None else self.enterprise
