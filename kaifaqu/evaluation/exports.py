"""考核's files: the scheme's result table (.xlsx), one subject's 考核评分表 and the monthly 红黑榜
公示 (.docx).

The workbook goes through ``sheets.writer`` (its two-row header merges each item group over its
items; a 满分 row in the header's colour sits under it); the Word files are laid out with the
government-style helpers of ``reports.docx`` (A4, 方正小标宋 title, 仿宋 body, 宋体 tables).
Scores are kept as text in a run (``Score.items``): here they become numbers again.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from kaifaqu.reports.content import Table as DocTable
from kaifaqu.reports.docx import (
    BODY_FONT,
    DOCUMENT,
    HEADING_FONT,
    Captions,
    Look,
    _fallback_fonts,
    _line,
    _page_setup,
    _table,
    _title,
)
from kaifaqu.sheets.writer import HEADER_FILL, INTEGER, NUMBER, TEXT, Marked, OutputColumn, Table, write_xlsx

from . import periods
from .models import HonorEntry, HonorList, Item, Run, Scheme, Score
from .selectors import grouped_items

POINTS_FORMAT = "0.00"
HUNDREDTH = Decimal("0.01")
NO_VALUE = "—"
VETO, BONUS = Item.Kind.VETO, Item.Kind.BONUS


# ---------------------------------------------------------------- the result table (.xlsx)


def result_workbook(run: Run, scores: Iterable[Score]) -> bytes:
    """The run's result table: places and points by item (groups merged over their items, each
    item's 满分 under it), the measured values behind them, and the scoring rules."""
    scores = list(scores)
    label = _period_label(run)
    title = f"{run.scheme.name}结果（{label}，第{run.version}版，{run.get_status_display()}）"
    sheets = [
        _result_sheet(run, scores, title),
        _detail_sheet(run, scores, label),
        _rules_sheet(run, label),
    ]
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    return buffer.getvalue()


def _scored_items(run: Run) -> list[dict]:
    """The items with points of their own, group by group (a veto item only vetoes: its note says so)."""
    return [item for _group, items in grouped_items(run) for item in items if item["kind"] != VETO]


def _result_sheet(run: Run, scores: list[Score], title: str) -> Table:
    items = _scored_items(run)
    points = {"kind": NUMBER, "number_format": POINTS_FORMAT}
    columns = [
        OutputColumn("名次", INTEGER, 6),
        OutputColumn("考核对象", TEXT, 22),
        *(OutputColumn(_item_header(item), width=_item_width(item), group=item["group"], **points) for item in items),
        OutputColumn("总分", width=9, **points),
    ]
    full = [_number(item["weight"]) for item in items]
    normal = sum((value for value, item in zip(full, items, strict=True) if item["kind"] != BONUS), Decimal(0))
    marks = [None, "满分", *full, normal, None]
    rows = [[Marked(value, HEADER_FILL) for value in marks]]
    for score in scores:
        found = [_number(score.items.get(str(item["id"]), {}).get("score")) for item in items]
        rows.append([score.rank, score.subject_name, *found, score.total, veto_note(run, score)])
    # The notes are as wide as their text: a wrapped one would stay one line tall.
    columns.append(OutputColumn("一票否决", TEXT, max(12, _width("", [row[-1] for row in rows[1:]], most=60))))
    # The title, the group row, the items' row and the 满分 row stay in view.
    return Table(name="考核结果", title=title, columns=columns, rows=rows, freeze="C5", fit_width=True)


def _item_header(item: dict) -> str:
    return f"{item['name']}（加分项）" if item["kind"] == BONUS else item["name"]


def _item_width(item: dict) -> float:
    """As wide as the item's name (a wrapped header row would stay one line tall); a score needs 9."""
    return max(9, _width(_item_header(item), [], most=30))


