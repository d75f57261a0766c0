"""The Word reports' layout as a reader sees it on paper: tables numbered without gaps, captions
kept with their tables and charts, figures never broken inside a cell, charts never in ``1e8``."""

import io
import re

import docx
import pytest
from django.core.management import call_command
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from matplotlib.text import Text

from kaifaqu.conftest import LEDGER_YEAR
from kaifaqu.reports.charts import bar_figure, growth_figure
from kaifaqu.reports.content import ReportContent, Section, Table
from kaifaqu.reports.docx import write_docx

CAPTION = re.compile(r"^表(\d+) ")
FIGURE = re.compile(r"^-?[\d,]+(\.\d+)?%?$")
WORD_CELL_MARGIN = Cm(0.19)  # Word's default either side, when the table sets none


def report_docx(tmp_path, *args: str) -> docx.Document:
    out = tmp_path / "report.docx"
    call_command("report", *args, "-o", str(out))
    return docx.Document(str(out))


@pytest.fixture
def reports(hand_ledger, tmp_path) -> dict[str, docx.Document]:
    """The weekly dispatch of 孝义 (no 阶段变更 that week) and 吕梁's monthly report."""
    return {
        "周调度": report_docx(tmp_path, "weekly", "--zone", "孝义", "--date", "2025-06-30", "--year", str(LEDGER_YEAR)),
        "月度报告": report_docx(tmp_path, "monthly", "--city", "吕梁市", "--month", "2025-06"),
    }


def table_captions(document) -> list:
    return [paragraph for paragraph in document.paragraphs if CAPTION.match(paragraph.text)]


def numeric_columns(table) -> dict[int, list[str]]:
    """Columns whose body cells (below the header) are all figures, with those figures."""
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    columns = {}
    for index in range(len(table.columns)):
        values = [row[index] for row in rows if row[index] not in ("", "—")]
        if values and all(FIGURE.match(value) for value in values):
            columns[index] = values
    return columns


def cell_margins(table) -> int:
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    if margins is None:
        return 2 * WORD_CELL_MARGIN
    return sum(Pt(int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) / 20) for side in ("left", "right"))


def assert_figures_fit(table) -> None:
    """Each column of figures is at least as wide as its longest figure on one line, in the
    table's font size (a digit, ``.``, ``,`` and ``%`` in 宋体 are half an em)."""
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    size = table.rows[1].cells[0].paragraphs[0].runs[0].font.size.pt
    for index, values in numeric_columns(table).items():
        needed = Pt(max(len(value) for value in values) * size / 2) + cell_margins(table)
        assert table.columns[index].width >= needed, (table.rows[0].cells[index].text, values)
        for row in table.rows:
            assert row.cells[index].width == table.columns[index].width  # every cell says so too


def test_tables_are_numbered_as_written_and_kept_with_their_captions(reports):
    for name, document in reports.items():
        captions = table_captions(document)
        numbers = [int(CAPTION.match(paragraph.text).group(1)) for paragraph in captions]
        assert numbers == list(range(1, len(document.tables) + 1)), (name, numbers)
        assert all(paragraph.paragraph_format.keep_with_next for paragraph in captions), name
        for table in document.tables:
            header = table.rows[0]._tr.trPr
            assert header.find(qn("w:tblHeader")) is not None  # repeats on the next page
            assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def test_figures_in_tables_never_break(reports):
    for document in reports.values():
        assert document.tables
        for table in document.tables:
            assert_figures_fit(table)


def test_charts_are_kept_with_their_captions(reports):
    document = reports["月度报告"]
    paragraphs = document.paragraphs
    pictures = [i for i, paragraph in enumerate(paragraphs) if paragraph._p.xpath(".//w:drawing")]
    assert len(pictures) == 2
    for index in pictures:
        assert paragraphs[index].paragraph_format.keep_with_next
        assert paragraphs[index + 1].text.startswith(f"图{pictures.index(index) + 1} ")


def test_wide_figures_and_skipped_numbers_in_any_content():
    """A builder's own numbers (表1, 表2, 表4) give way to the document's; an empty table gets no
    number; a nine-column table of huge amounts keeps every amount whole."""
    wide = Table(
        "表4 各开发区项目建设情况",
        [
            "名次",
            "开发区",
            "项目数（个）",
            "总投资（亿元）",
            "年度计划（亿元）",
            "年度完成（亿元）",
            "完成率",
            "开工率",
            "逾期节点",
        ],
        [
            [1, "孝义经济技术开发区", 53, "100,000,553.00", "91.52", "25.68", "28.1%", "100.0%", 0],
            [2, "汾阳杏花村经济技术开发区", 5, "612.54", "3.90", "1.00", "25.6%", "33.3%", 12],
        ],
        total=["合计", "", 58, "100,001,165.54", "95.42", "26.68", "28.0%", "42.5%", 12],
    )
    content = ReportContent(
        "标题",
        "（副标题）",
        [
            Section("一、总体情况", ["正文。"], tables=[Table("表1 各阶段", ["阶段", "项目数"], [["已开工", 3]])]),
            Section("二、本周", tables=[Table("表2 本周进展", ["项目名称"], [], note="本周无进展填报。"), wide]),
        ],
    )
    document = docx.Document(io.BytesIO(write_docx(content)))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert [text for text in texts if CAPTION.match(text)] == ["表1 各阶段", "表2 各开发区项目建设情况"]
    assert "本周进展" in texts and "本周无进展填报。" in texts  # no table, so no number
    assert_figures_fit(document.tables[1])


def chart_texts(figure) -> list[str]:
    figure.draw_without_rendering()
    return [text.get_text() for text in figure.findobj(Text) if text.get_text()]


def test_chart_axes_of_huge_amounts_read_in_plain_grouped_numbers():
    """1e12 万元 (a 总投资 typed in 元) is drawn in 亿元 with separators, never ``1e8`` or ``1e+08``."""
    scientific = re.compile(r"\d[eE][+-]?\d|×10")
    for horizontal in (False, True):
        texts = chart_texts(bar_figure(["孝义", "屯留"], {"总投资": [1e12, 2e11]}, unit="万元", horizontal=horizontal))
        assert not [text for text in texts if scientific.search(text)], texts
        assert "亿元" in texts and "100,000,000" in texts
    texts = chart_texts(bar_figure(["孝义"], {"总投资（亿元）": [1e8]}, unit="亿元"))
    assert "100,000,000" in texts and not [text for text in texts if scientific.search(text)]
    texts = chart_texts(growth_figure(["孝义", "屯留"], [2.5e9, -3.0], average=1.2e9, average_label="全市平均"))
    assert not [text for text in texts if scientific.search(text)], texts
    assert "全市平均 1,200,000,000%" in texts


def test_the_workbook_numbers_its_tables_as_the_word_file_does(hand_ledger, tmp_path):
    """The office reads 表3 in the Word file and looks for 表3 in the workbook."""
    import openpyxl

    args = ("weekly", "--zone", "孝义", "--date", "2025-06-30", "--year", str(LEDGER_YEAR))
    words = [paragraph.text for paragraph in table_captions(report_docx(tmp_path, *args))]
    out = tmp_path / "report.xlsx"
    call_command("report", *args, "-o", str(out))
    workbook = openpyxl.load_workbook(out, read_only=True)
    titles = [next(sheet.iter_rows(values_only=True))[0] for sheet in workbook.worksheets[1:]]
    assert [title for title in titles if CAPTION.match(title or "")] == words
