"""What the offices set up: annual targets and the indicator catalogue."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kaifaqu.audit import trail
from kaifaqu.core.rights import can, ensure
from kaifaqu.zones.models import Zone

from ..models import (
    AnnualTarget,
    Indicator,
    IndicatorValue,
)


def targets_save(*, user, year: int, values: dict[tuple[int, int], Decimal | None]) -> int:
    """Set (or clear, with None) the annual targets of zones the user reviews; returns how many changed."""
    zones = {zone.pk: zone for zone in Zone.objects.filter(pk__in={zone_id for zone_id, _ in values})}
    refused = [zones[zone_id].name for zone_id in zones if not can(user, "indicator.review", zones[zone_id])]
    if refused or len(zones) < len({zone_id for zone_id, _ in values}):
        raise PermissionDenied(f"您没有设置这些开发区年度目标的权限：{'、'.join(refused) or '（开发区不存在）'}。")
    changed = 0
    with transaction.atomic():
        existing = {
            (target.zone_id, target.indicator_id): target
            for target in AnnualTarget.objects.filter(year=year, zone_id__in=zones)
        }
        for (zone_id, indicator_id), value in values.items():
            target = existing.get((zone_id, indicator_id))
            if value is None:
                if target is not None:
                    trail.record_delete(user=user, instance=target)
                    target.delete()
                    changed += 1
            elif target is None:
                target = AnnualTarget.objects.create(zone_id=zone_id, indicator_id=indicator_id, year=year, value=value)
                trail.record_create(user=user, instance=target)
                changed += 1
            elif target.value != value:
                before = trail.snapshot(target)
                target.value = value
                target.save(update_fields=["value"])
                trail.record_update(user=user, instance=target, before=before)
                changed += 1
    return changed


def indicator_save(*, user, indicator: Indicator) -> Indicator:
    ensure(user, "indicator.catalogue")
    created = indicator.pk is None
    stored_unit = None if created else Indicator.objects.values_list("unit", flat=True).get(pk=indicator.pk)
    if stored_unit is not None and stored_unit != indicator.unit:
        reported = IndicatorValue.objects.filter(indicator=indicator).count()
        if reported:
            raise ValidationError(
                {
                    "unit": f"该指标已有 {reported} 个数据按“{stored_unit}”填报，改单位会让这些数据被误读；"
                    "如需换单位，请新建指标并停用本指标。"
                }
            )
    return trail.save_recorded(user=user, instance=indicator, full_clean=True)