def _detail_sheet(run: Run, scores: list[Score], label: str) -> Table:
    columns = [
        OutputColumn("名次", INTEGER, 6),
        OutputColumn("考核对象", TEXT, 22),
        OutputColumn("分组", TEXT, 14),
        OutputColumn("考核项目", TEXT, 24),
        OutputColumn("完成值", None, 12),
        OutputColumn("单位", TEXT, 8),
        OutputColumn("记录数", INTEGER, 8),
        OutputColumn("得分", None, 8, number_format=POINTS_FORMAT),
        OutputColumn("分值", None, 8, number_format=POINTS_FORMAT),
    ]
    items = [item for _group, group_items in grouped_items(run) for item in group_items]
    rows = []
    for score in scores:
        for item in items:
            found = score.items.get(str(item["id"]), {})
            value = _number(found.get("value"), exact=True)
            count = found.get("count")
            rows.append(
                [
                    score.rank,
                    score.subject_name,
                    item["group"],
                    item["name"],
                    NO_VALUE if value is None else value,
                    item["unit"],
                    NO_VALUE if count is None else count,
                    "否决" if item["kind"] == VETO and value else _number(found.get("score")),
                    "一票否决" if item["kind"] == VETO else _number(found.get("max", item["weight"])),
                ]
            )
    title = f"{run.scheme.name}数据明细（{label}，第{run.version}版）"
    return Table(name="数据明细", title=title, title_size=14, columns=columns, rows=rows, fit_width=True)


def _rules_sheet(run: Run, label: str) -> Table:
    kinds = dict(Item.Kind.choices)
    rows = [
        [
            item["group"],
            item["name"],
            kinds.get(item["kind"], item["kind"]),
            NO_VALUE if item["kind"] == VETO else _number(item["weight"]),
            _source(item),
            item["unit"],
            rule_words(item),
            item["definition"],
        ]
        for _group, items in grouped_items(run)
        for item in items
    ]
    # Wrapped text would stay one line tall in Excel and LibreOffice: the long columns are as wide as their text.
    columns = [
        OutputColumn("分组", TEXT, 14),
        OutputColumn("考核项目", TEXT, _width("考核项目", [row[1] for row in rows], most=30)),
        OutputColumn("类型", TEXT, 10),
        OutputColumn("分值", None, 8, number_format=POINTS_FORMAT),
        OutputColumn("数据来源", TEXT, _width("数据来源", [row[4] for row in rows], most=50)),
        OutputColumn("单位", TEXT, 8),
        OutputColumn("计分规则", TEXT, _width("计分规则", [row[6] for row in rows], most=90)),
        OutputColumn("指标口径", TEXT, _width("指标口径", [row[7] for row in rows], most=110)),
    ]
    title = f"{run.scheme.name}计分规则（{label}，第{run.version}版计算时）"
    return Table(name="计分规则", title=title, title_size=14, columns=columns, rows=rows, numbered=True, fit_width=True)


def _source(item: dict) -> str:
    return f"{item['metric_label']}（{item['indicator']}）" if item["indicator"] else item["metric_label"]


def rule_words(item: dict) -> str:
    """The item's rule as the table prints it (``compute.rule_text``, kept with the run)."""
    return item["rule_text"]


def _width(header: str, texts: list[str], *, most: int) -> int:
    """Excel width (a Chinese character counts two) for the longest of ``texts``, within ``most``."""
    longest = max((_chars(text) for text in [header, *texts]), default=0)
    return min(longest + 2, most)


def _chars(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text or "")


def veto_note(run: Run, score: Score) -> str:
    """What vetoed the subject: ``重大安全事故（1），总分计0分``; empty when nothing did."""
    if not score.vetoed:
        return ""
    found = []
    for item in run.items:
        if item["kind"] != VETO:
            continue
        value = _number(score.items.get(str(item["id"]), {}).get("value"), exact=True)
        if value:
            found.append(f"{item['name']}（{_figure(value)}{item['unit']}）")
    return f"{'、'.join(found) or '一票否决项'}，总分计0分"


# ---------------------------------------------------------------- one subject's 考核评分表 (.docx)


