"""What a report says, independent of the file it is written to: numbered sections of
sentences, tables (with a 合计 row) and charts. The builders fill it from the same
selectors the dashboard uses; ``docx`` and ``xlsx`` write it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CAPTION_NUMBER = re.compile(r"^[表图]\d+\s*")


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]
    total: list | None = None  # the 合计 row, when the table sums
    note: str = ""
    after_total: list[list] = field(default_factory=list)  # rows below 合计 it does not sum (全市)

    @property
    def footer(self) -> list[list]:
        return [*([self.total] if self.total else []), *self.after_total]


@dataclass
class Chart:
    title: str
    png: bytes


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    blank_lines: int = 0  # a section left for the office's own words (下步工作安排)


@dataclass
class ReportContent:
    title: str
    subtitle: str  # the issuing office and date line
    sections: list[Section]

    def table_captions(self) -> dict[int, str | None]:
        """``id(table)`` → the caption both the Word file and the workbook write: 表1…表n over the
        tables actually drawn, in order, whatever numbers the builder gave (a table left out — no
        阶段变更 this week — leaves no gap); an empty table's title unnumbered (its note says why);
        None for a table that is its whole section (“二、上周办结事项” needs no caption again)."""
        captions: dict[int, str | None] = {}
        count = 0
        for section in self.sections:
            for table in section.tables:
                if section.heading.endswith(table.title):
                    captions[id(table)] = None
                elif not table.rows:
                    captions[id(table)] = bare_title(table.title)
                else:
                    count += 1
                    captions[id(table)] = f"表{count} {bare_title(table.title)}"
        return captions

    def text(self) -> str:
        """Every sentence and cell as plain text (for tests and the report list's preview)."""
        lines = [self.title, self.subtitle]
        for section in self.sections:
            lines.append(section.heading)
            lines += section.paragraphs
            for table in section.tables:
                lines.append(table.title)
                lines += ["\t".join(str(cell) for cell in row) for row in [table.headers, *table.rows, *table.footer]]
        return "\n".join(lines)


def bare_title(title: str) -> str:
    """A caption without the builder's own 表N/图N."""
    return CAPTION_NUMBER.sub("", title, count=1)
