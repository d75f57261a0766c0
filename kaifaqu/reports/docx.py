"""Writing a report as a .docx in the style of a government document (GB/T 9704 in spirit):
A4 with the standard margins, the title in 方正小标宋 (宋体 where it is missing) 二号, body in
仿宋 三号 with a two-character indent and 28-point lines, numbered headings in 黑体, tables with
a bold 合计 row, charts as pictures with their captions."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

from .content import Chart, ReportContent, Table, bare_title

TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "宋体"
BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"
HEADING_FONT = "黑体"
TABLE_FONT = "宋体"
TABLE_SIZE = 10.5
TEXT_WIDTH = Cm(21.0 - 2.8 - 2.6)  # the page less the margins set in ``_page_setup``
CELL_MARGIN = Cm(0.1)  # either side of a cell's text; Word's 0.19 cm leaves wide tables short of room
CELL_PADDING = CELL_MARGIN * 2 + Pt(1.5)  # and a little air
# A digit or letter in 宋体 is half an em, but Word, WPS and LibreOffice substitute wider Latin
# fonts (DejaVu Sans: digits 0.64 em, % 0.95 em) on machines without it: measure for the widest.
LATIN_EM = 0.65
WIDE_LATIN = {"%": 1.0, "W": 1.0, "M": 0.9}
KEEP_WHOLE_ROWS = 15  # a table this short moves to the next page whole rather than split


@dataclass(frozen=True)
class Look:
    """Type sizes and line pitch (points): the document's 二号 title and 三号 body on 28-point lines,
    or a one-page brief's 小二 and 四号 on 22-point lines."""

    title: float
    body: float
    line: float


DOCUMENT = Look(title=22, body=16, line=28)
BRIEF = Look(title=18, body=14, line=22)


def write_docx(content: ReportContent, *, look: Look = DOCUMENT) -> bytes:
    document = Document()
    _page_setup(document)
    _fallback_fonts(document)
    _title(document, content.title, size=look.title)
    body = {"size": look.body, "line": look.line}
    _line(document, content.subtitle, font=BODY_FONT, center=True, **body)
    captions = Captions(content.table_captions())
    for section in content.sections:
        _line(document, section.heading, font=HEADING_FONT, indent=True, outline=0, **body)
        for text in section.paragraphs:
            _line(document, text, font=BODY_FONT, indent=True, **body)
        for chart in section.charts:
            _chart(document, chart, captions)
        for table in section.tables:
            _table(document, table, captions)
        for _ in range(section.blank_lines):
            _line(document, "", font=BODY_FONT, indent=True, **body)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class Captions:
    """The tables' captions as the content numbers them (the workbook writes the same), and one
    counter for the figures actually drawn: a builder's own 表N/图N never shows."""

    def __init__(self, tables: dict[int, str | None]) -> None:
        self.tables = tables
        self.figures = 0

    def table(self, table: Table) -> str | None:
        return self.tables.get(id(table))

    def figure(self, title: str) -> str:
        self.figures += 1
        return f"图{self.figures} {bare_title(title)}"


def _page_setup(document) -> None:
    page = document.sections[0]
    page.page_height, page.page_width = Cm(29.7), Cm(21.0)
    page.top_margin, page.bottom_margin = Cm(3.7), Cm(3.5)
    page.left_margin, page.right_margin = Cm(2.8), Cm(2.6)


