"""A report's tables as a workbook: one sheet per table, its title above, 合计 in bold."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .content import ReportContent

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def write_xlsx(content: ReportContent) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    summary = workbook.create_sheet("概况")
    summary.append([content.title])
    summary["A1"].font = Font(name="宋体", size=16, bold=True)
    summary.append([content.subtitle])
    for section in content.sections:
        summary.append([section.heading])
        summary.cell(summary.max_row, 1).font = Font(name="黑体", bold=True)
        for text in section.paragraphs:
            summary.append([text])
    summary.column_dimensions["A"].width = 120
    names: set[str] = {"概况"}
    for section in content.sections:
        for table in section.tables:
            _sheet(workbook, table, names)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook: Workbook, table, names: set[str]) -> None:
    name = table.title.split(" ", 1)[-1][:28]
    while name in names:
        name = f"{name[:26]}{len(names)}"
    names.add(name)
    sheet = workbook.create_sheet(name)
    width = len(table.headers)
    sheet.append([table.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(name="宋体", size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(table.headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in table.rows:
        sheet.append([_number(value) for value in row])
    if table.total:
        sheet.append([_number(value) for value in table.total])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for row in table.after_total:
        sheet.append([_number(value) for value in row])
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.border = _BORDER
    for index in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14 if index > 1 else 18
    sheet.freeze_panes = "A3"


def _number(value):
    """Figures as numbers, so the office can sum them again; text (names, 12.5%) as text."""
    if isinstance(value, str):
        plain = value.replace(",", "")
        try:
            return float(plain) if "." in plain else int(plain)
        except ValueError:
            return value
    return value
