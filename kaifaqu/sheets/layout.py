"""Finding the table inside an office sheet: title rows, the header (one or two rows,
merged cells), section rows that group what follows, 合计/小计 rows, blank rows.

``find_header`` looks at the first rows for the one whose cells name the most known
columns; ``classify`` then tells each later row apart: data, section, total or blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .columns import ColumnMatcher, MappedColumn, header_factor, normal_header
from .values import compact, is_empty

HEADER_SCAN_ROWS = 30

_TOTAL_WORDS = ("合计", "小计", "总计", "共计", "累计", "汇总")
_ENUMERATOR = re.compile(
    r"^(第[一二三四五六七八九十]+(部分|类|批)|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|[A-Z][、.．])"
)
# Notes under the table: 注：…, 填报人：…, 审核人：…, 说明：…
_FOOTER = re.compile(
    r"^(注\d*|备注|说明|填报人|审核人|填表人|制表人|填报单位|填报日期|制表日期|联系人|联系电话|单位负责人|负责人|审核|制表|数据来源)[:：]"
)
_SECTION_COUNT = re.compile(
    r"[(（]?\s*(?:共)?\s*(\d+)\s*个(?:项目)?(?:[,，、;；]\s*(?:计划)?总投资\s*([\d.]+)\s*(亿元|万元|亿|万))?\s*[)）]?$"
)


@dataclass
class Header:
    row: int  # 1-based row of the (first) header row
    rows: int  # 1 or 2
    columns: list[MappedColumn]
    title_lines: list[str] = field(default_factory=list)

    @property
    def first_data_row(self) -> int:
        return self.row + self.rows

    def index_of(self, key: str) -> int | None:
        for column in self.columns:
            if column.key == key:
                return column.index
        return None


@dataclass
class Section:
    row: int
    text: str  # without the enumerator and the count
    count: int | None  # "（36个）"
    investment_wan: Decimal | None  # "（36个，总投资193.56亿元）"


def find_header(rows: list[list], matcher: ColumnMatcher, *, merged=(), required: str = "name") -> Header | None:
    """The header among the first rows: the row naming the most columns, one of them ``required``."""
    best: tuple[int, int] | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = {matcher.match(cell) for cell in row if isinstance(cell, str)} - {None}
        if required in keys and len(keys) >= 2 and (best is None or len(keys) > best[1]):
            best = (index, len(keys))
    if best is None:
        return None
    top_index = best[0]
    top = _filled(rows[top_index], top_index, merged)
    below = rows[top_index + 1] if top_index + 1 < len(rows) else []
    name_at = next(i for i, cell in enumerate(top) if isinstance(cell, str) and matcher.match(cell) == required)
    two_rows = _is_sub_header(below, name_at, matcher)
    columns = _map_columns(top, _filled(below, top_index + 1, merged) if two_rows else [], matcher)
    titles = [text for row in rows[:top_index] for text in [" ".join(_texts(row))] if text]
    return Header(row=top_index + 1, rows=2 if two_rows else 1, columns=columns, title_lines=titles)


def _texts(row: list) -> list[str]:
    return [str(cell).strip() for cell in row if not is_empty(cell)]


def _filled(row: list, row_index: int, merged) -> list:
    """The row with each merged area's value copied into all its cells of this row."""
    cells = list(row)
    for (first_row, first_col), (last_row, last_col) in merged:
        if first_row <= row_index <= last_row and first_col != last_col:
            value = None
            if first_row == row_index and first_col < len(cells):
                value = cells[first_col]
            if value is None:
                continue
            while len(cells) <= last_col:
                cells.append(None)
            for col in range(first_col, last_col + 1):
                if cells[col] is None:
                    cells[col] = value
    return cells


