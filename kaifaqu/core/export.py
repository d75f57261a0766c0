"""Sending a table to the browser as the file people open in Excel or WPS (xlsx or CSV).

An export is a title, a header row and rows of plain values; callers only yield rows and
``sheets.writer`` writes them (streamed xlsx, or UTF-8 CSV with a byte-order mark).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.utils import timezone

from kaifaqu.sheets.writer import OutputColumn, Table, csv_bytes, write_xlsx

FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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
    tables = [plain_table(title, headers, rows), *(plain_table(*sheet) for sheet in more_sheets)]
    if file_format == "csv":
        response = HttpResponse(csv_bytes(tables[0]), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    write_xlsx(handle, tables)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def plain_table(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> Table:
    """A data table: a bold header, widths measured on the first rows, no title or borders."""
    return Table(name=title, columns=[OutputColumn(text, kind=None) for text in headers], rows=rows, styled=False)
