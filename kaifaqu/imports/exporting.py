"""Writing a ledger the way offices send it upward: a title row, the header, the rows, a
合计 row, the header frozen, sensible widths and number formats. Also plain CSV.

A domain declares the columns (``LedgerColumn``) and yields rows; this module writes
them (openpyxl write-only, streaming, so a large ledger needs little memory).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from kaifaqu.core.export import MAX_ROWS

TEXT, MONEY, AREA, DATE, INTEGER = "text", "money", "area", "date", "integer"
FORMATS = {MONEY: "#,##0.00", AREA: "#,##0.00", DATE: "yyyy-mm-dd", INTEGER: "0", TEXT: "@"}
FORMULA_STARTS = ("=", "+", "-", "@")
UNITS = {"万元": Decimal(1), "亿元": Decimal(10000)}


@dataclass(frozen=True)
class LedgerColumn:
    header: str
    kind: str = TEXT
    width: float = 12
    total: bool = False  # summed in the 合计 row


def ledger_title(queryset, *, what: str, scope_name: str = "", today: datetime.date | None = None) -> str:
    """``XX开发区重点项目台账（截至YYYY年M月D日）``: the zone's name when the list is one zone's,
    else the scope's (吕梁市各开发区)."""
    day = today or timezone.localdate()
    zones = list(queryset.order_by().values_list("zone__name", flat=True).distinct()[:2])
    owner = zones[0] if len(zones) == 1 else (scope_name or "各开发区")
    return f"{owner}{what}（截至{day.year}年{day.month}月{day.day}日）"


def headers_for(columns: Sequence[LedgerColumn], unit: str) -> list[str]:
    """Money headers carry the unit (``总投资（亿元）``), so the file reads back the same."""
    return [
        f"{column.header}（{unit}）"
        if column.kind == MONEY
        else f"{column.header}（亩）"
        if column.kind == AREA
        else column.header
        for column in columns
    ]


def write_ledger_xlsx(
    handle, *, title: str, sheet_name: str, columns: Sequence[LedgerColumn], rows: Iterable[Sequence], unit: str
) -> int:
    """Stream the ledger into ``handle``; returns the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_name[:31])
    width = len(columns) + 1  # 序号 first
    sheet.freeze_panes = "C3"  # title and header stay, and so do 序号 and 项目名称
    sheet.column_dimensions["A"].width = 6
    for index, column in enumerate(columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.merged_cells.add(CellRange(min_col=1, min_row=1, max_col=width, max_row=1))
    sheet.row_dimensions[1].height = 30
    sheet.append([_title_cell(sheet, title)])
    sheet.append([_header_cell(sheet, text) for text in ["序号", *headers_for(columns, unit)]])
    totals = [Decimal(0) if column.total else None for column in columns]
    count = 0
    for row in rows:
        count += 1
        if count > MAX_ROWS - 3:
            raise ValueError(f"导出行数超过 Excel 上限（{MAX_ROWS} 行），请缩小筛选范围。")
        cells = [_data_cell(sheet, count, INTEGER)]
        for position, (column, value) in enumerate(zip(columns, row, strict=True)):
            if totals[position] is not None and value is not None:
                totals[position] += value
            cells.append(_data_cell(sheet, value, column.kind))
        sheet.append(cells)
    sheet.append(_total_cells(sheet, columns, totals, count))
    workbook.save(handle)
    return count


def ledger_csv_bytes(*, columns: Sequence[LedgerColumn], rows: Iterable[Sequence], unit: str) -> bytes:
    """A plain table (header and rows, no title or 合计) in UTF-8 with BOM, as Excel expects."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["序号", *headers_for(columns, unit)])
    for number, row in enumerate(rows, start=1):
        writer.writerow([number, *(_csv_value(value) for value in row)])
    return "\ufeff".encode() + text.getvalue().encode("utf-8")


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _title_cell(sheet, title: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=title)
    cell.font = Font(name="宋体", size=16, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    return cell


def _header_cell(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(name="黑体", bold=True)
    cell.fill = PatternFill("solid", fgColor="DDEBF7")
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.border = _BORDER
    return cell


def _data_cell(sheet, value, kind: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text typed by a user, never a formula in someone else's Excel
    cell.border = _BORDER
    if value is not None and kind != TEXT:
        cell.number_format = FORMATS[kind]
    if kind == TEXT:
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    return cell


def _total_cells(sheet, columns, totals, count: int) -> list[WriteOnlyCell]:
    first = WriteOnlyCell(sheet, value="合计")
    first.font = Font(bold=True)
    first.border = _BORDER
    cells = [first]
    count_at = next((i for i, column in enumerate(columns) if column.header.endswith("名称")), None)
    for position, column in enumerate(columns):
        value = f"共{count}个" if position == count_at else totals[position]
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cell.border = _BORDER
        if column.total:
            cell.number_format = FORMATS[column.kind]
        cells.append(cell)
    return cells


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value  # Excel would run it as a formula; the importer drops the quote again
    return value