def _fallback_fonts(document) -> None:
    """Name 宋体 and 仿宋 as the stand-ins for 方正小标宋 and 仿宋_GB2312 in the font table, so
    Word and WPS on a machine without them fall back to fonts every Chinese Windows has."""
    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    from docx.oxml import parse_xml

    root = parse_xml(part.blob)
    for name, fallback in ((TITLE_FONT, TITLE_FALLBACK), (BODY_FONT, BODY_FALLBACK)):
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), fallback)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(alt)
        font.append(charset)
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _font(run, name: str, size: float, *, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _spacing(paragraph, *, exact: float = 28) -> None:
    form = paragraph.paragraph_format
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = Pt(exact)
    form.space_before = form.space_after = Pt(0)


def _title(document, text: str, *, size: float) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(paragraph, exact=36)
    _font(paragraph.add_run(text), TITLE_FONT, size)


def _line(
    document,
    text: str,
    *,
    font: str,
    size: float,
    line: float = 28,
    center: bool = False,
    indent: bool = False,
    outline=None,
    keep_with_next: bool = False,
) -> None:
    paragraph = document.add_paragraph()
    # Headings and captions stay on the page of what they introduce, never alone at its foot.
    paragraph.paragraph_format.keep_with_next = keep_with_next or outline is not None
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)  # 首行缩进两字
    _spacing(paragraph, exact=line)
    _font(paragraph.add_run(text), font, size)
    if outline is not None:  # a heading in Word's and WPS's navigation pane, in the body's own look
        level = OxmlElement("w:outlineLvl")  # last in pPr: after spacing, ind and jc, as the schema orders them
        level.set(qn("w:val"), str(outline))
        paragraph._p.get_or_add_pPr().append(level)


def _chart(document, chart: Chart, captions: Captions) -> None:
    picture = document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True  # the caption below goes with its chart
    picture.add_run().add_picture(io.BytesIO(chart.png), width=Cm(15))
    _line(document, captions.figure(chart.title), font=TABLE_FONT, size=TABLE_SIZE, center=True)


