"""Loading monthly figures from the city's table or the product's template.

The usual layout: a title that may carry the period (``吕梁市开发区2024年1-3月主要经济指标完成情况
表``), then two header rows where each indicator's name with its unit (``规上工业增加值（亿元）``)
is merged over ``本年累计`` and ``上年同期`` or ``同比增长（%）``; one row per zone by full or
short name, and a ``全市`` row for the city's own figure. A ``月份`` column lets one sheet hold
several months; each sheet of a workbook is read. Nothing is written when any cell is wrong.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from python_calamine import CalamineWorkbook

from kaifaqu.regions.models import Region
from kaifaqu.sheets.readers import ReadError, check_limits, column_letter, open_sheet
from kaifaqu.sheets.values import compact, is_blank_mark, normal_text
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name

from .models import Indicator

SUB_HEADERS = {
    "value": ("本年累计", "本月累计", "累计完成", "累计", "完成", "本年", "数值"),
    "last_year": ("上年同期", "去年同期", "同期"),
    "growth_pct": ("同比增长", "同比增速", "增速", "同比", "增长"),
}
UNIT_FACTORS = {
    ("亿元", "万元"): Decimal("0.0001"),
    ("万元", "亿元"): Decimal(10000),
    ("亿美元", "万美元"): Decimal(10000),
}
PERIOD_WORDS = {"一季度": 3, "第一季度": 3, "上半年": 6, "前三季度": 9, "全年": 12}
TITLE_PERIOD = re.compile(r"(20\d\d)\s*年\s*(?:1\s*[-—–~～至到]\s*)?(\d{1,2})\s*月")
TITLE_YEAR_WORD = re.compile(r"(20\d\d)\s*年\s*(第一季度|一季度|上半年|前三季度|全年)")
UNIT_IN_HEADER = re.compile(r"[（(]\s*([^()（）]+?)\s*[)）]\s*$")
NAME_HEADERS = ("开发区名称", "开发区", "单位名称", "单位", "名称", "地区")
PERIOD_HEADERS = ("月份", "期间", "时期", "统计期")
REGION_WORDS = ("全市", "全省", "市本级合计")
SKIP_WORDS = ("合计", "小计", "总计", "开发区合计")


@dataclass
class Cell:
    indicator: Indicator
    field: str  # value, last_year, growth_pct
    factor: Decimal  # from the header's unit to the indicator's
    header: str


@dataclass
class Row:
    sheet: str
    number: int
    owner: Zone | Region
    year: int
    month: int
    figures: dict[int, dict[str, Decimal | None]]  # indicator id → field → value


@dataclass
class ParsedTable:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0


def parse_table(
    path: str | Path, *, extension: str, city: Region | None, period: tuple[int, int] | None, zones
) -> ParsedTable:
    """Every sheet of the file read into rows of figures; the errors as ``第N行 列名: 原因``."""
    result = ParsedTable()
    indicators = list(Indicator.objects.filter(active=True))
    for sheet_name, rows in _sheets(Path(path), extension):
        _parse_sheet(sheet_name, rows, indicators, city=city, period=period, zones=zones, result=result)
    if not result.rows and not result.errors:
        result.errors.append(
            "文件中没有找到指标表：需要一行写有指标名称（如“规上工业增加值（亿元）”），下一行写“本年累计”等。"
        )
    return result


def _sheets(path: Path, extension: str):
    extension = extension.lower().lstrip(".")
    if extension == "csv":
        yield path.stem, list(open_sheet(path, extension="csv").rows)
        return
    check_limits(path, extension=extension)  # calamine reads the shared strings on opening
    try:
        names = list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as exc:
        raise ReadError("无法读取该 Excel 文件：文件可能已损坏或有密码保护。") from exc
    for name in names:
        yield name, list(open_sheet(path, extension=extension, sheet=name).rows)


def _parse_sheet(name, rows, indicators, *, city, period, zones, result: ParsedTable) -> None:
    header_at = next((i for i, row in enumerate(rows[:15]) if _indicator_columns(row, indicators)), None)
    if header_at is None or header_at + 1 >= len(rows):
        return  # a sheet of notes, or empty
    titles = [normal_text(cell) for row in rows[:header_at] for cell in row if cell is not None]
    titled = _period_in(titles)
    if period and titled and period != titled:
        # A table of 1-10月 loaded as November would store October's figures under the wrong month.
        result.errors.append(
            f"工作表“{name}”标题: 标题注明的是{titled[0]}年1-{titled[1]}月，"
            f"与指定的月份{period[0]}年{period[1]}月不一致"
        )
        return
    sheet_period = period or titled
    top, sub = rows[header_at], rows[header_at + 1]
    columns, problems = _columns(top, sub, indicators)
    for problem in problems:
        result.errors.append(f"工作表“{name}”第{header_at + 1}行 {problem}")
    name_col = _find_column(top, NAME_HEADERS)
    if name_col is None:
        name_col = next((i for i, cell in enumerate(top) if cell is not None and "序号" not in normal_text(cell)), 0)
    period_col = _find_column(top, PERIOD_HEADERS)
    for index, row in enumerate(rows[header_at + 2 :], start=header_at + 3):
        written = compact(row[name_col]) if name_col < len(row) and row[name_col] is not None else ""
        if not written or all(is_blank_mark(cell) for cell in row):
            continue
        if written.startswith(("注", "说明", "填报", "备注")):
            break
        if any(written.endswith(word) or written == word for word in SKIP_WORDS):
            result.skipped += 1
            continue
        row_period = _row_period(row, period_col, sheet_period, index, result)
        if row_period is None:
            continue
        figures: dict[int, dict[str, Decimal | None]] = {}
        for col, cell in columns.items():
            raw = row[col] if col < len(row) else None
            value = _figure(raw, cell, index, result)
            if value is not _BAD:
                figures.setdefault(cell.indicator.pk, {})[cell.field] = value
        if not any(value is not None for given in figures.values() for value in given.values()):
            continue  # a zone (or 全市) left blank in the template: nothing reported
        owner = _owner(written, city, zones, index, result)
        if owner is None:
            continue
        result.rows.append(Row(name, index, owner, row_period[0], row_period[1], figures))


_BAD = object()


def _indicator_columns(row: list, indicators: list[Indicator]) -> bool:
    return any(_match_indicator(cell, indicators) for cell in row if isinstance(cell, str))


def _match_indicator(text, indicators: list[Indicator]) -> Indicator | None:
    bare = compact(UNIT_IN_HEADER.sub("", normal_text(text)))
    for indicator in indicators:
        if bare in {compact(name) for name in indicator.names}:
            return indicator
    return None


def _columns(top: list, sub: list, indicators: list[Indicator]) -> tuple[dict[int, Cell], list[str]]:
    columns: dict[int, Cell] = {}
    problems: list[str] = []
    current: Indicator | None = None
    factor = Decimal(1)
    for col in range(max(len(top), len(sub))):
        head = top[col] if col < len(top) else None
        if head is not None:
            current = _match_indicator(head, indicators)
            if current is None:
                continue
            factor, problem = _unit_factor(normal_text(head), current)
            if problem:
                problems.append(f"{column_letter(col)}列 {normal_text(head)}: {problem}")
        if current is None:
            continue
        kind = _sub_kind(sub[col] if col < len(sub) else None)
        if kind is None:
            continue
        header = f"{current.name}·{normal_text(sub[col])}"
        columns[col] = Cell(current, kind, Decimal(1) if kind == "growth_pct" else factor, header)
    return columns, problems


def _sub_kind(cell) -> str | None:
    if cell is None:
        return None
    text = compact(cell)
    for kind in ("last_year", "growth_pct", "value"):  # 上年同期 before 本年, 同比增长 before 增长
        if any(word in text for word in SUB_HEADERS[kind]):
            return kind
    return None


def _unit_factor(header: str, indicator: Indicator) -> tuple[Decimal, str]:
    match = UNIT_IN_HEADER.search(header)
    unit = match.group(1) if match else ""
    if not unit or unit == indicator.unit:
        return Decimal(1), ""
    factor = UNIT_FACTORS.get((unit, indicator.unit))
    if factor is None:
        return Decimal(1), f"单位“{unit}”与指标单位“{indicator.unit}”不一致，无法换算"
    return factor, ""


def _find_column(row: list, words: tuple[str, ...]) -> int | None:
    for col, cell in enumerate(row):
        if isinstance(cell, str) and compact(cell) in words:
            return col
    return None


def _period_in(lines: list[str]) -> tuple[int, int] | None:
    for line in lines:
        text = "".join(line.split())
        match = TITLE_PERIOD.search(text)
        if match and 1 <= int(match.group(2)) <= 12:
            return int(match.group(1)), int(match.group(2))
        match = TITLE_YEAR_WORD.search(text)
        if match:
            return int(match.group(1)), PERIOD_WORDS[match.group(2)]
    return None


def _row_period(row, period_col, sheet_period, number, result) -> tuple[int, int] | None:
    if period_col is not None and period_col < len(row) and row[period_col] is not None:
        raw = row[period_col]
        found = _period_of_cell(raw)
        if found is None:
            result.errors.append(
                f"第{number}行 月份: “{normal_text(raw)}”不是月份（应写作 2024-03、2024年3月 或 2024年1-3月）"
            )
        return found
    if sheet_period is None:
        result.errors.append(
            f"第{number}行 月份: 表中没有注明月份，请在标题中写明（如 2024年1-3月），或用 --period 指定"
        )
        return None
    return sheet_period


def _period_of_cell(raw) -> tuple[int, int] | None:
    if isinstance(raw, datetime.date):
        return raw.year, raw.month
    text = compact(raw)
    match = re.fullmatch(r"(20\d\d)[-./](\d{1,2})", text)
    if match and 1 <= int(match.group(2)) <= 12:
        return int(match.group(1)), int(match.group(2))
    return _period_in([text])


def _owner(written: str, city: Region | None, zones, number: int, result: ParsedTable):
    if written in REGION_WORDS or (city is not None and written in (city.name, city.name.removesuffix("市"))):
        if city is None:
            result.errors.append(f"第{number}行 开发区: “{written}”是全市数据，请用 --city 指定是哪个市")
            return None
        return city
    try:
        return zone_by_name(written, zones)
    except ZoneNotFound as exc:
        where = f"{city.name}的" if city is not None else ""
        result.errors.append(f"第{number}行 开发区: {str(exc).rstrip('。')}（或不是{where}开发区）")
        return None


def _figure(raw, cell: Cell, number: int, result: ParsedTable):
    if is_blank_mark(raw):
        return None
    text = compact(raw).replace(",", "").removesuffix("%") if isinstance(raw, str) else raw
    try:
        value = Decimal(repr(text)) if isinstance(text, float) else Decimal(text)
    except (InvalidOperation, ValueError, TypeError):
        result.errors.append(f"第{number}行 {cell.header}: “{normal_text(raw)}”不是数字")
        return _BAD
    if not value.is_finite():
        result.errors.append(f"第{number}行 {cell.header}: “{normal_text(raw)}”不是数字")
        return _BAD
    if cell.field != "growth_pct" and value < 0:
        result.errors.append(f"第{number}行 {cell.header}: “{normal_text(raw)}”不能为负数")
        return _BAD
    return value * cell.factor
