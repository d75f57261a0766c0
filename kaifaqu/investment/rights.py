"""Who may keep a zone's 招商 records (docs/permissions.md).

The 招商 work — the target catalogue, the activities, a lead's 招商方式 and source — belongs to
whoever keeps the zone's 招商 projects: the 招商专员 (维护招商项目) and the 项目专员 (维护项目台账).
The zone's 平台公司 and its 班子成员 are the zone's own settings (维护园区与年度分类). The
招商方式 catalogue is shared across the province: operators and a province office's editors.
"""

from __future__ import annotations

from kaifaqu.core.rights import perm_rule, rule, zone_id_of, zones_with
from kaifaqu.core.scoping import Perm, scope_for
from kaifaqu.zones.selectors import office_region

INVESTMENT_PERMS = (Perm.PIPELINE_CHANGE, Perm.PROJECT_CHANGE)


def _investment_zones(user) -> frozenset[int] | None:
    return zones_with(user, *INVESTMENT_PERMS)


@rule(
    "investment.change",
    refusal="您没有维护该开发区招商工作的权限（需有“维护招商项目”或“维护项目台账”权限），或该开发区不在您的管辖范围内。",
    zones=_investment_zones,
)
def may_change(user, obj=None, **context) -> bool:
    """Targets, activities and a lead's 招商 facts of ``obj``'s zone (asked of nothing: of some zone)."""
    if user is None:
        return True  # the command line (``kaifaqu investment import``), run by the operator
    scope = scope_for(user)
    if obj is None:
        return any(scope.can_anywhere(perm) for perm in INVESTMENT_PERMS)
    zone_id = zone_id_of(obj)
    if zone_id is None and hasattr(obj, "project"):  # a Lead: its project's zone
        zone_id = obj.project.zone_id
    return any(scope.can(perm, zone_id) for perm in INVESTMENT_PERMS)


perm_rule(
    "platform.change",
    Perm.ZONE_CHANGE,
    refusal="您没有维护该开发区平台公司和班子成员的权限（需有“维护园区与年度分类”权限）。",
)


@rule("investment_mode.change", refusal="招商方式目录由省级主管部门维护（需有“维护园区与年度分类”权限）。")
def may_change_modes(user, obj=None, **context) -> bool:
    scope = scope_for(user)
    if scope.everything:
        return True
    region = office_region(user)
    return Perm.ZONE_CHANGE in scope.permissions and region is not None and region.level == "province"
