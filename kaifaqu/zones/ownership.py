"""Records owned by a zone, or by an office's region when their ``zone`` is empty (a chain, a
policy, a 榜单, an evaluation scheme): who sees them, who keeps them, what ground they cover."""

from __future__ import annotations

from django.db import models

from kaifaqu.core.scoping import Perm, scope_for

from .selectors import office_covers


def zone_or_region_filter(scope) -> models.Q | None:
    """Records owned by a zone or by an office's region (chains, policies): a zone's own and those of
    its city and province; an office's those of its zones and its own. None: nothing."""
    from kaifaqu.regions.selectors import regions_holding
    from kaifaqu.zones.models import Zone

    codes = regions_holding(Zone.objects.filter(pk__in=scope.zone_ids).values_list("region__code", flat=True))
    if not codes:
        return None
    return models.Q(zone_id__in=sorted(scope.zone_ids)) | models.Q(zone__isnull=True, region_id__in=sorted(codes))


class OwnedQuerySet(models.QuerySet):
    """``visible_to`` for records owned by a zone or a region (``zone_or_region_filter``); what an
    enterprise user sees is each model's own answer (``for_enterprise``: nothing by default)."""

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.enterprise_id is not None:
            return self.for_enterprise(user, scope.enterprise_id)
        owned = zone_or_region_filter(scope)
        return self.none() if owned is None else self.filter(owned)

    def for_enterprise(self, user, enterprise_id: int):
        return self.none()


class OwnedByZoneOrRegion:
    """A record owned by a zone, or by an office's region when ``zone`` is empty (a chain, a
    policy, a 榜单); offices and pages name it by its owner."""

    @property
    def scope_name(self) -> str:
        return self.zone.name if self.zone_id else self.region.name

    def covers(self, zone) -> bool:
        """Is ``zone`` this record's own zone or, for an office's record, a zone within its region?"""
        if zone is None:
            return False
        if self.zone_id is not None:
            return self.zone_id == zone.pk
        return zone.region_id.startswith(self.region.scope_prefix)

    def overlaps(self, other: OwnedByZoneOrRegion) -> bool:
        """Does one's ground hold the other's (a city's policy and a zone's chain in the city, a zone's
        榜单 and its city's chain)?"""
        if self.zone_id is not None:
            return other.covers(self.zone)
        if other.zone_id is not None:
            return self.covers(other.zone)
        inner, outer = sorted((self.region, other.region), key=lambda region: -len(region.scope_prefix))
        return inner.code.startswith(outer.scope_prefix)


def may_keep(user, owned, *, perm: str = Perm.ZONE_CHANGE) -> bool:
    """May the user keep a record owned by a zone or an office's region (a chain, a policy), holding
    ``perm`` there (维护园区 unless the record's own right names another code, as 考核 does)?"""
    if user is None:
        return True  # the command line, run by the operator
    scope = scope_for(user)
    if owned is None or scope.everything:
        return scope.can_anywhere(perm)
    if owned.zone_id is not None:
        return scope.can(perm, owned.zone_id)
    return perm in scope.permissions and office_covers(user, owned.region) and scope.unit_id is not None
