"""Writing the tables people open in Excel or WPS: xlsx and CSV. Every export goes through here.

A caller describes a ``Table`` — its columns (header, kind, width; a group above for a
two-row header), the rows it yields, and the office layout around them (a title row, a
序号 column, a 合计 row, notes under it) — and ``write_xlsx`` streams it with openpyxl's
write-only mode, so a large ledger needs little memory. ``Notes`` are sheets of text
(填写说明, a report's paragraphs). ``csv_bytes`` writes one table as UTF-8 with a
byte-order mark, so Excel on Chinese Windows opens it without garbling the characters.

Text typed by users is never written as a formula: in xlsx it is a text cell, in CSV it
gets a leading apostrophe (the importer drops it again).
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties

TEXT, MONEY, AREA, DATE, INTEGER, NUMBER, PERCENT = "text", "money", "area", "date", "integer", "number", "percent"
FORMATS = {
    MONEY: "#,##0.00",
    AREA: "#,##0.00",
    DATE: "yyyy-mm-dd",
    INTEGER: "0",
    NUMBER: "#,##0.##",
    PERCENT: "0.0",
    TEXT: "@",
}
FORMULA_STARTS = ("=", "+", "-", "@")
# Excel refuses sheets longer than this; say so instead of writing a broken file.
MAX_ROWS = 1_048_575
WIDTH_SAMPLE = 200  # rows measured for a column without a set width
MIN_WIDTH, MAX_WIDTH = 6, 50
HEADER_FILL = "DDEBF7"
DATED = (datetime.date, datetime.time, datetime.timedelta)  # given a date format when written
PROGRESS_EVERY = 1000  # data rows between two calls of a ``rows_progress`` callback

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class OutputColumn:
    header: str
    kind: str | None = TEXT  # the number format (``FORMATS``); None: Excel's General
    width: float | None = None  # in characters; None: measured from the header and the first rows
    total: bool = False  # summed in the 合计 row
    group: str = ""  # a two-row header: the group written above, merged across its columns
    number_format: str = ""  # overrides the kind's format (an indicator's own decimals)

    @property
    def format(self) -> str | None:
        return self.number_format or (FORMATS[self.kind] if self.kind else None)


@dataclass(frozen=True)
class Marked:
    """A value written on a coloured background (``fill``: RGB hex), e.g. a cell to fill in."""

    value: object
    fill: str


@dataclass
class Table:
    name: str  # the sheet's name (made unique within the workbook)
    columns: Sequence[OutputColumn]
    rows: Iterable[Sequence]  # values in ``columns`` order; a value may be ``Marked``
    title: str = ""  # one row above the header, merged across the table
    title_size: int = 16
    numbered: bool = False  # a 序号 column before the first
    totals: bool = False  # a 合计 row summing the ``total`` columns (共N个 under the 名称 column)
    total: Sequence | None = None  # … or a 合计 row as given
    after: Sequence[Sequence] = ()  # rows under the total (a report table's notes)
    styled: bool = True  # the office layout (borders, coloured header, 宋体 title); False: a plain bold header
    freeze: str | None = None  # the first cell that scrolls; default: the one under the header
    fit_width: bool = False  # printed with every column on the page's width, title rows on each page
    orientation: str = "landscape"

    def all_columns(self) -> list[OutputColumn]:
        return [OutputColumn("序号", INTEGER, width=6), *self.columns] if self.numbered else list(self.columns)


@dataclass(frozen=True)
class Notes:
    """A sheet of text, one line a row: 填写说明, a report's title and paragraphs."""

    name: str
    lines: Sequence[str]
    headings: frozenset[int] = field(default_factory=frozenset)  # lines (0-based) set in bold, 黑体
    width: int = 66  # characters: within an A4 page's width, portrait
    title_size: int = 14


_progress: ContextVar[Callable[[int], None] | None] = ContextVar("rows_progress", default=None)


@contextmanager
def rows_progress(callback: Callable[[int], None]) -> Iterator[None]:
    """Within the block, ``callback(rows)`` is told every ``PROGRESS_EVERY`` data rows a table
    has written, so a background export can show how far it is (the ledgers only yield rows)."""
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


def _tell(count: int) -> None:
    callback = _progress.get()
    if callback is not None and count % PROGRESS_EVERY == 0:
        callback(count)


def write_xlsx(handle, sheets: Sequence[Table | Notes]) -> int:
    """Stream ``sheets`` into an xlsx workbook written to ``handle``; returns the first table's data rows."""
    workbook = Workbook(write_only=True)
    names: set[str] = set()
    counts = []
    for sheet in sheets:
        name = _unique(sheet.name, names)
        if isinstance(sheet, Notes):
            _write_notes(workbook.create_sheet(title=name), sheet)
        else:
            counts.append(_write_table(workbook.create_sheet(title=name), sheet))
    workbook.save(handle)
    return counts[0] if counts else 0


