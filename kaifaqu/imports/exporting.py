"""Writing a ledger the way offices send it upward: a title row, the header, the rows, a
合计 row, the header frozen, sensible widths and number formats. Also plain CSV.

A domain declares the columns (``LedgerColumn``) and yields rows; this module writes
them (openpyxl write-only, streaming, so a large ledger needs little memory).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties

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


@dataclass(frozen=True)
class Marked:
    """A value written on a coloured background (``fill``: RGB hex), e.g. a cell to fill in."""

    value: object
    fill: str


def write_ledger_xlsx(
    handle,
    *,
    title: str,
    sheet_name: str,
    columns: Sequence[LedgerColumn],
    rows: Iterable[Sequence],
    unit: str,
    total_row: bool = True,
    notes: Mapping[str, Sequence[str]] | None = None,
    fit_width: bool = False,
) -> int:
    """Stream the ledger into ``handle``; returns the number of data rows. A row's value may be
    ``Marked``; ``notes``: further sheets of text, one line a row (e.g. 填写说明); ``fit_width``:
    printed landscape with every column on the page's width (a short sheet to fill in by hand)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_name[:31])
    width = len(columns) + 1  # 序号 first
    sheet.freeze_panes = "C3"  # title and header stay, and so do 序号 and 项目名称
    sheet.column_dimensions["A"].width = 6
    for index, column in enumerate(columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.merged_cells.add(CellRange(min_col=1, min_row=1, max_col=width, max_row=1))
    sheet.row_dimensions[1].height = 30
    if fit_width:
        _fit_to_width(sheet, orientation="landscape")
        sheet.print_title_rows = "1:2"  # the title and the header on every page
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
            fill = None
            if isinstance(value, Marked):
                value, fill = value.value, value.fill
            if totals[position] is not None and value is not None:
                totals[position] += value
            cells.append(_data_cell(sheet, value, column.kind, fill=fill))
        sheet.append(cells)
    if total_row:
        sheet.append(_total_cells(sheet, columns, totals, count))
    for name, lines in (notes or {}).items():
        _notes_sheet(workbook, name, lines)
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


def _data_cell(sheet, value, kind: str, *, fill: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text typed by a user, never a formula in someone else's Excel
    cell.border = _BORDER
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    # A marked empty cell is one to fill in: it gets its column's format before anything is typed.
    if (value is not None and kind != TEXT) or fill:
        cell.number_format = FORMATS[kind]
    if kind == TEXT:
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    return cell


def _fit_to_width(sheet, *, orientation: str) -> None:
    sheet.page_setup.orientation = orientation
    sheet.page_setup.paperSize = "9"  # A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # as many pages down as it takes


_NOTES_WIDTH = 66  # characters: within an A4 page's width, portrait


def _notes_sheet(workbook: Workbook, name: str, lines: Sequence[str]) -> None:
    sheet = workbook.create_sheet(title=name[:31])
    sheet.column_dimensions["A"].width = _NOTES_WIDTH
    _fit_to_width(sheet, orientation="portrait")  # whatever font stands in for 宋体
    for number, line in enumerate(lines, start=1):
        # LibreOffice (and Excel, not always) keeps a wrapped row one line tall: say how tall it is.
        sheet.row_dimensions[number].height = 26 if number == 1 else 16 * _wrapped_lines(line) + 4
        cell = WriteOnlyCell(sheet, value=line)
        cell.font = Font(name="宋体", size=14 if number == 1 else 11, bold=number == 1)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.append([cell])


def _wrapped_lines(text: str) -> int:
    """How many lines ``text`` takes in a notes row (a Chinese character is two columns wide)."""
    width = sum(2 if ord(char) > 0x2E80 else 1 for char in text)
    return max(1, -(-width // (_NOTES_WIDTH - 2)))


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
