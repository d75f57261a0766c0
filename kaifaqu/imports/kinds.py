"""The ledgers that can be imported and exported, by the name commands and pages use."""

from __future__ import annotations

KINDS = {"projects": "项目台账", "enterprises": "企业台账"}


def ledger_kind(key: str):
    """A fresh importer for ``key`` (``projects`` or ``enterprises``)."""
    if key == "projects":
        from kaifaqu.projects.ledger.importer import ProjectLedger

        return ProjectLedger()
    if key == "enterprises":
        from kaifaqu.enterprises.ledger import EnterpriseLedger

        return EnterpriseLedger()
    raise KeyError(key)
