"""The one scoping mechanism: who may see and change which records.

Every queryset that reaches a page, an API response, a command run as a user, an
export or a statistic goes through ``visible_to(user)``; single objects are fetched
with ``get_visible_or_404``. Views never filter by zone by hand.

A user belongs to one unit (see ``zones.Unit``):
- province office: every zone whose region lies in the province;
- city office: every zone whose region lies in the city;
- zone committee: its own zone;
- enterprise: only its own enterprise's records.

What a user may *change* within that scope comes from the roles held in the unit
(``zones.Role``, data): each role grants permission codes from ``Perm``. A role with no
write permission (领导) reads everything in scope and changes nothing. The matrix is
written in docs/permissions.md, and the tests read it from there. The rules that turn these
codes into "may this user do this to that record?" are ``core.rights`` (one per action).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.http import Http404

_CACHE_ATTR = "_kaifaqu_scope"


class Perm:
    """Permission codes a role may grant. Each applies to the records in the unit's scope."""

    PROJECT_CHANGE = "project.change"  # 项目台账：项目、阶段变更、节点、进展
    PIPELINE_CHANGE = "project.pipeline"  # 招商项目：备案前的项目（谋划储备至签约）
    ENTERPRISE_CHANGE = "enterprise.change"  # 企业库
    ZONE_CHANGE = "zone.change"  # 园区设置、本单位的年度分类
    AUDIT_VIEW = "audit.view"  # 查看、导出辖区的操作记录
    INDICATOR_REPORT = "indicator.report"  # 月调度：填报本单位（开发区，或全市、全省）的月报
    INDICATOR_REVIEW = "indicator.review"  # 月调度：审核辖区开发区的月报，设年度目标、报送期限和指标
    REQUEST_HANDLE = "request.handle"  # 企业服务：登记、交办、催办、督办、办结企业诉求
    EVALUATION_MANAGE = "evaluation.manage"  # 考核：维护考核方案，计算、审核、发布结果，红黑榜公示

    LABELS = {
        PROJECT_CHANGE: "维护项目台账",
        PIPELINE_CHANGE: "维护招商项目（备案前）",
        ENTERPRISE_CHANGE: "维护企业信息",
        ZONE_CHANGE: "维护园区与年度分类",
        AUDIT_VIEW: "查看和导出操作记录",
        INDICATOR_REPORT: "填报月调度指标",
        INDICATOR_REVIEW: "审核月调度指标",
        REQUEST_HANDLE: "办理企业诉求",
        EVALUATION_MANAGE: "维护考核方案、发布考核结果",
    }
    ALL = frozenset(LABELS)
    WRITES = ALL - {AUDIT_VIEW}
    # Approving is the superior office's act: a zone never approves its own figures,
    # so these codes grant nothing to a zone's members whatever their role says.
    OFFICE_ONLY = frozenset({INDICATOR_REVIEW})


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    zone_ids: frozenset[int] = field(default_factory=frozenset)
    enterprise_id: int | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)
    unit_id: int | None = None

    def can(self, perm: str, zone_id: int | None) -> bool:
        """May this user use ``perm`` on the records of zone ``zone_id``?"""
        if self.everything:
            return True
        return perm in self.permissions and zone_id is not None and zone_id in self.zone_ids

    def can_anywhere(self, perm: str) -> bool:
        """Does the user hold ``perm`` for at least one zone (e.g. to show a 新建 button)?"""
        return self.everything or (perm in self.permissions and bool(self.zone_ids))

    def zones_with(self, perm: str) -> frozenset[int]:
        """The zone ids where ``perm`` applies (all zones in scope, or none). Not for superusers."""
        return self.zone_ids if perm in self.permissions else frozenset()

    @property
    def read_only(self) -> bool:
        return not self.everything and not (self.permissions & Perm.WRITES)


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
    permissions = _role_permissions(membership, unit.kind)
    kind = unit.kind
    if kind == "zone":
        return Scope(zone_ids=frozenset([unit.zone_id]), permissions=permissions, unit_id=unit.pk)
    if kind == "enterprise":
        # An enterprise user reads its own records; no ledger permission reaches
        # beyond them, so none is granted (roles for enterprises carry none today).
        return Scope(zone_ids=frozenset([unit.enterprise.zone_id]), enterprise_id=unit.enterprise_id, unit_id=unit.pk)
    zone_model = apps.get_model("zones", "Zone")
    prefix = unit.region.scope_prefix
    ids = frozenset(zone_model.objects.filter(region__code__startswith=prefix).values_list("pk", flat=True))
    return Scope(zone_ids=ids, permissions=permissions, unit_id=unit.pk)


def _role_permissions(membership, unit_kind: str) -> frozenset[str]:
    """The union of the member's roles' permissions; a role not meant for this kind of unit grants nothing."""
    granted: set[str] = set()
    for permissions, unit_kinds in membership.roles.values_list("permissions", "unit_kinds"):
        if unit_kind in (unit_kinds or []):
            granted.update(code for code in permissions or [] if code in Perm.ALL)
    if unit_kind == "zone":
        granted -= Perm.OFFICE_ONLY
    return frozenset(granted)


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
