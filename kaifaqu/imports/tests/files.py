"""Building ledger files the way offices make them, with the libraries their tools use."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook


def write_xlsx(path: Path, rows: list[list], *, merges: tuple[str, ...] = (), sheet: str = "Sheet1") -> Path:
    """An .xlsx file; ``merges`` are ranges like ``"A1:H1"`` merged as Excel does."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    for area in merges:
        worksheet.merge_cells(area)
    workbook.save(path)
    return path


def write_xls(path: Path, rows: list[list], *, merges: tuple[tuple[int, int, int, int], ...] = ()) -> Path:
    """An Excel 97-2003 .xls file (xlwt); ``merges`` as (first_row, last_row, first_col, last_col), 0-based."""
    import datetime

    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    worksheet = workbook.add_sheet("台账")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    merged_cells = set()
    for first_row, last_row, first_col, last_col in merges:
        value = rows[first_row][first_col]
        worksheet.write_merge(first_row, last_row, first_col, last_col, value)
        merged_cells |= {(r, c) for r in range(first_row, last_row + 1) for c in range(first_col, last_col + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in merged_cells or value is None:
                continue
            if isinstance(value, datetime.date):
                worksheet.write(r, c, value, date_style)
            else:
                worksheet.write(r, c, value)
    workbook.save(str(path))
    return path


def write_csv(path: Path, rows: list[list], *, encoding: str = "utf-8") -> Path:
    text = io.StringIO()
    csv.writer(text).writerows([["" if cell is None else cell for cell in row] for row in rows])
    path.write_bytes(text.getvalue().encode(encoding))
    return path
