"""Writes of 三个一批 campaigns: creating one, entering a project in a batch, taking it out.

An entry is a statement that the project was signed, started or put into production by the
campaign's date, so it is checked against the project's stage and dates; the checks are
the same from the page, the API and the command line.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kaifaqu.audit import trail
from kaifaqu.core.rights import ensure
from kaifaqu.core.validation import ErrorBag, full_clean_into
from kaifaqu.projects import lifecycle
from kaifaqu.projects.models import Project, Stage
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

from .models import Batch, Campaign, CampaignEntry

# What each batch asserts: the stage reached and the date that proves it.
BATCH_RULES = {
    Batch.SIGN: (Stage.SIGNED, "signed_on"),
    Batch.START: (Stage.STARTED, "started_on"),
    Batch.PRODUCE: (Stage.PRODUCING, "producing_on"),
}
LEVEL_REGIONS = {
    Campaign.Level.PROVINCE: (Region.Level.PROVINCE,),
    Campaign.Level.CITY: (Region.Level.CITY,),
    Campaign.Level.COUNTY: (Region.Level.COUNTY,),
}


def campaign_zones(campaign: Campaign):
    """The zones a campaign covers."""
    if campaign.zone_id:
        return Zone.objects.filter(pk=campaign.zone_id)
    return Zone.objects.filter(region__code__startswith=campaign.region.scope_prefix)


@transaction.atomic
def campaign_create(
    *,
    user,
    name: str,
    held_on: datetime.date,
    level: str,
    region: Region | None = None,
    zone: Zone | None = None,
    note: str = "",
) -> Campaign:
    """A new campaign over ``zone`` or ``region`` (the region of the zone when only a zone is given)."""
    campaign = Campaign(
        name=" ".join((name or "").split()),
        held_on=held_on,
        level=level,
        region=region or (zone.region if zone else None),
        zone=zone,
        note=note,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    bag = ErrorBag()
    full_clean_into(campaign, bag, exclude=["created_by"])
    _check_level(campaign, bag)
    bag.raise_if_any()
    ensure(user, "campaign.run", campaign)
    campaign.save()
    trail.record_create(user=user, instance=campaign)
    return campaign


def _check_level(campaign: Campaign, bag: ErrorBag) -> None:
    if campaign.zone_id or not campaign.region_id or campaign.level not in LEVEL_REGIONS:
        return
    if campaign.region.level not in LEVEL_REGIONS[campaign.level]:
        wanted = {"province": "省", "city": "市", "county": "县（市、区）或开发区"}[campaign.level]
        bag.add("region", f"{campaign.get_level_display()}活动的范围应为一个{wanted}，“{campaign.region.name}”不是。")


@transaction.atomic
def campaign_entry_add(
    *, user, campaign: Campaign, project: Project, batch: str, investment: Decimal | None = None
) -> CampaignEntry:
    """Enter ``project`` in a batch; refused, with the reason, when its stage or dates do not bear it out."""
    ensure(user, "campaign.run", campaign)
    if user is not None and not Project.objects.visible_to(user).filter(pk=project.pk).exists():
        raise PermissionDenied("该项目不在您的管辖范围内。")
    entry = CampaignEntry(
        campaign=campaign,
        project=project,
        batch=batch,
        investment=project.total_investment if investment is None else investment,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    bag = ErrorBag()
    full_clean_into(entry, bag, exclude=["created_by", "campaign", "project"])
    if batch in BATCH_RULES:
        for message in entry_problems(campaign, project, batch):
            bag.add("project", message)
    bag.raise_if_any()
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:  # two people adding the same project at once
        raise ValidationError({"project": f"“{project.name}”已在{entry.get_batch_display()}一批中。"}) from exc
    trail.record_create(user=user, instance=entry)
    return entry


def entry_problems(campaign: Campaign, project: Project, batch: str) -> list[str]:
    """Why ``project`` cannot be entered in ``batch`` of ``campaign`` (empty when it can)."""
    label = Batch(batch).label
    if not campaign_zones(campaign).filter(pk=project.zone_id).exists():
        return [f"“{project.name}”属于{project.zone.name}，不在本次活动的范围（{campaign.scope_name}）内。"]
    if project.stage == Stage.TERMINATED:
        return [f"“{project.name}”已终止，不能列入{label}一批。"]
    if campaign.entries.filter(project=project, batch=batch).exists():
        return [f"“{project.name}”已在{label}一批中。"]
    stage, date_field = BATCH_RULES[batch]
    if lifecycle.RANK[project.reached_stage] < lifecycle.RANK[stage]:
        return [
            f"“{project.name}”目前处于“{project.get_stage_display()}”阶段，尚未{label}，"
            f"不能列入{label}一批（请先在项目台账中登记{lifecycle.date_label(date_field)}）。"
        ]
    when = getattr(project, date_field)
    if when is None:
        return [f"“{project.name}”的{lifecycle.date_label(date_field)}待补录，请先在项目页面“补录”。"]
    if when > campaign.held_on:
        return [
            f"“{project.name}”的{lifecycle.date_label(date_field)}（{when}）晚于活动日期（{campaign.held_on}），"
            f"不能列入本次{label}一批。"
        ]
    return []


@transaction.atomic
def campaign_entry_remove(*, user, entry: CampaignEntry) -> None:
    ensure(user, "campaign.run", entry.campaign)
    trail.record_delete(user=user, instance=entry)
    entry.delete()
