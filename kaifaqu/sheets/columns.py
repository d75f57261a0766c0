"""Declaring a ledger's columns once, and matching the headers offices actually write.

A domain app declares its ``Column``s (key, the header it exports, the variants people
use); ``ColumnMatcher`` recognises a header however it is dressed: units in brackets
(``总投资（亿元）``), a year in front (``2025年计划投资``), a period (``1-10月完成投资``),
stray spaces and line breaks, full-width characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kaifaqu.core.text import to_half_width

WAN = Decimal(1)
YI = Decimal(10000)


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the header the export writes and messages use
    aliases: tuple[str, ...] = ()
    money: bool = False  # an amount: the unit comes from the header or the cell
    required: bool = False  # a new record needs it
    help: str = ""

    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass
class MappedColumn:
    """One column of the file as matched: where it is, what it says, what it feeds."""

    index: int
    header: str  # the header as written (two-row headers joined with "/")
    key: str | None  # None: ignored
    factor: Decimal | None = None  # unit of an amount column (None: 万元 unless the cell says)
    auto: bool = True  # matched by aliases rather than chosen by the user
    candidates: list[str] = field(default_factory=list)


_BRACKETS = re.compile(r"[(\[【](.*?)[)\]】]")
_UNIT_IN_TEXT = re.compile(r"(单位[:：]?)?(亿元|万元|亿|万|亩)$")
_PREFIXES = (
    re.compile(r"^(截至|截止)?\d{4}年度?(\d{1,2}月(底|末)?)?"),
    re.compile(r"^\d{1,2}[-—~至]\d{1,2}月(份)?"),
    re.compile(r"^(截至|截止)?\d{1,2}月(底|末)?"),
    re.compile(r"^(本年|今年|当年|年度)"),
)
_NOISE = re.compile(r"[\s*＊:：、,，.。]")


def normal_header(text) -> str:
    """The header without spaces, units, brackets or a leading year/period: what aliases are written as."""
    if text is None:
        return ""
    value = to_half_width(str(text))
    value = _BRACKETS.sub("", value)
    value = _NOISE.sub("", value)
    value = _UNIT_IN_TEXT.sub("", value)
    for pattern in _PREFIXES:
        stripped = pattern.sub("", value)
        if stripped:
            value = stripped
    return value


def header_factor(text) -> Decimal | None:
    """The unit an amount column is in, from its header: 亿元 → 10000, 万元 → 1, none said → None."""
    if text is None:
        return None
    value = "".join(to_half_width(str(text)).split())
    units = re.findall(r"亿元|万元|亿|万", value)
    if not units:
        return None
    return YI if units[-1].startswith("亿") else WAN


class ColumnMatcher:
    def __init__(self, columns: tuple[Column, ...]):
        self.columns = {column.key: column for column in columns}
        self.exact: dict[str, str] = {}
        for column in columns:
            for name in column.names():
                self.exact.setdefault(normal_header(name), column.key)
        # Longest first, so 计划开工时间 wins over 开工时间 when a header ends with both.
        self.by_length = sorted(self.exact.items(), key=lambda item: -len(item[0]))

    def match(self, text) -> str | None:
        key = normal_header(text)
        if not key:
            return None
        if key in self.exact:
            return self.exact[key]
        # "项目总投资", "建设单位名称": an alias at the end or start of a longer header.
        for alias, column_key in self.by_length:
            if len(alias) >= 3 and (key.endswith(alias) or key.startswith(alias)):
                return column_key
        return None

    def label(self, key: str | None) -> str:
        return self.columns[key].label if key in self.columns else "（不导入）"
