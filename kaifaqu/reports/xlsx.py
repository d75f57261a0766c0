"""A report's tables as a workbook: 概况 (the title and the paragraphs), then one sheet per
table with its title above and 合计 in bold. Written by ``sheets.writer``."""

from __future__ import annotations

import io

from kaifaqu.sheets.writer import Notes, OutputColumn, Table, write_xlsx

from .content import ReportContent, bare_title
from .content import Table as ReportTable


def write_report_xlsx(content: ReportContent) -> bytes:
    lines, headings = [content.title, content.subtitle], set()
    for section in content.sections:
        headings.add(len(lines))
        lines += [section.heading, *section.paragraphs]
    summary = Notes("概况", lines, headings=frozenset(headings), width=120, title_size=16)
    captions = content.table_captions()  # the same 表N as the Word file
    tables = [
        _table(table, captions[id(table)] or bare_title(table.title))
        for section in content.sections
        for table in section.tables
    ]
    buffer = io.BytesIO()
    write_xlsx(buffer, [summary, *tables])
    return buffer.getvalue()


def _table(table: ReportTable, caption: str) -> Table:
    widths = [18, *[14] * (len(table.headers) - 1)]  # the first column names the row (a zone, a category)
    columns = [OutputColumn(text, kind=None, width=width) for text, width in zip(table.headers, widths, strict=True)]
    return Table(
        name=bare_title(table.title)[:28],
        title=caption,
        title_size=14,
        columns=columns,
        rows=([_number(value) for value in row] for row in table.rows),
        total=[_number(value) for value in table.total] if table.total else None,
        after=[[_number(value) for value in row] for row in table.after_total],
    )


def _number(value):
    """Figures as numbers, so the office can sum them again; text (names, 12.5%) as text."""
    if isinstance(value, str):
        plain = value.replace(",", "")
        try:
            return float(plain) if "." in plain else int(plain)
        except ValueError:
            return value
    return value
