"""Limits checked before a spreadsheet is read: a hostile file is refused, never read.

A 1.7 KB .xlsx that puts one cell at XFD1048576 makes calamine allocate the whole dense
range (512 GB) and abort the process; a zip bomb or a 400 MB cell exhausts memory more
slowly. So, before calamine sees an .xlsx, we look at the archive's directory (sizes,
compression ratio) and stream every worksheet's XML through ``zipfile`` (which stops at the
declared size and checks the CRC, so a lying directory fails too), counting rows, columns
and the length of every text — in memory bounded by the limits, not by the file.
"""

from __future__ import annotations

import functools
import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

CHUNK = 1024 * 1024
# Deflate cannot do better than ~1030:1; real sheets, even of one value repeated, stay
# under a few hundred to one.
MAX_RATIO = 500
RATIO_FROM_BYTES = 10 * 1024 * 1024  # small members may compress absurdly well; only big ones matter
UTF8_CONTINUATION = bytes(range(0x80, 0xC0))

# Tags may carry a namespace prefix (``<x:row>``, written by the .NET SDK).
ROW_SPLIT = re.compile(rb"<(?:\w+:)?row(?=[\s/>])")
CELL_R = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})(\d+)"')  # Excel, WPS and openpyxl put r first
ROW_R = re.compile(rb'<row r="(\d+)"')
ODD_CELL = re.compile(rb'<c(?:[\t\n\r/>]| (?!r="))')  # a cell not written as <c r="…
PREFIXED_CELL = re.compile(rb":c[\s/>]")
CELL_ANY = re.compile(rb"<(?:\w+:)?c[\s/>]")
CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]([^>]*)")
R_ATTR = re.compile(rb'\br="([A-Z]*)(\d*)"')
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


class LimitExceeded(ValueError):
    """The file is beyond a limit; the message names the limit and the value, in Chinese."""


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    cell_chars: int
    uncompressed_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            rows=settings.KAIFAQU_IMPORT_MAX_ROWS,
            columns=settings.KAIFAQU_IMPORT_MAX_COLUMNS,
            cell_chars=settings.KAIFAQU_IMPORT_MAX_CELL_CHARS,
            uncompressed_bytes=settings.KAIFAQU_IMPORT_MAX_UNCOMPRESSED_MB * 1024 * 1024,
        )

    def size_text(self) -> str:
        return f"{self.uncompressed_bytes // (1024 * 1024)} MB"

    def range_text(self) -> str:
        return f"{self.rows:,} 行、{self.columns:,} 列"

    def cell_text(self) -> str:
        return f"{self.cell_chars:,} 个字符（Excel 单元格的上限）"


