"""Who may change an enterprise's record: those who keep the 企业库 of its zone; who may report its
经营数据: the enterprise itself, and the same keepers."""

from kaifaqu.core.rights import perm_rule, rule
from kaifaqu.core.scoping import Perm, scope_for

perm_rule(
    "enterprise.change",
    Perm.ENTERPRISE_CHANGE,
    refusal="您没有“维护企业信息”的权限，或该开发区不在您的管辖范围内。",
)


def _figures_refusal(user, enterprise=None, **context) -> str:
    name = f"“{enterprise}”的" if enterprise is not None else ""
    return f"您不能填报{name}经营数据（企业本身，或有“维护企业信息”权限的开发区人员才能填报）。"


@rule("enterprise.figures", refusal=_figures_refusal)
def may_report_figures(user, enterprise=None, **context) -> bool:
    """An enterprise reports its own figures on its portal; the zone's keepers of the 企业库 enter
    or correct any enterprise's."""
    if user is None:
        return True  # the command line (``kaifaqu enterprise_figures import``), run by the operator
    scope = scope_for(user)
    if enterprise is None:
        return scope.enterprise_id is not None or scope.can_anywhere(Perm.ENTERPRISE_CHANGE)
    if scope.enterprise_id is not None:
        return scope.enterprise_id == enterprise.pk
    return scope.can(Perm.ENTERPRISE_CHANGE, enterprise.zone_id)
