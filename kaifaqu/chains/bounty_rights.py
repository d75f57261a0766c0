"""Who may do what on a 揭榜挂帅 board (docs/permissions.md, “揭榜挂帅”).

The board is kept — drafted, published, closed, its claims verified (验收) — by whoever keeps the
owner's chains: a zone's staff with 维护园区, or an office's editors (``may_keep``, the test of
``chain.change``). Claiming is 招商 work: the claimant holds the 招商 rule (``investment.change``)
for a zone the board covers and claims for their own zone committee. Progress on a claim is
reported by the claimant or by a 招商 colleague of the claim's unit. Nobody verifies their own claim.
"""

from __future__ import annotations

from kaifaqu.core.rights import can, rule
from kaifaqu.core.scoping import scope_for

from .models import BountyBoard, BountyClaim
from .rights import may_keep


def _change_refusal(user, board: BountyBoard | None = None, **context) -> str:
    if board is None:
        return "您没有发布揭榜挂帅榜单的权限（需有“维护园区与年度分类”权限）。"
    return (
        f"您没有维护“{board.scope_name}”榜单“{board.title}”的权限"
        "（需为发布榜单的开发区或主管部门，并有“维护园区与年度分类”权限）。"
    )


@rule("bounty.change", refusal=_change_refusal)
def may_change(user, board: BountyBoard | None = None, **context) -> bool:
    """Draft, edit, publish and close a board (and its bounties): the chain keepers' test."""
    return may_keep(user, board)


def _verify_refusal(user, claim: BountyClaim | None = None, **context) -> str:
    if claim is not None and user is not None and claim.claimant_id == user.pk:
        return "不能验收自己的揭榜：验收须由发布榜单的单位中的其他人进行。"
    return "您没有验收该榜单的权限（需为发布榜单的开发区或主管部门，并有“维护园区与年度分类”权限）。"


@rule("bounty.verify", refusal=_verify_refusal)
def may_verify(user, claim: BountyClaim | None = None, **context) -> bool:
    if claim is None:
        return may_keep(user, None)
    if user is not None and claim.claimant_id == user.pk:
        return False
    return may_keep(user, claim.bounty.board)


def _claim_refusal(user, board: BountyBoard | None = None, unit=None, **context) -> str:
    where = f"“{board.scope_name}”" if board is not None else "榜单范围内"
    return f"揭榜须由{where}开发区的招商人员（有“维护招商项目”或“维护项目台账”权限）以本开发区管委会的名义进行。"


@rule("bounty.claim", refusal=_claim_refusal)
def may_claim(user, board: BountyBoard | None = None, unit=None, **context) -> bool:
    """Claim for ``unit`` (default: the user's own) a bounty of ``board``. Asked of no board: may the
    user claim at all (to show the button)?"""
    if user is None:
        return True  # the command line and the demo loader, run by the operator
    if board is None:
        return can(user, "investment.change")
    scope = scope_for(user)
    if unit is None:
        from kaifaqu.zones.models import Unit

        unit = Unit.objects.select_related("zone").filter(pk=scope.unit_id).first()
    if unit is None or unit.kind != "zone" or not board.covers(unit.zone):
        return False
    if not scope.everything and scope.unit_id != unit.pk:
        return False
    return can(user, "investment.change", unit.zone)


@rule(
    "bounty.report",
    refusal="只有揭榜人本人或揭榜单位的招商人员可以报告该揭榜的进展。",
)
def may_report(user, claim: BountyClaim | None = None, **context) -> bool:
    if user is None:
        return True
    if claim is None:
        return can(user, "investment.change")
    if claim.claimant_id == user.pk:
        return True
    scope = scope_for(user)
    colleague = scope.unit_id == claim.unit_id and can(user, "investment.change", claim.unit.zone)
    return scope.everything or colleague


def may_see_evidence(user, claim: BountyClaim) -> bool:
    """Evidence (contracts, minutes) stays with the claimant's unit and the board's keepers: rivals
    on the same 擂台 see the standings, not each other's papers."""
    scope = scope_for(user)
    return scope.everything or scope.unit_id == claim.unit_id or may_keep(user, claim.bounty.board)
