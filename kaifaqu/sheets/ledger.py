"""A ledger the way offices send it upward: a title row, 序号, the header with each amount's
unit (``总投资（亿元）``, so the file reads back the same), the rows, a 合计 row, the title and
header frozen. Also the same ledger as plain CSV. Written by ``sheets.writer``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from .writer import AREA, MONEY, Notes, OutputColumn, Table, csv_bytes, write_xlsx

UNITS = {"万元": Decimal(1), "亿元": Decimal(10000)}


def with_units(columns: Sequence[OutputColumn], unit: str) -> list[OutputColumn]:
    """Money headers carry the unit (``总投资（亿元）``), areas theirs (``用地面积（亩）``)."""
    suffix = {MONEY: f"（{unit}）", AREA: "（亩）"}
    return [replace(column, header=column.header + suffix.get(column.kind, "")) for column in columns]


def ledger_table(
    *,
    title: str,
    sheet_name: str,
    columns: Sequence[OutputColumn],
    rows: Iterable[Sequence],
    unit: str,
    total_row: bool = True,
    fit_width: bool = False,
) -> Table:
    return Table(
        name=sheet_name,
        title=title,
        columns=with_units(columns, unit),
        rows=rows,
        numbered=True,
        totals=total_row,
        freeze="C3",  # title and header stay, and so do 序号 and the first column
        fit_width=fit_width,
    )


def write_ledger_xlsx(
    handle,
    *,
    title: str,
    sheet_name: str,
    columns: Sequence[OutputColumn],
    rows: Iterable[Sequence],
    unit: str,
    total_row: bool = True,
    notes: Mapping[str, Sequence[str]] | None = None,
    fit_width: bool = False,
) -> int:
    """Stream the ledger into ``handle``; returns the number of data rows. ``notes``: further
    sheets of text (e.g. 填写说明); ``fit_width``: printed landscape on the page's width."""
    table = ledger_table(
        title=title,
        sheet_name=sheet_name,
        columns=columns,
        rows=rows,
        unit=unit,
        total_row=total_row,
        fit_width=fit_width,
    )
    return write_xlsx(handle, [table, *(Notes(name, lines) for name, lines in (notes or {}).items())])


def ledger_csv_bytes(*, columns: Sequence[OutputColumn], rows: Iterable[Sequence], unit: str) -> bytes:
    """A plain table (序号, header and rows; no title or 合计) in UTF-8 with BOM, as Excel expects."""
    return csv_bytes(Table(name="", columns=with_units(columns, unit), rows=rows, numbered=True))
