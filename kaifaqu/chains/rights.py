"""Who may draw a chain and place records on it (docs/permissions.md).

A zone's chain is kept by its staff who keep the zone's settings (维护园区); a city's or the
province's chain by that office's editors (维护园区, i.e. its 系统管理员). Placing a record on a
link is changing that record: an enterprise needs 维护企业, a project the project rule (a
招商专员 only before 备案), a target the 招商 rule — each for the record's own zone.
"""

from __future__ import annotations

from kaifaqu.core.rights import can, rule
from kaifaqu.core.scoping import Perm, scope_for
from kaifaqu.zones.selectors import office_covers

from .models import IndustryChain


def _refusal(user, chain: IndustryChain | None = None, **context) -> str:
    if chain is None:
        return "您没有维护产业链的权限（需有“维护园区与年度分类”权限）。"
    return (
        f"您没有维护“{chain.scope_name}”{chain.name}产业链的权限"
        "（需为所属开发区或主管部门，并有“维护园区与年度分类”权限）。"
    )


@rule("chain.change", refusal=_refusal)
def may_change(user, chain: IndustryChain | None = None, **context) -> bool:
    if user is None:
        return True  # the command line, run by the operator
    scope = scope_for(user)
    if chain is None or scope.everything:
        return scope.can_anywhere(Perm.ZONE_CHANGE)
    if chain.zone_id is not None:
        return scope.can(Perm.ZONE_CHANGE, chain.zone_id)
    return Perm.ZONE_CHANGE in scope.permissions and office_covers(user, chain.region) and scope.unit_id is not None


RECORD_RIGHTS = {"enterprise": "enterprise.change", "project": "project.change", "target": "investment.change"}


def may_place(user, kind: str, record) -> bool:
    """Placing ``record`` (an enterprise, a project, a target) on a link is changing the record."""
    return user is None or can(user, RECORD_RIGHTS[kind], record)
