"""Writes to zones, parks and units."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from kaifaqu.audit import trail
from kaifaqu.core.rights import ensure
from kaifaqu.core.scoping import forget_scope
from kaifaqu.core.validation import ErrorBag, full_clean_into
from kaifaqu.regions.models import Region

from .models import Membership, Park, Role, Unit, Zone


def guess_kind(name: str) -> str:
    if "高新" in name:
        return Zone.Kind.HIGH_TECH
    if "示范区" in name:
        return Zone.Kind.DEMONSTRATION
    if "开发区" in name or "经开区" in name:
        return Zone.Kind.ECONOMIC
    return Zone.Kind.OTHER


@transaction.atomic
def zone_create(
    *,
    name: str,
    region_code: str,
    short_name: str | None = None,
    level: str = Zone.Level.PROVINCIAL,
    kind: str | None = None,
    sector: str = Zone.Sector.INDUSTRIAL,
    area_km2: Decimal | None = None,
    leading_industries: str = "",
    user=None,
) -> Zone:
    """Create a zone under a shipped region, with its committee unit (管委会)."""
    bag = ErrorBag()
    region = Region.objects.filter(code=(region_code or "").strip()).first()
    if region is None:
        bag.add("region", f"未找到行政区划代码“{region_code}”（应为 GB/T 2260 六位代码，如 141181）。")
    name = (name or "").strip()
    zone = Zone(
        name=name,
        short_name=(short_name or "").strip() or None,
        level=level,
        kind=kind or guess_kind(name),
        sector=sector,
        region=region,
        area_km2=area_km2,
        leading_industries=leading_industries,
    )
    full_clean_into(zone, bag, exclude=["region"] if region is None else None)
    bag.raise_if_any()
    zone.save()
    Unit.objects.create(name=f"{zone.name}管委会", kind=Unit.Kind.ZONE, zone=zone)
    trail.record_create(user=user, instance=zone)
    return zone


@transaction.atomic
def park_create(*, user, zone: Zone, name: str) -> Park:
    ensure(user, "zone.change", zone)
    park = Park(zone=zone, name=(name or "").strip())
    bag = ErrorBag()
    full_clean_into(park, bag)
    bag.raise_if_any()
    park.save()
    trail.record_create(user=user, instance=park)
    return park


def unit_for_region(*, region: Region, name: str | None = None) -> Unit:
    """The province or city office over ``region``, created on first use."""
    if region.level == Region.Level.COUNTY:
        raise ValidationError({"region": "省、市主管部门只能对应省级或地级行政区划。"})
    kind = Unit.Kind.PROVINCE if region.level == Region.Level.PROVINCE else Unit.Kind.CITY
    default_name = f"{region.name}开发区建设工作领导组办公室" if kind == Unit.Kind.CITY else f"{region.name}商务厅"
    unit, _ = Unit.objects.get_or_create(kind=kind, region=region, defaults={"name": name or default_name})
    return unit


@transaction.atomic
def park_update(*, user, park: Park, name: str) -> Park:
    ensure(user, "zone.change", park)
    before = trail.stored_snapshot(park)
    park.name = (name or "").strip()
    bag = ErrorBag()
    full_clean_into(park, bag)
    bag.raise_if_any()
    park.save()
    trail.record_update(user=user, instance=park, before=before)
    return park


@transaction.atomic
def park_delete(*, user, park: Park) -> None:
    """Remove a park; its projects stay in the zone, no longer tied to a park."""
    ensure(user, "zone.change", park)
    trail.record_delete(user=user, instance=park)
    park.delete()


@transaction.atomic
def zone_update(*, user, zone: Zone, fields: dict) -> Zone:
    """Change a zone's own record: only system administrators maintain the list of zones."""
    ensure(user, "zone.register", zone)
    forbidden = sorted(set(fields) - {"name", "short_name", "level", "kind", "area_km2", "leading_industries"})
    if forbidden:
        raise ValidationError({name: "该字段不能修改。" for name in forbidden})
    before = trail.stored_snapshot(zone)
    for name, value in fields.items():
        setattr(zone, name, value.strip() or None if name == "short_name" and isinstance(value, str) else value)
    bag = ErrorBag()
    full_clean_into(zone, bag)
    bag.raise_if_any()
    zone.save()
    trail.record_update(user=user, instance=zone, before=before)
    return zone


@transaction.atomic
def membership_set(
    *, user, unit: Unit, roles: list[str] | tuple[str, ...] = (), title: str = "", leadership: bool = False
) -> Membership:
    """Place ``user`` in ``unit`` with the roles of the given codes (replacing earlier ones);
    ``leadership``: a member of the committee's 班子 (see ``Membership.is_leadership``)."""
    found = {role.code: role for role in Role.objects.filter(code__in=roles)}
    bag = ErrorBag()
    unknown = [code for code in roles if code not in found]
    if unknown:
        bag.add("roles", f"未知的角色：{'、'.join(unknown)}。")
    misplaced = [role.name for role in found.values() if unit.kind not in role.unit_kinds]
    if misplaced:
        bag.add("roles", f"{unit.get_kind_display()}的成员不能担任：{'、'.join(misplaced)}。")
    bag.raise_if_any()
    membership, _ = Membership.objects.update_or_create(
        user=user, defaults={"unit": unit, "title": title, "is_leadership": leadership}
    )
    membership.roles.set(found.values())
    forget_scope(user)
    return membership