def score_sheet_docx(run: Run, score: Score) -> bytes:
    """One subject's 考核评分表: each item's rule, what it achieved and its points, the total, its
    place, a veto if any, and the line the evaluating office signs and stamps."""
    scheme, look = run.scheme, DOCUMENT
    # Two lines, broken where a reader would: the scheme, then the period (not 考核评 / 分表).
    document = _document(f"{scheme.name}\n{_period_label(run)}考核评分表", look)
    version = f"第{run.version}版（{run.get_status_display()}）"
    _body(document, f"考核对象：{score.subject_name}　　结果版本：{version}", look)
    rows, merges = [], []
    for group, items in grouped_items(run):
        merges.append((len(rows) + 1, len(items)))
        for item in items:
            rows.append(_sheet_row(group, item, score.items.get(str(item["id"]), {})))
    full = sum((_number(item["weight"]) for item in _scored_items(run) if item["kind"] != BONUS), Decimal(0))
    table = DocTable(
        "考核评分表",
        ["分组", "考核项目", "分值", "计分规则", "完成情况", "得分"],
        rows,
        total=["合计", "", _points_text(full), "", "", _points_text(score.total)],
    )
    _table(document, table, Captions({id(table): None}))
    grid = document.tables[-1]
    for first, count in merges:
        _merge_down(grid, column=0, first=first, count=count)
    _merge_across(grid.rows[len(rows) + 1], first=0, last=1)
    closing = len(document.paragraphs)
    _body(document, f"名次：第{score.rank}名（共{run.scores.count()}个）", look, indent=True)
    if score.vetoed:
        _body(document, f"一票否决：{veto_note(run, score)}。", look, indent=True)
    _signature(document, [f"考核单位（盖章）：{_office_name(scheme)}", _date_text(run.published_at)], look)
    _keep_with_table(grid, document.paragraphs[closing:])
    return _save(document)


def _keep_with_table(grid, closing) -> None:
    """The place, the seal and the date never start a page alone: they keep to the table's last rows."""
    for row in grid.rows[-2:]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    for paragraph in closing[:-1]:
        paragraph.paragraph_format.keep_with_next = True


def _sheet_row(group: str, item: dict, found: dict) -> list[str]:
    value = _number(found.get("value"), exact=True)
    done = NO_VALUE if value is None else f"{_figure(value)}{item['unit']}"
    if item["kind"] == VETO:
        return [group, f"{item['name']}（一票否决）", NO_VALUE, rule_words(item), done, "否决" if value else NO_VALUE]
    name = _item_header(item)
    return [group, name, _points_text(item["weight"]), item["rule_text"], done, _points_text(found.get("score"))]


# ---------------------------------------------------------------- the monthly 红黑榜 公示 (.docx)


def honor_notice_docx(honor_list: HonorList) -> bytes:
    """The month's 红黑榜 公示 as the office issues it: the opening paragraph, the red and the black
    list (entries taken off in review are left out), then the office and the date. A list not yet
    published prints as the draft for comment (征求意见稿)."""
    scheme, look = honor_list.scheme, DOCUMENT
    month = periods.parse(honor_list.period, Scheme.Period.MONTH).label
    rules = honor_list.get_rules_display()
    document = _document(f"关于{scheme.name}{month}{rules}的公示", look)
    if honor_list.status != HonorList.Status.PUBLISHED:
        _line(document, "（征求意见稿）", font=BODY_FONT, size=look.body, line=look.line, center=True)
    _line(document, "", font=BODY_FONT, size=look.body, line=look.line)
    entries = list(honor_list.entries.filter(removed=False).order_by("side", "subject_name", "pk"))
    red = [entry for entry in entries if entry.side == HonorEntry.Side.RED]
    black = [entry for entry in entries if entry.side == HonorEntry.Side.BLACK]
    office = _office_name(scheme)
    _body(
        document,
        f"根据《{scheme.name}》{rules}制度有关规定，经审核，现将{month}{rules}（红榜{len(red)}个、黑榜{len(black)}个）"
        f"予以公示。公示期为5个工作日，自公示之日起计算。公示期间如有异议，请向{office}反映。",
        look,
        indent=True,
    )
    for heading, side in (("一、红榜", red), ("二、黑榜", black)):
        _line(document, heading, font=HEADING_FONT, size=look.body, line=look.line, indent=True, outline=0)
        table = DocTable(
            heading,
            ["序号", "对象", "理由"],
            [[str(number), entry.subject_name, entry.reason] for number, entry in enumerate(side, start=1)],
            note="" if side else f"本月无上{heading[2:]}对象。",
        )
        _table(document, table, Captions({id(table): None}))
    when = honor_list.published_at if honor_list.status == HonorList.Status.PUBLISHED else None
    _signature(document, [office, _date_text(when)], look)
    return _save(document)


