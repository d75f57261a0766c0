"""Running an import: read the sheet, find the table, plan each row, write, report.

The work streams in chunks: a chunk of rows is planned (each row becomes a create, an
update, unchanged, or errors naming row, column, value and reason) and, when committing,
written at once; memory does not grow with the file. Everything happens in one
transaction: when any row has an error the transaction is rolled back and nothing is
left behind, unless the user chose to keep the valid rows. A dry run plans the same way
and writes nothing.

What a ledger *is* — its columns, how a row finds its record, what a write does — comes
from a ``LedgerKind`` (``sheets.rows``) that the domain app registers (``imports.registry``):
``projects.ledger.importer``, ``enterprises.ledger``.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from kaifaqu.audit import trail
from kaifaqu.audit.context import audit_source
from kaifaqu.sheets import layout
from kaifaqu.sheets.columns import ColumnMatcher, MappedColumn, normal_header
from kaifaqu.sheets.readers import ReadError, Sheet, column_letter, open_sheet
from kaifaqu.sheets.rows import ImportResult, LedgerKind, SourceRow, show_value
from kaifaqu.sheets.values import CellError, is_empty, normal_text, parse_money

from .registry import KINDS, ledger_kind

CHUNK_ROWS = 500


class ImportRefused(ValueError):
    """The file cannot be imported at all (no header, unknown zone, unreadable): one message."""


@dataclass
class Options:
    user: Any = None
    zone: Any = None
    sheet: str | None = None
    overrides: dict[str, str | None] | None = None  # normalised header → field key ("" / None: ignore)
    commit: bool = False
    keep_valid: bool = False
    ip: str | None = None  # the uploader's address, for the audit trail of a background import
    expected_versions: dict[str, int] | None = None  # the versions the confirmed preview saw
    keep_outcomes: bool = True  # each row's outcome, for a preview (a command needs only counts)
    progress: Callable[[int, int | None], None] | None = None


def run_import(kind: LedgerKind, path: str | Path, *, extension: str, file_name: str = "", **options) -> ImportResult:
    """Import the file at ``path`` into ``kind``'s ledger; see the module docstring."""
    opts = Options(**options)
    file_name = file_name or Path(path).name
    sheet, header, rows = open_table(kind, path, extension=extension, sheet=opts.sheet)
    result = ImportResult(kind=kind.key, file_name=file_name, sheet_name=sheet.name, dry_run=not opts.commit)
    with audit_source("import", ip=opts.ip), transaction.atomic(), _fewer_collections():
        _run(kind, sheet, header, rows, opts, result)
        if not opts.commit or (result.errors and not opts.keep_valid):
            transaction.set_rollback(True)
        else:
            result.committed = True
    return result


_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, ...] = ()


@contextmanager
def _fewer_collections():
    """Python's cycle collector, at its default pace, walks every object of the process a
    few times per thousand rows planned: a third of an import's time. Imports make no
    reference cycles worth chasing, so while any import runs it collects less often."""
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(50_000, 20, 100)
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_saved)


def open_table(
    kind: LedgerKind, path: str | Path, *, extension: str, sheet: str | None = None, peek: int = 2
) -> tuple[Sheet, layout.Header, Iterator[list]]:
    """The sheet, its header and its rows (from row 1). Without a sheet named, the first
    sheet with a header: workbooks often open with a sheet of notes."""
    matcher = ColumnMatcher(kind.columns)
    try:
        opened = open_sheet(path, extension=extension, sheet=sheet)
        candidates = [None] if sheet is not None else [name for name in opened.sheet_names if name != opened.name]
        first = opened
        while True:
            opened.head, rows = _peek(opened.rows, layout.HEADER_SCAN_ROWS + peek)
            header = layout.find_header(opened.head, matcher, merged=opened.merged)
            if header is not None:
                return opened, header, rows
            if not candidates or candidates[0] is None:
                break
            opened = open_sheet(path, extension=extension, sheet=candidates.pop(0))
    except ReadError as exc:
        raise ImportRefused(str(exc)) from exc
    raise ImportRefused(
        f"在工作表“{first.name}”的前 {layout.HEADER_SCAN_ROWS} 行中没有找到表头："
        f"需要一行写有“{matcher.label('name')}”等列名。{_other_kind_hint(kind, first.head)}"
    )


def _other_kind_hint(kind: LedgerKind, head: list[list]) -> str:
    """The file may be the other ledger: say so rather than only that no header was found."""
    for key, label in KINDS.items():
        if key != kind.key and layout.find_header(head, ColumnMatcher(ledger_kind(key).columns)) is not None:
            return f"这个文件看起来是{label}，请按“{label}”导入。"
    return ""