def _is_sub_header(row: list, name_at: int, matcher: ColumnMatcher) -> bool:
    """A second header row: nothing under 项目名称 (merged down), and only words elsewhere."""
    if not row or (name_at < len(row) and not is_empty(row[name_at])):
        return False
    words = [cell for cell in row if not is_empty(cell)]
    if not words or any(not isinstance(cell, str) for cell in words):
        return False
    return any(matcher.match(cell) or header_factor(cell) for cell in words)


def _map_columns(top: list, below: list, matcher: ColumnMatcher) -> list[MappedColumn]:
    width = max(len(top), len(below))
    columns: list[MappedColumn] = []
    taken: set[str] = set()
    group = None  # a top cell spanning several sub-headers, when merge information is missing
    for index in range(width):
        upper = top[index] if index < len(top) else None
        lower = below[index] if index < len(below) else None
        if not is_empty(upper):
            group = upper
        elif not is_empty(lower) and group is not None:
            upper = group  # under a group label that Excel merged across
        texts = [str(text).strip() for text in (upper, lower) if not is_empty(text)]
        header = "/".join(dict.fromkeys(texts))
        key = _match_parts(upper, lower, matcher)
        if key in taken:
            key = None  # the first of two same-named columns feeds the field
        if key:
            taken.add(key)
        factor = header_factor(lower) or header_factor(upper) if header else None
        columns.append(MappedColumn(index=index, header=header, key=key, factor=factor))
    return columns


def _match_parts(upper, lower, matcher: ColumnMatcher) -> str | None:
    up = "" if is_empty(upper) else str(upper)
    low = "" if is_empty(lower) else str(lower)
    if not up and not low:
        return None
    candidates = [low, up + low, low + up, up] if low else [up]
    for text in candidates:
        if text and normal_header(text):
            key = matcher.match(text)
            if key:
                return key
    return None


# ------------------------------------------------------------------ rows below the header

BLANK, DATA, SECTION, TOTAL, FOOTER = "blank", "data", "section", "total", "footer"


def classify(row: list, header: Header, name_index: int) -> str:
    cells = [cell for cell in row if cell is not None and (cell.__class__ is not str or cell.strip())]
    if not cells:
        return BLANK
    first = cells[0]
    if first.__class__ is str:
        text = compact(first)
        if is_total_text(text):
            return TOTAL
        if _FOOTER.match(text):
            return FOOTER
    name = row[name_index] if name_index < len(row) else None
    if name.__class__ is str and is_total_text(compact(name)):
        return TOTAL
    if _is_section(row, cells, header):
        return SECTION
    return DATA


def is_total_text(text: str) -> bool:
    text = _ENUMERATOR.sub("", text)
    return text in _TOTAL_WORDS or any(text.startswith(word) or text.endswith(word) for word in _TOTAL_WORDS)


def _is_section(row: list, cells: list, header: Header) -> bool:
    if len(cells) > 3:
        return False  # a data row; a section row is one text, maybe repeated across merged cells
    texts = [compact(cell) for cell in cells]
    if len(set(texts)) != 1 or not isinstance(cells[0], str):
        return False  # a section row is one text (Excel merges it across the columns)
    text = texts[0]
    return bool(_ENUMERATOR.match(text) or _SECTION_COUNT.search(cells[0]) or text.endswith("项目"))


def parse_section(row_number: int, row: list) -> Section:
    raw = compact(next(str(cell) for cell in row if not is_empty(cell)))
    count_match = _SECTION_COUNT.search(raw)
    count = int(count_match.group(1)) if count_match else None
    investment = None
    if count_match and count_match.group(2):
        amount = Decimal(count_match.group(2))
        investment = amount * (Decimal(10000) if count_match.group(3).startswith("亿") else Decimal(1))
    text = compact(_SECTION_COUNT.sub("", raw))
    text = _ENUMERATOR.sub("", text)
    return Section(row=row_number, text=text, count=count, investment_wan=investment)


def section_word(text: str) -> str:
    """``尽快开工项目`` → ``尽快开工``; ``在建类项目`` → ``在建``."""
    for suffix in ("类项目", "项目", "类"):
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text
