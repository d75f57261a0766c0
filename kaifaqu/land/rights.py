"""Who keeps 标准地 and 亩均 records (docs/permissions.md): the zone's (or the office's) members
holding 维护园区 (``zone.change``). ``mujun.change`` keeps a 亩均效益评价方案 and grades a year
with it, through the same ``zones/ownership.may_keep`` as chains and 考核; ``land.change`` keeps a
zone's parcels, their 区域评估, promises, checks and the 低效闲置 disposal steps."""

from __future__ import annotations

from kaifaqu.core.rights import perm_rule, rule
from kaifaqu.core.scoping import Perm
from kaifaqu.zones.ownership import may_keep

from .models import MuJunScheme


def _scheme_refusal(user, scheme: MuJunScheme | None = None, **context) -> str:
    where = f"“{scheme.scope_name}”的亩均效益评价方案“{scheme.name}”" if scheme is not None else "亩均效益评价方案"
    return f"您没有维护{where}的权限（需为评价单位，并有“维护园区与年度分类”权限）。"


@rule("mujun.change", refusal=_scheme_refusal)
def may_change_scheme(user, scheme: MuJunScheme | None = None, **context) -> bool:
    return may_keep(user, scheme, perm=Perm.ZONE_CHANGE)


perm_rule(
    "land.change",
    Perm.ZONE_CHANGE,
    refusal="您没有维护地块（标准地）的权限（需有“维护园区与年度分类”权限），或该开发区不在您的管辖范围内。",
)
