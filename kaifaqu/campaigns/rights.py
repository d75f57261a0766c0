"""Who may run a 三个一批 campaign: whoever keeps the project ledger of every zone in its scope
(a zone's 项目专员 its own zone's campaigns, a city's 系统管理员 the city's)."""

from __future__ import annotations

from kaifaqu.core.rights import rule
from kaifaqu.core.scoping import Perm, scope_for
from kaifaqu.zones.selectors import office_covers

from .models import Campaign
from .services import campaign_zones


def _refusal(user, campaign: Campaign | None = None, **context) -> str:
    if campaign is None:
        return "您没有新建三个一批活动的权限（需有项目台账维护权限）。"
    return (
        f"您没有维护“{campaign.scope_name}”三个一批活动的权限"
        "（需为活动范围所属的主管部门或开发区，并有项目台账维护权限）。"
    )


@rule("campaign.run", refusal=_refusal)
def may_run(user, campaign: Campaign | None = None, **context) -> bool:
    """Asked of no campaign: may the user start one anywhere?"""
    if user is None:
        return True  # the command line, run by the operator
    scope = scope_for(user)
    if campaign is None or scope.everything:
        return scope.can_anywhere(Perm.PROJECT_CHANGE)
    if campaign.zone_id is None and not office_covers(user, campaign.region):
        return False  # a city's or province's campaign is the office's, not a zone's
    zone_ids = set(campaign_zones(campaign).values_list("pk", flat=True))
    return bool(zone_ids) and zone_ids <= scope.zones_with(Perm.PROJECT_CHANGE)