# ---------------------------------------------------------------- shared pieces


def _period_label(run: Run) -> str:
    return periods.parse(run.period, run.scheme.period).label


def _office_name(scheme: Scheme) -> str:
    """The office that keeps the scheme: the zone's 管委会, or the city's (province's) office."""
    from kaifaqu.zones.models import Unit

    if scheme.zone_id is not None:
        unit = Unit.objects.filter(kind=Unit.Kind.ZONE, zone_id=scheme.zone_id).first()
    else:
        unit = Unit.objects.filter(kind__in=(Unit.Kind.CITY, Unit.Kind.PROVINCE), region_id=scheme.region_id).first()
    return unit.name if unit is not None else scheme.scope_name


def _date_text(when) -> str:
    day = timezone.localtime(when).date() if when is not None else timezone.localdate()
    return f"{day.year}年{day.month}月{day.day}日"


def _number(text, *, exact: bool = False) -> Decimal | None:
    """A figure kept as text, as a number: points to the hundredth, a measured value as it is."""
    if text is None or text == "":
        return None
    value = Decimal(str(text))
    return value if exact else value.quantize(HUNDREDTH, ROUND_HALF_UP)


def _figure(value: Decimal) -> str:
    """A measured value as a sentence writes it: at most two decimals, no trailing zeros (``8.5``, ``3``)."""
    rounded = value.quantize(HUNDREDTH, ROUND_HALF_UP).normalize()
    return format(rounded + 0, "f")


def _points_text(value) -> str:
    number = _number(value)
    return NO_VALUE if number is None else format(number, "f")


def _document(title: str, look: Look):
    document = Document()
    _page_setup(document)
    _fallback_fonts(document)
    _title(document, title, size=look.title)
    return document


def _body(document, text: str, look: Look, *, indent: bool = False) -> None:
    _line(document, text, font=BODY_FONT, size=look.body, line=look.line, indent=indent)


def _signature(document, lines: list[str], look: Look) -> None:
    """The office and the date at the foot, right-aligned two characters in from the margin, after
    two blank lines left for the seal; kept together on one page."""
    for _ in range(2):
        _body(document, "", look)
    for number, text in enumerate(lines, start=1):
        _body(document, text, look)
        paragraph = document.paragraphs[-1]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(look.body * 2)
        paragraph.paragraph_format.keep_with_next = number < len(lines)


def _merge_down(grid, *, column: int, first: int, count: int) -> None:
    """One cell for a group over its items' rows (the text stays in the first; the others are emptied
    so the merge adds no blank lines)."""
    if count < 2:
        grid.cell(first, column).vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        return
    cells = [grid.cell(row, column) for row in range(first, first + count)]
    for cell in cells[1:]:
        _empty(cell)
    merged = cells[0].merge(cells[-1])
    merged.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


def _merge_across(row, *, first: int, last: int) -> None:
    cells = row.cells
    for cell in cells[first + 1 : last + 1]:
        _empty(cell)
    merged = cells[first].merge(cells[last])
    merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _empty(cell) -> None:
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run._r.getparent().remove(run._r)


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
