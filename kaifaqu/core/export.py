"""Writing tables people open in Excel or WPS: xlsx (streamed, write-only) and CSV.

An export is a title, a header row and rows of plain values; callers only yield rows.
CSV is written as UTF-8 with a byte-order mark so that Excel on Chinese Windows opens it
without garbling the characters.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMATS = ("xlsx", "csv")
# Excel refuses sheets longer than this; say so instead of writing a broken file.
MAX_ROWS = 1_048_575
WIDTH_SAMPLE = 200
MIN_WIDTH, MAX_WIDTH = 6, 50


Sheet = tuple[str, Sequence[str], Iterable[Sequence]]  # (sheet title, headers, rows)


def export_response(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    file_format: str = "xlsx",
    more_sheets: Sequence[Sheet] = (),
) -> HttpResponse:
    """``more_sheets`` go after the first in an xlsx (a CSV holds the first table only)."""
    filename = f"{title}-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"
    if file_format == "csv":
        response = HttpResponse(csv_bytes(headers, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = _disposition(filename)
        return response
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    write_xlsx(handle, title=title, headers=headers, rows=rows, more_sheets=more_sheets)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def write_xlsx(
    handle, *, title: str, headers: Sequence[str], rows: Iterable[Sequence], more_sheets: Sequence[Sheet] = ()
) -> int:
    """Stream ``rows`` (then any further sheets) into an xlsx workbook written to ``handle``; returns the
    first sheet's row count."""
    workbook = Workbook(write_only=True)
    count = _write_sheet(workbook, title, headers, rows)
    for sheet_title, sheet_headers, sheet_rows in more_sheets:
        _write_sheet(workbook, sheet_title, sheet_headers, sheet_rows)
    workbook.save(handle)
    return count


def _write_sheet(workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> int:
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    rows = iter(rows)
    # Widths must be set before the first row of a streamed sheet: size them on the header and a first batch.
    first = [[_cell_value(value) for value in row] for row in itertools.islice(rows, WIDTH_SAMPLE)]
    for column, width in enumerate(column_widths(headers, first), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(header_cells)
    count = 0
    for row in itertools.chain(first, ([_cell_value(value) for value in row] for row in rows)):
        count += 1
        if count > MAX_ROWS:
            raise ValueError(f"导出行数超过 Excel 上限（{MAX_ROWS} 行），请缩小筛选范围。")
        sheet.append(row)
    return count


def column_widths(headers: Sequence[str], rows: Sequence[Sequence]) -> list[float]:
    """Excel widths in characters: a Chinese character takes two, dates ten; long text is capped and wraps."""
    widths = [_text_width(text) for text in headers]
    for row in rows:
        for column, value in enumerate(row[: len(widths)]):
            widths[column] = max(widths[column], _text_width(value))
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def _text_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else _cell_value(value) for value in row])
    return "\ufeff".encode() + text.getvalue().encode("utf-8")


def _cell_value(value):
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write the local (Beijing) time people expect to read.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal):
        return value  # openpyxl writes Decimal as a number; csv as its exact text
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        # Never let a cell typed by a user run as a formula in someone else's Excel.
        return "'" + value
    return value


def _disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(filename)}"
