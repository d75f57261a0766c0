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
