from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from kaifaqu.core.models import TimeStampedModel
from kaifaqu.core.scoping import ScopedQuerySet


class ZoneQuerySet(ScopedQuerySet):
    zone_path = "pk"
    enterprise_sees_zone = True

    def by_name(self, name: str) -> "ZoneQuerySet":
        """Zones whose full or short name is ``name``."""
        return self.filter(models.Q(name=name) | models.Q(short_name=name))


class Zone(TimeStampedModel):
    """A development zone (开发区)."""

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCIAL = "provincial", "省级"

    class Kind(models.TextChoices):
        ECONOMIC = "economic", "经开区"
        HIGH_TECH = "high_tech", "高新区"
        DEMONSTRATION = "demonstration", "示范区"
        OTHER = "other", "其他"

    class Sector(models.TextChoices):
        """The class the province counts zones in: 工业类 zones are those the industrial indicators rank."""

        INDUSTRIAL = "industrial", "工业类"
        AGRICULTURAL = "agricultural", "农业类"
        TOURISM = "tourism", "文旅类"
        SERVICE = "service", "服务业类"

    name = models.CharField("开发区名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, unique=True, null=True, blank=True)
    level = models.CharField("级别", max_length=12, choices=Level.choices, default=Level.PROVINCIAL)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.ECONOMIC)
    sector = models.CharField("产业类别", max_length=16, choices=Sector.choices, default=Sector.INDUSTRIAL)
    region = models.ForeignKey("regions.Region", verbose_name="所在行政区划", on_delete=models.PROTECT)
    area_km2 = models.DecimalField(
        "面积（平方公里）",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    leading_industries = models.CharField("主导产业", max_length=200, blank=True)

    objects = ZoneQuerySet.as_manager()

    class Meta:
        verbose_name = "开发区"
        verbose_name_plural = "开发区"
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class ParkQuerySet(ScopedQuerySet):
    zone_path = "zone"
    enterprise_sees_zone = True


class Park(TimeStampedModel):
    """A sub-park of a zone (园区), e.g. 孝义's 现代煤化工产业园."""

    zone = models.ForeignKey(Zone, verbose_name="开发区", on_delete=models.CASCADE, related_name="parks")
    name = models.CharField("园区名称", max_length=100)

    objects = ParkQuerySet.as_manager()

    class Meta:
        verbose_name = "园区"
        verbose_name_plural = "园区"
        ordering = ["zone_id", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="park_unique_name_in_zone")]

    def __str__(self) -> str:
        return self.name

    def audit_owner(self):
        """Its history shows on the zone's page."""
        return self.zone


class Unit(models.Model):
    """An office a user belongs to: province or city office, zone committee, or enterprise."""

    class Kind(models.TextChoices):
        PROVINCE = "province", "省级主管部门"
        CITY = "city", "市级主管部门"
        ZONE = "zone", "开发区管委会"
        ENTERPRISE = "enterprise", "企业"

    name = models.CharField("单位名称", max_length=100, unique=True)
    kind = models.CharField("单位类型", max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name="管辖区划", null=True, blank=True, on_delete=models.PROTECT
    )
    zone = models.ForeignKey(Zone, verbose_name="开发区", null=True, blank=True, on_delete=models.CASCADE)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="unit_kind_matches_target",
                condition=(
                    models.Q(
                        kind__in=["province", "city"],
                        region__isnull=False,
                        zone__isnull=True,
                        enterprise__isnull=True,
                    )
                    | models.Q(kind="zone", zone__isnull=False, enterprise__isnull=True)
                    | models.Q(kind="enterprise", enterprise__isnull=False, zone__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """What a member may do within the unit's scope (系统管理员, 领导, 项目专员, …).

    Roles are data: ``permissions`` lists codes from ``core.scoping.Perm`` and
    ``unit_kinds`` the kinds of unit whose members may hold the role. The defaults are
    created by a migration; docs/permissions.md is the matrix they implement.
    """

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("角色名称", max_length=30, unique=True)
    permissions = models.JSONField("权限", default=list, blank=True)
    unit_kinds = models.JSONField("适用单位类型", default=list)
    description = models.CharField("说明", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place: exactly one unit per user, with the roles held there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="membership"
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships")
    title = models.CharField("职务", max_length=50, blank=True)
    # 班子成员 (the committee's leadership): each must lead an 外出招商 trip a month (孝义, seed 000).
    is_leadership = models.BooleanField("班子成员", default=False)
    # The day the member joined the 班子 (empty: as far back as the records go): the months
    # before it are not counted against them.
    leadership_since = models.DateField("任班子成员日期", null=True, blank=True)
    roles = models.ManyToManyField(Role, verbose_name="角色", blank=True, related_name="memberships")

    class Meta:
        verbose_name = "单位成员"
        verbose_name_plural = "单位成员"

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit}"
