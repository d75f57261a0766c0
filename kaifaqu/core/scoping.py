"""The one scoping mechanism: who may see and change which records.

Every queryset that reaches a page, an API response, a command run as a user, an
export or a statistic goes through ``visible_to(user)``; single objects are fetched
with ``get_visible_or_404``. Views never filter by zone by hand.

A user belongs to one unit (see ``zones.Unit``):
- province office: every zone whose region lies in the province;
- city office: every zone whose region lies in the city;
- zone committee: its own zone;
- enterprise: only its own enterprise's records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

_CACHE_ATTR = "_kaifaqu_scope"


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    zone_ids: frozenset[int] = field(default_factory=frozenset)
    enterprise_id: int | None = None
    editable_zone_ids: frozenset[int] = field(default_factory=frozenset)
    unit_id: int | None = None

    def can_edit_zone(self, zone_id: int | None) -> bool:
        return self.everything or (zone_id is not None and zone_id in self.editable_zone_ids)


def scope_for(user) -> Scope:
    """The scope of ``user``, computed once per user object (so once per request)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    if user is not None and getattr(user, "is_authenticated", False):
        setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    """Drop a cached scope, e.g. after the user's membership changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute_scope(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    membership_model = apps.get_model("zones", "Membership")
    membership = (
        membership_model.objects.select_related("unit", "unit__region", "unit__enterprise").filter(user=user).first()
    )
    if membership is None:
        return Scope()
    unit = membership.unit
    zone_model = apps.get_model("zones", "Zone")
    kind = unit.kind
    if kind == "zone":
        ids = frozenset([unit.zone_id])
        return Scope(zone_ids=ids, editable_zone_ids=ids, unit_id=unit.pk)
    if kind == "enterprise":
        return Scope(zone_ids=frozenset([unit.enterprise.zone_id]), enterprise_id=unit.enterprise_id, unit_id=unit.pk)
    prefix = unit.region.scope_prefix
    ids = frozenset(zone_model.objects.filter(region__code__startswith=prefix).values_list("pk", flat=True))
    return Scope(zone_ids=ids, unit_id=unit.pk)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how its rows relate to a zone and to an enterprise.

    Subclasses set ``zone_path`` (lookup from the row to its zone id) and
    ``enterprise_path`` (lookup to its enterprise id; ``None`` when the rows are
    not owned by an enterprise, in which case enterprise users see the rows of
    their enterprise's zone only if ``enterprise_sees_zone`` is set).
    """

    zone_path: str = "zone"
    enterprise_path: str | None = None
    enterprise_sees_zone: bool = False

    def visible_to(self, user) -> ScopedQuerySet:
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.enterprise_id is not None:
            if self.enterprise_path is not None:
                return self.filter(**{self.enterprise_path: scope.enterprise_id})
            if not self.enterprise_sees_zone:
                return self.none()
        if not scope.zone_ids:
            return self.none()
        return self.filter(**{f"{self.zone_path}__in": sorted(scope.zone_ids)})


def get_visible_or_404(queryset_or_model, user, **lookup):
    """Fetch one object the user may see, or answer 404 (never 403: existence is not revealed)."""
    queryset = queryset_or_model
    if isinstance(queryset_or_model, type) and issubclass(queryset_or_model, models.Model):
        queryset = queryset_or_model.objects.all()
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc


def ensure_can_edit_zone(user, zone_id: int | None) -> None:
    """Raise ``PermissionDenied`` unless the user may change the ledger of this zone."""
    if not scope_for(user).can_edit_zone(zone_id):
        raise PermissionDenied("您没有修改该开发区数据的权限。")
