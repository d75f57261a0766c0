"""Who keeps a unit's notification channels (群机器人, 邮箱): the unit's own administrators."""

from __future__ import annotations

from kaifaqu.core.rights import rule
from kaifaqu.core.scoping import Perm, scope_for


def _refusal(user, channel=None, *, verb="设置", **context) -> str:
    return f"只有本单位的系统管理员可以{verb}通知渠道。"


@rule("channel.change", refusal=_refusal)
def may_change_channel(user, channel=None, **context) -> bool:
    """Holders of 维护园区与年度分类 in a unit keep that unit's channels (a new one, or one of their own)."""
    scope = scope_for(user)
    if scope.unit_id is None or Perm.ZONE_CHANGE not in scope.permissions:
        return False
    return channel is None or channel.unit_id in (None, scope.unit_id)
