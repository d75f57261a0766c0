"""Importing a ledger is writing its records: the ledger's own rule answers (docs/permissions.md, 导入与导出)."""

from __future__ import annotations

from kaifaqu.core.rights import can, rule

from .registry import KINDS, ledger


def _refusal(user, kind: str | None = None, **context) -> str:
    return f"您没有导入{KINDS[kind]}的权限。" if kind in KINDS else "您没有导入台账的权限。"


@rule("ledger.import", refusal=_refusal)
def may_import(user, kind: str | None = None, **context) -> bool:
    """Asked of a ledger (``"projects"``): may the user write its records somewhere? Of none: any ledger."""
    kinds = [kind] if kind is not None else list(KINDS)
    return any(kind in KINDS and can(user, ledger(kind).right) for kind in kinds)
