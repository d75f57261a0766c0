"""Writing a report as a .docx in the style of a government document (GB/T 9704 in spirit):
A4 with the standard margins, the title in 方正小标宋 (宋体 where it is missing) 二号, body in
仿宋 三号 with a two-character indent and 28-point lines, numbered headings in 黑体, tables with
a bold 合计 row, charts as pictures with their captions."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

from .content import ReportContent, Table

TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "宋体"
BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"
HEADING_FONT = "黑体"
TABLE_FONT = "宋体"


def write_docx(content: ReportContent) -> bytes:
    document = Document()
    _page_setup(document)
    _fallback_fonts(document)
    _title(document, content.title, size=22)
    _line(document, content.subtitle, font=BODY_FONT, size=16, center=True)
    for section in content.sections:
        _line(document, section.heading, font=HEADING_FONT, size=16, indent=True, outline=0)
        for text in section.paragraphs:
            _line(document, text, font=BODY_FONT, size=16, indent=True)
        for chart in section.charts:
            picture = document.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(io.BytesIO(chart.png), width=Cm(15))
            _line(document, chart.title, font=TABLE_FONT, size=10.5, center=True)
        for table in section.tables:
            # A table that is the whole section (“二、上周办结事项”) needs no caption saying so again.
            _table(document, table, caption=not section.heading.endswith(table.title))
        for _ in range(section.blank_lines):
            _line(document, "", font=BODY_FONT, size=16, indent=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


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
    document, text: str, *, font: str, size: float, center: bool = False, indent: bool = False, outline=None
) -> None:
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)  # 首行缩进两字
    _spacing(paragraph)
    _font(paragraph.add_run(text), font, size)
    if outline is not None:  # a heading in Word's and WPS's navigation pane, in the body's own look
        level = OxmlElement("w:outlineLvl")  # last in pPr: after spacing, ind and jc, as the schema orders them
        level.set(qn("w:val"), str(outline))
        paragraph._p.get_or_add_pPr().append(level)


def _table(document, table: Table, *, caption: bool = True) -> None:
    if caption:
        _line(document, table.title, font=HEADING_FONT, size=12, center=True)
    if not table.rows:
        _line(document, table.note or "无。", font=BODY_FONT, size=14, indent=True)
        return
    rows = [table.headers, *table.rows, *table.footer]
    grid = document.add_table(rows=0, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    total_row = 1 + len(table.rows) if table.total else None
    for r, values in enumerate(rows):
        bold = r in (0, total_row)
        # Row by row: ``table.cell(r, c)`` walks the whole grid each time (slow on long tables).
        for cell, value in zip(grid.add_row().cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            if isinstance(value, int | float) or (isinstance(value, str) and _numeric(value)):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif r == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(paragraph.add_run("" if value is None else str(value)), TABLE_FONT, 10.5, bold=bold)
    if table.note:
        _line(document, table.note, font=TABLE_FONT, size=10.5)
    document.add_paragraph()


def _numeric(text: str) -> bool:
    stripped = text.replace(",", "").replace("%", "").replace(".", "", 1).lstrip("-")
    return stripped.isdigit()