def csv_bytes(table: Table) -> bytes:
    """One table as CSV: the header row and the rows (a 序号 first when numbered), no title or 合计."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([column.header for column in table.all_columns()])
    for number, row in enumerate(table.rows, start=1):
        values = [_csv_value(_plain(value)) for value in row]
        writer.writerow([number, *values] if table.numbered else values)
        _tell(number)
    return "\ufeff".encode() + text.getvalue().encode("utf-8")


# ------------------------------------------------------------------ a table


def _write_table(sheet, table: Table) -> int:
    columns = table.all_columns()
    rows = iter(table.rows)
    # A streamed sheet's widths and merges are set before its first row: measure on a first batch.
    first = [] if all(column.width for column in columns) else list(itertools.islice(rows, WIDTH_SAMPLE))
    _set_widths(sheet, columns, table, first)
    grouped = any(column.group for column in columns)
    top = 2 if table.title else 1  # the header's first row
    header_rows = 2 if grouped else 1
    sheet.freeze_panes = table.freeze or f"A{top + header_rows}"
    if table.title:
        sheet.merged_cells.add(CellRange(min_col=1, min_row=1, max_col=len(columns), max_row=1))
        sheet.row_dimensions[1].height = 30 if table.title_size >= 16 else 24
    if grouped:
        _merge_groups(sheet, columns, top)
    if table.fit_width:
        _fit_to_width(sheet, orientation=table.orientation)
        sheet.print_title_rows = f"1:{top + header_rows - 1}"
    if table.title:
        sheet.append([_title_cell(sheet, table.title, table.title_size)])
    for texts in _header_texts(columns, grouped):
        sheet.append([_header_cell(sheet, text, table.styled) for text in texts])
    totals = [Decimal(0) if column.total else None for column in columns]
    styles: dict = {}  # the data cells' shared styles (``_data_cell``)
    count = 0
    for row in itertools.chain(first, rows):
        count += 1
        if count > MAX_ROWS - top - header_rows:
            raise ValueError(f"导出行数超过 Excel 上限（{MAX_ROWS} 行），请缩小筛选范围。")
        values = [count, *row] if table.numbered else list(row)
        sheet.append(_data_cells(sheet, columns, values, totals, table.styled, styles=styles))
        _tell(count)
    if table.totals:
        sheet.append(_sum_cells(sheet, columns, totals, count, table.numbered))
    elif table.total is not None:
        sheet.append(_data_cells(sheet, columns, list(table.total), None, table.styled, bold=True))
    for row in table.after:
        sheet.append(_data_cells(sheet, columns, list(row), None, table.styled))
    return count


def _set_widths(sheet, columns: list[OutputColumn], table: Table, first: list[Sequence]) -> None:
    sample = [[count, *row] for count, row in enumerate(first, start=1)] if table.numbered else first
    for index, column in enumerate(columns):
        width = column.width
        if width is None:
            measured = max([_text_width(column.header), *(_text_width(_at(row, index)) for row in sample)])
            width = min(max(measured + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index + 1)].width = width


def _header_texts(columns: list[OutputColumn], grouped: bool) -> list[list[str | None]]:
    if not grouped:
        return [[column.header for column in columns]]
    # A group's text in its first column only: the merge shows it across the others.
    top = [
        column.header if not column.group else column.group if i == 0 or columns[i - 1].group != column.group else None
        for i, column in enumerate(columns)
    ]
    below = [column.header if column.group else None for column in columns]
    return [top, below]


def _merge_groups(sheet, columns: list[OutputColumn], top: int) -> None:
    """Ungrouped headers span both header rows; a group's text spans its columns."""
    index = 0
    while index < len(columns):
        column = columns[index]
        if not column.group:
            sheet.merged_cells.add(CellRange(min_col=index + 1, min_row=top, max_col=index + 1, max_row=top + 1))
            index += 1
            continue
        end = index
        while end + 1 < len(columns) and columns[end + 1].group == column.group:
            end += 1
        if end > index:
            sheet.merged_cells.add(CellRange(min_col=index + 1, min_row=top, max_col=end + 1, max_row=top))
        index = end + 1


