"""Who may draw a chain and place records on it (docs/permissions.md).

A zone's chain is kept by its staff who keep the zone's settings (维护园区); a city's or the
province's chain by that office's editors (维护园区, i.e. its 系统管理员). Placing a record on a
link is changing that record: an enterprise needs 维护企业, a project the project rule (a
招商专员 only before 备案), a target the 招商 rule — each for the record's own zone.
"""

from __future__ import annotations

from kaifaqu.core.rights import can, rule
from kaifaqu.zones.ownership import may_keep

from .models import IndustryChain, Policy


def _refusal(user, chain: IndustryChain | None = None, **context) -> str:
    if chain is None:
        return "您没有维护产业链的权限（需有“维护园区与年度分类”权限）。"
    return (
        f"您没有维护“{chain.scope_name}”{chain.name}产业链的权限"
        "（需为所属开发区或主管部门，并有“维护园区与年度分类”权限）。"
    )


@rule("chain.change", refusal=_refusal)
def may_change(user, chain: IndustryChain | None = None, **context) -> bool:
    return may_keep(user, chain)


def _policy_refusal(user, policy: Policy | None = None, **context) -> str:
    if policy is None:
        return "您没有维护政策清单的权限（需有“维护园区与年度分类”权限）。"
    return (
        f"您没有维护“{policy.scope_name}”政策的权限（需为发布范围的开发区或主管部门，并有“维护园区与年度分类”权限）。"
    )


@rule("policy.change", refusal=_policy_refusal)
def may_change_policy(user, policy: Policy | None = None, **context) -> bool:
    return may_keep(user, policy)


RECORD_RIGHTS = {
    "enterprise": "enterprise.change",
    "project": "project.change",
    "target": "investment.change",
    "policy": "policy.change",
}


def may_place(user, kind: str, record) -> bool:
    """Placing ``record`` (an enterprise, a project, a target, a policy) on a link is changing the record."""
    return user is None or can(user, RECORD_RIGHTS[kind], record)
