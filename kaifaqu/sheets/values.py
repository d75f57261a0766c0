"""Reading one cell of an office ledger: money, areas, dates, yes/no, text.

Every parser takes the raw cell (``str``, ``int``, ``float``, ``date``, ``datetime``,
``bool`` or ``None``, as the readers give it) and returns the value to store, or raises
``CellError`` with the reason in Chinese. Empty cells give ``None``.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from kaifaqu.core.money import amount_problem
from kaifaqu.core.text import to_half_width

CENT = Decimal("0.01")
WAN_PER_YI = Decimal(10000)
# Excel counts days from 1899-12-30 (with its 1900 leap-year bug folded in).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
SERIAL_RANGE = (20000, 80000)  # 1954 … 2119: a number outside this is not a date serial


class CellError(ValueError):
    """A cell that cannot be read; ``str(error)`` is the reason shown to the user."""


def normal_text(value) -> str:
    """A cell as text: half-width, trimmed, inner runs of spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(to_half_width(str(value)).split())


def compact(value) -> str:
    """Text with every space removed: for matching names and words written with stray spaces."""
    if value.__class__ is str:  # the common case, without normal_text's number handling
        return "".join(to_half_width(value).split())
    return "".join(normal_text(value).split())


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# What offices put in a cell that has no figure or date.
BLANK_MARKS = frozenset({"-", "--", "—", "——", "－", "/", "／", "无", "暂无", "空"})


_LONGEST_MARK = 8  # with the spaces people leave around and inside a mark


def is_blank_mark(value) -> bool:
    if value.__class__ is not str:
        return value is None
    text = value.strip()
    return not text or (len(text) <= _LONGEST_MARK and compact(text) in BLANK_MARKS)


def parse_text(value, *, max_length: int, single_line: bool = True) -> str:
    """Text as written (full-width brackets kept); a one-line field loses stray spaces and line breaks."""
    if not isinstance(value, str):
        text = normal_text(value)
    else:
        text = " ".join(value.split()) if single_line else value.strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # the quote an export puts before text that Excel would take for a formula
    if len(text) > max_length:
        raise CellError(f"不能超过{max_length}个字（现有{len(text)}个字），请删减后再导入")
    return text


# ------------------------------------------------------------------ money and areas

UNIT_FACTORS = (("亿元", WAN_PER_YI), ("亿", WAN_PER_YI), ("万元", Decimal(1)), ("万", Decimal(1)))
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_money(value, *, factor: Decimal = Decimal(1), max_digits: int = 14) -> Decimal | None:
    """An amount in 万元. ``factor`` converts the column's unit (10000 for 亿元); a unit
    written in the cell (``5.2亿元``, ``3000万``) wins over the column's."""
    if is_blank_mark(value):
        return None
    if isinstance(value, bool):
        raise CellError("不是金额")
    if isinstance(value, int | float):
        amount = _decimal_from_number(value)
    else:
        text = compact(value).replace(",", "")
        for suffix, unit_factor in UNIT_FACTORS:
            if text.endswith(suffix):
                text, factor = text[: -len(suffix)], unit_factor
                break
        else:
            if text.endswith("元"):
                raise CellError("金额请以万元或亿元填写")
        if not _NUMBER.match(text):
            raise CellError("不是金额（应为数字，可带“万元”“亿元”）")
        amount = Decimal(text)
    amount = _money(amount * factor, max_digits=max_digits)
    problem = amount_problem(amount)  # the same bound as pages and the API
    if problem:
        raise CellError(problem.rstrip("。"))
    return amount


def parse_area(value, *, max_digits: int = 12) -> Decimal | None:
    """Land in 亩 (``120``, ``120亩``, ``1,200.5``)."""
    if is_blank_mark(value):
        return None
    if isinstance(value, bool):
        raise CellError("不是面积")
    if isinstance(value, int | float):
        amount = _decimal_from_number(value)
    else:
        text = compact(value).replace(",", "").removesuffix("亩")
        if not _NUMBER.match(text):
            raise CellError("不是面积（应为亩数）")
        amount = Decimal(text)
    return _money(amount, max_digits=max_digits, what="面积")


def _decimal_from_number(value: int | float) -> Decimal:
    # repr() of a float is the shortest text that reads back the same: 1234.5 stays 1234.5.
    try:
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:
        raise CellError("不是有效的数字") from exc


def _money(amount: Decimal, *, max_digits: int, what: str = "金额") -> Decimal:
    if not amount.is_finite():
        raise CellError("不是有效的数字")
    if amount < 0:
        raise CellError(f"{what}不能为负数")
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if len(rounded.as_tuple().digits) > max_digits:
        raise CellError(f"{what}过大")
    return rounded


