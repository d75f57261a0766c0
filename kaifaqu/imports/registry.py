"""The ledgers that can be imported and exported, by the name commands and pages use.

Each domain app registers its ledger when Django starts (its ``AppConfig.ready``): the
import app runs, lists and exports whatever is registered and never imports a domain
itself, so a new ledger needs no change here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Ledger:
    key: str  # "projects": the name commands and addresses use
    label: str  # "项目台账"
    importer: Callable[[], Any]  # a fresh ``sheets.rows.LedgerKind`` for one import
    model: Callable[[], Any]  # the model whose records the ledger lists (called late: apps load first)
    filterset: Callable[[], Any]  # the list page's filter class, to export what the list shows
    export_xlsx: Callable[..., int]  # (handle, queryset, *, unit, scope_name) → rows written
    export_csv: Callable[..., bytes]  # (queryset, *, unit) → the file
    list_url: str  # the list page's URL name
    right: str  # the rule (``core.rights``) that writes one of its records: importing a row is that write
    has_unit: bool = False  # amounts that may be exported in 万元 or 亿元


LEDGERS: dict[str, Ledger] = {}
KINDS: dict[str, str] = {}  # key → label, in the order the apps registered


def register(ledger: Ledger) -> None:
    LEDGERS[ledger.key] = ledger
    KINDS[ledger.key] = ledger.label


def ledger(key: str) -> Ledger:
    """The registered ledger ``key``; ``KeyError`` when there is none."""
    return LEDGERS[key]


def ledger_kind(key: str):
    """A fresh importer for ``key``."""
    return LEDGERS[key].importer()
