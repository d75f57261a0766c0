"""What a ledger's importer and the import run share: the rows a ledger plans, their outcomes
and errors (``第N行 列名: 原因``), the result of a run, and the helpers every ledger uses to read
its cells. A ledger (projects, enterprises) implements ``LedgerKind`` with these; the import
app runs it. Nothing here knows a domain.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from . import layout
from .columns import Column, MappedColumn
from .values import CellError, normal_text

# Details kept for the preview; counts are always complete.
MAX_KEPT_OUTCOMES = 20000


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"


ACTION_LABELS = {Action.CREATE: "新增", Action.UPDATE: "更新", Action.UNCHANGED: "无变化", Action.ERROR: "有错误"}


@dataclass
class RowError:
    row: int
    column: str  # the header as written in the file, or the field's name
    value: str
    reason: str

    @property
    def message(self) -> str:
        return f"第{self.row}行 {self.column}: {self.reason}"


@dataclass
class RowOutcome:
    row: int
    action: str
    label: str  # what the row is about: the project or enterprise name
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # header → (old, new)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class SourceRow:
    """A data row of the sheet, as the kind's planner receives it."""

    number: int  # the row number in Excel
    cells: dict[str, Any]  # field key → raw cell
    headers: dict[str, str]  # field key → header as written (for messages)
    factors: dict[str, Decimal | None]  # field key → unit of an amount column
    section: layout.Section | None


@dataclass
class ImportResult:
    kind: str
    file_name: str
    sheet_name: str = ""
    header_row: int = 0
    mapping: list[MappedColumn] = field(default_factory=list)
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)
    extra: dict[str, int] = field(default_factory=dict)  # e.g. enterprises created on the way
    gaps: dict[str, int] = field(default_factory=dict)  # what the imported records still lack (待补录), by field
    versions: dict[str, int] = field(default_factory=dict)  # record id → version seen
    unmapped: list[str] = field(default_factory=list)  # headers of the columns not imported
    committed: bool = False
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self, *, max_errors: int | None = None) -> dict:
        """Counts, errors and warnings as plain data: the command's ``--json`` and the import page."""
        return {
            "file": self.file_name,
            "sheet": self.sheet_name,
            "header_row": self.header_row,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "error_rows": self.error_rows,
            "error_count": len(self.errors),
            "errors": [
                {"row": e.row, "column": e.column, "value": e.value, "reason": e.reason, "message": e.message}
                for e in self.errors[:max_errors]
            ],
            "warnings": self.warnings,
            "unmapped_columns": self.unmapped,
            "committed": self.committed,
            "dry_run": self.dry_run,
            "extra": self.extra,
            "gaps": self.gaps,
        }

    def count(self, outcome: RowOutcome, *, keep: bool = True) -> None:
        self.rows_read += 1
        if outcome.action == Action.CREATE:
            self.created += 1
        elif outcome.action == Action.UPDATE:
            self.updated += 1
        elif outcome.action == Action.UNCHANGED:
            self.unchanged += 1
        else:
            self.error_rows += 1
        self.errors.extend(outcome.errors)
        if keep and len(self.outcomes) < MAX_KEPT_OUTCOMES:
            self.outcomes.append(outcome)


class LedgerKind(Protocol):
    key: str  # "projects" / "enterprises"
    label: str  # "项目" / "企业"
    columns: tuple[Column, ...]

    def start(
        self, *, user, zone, title_lines: list[str], commit: bool, file_name: str, detail: bool, expected_versions
    ) -> Any:
        """A context carried through the import (caches, pending records, the zone); ``detail``:
        whether outcomes should list each changed field (for a preview)."""

    def plan(self, rows: list[SourceRow], context) -> list[tuple[RowOutcome, Any]]:
        """Each row's outcome and what to write for it (None when nothing)."""

    def write(self, plans: list[Any], context) -> None:
        """Write the planned changes of one chunk."""

    def finish(self, context, result: ImportResult) -> None:
        """Counts and warnings gathered on the way."""


# ------------------------------------------------------------------ helpers for the ledgers


class CellCache:
    """Each column's parser applied once per distinct cell: a ledger repeats its stages,
    dates, leaders, departments and zone row after row. Bounded, so memory stays flat."""

    LIMIT = 5000

    def __init__(self):
        self.memo: dict[tuple, Any] = {}

    def parse(self, key: str, parser: Callable[[Any], Any], raw) -> tuple[Any, CellError | None]:
        """(value, None), or (None, the error) when the cell cannot be read."""
        memo_key = (key, raw.__class__, raw)  # 1, 1.0 and True are one key to a dict: keep the type
        found = self.memo.get(memo_key, _MISSING)
        if found is _MISSING:
            try:
                found = (parser(raw), None)
            except CellError as exc:
                found = (None, exc)
            if len(self.memo) >= self.LIMIT:
                self.memo.clear()
            self.memo[memo_key] = found
        return found


_MISSING = object()


def cell_error(row: SourceRow, key: str, reason: str, *, value=None, label: str = "") -> RowError:
    raw = row.cells.get(key) if value is None else value
    column = row.headers.get(key) or label or key
    shown = show_value(raw)
    return RowError(row=row.number, column=column, value=shown, reason=reason)


def value_error(row: SourceRow, key: str, error: CellError) -> RowError:
    raw = row.cells.get(key)
    shown = show_value(raw)
    reason = f"“{shown}”{error}" if shown else str(error)
    return RowError(row=row.number, column=row.headers.get(key, key), value=shown, reason=reason)


def show_value(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, datetime.datetime | datetime.date):
        return raw.isoformat()[:10]
    return normal_text(raw)


TITLE_YEAR = re.compile(r"(20\d\d)\s*年")


def year_from_titles(lines: list[str]) -> int | None:
    """``孝义经济技术开发区2025年重点项目台账`` → 2025."""
    for line in lines:
        match = TITLE_YEAR.search(line)
        if match:
            return int(match.group(1))
    return None