def _table(document, table: Table, captions: Captions) -> None:
    caption = captions.table(table)
    if caption:  # an empty table's title comes unnumbered, above the note saying why
        _line(document, caption, font=HEADING_FONT, size=12, center=True, keep_with_next=True)
    if not table.rows:
        _line(document, table.note or "无。", font=BODY_FONT, size=14, indent=True)
        return
    rows = [table.headers, *table.rows, *table.footer]
    columns = table_columns(table)
    grid = document.add_table(rows=0, cols=len(columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(grid, [column.width for column in columns])
    total_row = 1 + len(table.rows) if table.total else None
    kept = len(rows) - 1 if len(rows) <= KEEP_WHOLE_ROWS else 1  # else the header goes with the first row
    for r, values in enumerate(rows):
        row = grid.add_row()
        _row_flags(row, header=r == 0)
        # Row by row: ``table.cell(r, c)`` walks the whole grid each time (slow on long tables).
        for cell, column, value in zip(row.cells, columns, values, strict=True):
            cell.width = column.width
            text = "" if value is None else str(value)
            if r == 0:
                _header_cell(cell, text, column)
            else:
                _body_cell(cell, text, column, bold=r == total_row)
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = r < kept
    if table.note:
        _line(document, table.note, font=TABLE_FONT, size=TABLE_SIZE)
    document.add_paragraph()


@dataclass
class Column:
    """A table column: whether its cells are values a break would cut (figures, dates: never
    wrapped), and its widths in EMU — the least it may have, the width with its header on two
    lines, the width with everything on one line, and the one it gets."""

    unbroken: bool
    least: int
    compact: int
    full: int
    width: int = 0


def table_columns(table: Table) -> list[Column]:
    """Each column as wide as its content asks, within the page: a column of figures or dates is
    never narrower than its longest value (``612.54`` must not break into ``612.5/4``); what the
    page lacks is taken from the headers first (two lines), then from the text columns (wrapped)."""
    columns = []
    for header, *cells in zip(*[table.headers, *table.rows, *table.footer], strict=True):
        texts = ["" if value is None else str(value) for value in cells]
        unbroken = all(_unbreakable(text) for text in texts[: len(table.rows)])
        longest = max(text_width(text) for text in texts)
        head = _header_width(header)
        columns.append(
            Column(
                unbroken=unbroken,
                least=max(head, longest if unbroken else min(longest, text_width("四个汉字"))),
                compact=max(head, longest),
                full=max(text_width(header), longest),
            )
        )
    for column, width in zip(columns, _fit(columns), strict=True):
        column.width = round(width)
    return columns


def _fit(columns: list[Column]) -> list[float]:
    """Widths filling the text width. When every column fits on one line, each widens in
    proportion; else each column starts from the widest step that fits (full, compact,
    least) below it and shares what is left in proportion to what it wanted more."""
    steps = [[c.least for c in columns], [c.compact for c in columns], [c.full for c in columns]]
    if sum(steps[2]) <= TEXT_WIDTH:
        return [w * TEXT_WIDTH / sum(steps[2]) for w in steps[2]]
    if sum(steps[0]) >= TEXT_WIDTH:  # more figures than the page holds: keep them whole, into the margin
        return steps[0]
    lower, upper = steps[1], steps[2]
    if sum(lower) > TEXT_WIDTH:
        lower, upper = steps[0], steps[1]
    room = TEXT_WIDTH - sum(lower)
    wanted = [u - w for u, w in zip(upper, lower, strict=True)]
    return [w + room * more / sum(wanted) for w, more in zip(lower, wanted, strict=True)]


def text_width(text: str, size: float = TABLE_SIZE) -> int:
    """The width (EMU) ``text`` takes on one line in a table cell, padding included: a Chinese
    character is an em, anything else at most ``LATIN_EM`` of one (``WIDE_LATIN`` apart)."""
    ems = sum(1.0 if unicodedata.east_asian_width(char) in "WF" else WIDE_LATIN.get(char, LATIN_EM) for char in text)
    return Pt(ems * size) + CELL_PADDING


def _header_width(header: str) -> int:
    """Headers may take two lines, broken before the unit: ``总投资`` / ``（亿元）``."""
    if "（" in header:
        name, unit = header.split("（", 1)
        return max(text_width(name), text_width("（" + unit))
    if len(header) <= 2:  # 排名, not 排/名
        return text_width(header)
    return text_width(header[: (len(header) + 1) // 2])


def _unbreakable(text: str) -> bool:
    """Figures, percentages, dates and codes: no Chinese, no spaces, so a break would cut a value."""
    return " " not in text and all(unicodedata.east_asian_width(char) not in "WF" for char in text)


def _fixed_layout(grid, widths: list[int]) -> None:
    """Widths written out (grid, table and every cell) with a fixed layout, so Word, WPS and
    LibreOffice all draw the columns as computed instead of re-fitting them to the text."""
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    properties = grid._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_MARGIN / 635)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.find(qn("w:tblLayout")).addnext(margins)  # the schema's order: tblLayout, tblCellMar, tblLook
    table_width = properties.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(round(sum(widths) / 635)))  # EMU to twentieths of a point


def _row_flags(row, *, header: bool) -> None:
    """A row never splits across pages; the header row repeats on each page the table runs to."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _header_cell(cell, text: str, column: Column) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if "（" in text and text_width(text) > column.width:
        name, unit = text.split("（", 1)
        run = paragraph.add_run(name)
        _font(run, TABLE_FONT, TABLE_SIZE, bold=True)
        run.add_break()
        _font(paragraph.add_run("（" + unit), TABLE_FONT, TABLE_SIZE, bold=True)
        return
    _font(paragraph.add_run(text), TABLE_FONT, TABLE_SIZE, bold=True)


def _body_cell(cell, text: str, column: Column, *, bold: bool) -> None:
    paragraph = cell.paragraphs[0]
    if _numeric(text):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif text == "—":  # no figure: the dash sits mid-cell, as offices write it
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if column.unbroken:
        cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))
    _font(paragraph.add_run(text), TABLE_FONT, TABLE_SIZE, bold=bold)


def _numeric(text: str) -> bool:
    stripped = text.replace(",", "").replace("%", "").replace(".", "", 1).lstrip("-")
    return stripped.isdigit()