def _run(
    kind: LedgerKind, sheet: Sheet, header: layout.Header, rows: Iterator[list], opts: Options, result: ImportResult
) -> None:
    matcher = ColumnMatcher(kind.columns)
    apply_overrides(header, opts.overrides, matcher)
    money_keys = {column.key for column in kind.columns if column.money}
    _apply_title_unit(header, money_keys)
    result.header_row, result.mapping = header.row, header.columns
    result.unmapped = [column.header for column in header.columns if column.header and not column.key]
    context = kind.start(
        expected_versions=opts.expected_versions,
        detail=opts.keep_outcomes,
        user=opts.user,
        zone=opts.zone,
        title_lines=header.title_lines,
        commit=opts.commit,
        file_name=result.file_name,
    )
    writing = opts.commit
    done = 0
    for chunk in _chunks(_source_rows(rows, header, result, money_keys), CHUNK_ROWS):
        planned = kind.plan(chunk, context)
        for outcome, _ in planned:
            result.count(outcome, keep=opts.keep_outcomes)
        if writing and result.errors and not opts.keep_valid:
            writing = False  # the import will be rolled back: stop writing, keep checking
        if writing:
            with trail.batch():
                kind.write([plan for outcome, plan in planned if plan is not None and not outcome.errors], context)
        done = chunk[-1].number
        if opts.progress:
            opts.progress(done, sheet.height)
    kind.finish(context, result)
    if result.rows_read == 0:
        result.warnings.append(f"第{header.row}行的表头下面没有数据行。")


@dataclass
class Inspection:
    sheet_name: str
    sheet_names: list[str]
    header_row: int
    columns: list[dict]  # index, letter, header, key, auto, samples


def inspect_file(
    kind: LedgerKind,
    path: str | Path,
    *,
    extension: str,
    sheet: str | None = None,
    overrides: dict[str, str | None] | None = None,
    samples: int = 3,
) -> Inspection:
    """The header the importer finds, how each column is matched, and a few values of each."""
    opened, header, _ = open_table(kind, path, extension=extension, sheet=sheet, peek=20)
    head = opened.head
    apply_overrides(header, overrides, ColumnMatcher(kind.columns))
    name_index = header.index_of("name") or 0
    data = [
        row for row in head[header.first_data_row - 1 :] if layout.classify(row, header, name_index) == layout.DATA
    ][:samples]
    columns = [
        {
            "index": column.index,
            "letter": column_letter(column.index),
            "header": column.header,
            "key": column.key or "",
            "auto": column.auto,
            "samples": [show_value(row[column.index]) if column.index < len(row) else "" for row in data],
        }
        for column in header.columns
        if column.header or any(column.index < len(row) and not is_empty(row[column.index]) for row in data)
    ]
    return Inspection(opened.name, opened.sheet_names, header.row, columns)


def apply_overrides(header: layout.Header, overrides: dict[str, str | None] | None, matcher: ColumnMatcher) -> None:
    """The user's choices, by header text: a field key, or empty to ignore the column."""
    if not overrides:
        return
    chosen = {normal_header(text): key for text, key in overrides.items()}
    for column in header.columns:
        wanted = chosen.get(normal_header(column.header), "missing")
        if wanted == "missing":
            continue
        column.key = wanted or None
        column.auto = False
    # A field fed by two columns: the one the user chose wins.
    seen: set[str] = set()
    for column in sorted(header.columns, key=lambda c: c.auto):
        if column.key in seen:
            column.key = None
        elif column.key:
            seen.add(column.key)


def _peek(rows: Iterator[list], count: int) -> tuple[list[list], Iterator[list]]:
    head = []
    for row in rows:
        head.append(row)
        if len(head) >= count:
            break

    def chained() -> Iterator[list]:
        yield from head
        yield from rows

    return head, chained()


def _apply_title_unit(header: layout.Header, money_keys: set[str]) -> None:
    """A note above the table (``单位：亿元``) sets the unit of amount columns that do not say theirs."""
    for line in header.title_lines:
        match = TITLE_UNIT.search("".join(line.split()))
        if match:
            factor = Decimal(10000) if match.group(1).startswith("亿") else Decimal(1)
            for column in header.columns:
                if column.key in money_keys and column.factor is None:
                    column.factor = factor
            return


