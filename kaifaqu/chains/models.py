"""产业链图谱 (一图五清单): a chain, its links (上游/中游/下游, nested), and what sits on each link —
enterprises with their product, projects with their task (强链/补链/延链/建链), 招商 targets.

A chain belongs to a zone, or to a city or the province (a city chain spans its zones: each
zone sees the chain and, on it, only its own records).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kaifaqu.core.models import TimeStampedModel
from kaifaqu.core.scoping import ScopedQuerySet, scope_for


class ChainQuerySet(models.QuerySet):
    def visible_to(self, user) -> ChainQuerySet:
        """A zone's own chains and the chains of its city and province; an office's those of its zones
        and its own; an enterprise the chains it sits on."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.enterprise_id is not None:
            return self.filter(
                pk__in=ChainEnterprise.objects.filter(enterprise_id=scope.enterprise_id).values("link__chain_id")
            )
        from kaifaqu.regions.selectors import regions_holding
        from kaifaqu.zones.models import Zone

        codes = regions_holding(Zone.objects.filter(pk__in=scope.zone_ids).values_list("region__code", flat=True))
        if not codes:
            return self.none()
        return self.filter(
            models.Q(zone_id__in=sorted(scope.zone_ids)) | models.Q(zone__isnull=True, region_id__in=sorted(codes))
        )


class IndustryChain(TimeStampedModel):
    """产业链 (孝义's 氢能, 灵石's 煤化工, 铝系循环)."""

    name = models.CharField("产业链名称", max_length=50)
    zone = models.ForeignKey(
        "zones.Zone",
        verbose_name="开发区",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chains",
        help_text="开发区的产业链填写；市、省的产业链留空并选择行政区划",
    )
    region = models.ForeignKey("regions.Region", verbose_name="行政区划", on_delete=models.PROTECT, related_name="+")
    building = models.BooleanField("在建链", default=False, help_text="正在培育、尚未成链（建链）")
    chief = models.CharField("链长", max_length=50, blank=True, help_text="负责该产业链的领导")
    leader_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="链主企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_chains",
    )
    description = models.TextField("说明", blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)

    objects = ChainQuerySet.as_manager()

    class Meta:
        verbose_name = "产业链"
        verbose_name_plural = verbose_name
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="chain_unique_in_zone"),
            models.UniqueConstraint(
                fields=["region", "name"], condition=models.Q(zone__isnull=True), name="chain_unique_in_region"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_name(self) -> str:
        return self.zone.name if self.zone_id else self.region.name


class Task(models.TextChoices):
    """What a project does for its link (吕梁: 延链项目3个、补链项目3个、强链项目3个)."""

    STRENGTHEN = "strengthen", "强链"
    FILL = "fill", "补链"
    EXTEND = "extend", "延链"
    BUILD = "build", "建链"


class ChainLinkQuerySet(models.QuerySet):
    def visible_to(self, user) -> ChainLinkQuerySet:
        return self.filter(chain__in=IndustryChain.objects.visible_to(user))


class ChainLink(models.Model):
    """环节: a segment or a link of a chain, nested (上游 › 氢气制备 › 焦炉煤气制氢)."""

    class Segment(models.TextChoices):
        UPSTREAM = "upstream", "上游"
        MIDSTREAM = "midstream", "中游"
        DOWNSTREAM = "downstream", "下游"

    class Status(models.TextChoices):
        EXISTING = "existing", "已有"
        WEAK = "weak", "薄弱"
        MISSING = "missing", "缺失"

    # A link's status says its task (有链强链、缺链补链、上下延链); a chain being built is 建链 throughout.
    TASK_OF_STATUS = {Status.EXISTING: Task.STRENGTHEN, Status.WEAK: Task.FILL, Status.MISSING: Task.EXTEND}

    chain = models.ForeignKey(IndustryChain, verbose_name="产业链", on_delete=models.CASCADE, related_name="links")
    parent = models.ForeignKey(
        "self", verbose_name="上级环节", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    segment = models.CharField("链段", max_length=10, choices=Segment.choices)
    name = models.CharField("环节名称", max_length=50)
    status = models.CharField("现状", max_length=10, choices=Status.choices, default=Status.EXISTING)
    note = models.CharField("说明", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)

    objects = ChainLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "产业链环节"
        verbose_name_plural = verbose_name
        ordering = ["chain_id", "segment", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "name"], name="chain_link_unique_name")]

    def __str__(self) -> str:
        return self.name

    def audit_owner(self):
        return self.chain

    @property
    def task(self) -> str:
        return Task.BUILD if self.chain.building else self.TASK_OF_STATUS[self.status]

    def get_task_display(self) -> str:
        return Task(self.task).label


class ChainEnterpriseQuerySet(ScopedQuerySet):
    zone_path = "enterprise__zone"
    enterprise_path = "enterprise"


class ChainEnterprise(models.Model):
    """An enterprise on a link, with what it makes there."""

    link = models.ForeignKey(ChainLink, verbose_name="环节", on_delete=models.CASCADE, related_name="enterprises")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="chain_places"
    )
    product = models.CharField("主要产品", max_length=100, blank=True)

    objects = ChainEnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = "环节企业"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["link", "enterprise"], name="chain_enterprise_once")]

    def __str__(self) -> str:
        return f"{self.link}：{self.enterprise}"

    def audit_owner(self):
        return self.link.chain


class ChainProjectQuerySet(ScopedQuerySet):
    zone_path = "project__zone"
    enterprise_path = "project__enterprise"


class ChainProject(models.Model):
    """A project (or a lead) on a link, with its task: 强链, 补链, 延链 or 建链."""

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="chain_place"
    )
    link = models.ForeignKey(ChainLink, verbose_name="环节", on_delete=models.CASCADE, related_name="projects")
    task = models.CharField("链条任务", max_length=10, choices=Task.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = ChainProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "环节项目"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.link}：{self.project}（{self.get_task_display()}）"

    def audit_owner(self):
        return self.project


class ChainTargetQuerySet(ScopedQuerySet):
    zone_path = "target__zone"


class ChainTarget(models.Model):
    """A 招商 target company sought for a link (the 招商清单, with the leads on the link)."""

    link = models.ForeignKey(ChainLink, verbose_name="环节", on_delete=models.CASCADE, related_name="targets")
    target = models.ForeignKey(
        "investment.Target", verbose_name="目标企业", on_delete=models.CASCADE, related_name="chain_places"
    )

    objects = ChainTargetQuerySet.as_manager()

    class Meta:
        verbose_name = "环节招商目标"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["link", "target"], name="chain_target_once")]

    def __str__(self) -> str:
        return f"{self.link}：{self.target}"

    def audit_owner(self):
        return self.link.chain