def _title_cell(sheet, title: str, size: int) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=title)
    cell.font = Font(name="宋体", size=size, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    return cell


def _header_cell(sheet, text: str | None, styled: bool) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    if not styled:
        cell.font = Font(bold=True)
        return cell
    cell.font = Font(name="黑体", bold=True)
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.border = _BORDER
    return cell


def _data_cells(
    sheet, columns, values, totals, styled: bool, *, bold: bool = False, styles=None
) -> list[WriteOnlyCell]:
    styles = {} if styles is None else styles
    cells = []
    for position, column in enumerate(columns):
        value = values[position] if position < len(values) else None
        fill = None
        if isinstance(value, Marked):
            value, fill = value.value, value.fill
        value = _plain(value)
        if totals is not None and totals[position] is not None and isinstance(value, int | float | Decimal):
            totals[position] += Decimal(str(value)) if isinstance(value, float) else value
        cells.append(_data_cell(sheet, value, column, styled, fill=fill, bold=bold, styles=styles))
    return cells


def _data_cell(sheet, value, column: OutputColumn, styled: bool, *, fill, bold: bool, styles: dict) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text typed by a user, never a formula in someone else's Excel
    # A marked empty cell is one to fill in: it gets its column's format before anything is typed.
    formatted = bool(column.format) and ((value is not None and column.kind != TEXT) or bool(fill))
    # Without a column format a date keeps the one openpyxl gave it (else Excel shows a serial number).
    number_format = column.format if formatted else cell.number_format if isinstance(value, DATED) else None
    # Setting a font, border or alignment on a cell looks the style up in the workbook's lists
    # (hashing every nested object): 38 columns × 60,000 rows took minutes. A column has only a
    # few distinct styles, so each is built once and its indices shared by every cell that has it
    # (a streamed cell is written at once and never changed again).
    key = (column, styled, fill, bold, number_format)
    style = styles.get(key)
    if style is None:
        style = styles[key] = _data_style(sheet, column, styled, fill=fill, bold=bold, number_format=number_format)
    cell._style = style
    return cell


def _data_style(sheet, column: OutputColumn, styled: bool, *, fill, bold: bool, number_format: str | None):
    cell = WriteOnlyCell(sheet)
    if bold:
        cell.font = Font(bold=True)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if number_format:
        cell.number_format = number_format
    if styled:
        cell.border = _BORDER
        if column.kind == TEXT:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    return cell._style


def _sum_cells(sheet, columns: list[OutputColumn], totals, count: int, numbered: bool) -> list[WriteOnlyCell]:
    """合计 in the first column, the number of rows under the 名称 column, the sums of ``total`` columns."""
    count_at = next((i for i, column in enumerate(columns) if column.header.endswith("名称")), None)
    values: list = []
    for position, column in enumerate(columns):
        if position == 0:
            values.append("合计")
        elif position == count_at:
            values.append(f"共{count}个")
        else:
            values.append(totals[position] if column.total else None)
    cells = []
    for column, value in zip(columns, values, strict=True):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cell.border = _BORDER
        if column.total and column.format:
            cell.number_format = column.format
        cells.append(cell)
    return cells


def _fit_to_width(sheet, *, orientation: str) -> None:
    sheet.page_setup.orientation = orientation
    sheet.page_setup.paperSize = "9"  # A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # as many pages down as it takes


# ------------------------------------------------------------------ notes


def _write_notes(sheet, notes: Notes) -> None:
    sheet.column_dimensions["A"].width = notes.width
    _fit_to_width(sheet, orientation="portrait")
    for number, line in enumerate(notes.lines, start=1):
        title = number == 1
        # LibreOffice (and Excel, not always) keeps a wrapped row one line tall: say how tall it is.
        sheet.row_dimensions[number].height = 26 if title else 16 * _wrapped_lines(line, notes.width) + 4
        cell = WriteOnlyCell(sheet, value=line)
        if title:
            cell.font = Font(name="宋体", size=notes.title_size, bold=True)
        elif number - 1 in notes.headings:
            cell.font = Font(name="黑体", size=11, bold=True)
        else:
            cell.font = Font(name="宋体", size=11)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.append([cell])


def _wrapped_lines(text: str, width: int) -> int:
    """How many lines ``text`` takes in a notes row (a Chinese character is two columns wide)."""
    return max(1, -(-_text_width(text) // (width - 2)))


# ------------------------------------------------------------------ values


def _unique(name: str, names: set[str]) -> str:
    name = name[:31]
    while name in names:
        name = f"{name[:27]}{len(names) + 1}"
    names.add(name)
    return name


def _at(row: Sequence, index: int):
    value = row[index] if index < len(row) else None
    return value.value if isinstance(value, Marked) else value


def _plain(value):
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write the local (Beijing) time people expect to read.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def _text_width(value) -> int:
    """Excel width in characters: a Chinese character takes two, a date ten."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(value))


def _csv_value(value):
    if isinstance(value, Marked):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value  # Excel would run it as a formula; the importer drops the quote again
    return value
