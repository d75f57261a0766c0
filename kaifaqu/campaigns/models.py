"""三个一批: a dated event at which a batch of projects is signed, started and put into production."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kaifaqu.core.models import TimeStampedModel
from kaifaqu.core.scoping import ScopedQuerySet, scope_for
from kaifaqu.projects.models import MONEY, NON_NEGATIVE


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> CampaignQuerySet:
        """Campaigns whose scope holds at least one zone the user sees: a zone sees its city's
        and its province's campaigns (with only its own entries in them, see ``CampaignEntry``)."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.enterprise_id is not None:  # an enterprise sees the campaigns its projects are in
            return self.filter(
                pk__in=CampaignEntry.objects.filter(project__enterprise_id=scope.enterprise_id).values("campaign_id")
            )
        from kaifaqu.regions.selectors import regions_holding
        from kaifaqu.zones.models import Zone

        codes = regions_holding(Zone.objects.filter(pk__in=scope.zone_ids).values_list("region__code", flat=True))
        if not codes:
            return self.none()
        return self.filter(
            models.Q(zone_id__in=sorted(scope.zone_ids)) | models.Q(zone__isnull=True, region_id__in=sorted(codes))
        )


class Campaign(TimeStampedModel):
    """One 三个一批 event (e.g. 吕梁市2025年第一季度“三个一批”活动)."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"

    name = models.CharField("活动名称", max_length=100, unique=True)
    held_on = models.DateField("活动日期")
    level = models.CharField("活动级别", max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name="范围（行政区划）", on_delete=models.PROTECT, related_name="+"
    )
    zone = models.ForeignKey(
        "zones.Zone",
        verbose_name="范围（开发区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text="只有一个开发区参加时填写",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "三个一批活动"
        verbose_name_plural = verbose_name
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_name(self) -> str:
        return self.zone.name if self.zone_id else self.region.name


class Batch(models.TextChoices):
    SIGN = "sign", "签约"
    START = "start", "开工"
    PRODUCE = "produce", "投产"


class CampaignEntryQuerySet(ScopedQuerySet):
    zone_path = "project__zone"
    enterprise_path = "project__enterprise"


class CampaignEntry(models.Model):
    """A project in one batch of a campaign, with the investment counted for it."""

    campaign = models.ForeignKey(Campaign, verbose_name="活动", on_delete=models.CASCADE, related_name="entries")
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="campaign_entries"
    )
    batch = models.CharField("批次", max_length=10, choices=Batch.choices)
    investment = models.DecimalField(
        "计入投资（万元）", validators=NON_NEGATIVE, help_text="签约一批为签约投资额，开工、投产一批为总投资", **MONEY
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = CampaignEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "三个一批项目"
        verbose_name_plural = verbose_name
        ordering = ["campaign", "batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "project", "batch"], name="campaign_entry_once_per_batch")
        ]

    def __str__(self) -> str:
        return f"{self.get_batch_display()}：{self.project}"

    def audit_owner(self):
        return self.campaign