def human_size(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    return f"{size / 1024**2:.1f} MB"


def column_index(letters: bytes | str) -> int:
    """A → 1, Z → 26, AA → 27 (1-based, as Excel counts)."""
    index = 0
    for letter in letters.decode() if isinstance(letters, bytes) else letters:
        index = index * 26 + ord(letter) - 64
    return index


def check_file_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.uncompressed_bytes:
        raise LimitExceeded(f"文件有 {human_size(size)}，超过上限 {limits.size_text()}。")


def check_xlsx(path: Path, limits: Limits) -> None:
    """Raise ``LimitExceeded`` when the workbook is beyond a limit, before anything reads it."""
    stat = path.stat()
    _check_xlsx_cached(str(path), stat.st_mtime_ns, stat.st_size, limits)


@functools.lru_cache(maxsize=32)
def _check_xlsx_cached(path: str, mtime_ns: int, size: int, limits: Limits) -> None:
    # Importers open the same file several times (one sheet after another): scan it once.
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        _check_directory(members, limits)
        names = _sheet_names(archive)
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                label = names.get(member.filename) or member.filename
                with archive.open(member) as stream:
                    _SheetScan(limits, label).run(stream)
            elif member.filename == "xl/sharedStrings.xml":
                with archive.open(member) as stream:
                    _SheetScan(limits, None).run(stream)


def _check_directory(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    total = sum(member.file_size for member in members)
    if total > limits.uncompressed_bytes:
        raise LimitExceeded(f"文件解压后有 {human_size(total)}，超过上限 {limits.size_text()}。")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise LimitExceeded(
                f"文件中的“{member.filename}”压缩比为 {ratio:,.0f}:1（解压后 {human_size(member.file_size)}），"
                f"超过上限 {MAX_RATIO}:1，疑似压缩炸弹。"
            )


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → the sheet's name, so a refusal names the sheet people see."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\s[^>]*>", rels):
        rel_id, target = _attr(tag, b"Id"), _attr(tag, b"Target")
        if rel_id and target:
            targets[rel_id] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    names = {}
    for tag in re.findall(rb"<(?:\w+:)?sheet\s[^>]*>", book):
        name, rel_id = _attr(tag, b"name"), _attr(tag, b"r:id")
        if name and rel_id in targets:
            names[targets[rel_id]] = html.unescape(name)
    return names


def _attr(tag: bytes, name: bytes) -> str:
    found = re.search(rb"\s" + re.escape(name) + rb'="([^"]*)"', tag)
    return found.group(1).decode("utf-8", errors="replace") if found else ""


class _SheetScan:
    """One pass over a worksheet's (or the shared strings') XML, chunk by chunk."""

    def __init__(self, limits: Limits, label: str | None):
        self.limits = limits
        self.label = label  # None for the shared strings
        self.row = 0  # current row number (1-based), for cells without ``r``
        self.col = 0  # current column number (1-based)
        self.cell = ""  # the last cell reference seen, for messages
        self.in_data = False  # past the start of <sheetData>
        self.long_run = re.compile(rb">([^<]{%d,})" % (limits.cell_chars + 1))

    def run(self, stream) -> None:
        carry = b""
        while chunk := stream.read(CHUNK):
            data = carry + chunk
            cut = data.rfind(b"<")
            if cut <= 0:  # one unfinished tag or text, growing
                if len(data) > self.limits.cell_chars * 10 + CHUNK:
                    self._refuse_long(stream, data)
                carry = data
                continue
            self._scan(data[:cut])
            carry = data[cut:]
        self._scan(carry)

    def _scan(self, part: bytes) -> None:
        if self.label is not None:
            if not self.in_data:  # the dimension comes before the cells
                dimension = DIMENSION.search(part)
                if dimension:
                    self._check_dimension(dimension)
                self.in_data = b"<sheetData" in part
            if not self._scan_fast(part):
                segments = ROW_SPLIT.split(part)
                self._scan_cells(segments[0])  # the end of a row begun in the previous chunk
                for segment in segments[1:]:
                    self._scan_row(segment)
        if self.label is None:
            # A sheet's own (inline) texts are measured once calamine has read them: scanning the
            # whole sheet for them would double the cost of reading, and the archive's size bounds them.
            for match in self.long_run.finditer(part):
                self._check_text(part, match)

    def _scan_fast(self, part: bytes) -> bool:
        """Every cell carrying ``r`` first (as Excel, WPS and openpyxl write them): calamine
        places each by it, so only the cells far right or far down matter, found by a C-speed
        search; no Python work per cell (an ordinary ledger has none of them)."""
        if ODD_CELL.search(part) or PREFIXED_CELL.search(part):
            return False  # cells without ``r`` first (placed by position) or with a namespace prefix
        wide, deep = _far_cells(self.limits)
        widest = max((column_index(each) for each in set(wide.findall(part))), default=0)
        lowest = max((int(each) for each in set(deep.findall(part))), default=0)
        self._check_extent(lowest, widest)
        last_row = ROW_R.match(part, part.rfind(b'<row r="'))  # positions for the chunks that follow
        self.row = int(last_row.group(1)) if last_row else self.row
        last_cell = CELL_R.match(part, part.rfind(b'<c r="'))
        if last_cell:
            self.col, self.cell = column_index(last_cell.group(1)), (last_cell.group(1) + last_cell.group(2)).decode()
        return True

    def _scan_row(self, segment: bytes) -> None:
        ref = R_ATTR.search(segment, 0, max(segment.find(b">"), 0))
        self.row = int(ref.group(2)) if ref and ref.group(2) else self.row + 1
        self.col = 0
        self._check_extent(self.row, 0)
        self._scan_cells(segment)

    def _scan_cells(self, segment: bytes) -> None:
        """Rows are counted one by one (bounded by the row limit); cells at C speed when
        they all carry ``r``, else by position, as calamine places them."""
        refs = CELL_R.findall(segment)
        count = len(CELL_ANY.findall(segment))
        if not count:
            return
        lowest = self.row  # calamine places a cell by its own reference, whatever its row says
        if len(refs) == count:
            widest = max(column_index(letters) for letters in {letters for letters, _ in refs})
            lowest = max(self.row, *(int(digits) for digits in {digits for _, digits in refs}))
            self.col = column_index(refs[-1][0])
        elif not refs:
            widest = self.col = self.col + count
        else:
            widest = 0
            for attrs in CELL_TAG.findall(segment):
                ref = R_ATTR.search(attrs)
                if ref and ref.group(1):
                    self.col = column_index(ref.group(1))
                    lowest = max(lowest, int(ref.group(2) or 0))
                else:
                    self.col += 1
                widest = max(widest, self.col)
        self.cell = f"{_letters(self.col)}{self.row}"
        self._check_extent(lowest, widest)

    def _check_extent(self, row: int, col: int) -> None:
        if row > self.limits.rows or col > self.limits.columns:
            size = f"至少 {row:,} 行" if row > self.limits.rows else f"至少 {col:,} 列"
            raise LimitExceeded(f"{self._where()}有{size}，超过上限（{self.limits.range_text()}）。")

    def _check_dimension(self, ref: re.Match) -> None:
        rows = int(ref.group(4) or ref.group(2))
        cols = column_index(ref.group(3) or ref.group(1))
        if rows > self.limits.rows or cols > self.limits.columns:
            raise LimitExceeded(
                f"{self._where()}声明的范围为 {rows:,} 行 × {cols:,} 列，超过上限（{self.limits.range_text()}）。"
            )

    def _check_text(self, part: bytes, match: re.Match) -> None:
        raw = match.group(1)
        chars = len(html.unescape(raw.decode("utf-8", errors="replace")))
        if chars > self.limits.cell_chars:
            self._update_cell(part[: match.start()])
            raise LimitExceeded(f"{self._cell_where()}有 {chars:,} 个字符，超过上限 {self.limits.cell_text()}。")

    def _refuse_long(self, stream, data: bytes) -> None:
        """A text with no end in sight: count its characters without keeping them, then refuse."""
        self._update_cell(data)
        text = data[data.find(b">") + 1 :]
        chars = len(text.translate(None, UTF8_CONTINUATION))
        while chunk := stream.read(CHUNK):
            end = chunk.find(b"<")
            chars += len(chunk[: end if end >= 0 else None].translate(None, UTF8_CONTINUATION))
            if end >= 0:
                break
        raise LimitExceeded(f"{self._cell_where()}有 {chars:,} 个字符，超过上限 {self.limits.cell_text()}。")

    def _update_cell(self, before: bytes) -> None:
        if self.label is None:
            return
        at = before.rfind(b"<c ")
        ref = R_ATTR.search(before[at : before.find(b">", at)]) if at >= 0 else None
        if ref and ref.group(1) and ref.group(2):
            self.cell = (ref.group(1) + ref.group(2)).decode()

    def _where(self) -> str:
        return f"工作表“{self.label}”"

    def _cell_where(self) -> str:
        if self.label is None:
            return "文件中有一个文本单元格"
        return f"{self._where()}的单元格 {self.cell or '（位置不明）'} "


@functools.lru_cache(maxsize=8)
def _far_cells(limits: Limits) -> tuple[re.Pattern, re.Pattern]:
    """Searches for the cells whose column letters or row digits are long enough to pass the
    limits (AA and beyond when 26 ≤ the column limit; six digits when the row limit < 1,000,000)."""
    letters = len(_letters(limits.columns))
    digits = len(str(limits.rows))
    wide = re.compile(rb'<c r="([A-Z]{%d,3})\d' % letters)
    deep = re.compile(rb'<c r="[A-Z]{1,3}(\d{%d,})"' % digits)
    return wide, deep


def _letters(col: int) -> str:
    letters = ""
    while col:
        col, remainder = divmod(col - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
