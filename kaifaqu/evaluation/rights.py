"""Who keeps a 考核 scheme (docs/permissions.md): the office that evaluates, through its members
holding ``evaluation.manage`` (the 系统管理员 role). A city's or the province's scheme is kept by
that office; a zone's staff scheme by the zone's — not by every 项目专员 who keeps the zone's
settings, since the staff it scores must not set their own weights or publish their own results.
Keeping a scheme is editing its items, entering hand-scored values, running it, reviewing and
publishing results and 红黑榜."""

from __future__ import annotations

from kaifaqu.core.rights import rule
from kaifaqu.core.scoping import Perm
from kaifaqu.zones.ownership import may_keep

from .models import Scheme


def _refusal(user, scheme: Scheme | None = None, **context) -> str:
    if scheme is None:
        return "您没有维护考核方案的权限（需为考核单位，并有“维护考核方案、发布考核结果”权限）。"
    return (
        f"您没有维护“{scheme.scope_name}”考核方案“{scheme.name}”的权限"
        "（需为考核单位，并有“维护考核方案、发布考核结果”权限）。"
    )


@rule("evaluation.change", refusal=_refusal)
def may_change(user, scheme: Scheme | None = None, **context) -> bool:
    return may_keep(user, scheme, perm=Perm.EVALUATION_MANAGE)