def parse_count(value) -> int | None:
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = compact(value).replace(",", "")
    if not text.isdigit():
        raise CellError("应为非负整数")
    return int(text)


def parse_year(value) -> int | None:
    if is_empty(value):
        return None
    if isinstance(value, datetime.date):
        return value.year
    text = compact(value).removesuffix("年度").removesuffix("年")
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise CellError("年度应为四位年份，如 2025")
    return int(text)


# ------------------------------------------------------------------ dates

_FULL_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_MONTH = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?(份)?(底|末|初|上旬|中旬|下旬)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_ONLY = re.compile(r"^(\d{4})年?(底|末|初)?$")
_SERIAL_TEXT = re.compile(r"\d+(\.0+)?")


def parse_date(value, *, month_end: bool = False) -> datetime.date | None:
    """A date as offices write it: ``2025-03-15``, ``2025/3/15``, ``2025年3月15日``,
    ``2025年3月``, ``2025.3``, an Excel date cell or a date serial number.

    A month without a day is the first of the month for a date something happened, and
    the last day when ``month_end`` (a planned date: the month is the deadline).
    """
    if is_blank_mark(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError("不是日期")
    if isinstance(value, int | float):
        return _date_from_number(value, month_end=month_end)
    return _date_from_text(compact(value).replace("－", "-"), month_end=month_end)


def _date_from_text(text: str, *, month_end: bool) -> datetime.date:
    match = _FULL_DATE.match(text) or _COMPACT_DATE.match(text)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]))
    match = _MONTH.match(text)
    if match:
        return _month_date(int(match[1]), int(match[2]), month_end=_wants_end(match[4], month_end))
    match = _YEAR_ONLY.match(text)
    if match:
        return _year_date(int(match[1]), match[2], month_end=month_end)
    if _SERIAL_TEXT.fullmatch(text):
        return _date_from_number(float(text), month_end=month_end)
    raise CellError("不是日期（可写作 2025-03-15、2025/3/15、2025年3月 或 2025.3）")


def _date_from_number(value: float, *, month_end: bool) -> datetime.date:
    whole = int(value)
    if 1900 <= whole <= 2100 and value != whole:
        # 2025.3 typed into a number cell: year and month. (2025.10 arrives as 2025.1.)
        return _month_date(whole, int(repr(float(value)).split(".")[1]), month_end=month_end)
    if value == whole and SERIAL_RANGE[0] <= whole <= SERIAL_RANGE[1]:
        return EXCEL_EPOCH + datetime.timedelta(days=whole)
    raise CellError("不是日期（数字既不是 Excel 日期序号，也不是“年.月”）")


def _make_date(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise CellError(f"日期 {year}年{month}月{day}日 不存在") from exc


def _month_date(year: int, month: int, *, month_end: bool) -> datetime.date:
    if not 1 <= month <= 12:
        raise CellError(f"月份 {month} 不存在")
    if not month_end:
        return datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _wants_end(part: str | None, default: bool) -> bool:
    if part in ("底", "末", "下旬"):
        return True
    if part in ("初", "上旬"):
        return False
    return default


def _year_date(year: int, part: str | None, *, month_end: bool) -> datetime.date:
    end = part in ("底", "末") or (part is None and month_end)
    return datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)


# ------------------------------------------------------------------ words

YES = frozenset({"是", "已", "有", "√", "✓", "✔", "Y", "YES", "TRUE", "1", "对", "已入统", "入统"})
NO = frozenset({"否", "无", "未", "×", "✗", "N", "NO", "FALSE", "0", "不是", "未入统", "-", "/"})


def parse_bool(value) -> bool | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    text = compact(value).upper()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError("应填写“是”或“否”")


def parse_choice(value, words: dict[str, str], *, what: str, shown: str = "") -> str | None:
    """Look a word up in ``words`` (written form → code); the message lists what is accepted."""
    if is_empty(value):
        return None
    text = compact(value)
    if text in words:
        return words[text]
    shown = shown or "、".join(dict.fromkeys(words))
    raise CellError(f"无法识别的{what}（可填写：{shown}）")


def parse_code(value, *, normalise, validate) -> str | None:
    """A code (项目代码, 统一社会信用代码): normalised, then checked by the model's own validator."""
    if is_empty(value):
        return None
    code = normalise(str(value))
    try:
        validate(code)
    except ValidationError as exc:
        raise CellError(exc.messages[0].rstrip("。")) from exc
    return code


def normal_name(value) -> str:
    """A name for matching records: half-width, no spaces, lower-case Latin letters."""
    return "".join(to_half_width(str(value or "")).split()).lower()