def _source_rows(
    rows: Iterator[list], header: layout.Header, result: ImportResult, money_keys: set[str]
) -> Iterator[SourceRow]:
    mapped = [column for column in header.columns if column.key]
    headers = {column.key: column.header for column in mapped}
    factors = {column.key: column.factor for column in mapped}
    name_index = header.index_of("name")
    section: layout.Section | None = None
    in_footer = False
    checks = _TotalsCheck([column for column in mapped if column.key in money_keys], result)
    for number, row in enumerate(rows, start=1):
        if number < header.first_data_row:
            continue
        kind = layout.classify(row, header, name_index if name_index is not None else 0)
        if kind == layout.BLANK:
            continue
        if kind == layout.FOOTER or (in_footer and sum(1 for cell in row if not is_empty(cell)) <= 2):
            in_footer = True  # the notes under a table run on for a few lines
            result.skipped += 1
            continue
        if kind == layout.SECTION:
            result.skipped += 1
            checks.close_section(section)
            section = layout.parse_section(number, row)
            continue
        if kind == layout.TOTAL:
            result.skipped += 1
            checks.check_total(number, row, section)
            continue
        cells = {column.key: row[column.index] if column.index < len(row) else None for column in mapped}
        checks.add(cells, factors)
        yield SourceRow(number=number, cells=cells, headers=headers, factors=factors, section=section)
    checks.close_section(section)


def _chunks(items: Iterable[SourceRow], size: int) -> Iterator[list[SourceRow]]:
    chunk: list[SourceRow] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _TotalsCheck:
    """Compares 合计/小计 rows and section counts with the rows they sum up; differences are warnings."""

    def __init__(self, money: list[MappedColumn], result: ImportResult):
        # Sums are floats: they are only compared within a tolerance, and a float add costs
        # a fraction of parsing every amount a second time.
        self.money = [(column, float(column.factor or 1)) for column in money]
        self.result = result
        self.all = _Sums()
        self.section = _Sums()

    def add(self, cells: dict[str, Any], factors) -> None:
        for column, factor in self.money:
            amount = _amount(cells.get(column.key), factor)
            if amount is not None:
                key = column.key
                self.all.amounts[key] = self.all.amounts.get(key, 0.0) + amount
                self.section.amounts[key] = self.section.amounts.get(key, 0.0) + amount
        self.all.rows += 1
        self.section.rows += 1

    def check_total(self, number: int, row: list, section: layout.Section | None) -> None:
        text = normal_text(next(cell for cell in row if not is_empty(cell)))
        sums = self.section if ("小计" in text and section is not None) else self.all
        for column, factor in self.money:
            stated = _amount(row[column.index] if column.index < len(row) else None, factor)
            if stated is None:
                continue
            summed = sums.amounts.get(column.key, 0.0)
            tolerance = 0.005 * factor * (sums.rows + 1)
            if abs(stated - summed) > tolerance:
                # In the column's own unit, as the office reads its sheet.
                unit = "亿元" if factor == 10000 else "万元"
                stated, summed = stated / factor, summed / factor
                self.result.warnings.append(
                    f"第{number}行 {column.header}: {text}为 {_show_wan(stated)} {unit}，"
                    f"明细之和为 {_show_wan(summed)} {unit}，相差 {_show_wan(stated - summed)} {unit}。"
                )

    def close_section(self, section: layout.Section | None) -> None:
        if section is not None and section.count is not None and section.count != self.section.rows:
            self.result.warnings.append(
                f"第{section.row}行 分组“{section.text}”注明 {section.count} 个项目，"
                f"其下实际有 {self.section.rows} 行。"
            )
        self.section = _Sums()


@dataclass
class _Sums:
    rows: int = 0
    amounts: dict[str, float] = field(default_factory=dict)


def _amount(cell, factor: float) -> float | None:
    """An amount in 万元 for the totals check; cells that are not amounts do not count."""
    kind = type(cell)
    if kind is float or kind is int:
        return cell * factor
    if cell is None:
        return None
    try:
        amount = parse_money(cell, factor=Decimal(repr(factor)))
    except CellError:
        return None
    return None if amount is None else float(amount)


def _show_wan(amount: float) -> str:
    return f"{amount:,.2f}"


TITLE_UNIT = re.compile(r"单位[:：]\s*(亿元|万元)")


def describe_mapping(mapping: list[MappedColumn], matcher_label: Callable[[str | None], str]) -> list[str]:
    return [
        f"{column_letter(column.index)}列 {column.header or '（无列名）'} → {matcher_label(column.key)}"
        for column in mapping
        if column.header
    ]
