"""Opening a ledger file as rows of cells: .xlsx and .xls through calamine, .csv as text.

Rows keep the numbering people see in Excel (row 1 is the first row of the sheet), and
columns keep their letters, so an error can point at the cell to fix. Cells come as
``str``, ``float``, ``date``, ``datetime``, ``bool`` or ``None`` (empty).
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from .limits import LimitExceeded, Limits, check_file_size, check_xlsx

EXTENSIONS = ("xlsx", "xls", "csv")
# Enough of a CSV file to tell UTF-8 from GBK/GB18030 in practice.
SNIFF_BYTES = 256 * 1024


class ReadError(ValueError):
    """The file cannot be read as a ledger; the message says why, in Chinese."""


BROKEN_EXCEL = (
    "无法读取该 Excel 文件：文件可能已损坏、有密码保护，或并不是真正的 Excel 文件"
    "（例如从网页另存的 .xls）。请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。"
)


@dataclass
class Sheet:
    name: str
    sheet_names: list[str]
    rows: Iterator[list]  # each row a list of cells; row 1 first
    height: int | None = None  # rows in the sheet, when known (for progress)
    # Merged areas as ((first_row, first_col), (last_row, last_col)), 0-based.
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    encoding: str = ""
    head: list[list] = field(default_factory=list)  # the first rows, once the header is found


def open_sheet(path: str | Path, *, extension: str, sheet: str | None = None) -> Sheet:
    """The sheet named (or the first visible one), once the file is within the limits
    (``KAIFAQU_IMPORT_MAX_*``); a file beyond them is refused before it is read."""
    extension = extension.lower().lstrip(".")
    if Path(path).stat().st_size == 0:
        raise ReadError("文件是空的。")
    limits = Limits.from_settings()
    if extension == "csv":
        return _open_csv(Path(path), limits)
    if extension in ("xlsx", "xls"):
        check_limits(Path(path), extension=extension, limits=limits)
        return _open_workbook(Path(path), sheet, limits)
    raise ReadError(f"不支持的文件类型“.{extension}”，请使用 .xlsx、.xls 或 .csv 文件。")


def check_limits(path: str | Path, *, extension: str, limits: Limits | None = None) -> None:
    """Raise ``ReadError`` when a workbook is beyond the limits: call before anything else
    (calamine included) opens it. A CSV is checked as it is streamed instead."""
    limits = limits or Limits.from_settings()
    try:
        if extension.lower().lstrip(".") == "xlsx":
            check_xlsx(Path(path), limits)
        else:
            check_file_size(Path(path), limits)
    except LimitExceeded as exc:
        raise ReadError(str(exc)) from exc
    # BadZipFile also for a CRC error (a lying directory); the others: encrypted or unknown methods.
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        raise ReadError(BROKEN_EXCEL) from exc


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _open_workbook(path: Path, wanted: str | None, limits: Limits) -> Sheet:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every broken file
        raise ReadError(BROKEN_EXCEL) from exc
    visible = [meta.name for meta in workbook.sheets_metadata if str(meta.visible).endswith("Visible")]
    names = list(workbook.sheet_names)
    if wanted is not None:
        if wanted not in names:
            raise ReadError(f"文件中没有名为“{wanted}”的工作表（现有：{'、'.join(names)}）。")
        name = wanted
    else:
        name = (visible or names or [None])[0]
        if name is None:
            raise ReadError("该文件中没有工作表。")
    sheet = workbook.get_sheet_by_name(name)
    # An .xls is not checked cell by cell beforehand (its format caps it at 65,536 × 256);
    # refuse it here, before its rows become Python objects.
    if sheet.height > limits.rows or sheet.width > limits.columns:
        raise ReadError(
            f"工作表“{name}”有 {sheet.height:,} 行 × {sheet.width:,} 列，超过上限（{limits.range_text()}）。"
        )
    merged = list(getattr(sheet, "merged_cell_ranges", None) or [])
    return Sheet(
        name=name,
        sheet_names=names,
        rows=_calamine_rows(sheet, name, limits),
        height=sheet.height,
        merged=[(tuple(first), tuple(last)) for first, last in merged],
    )


def _calamine_rows(sheet, name: str, limits: Limits) -> Iterator[list]:
    # calamine starts each row at the sheet's first used column; put the columns back
    # where Excel shows them. Empty cells arrive as "".
    lead = [None] * sheet.start[1] if sheet.height else []
    longest = limits.cell_chars
    for number, row in enumerate(sheet.iter_rows(), start=1):  # calamine yields from row 1
        cells = lead + [None if cell == "" else cell for cell in row]
        if max(map(len, filter(str.__instancecheck__, cells)), default=0) > longest:  # C speed, no call per cell
            raise ReadError(_long_cell(name, number, cells, limits))
        yield cells


def _long_cell(name: str, number: int, cells: list, limits: Limits) -> str:
    index, cell = next((i, c) for i, c in enumerate(cells) if isinstance(c, str) and len(c) > limits.cell_chars)
    return (
        f"工作表“{name}”的单元格 {column_letter(index)}{number} 有 {len(cell):,} 个字符，"
        f"超过上限 {limits.cell_text()}。"
    )


def _open_csv(path: Path, limits: Limits) -> Sheet:
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    encoding = detect_encoding(head)
    sample = head.decode(encoding, errors="ignore")
    try:
        dialect = csv.Sniffer().sniff(sample[:20000], delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    return Sheet(
        name=path.stem,
        sheet_names=[path.stem],
        rows=_csv_rows(path, encoding, delimiter, limits),
        height=None,
        encoding=encoding,
    )


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GB18030 (a superset of GBK)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A sample cut in the middle of a character is still UTF-8.
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    try:
        text = head.decode("gb18030")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            raise ReadError("CSV 文件" + NOT_CHINESE_TEXT) from exc
        text = head[: exc.start].decode("gb18030")
    if misread_as_gbk(text):
        raise ReadError("CSV 文件" + NOT_CHINESE_TEXT)
    return "gb18030"


NOT_CHINESE_TEXT = (
    "不是 UTF-8、GBK 或 GB18030 编码（可能是繁体 Big5 或日文 Shift-JIS 编码）：请用 Excel 或 WPS 打开，"
    "“另存为”选择“CSV UTF-8（逗号分隔）”后重新上传。"
)


def misread_as_gbk(text: str) -> bool:
    """True when text decoded as GBK/GB18030 is another encoding read wrongly. Nearly any bytes
    decode as GB18030, so decoding proves nothing: Big5 read so mixes in kana, box drawing and
    Greek or Cyrillic letters, Shift-JIS gives rare characters only, while a real ledger is
    mostly common (GB2312) characters, traditional ones included for half of them at worst."""
    wide = [char for char in text[:20000] if ord(char) > 0x7F]
    if len(wide) < 8:
        return False
    foreign = sum(map(_foreign_letter, wide)) / len(wide)
    common = sum(1 for char in wide if _common_chinese(char)) / len(wide)
    return foreign > 0.2 or common < 0.3


def _foreign_letter(char: str) -> bool:
    return "\u0370" <= char <= "\u04ff" or "\u2500" <= char <= "\u257f" or "\u3040" <= char <= "\u30ff"


def _common_chinese(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return not _foreign_letter(char)


def _csv_rows(path: Path, encoding: str, delimiter: str, limits: Limits) -> Iterator[list]:
    with path.open("r", encoding=encoding, newline="") as text:
        reader = csv.reader(_bounded_lines(text, limits), delimiter=delimiter)
        try:
            for number, row in enumerate(reader, start=1):
                _check_csv_row(number, row, limits)
                yield [cell if cell.strip() else None for cell in row]
        except UnicodeDecodeError as exc:
            raise ReadError(f"CSV 文件第 {reader.line_num + 1} 行附近的字符不是 {encoding} 编码。") from exc
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):  # the csv module's own bound (131,072)
                raise ReadError(f"CSV 文件第 {reader.line_num} 行有一个单元格超过上限 {limits.cell_text()}。") from exc
            raise ReadError(f"CSV 文件第 {reader.line_num} 行格式有误：{exc}") from exc


def _bounded_lines(text, limits: Limits) -> Iterator[str]:
    """Lines no longer than a full row may be: a file with no line breaks is not read whole."""
    longest = limits.cell_chars * limits.columns + limits.columns
    number = 0
    while line := text.readline(longest + 1):
        number += 1
        if len(line) > longest:
            raise ReadError(f"CSV 文件第 {number} 行超过 {longest:,} 个字符，超过上限（每格 {limits.cell_text()}）。")
        yield line


def _check_csv_row(number: int, row: list[str], limits: Limits) -> None:
    if number > limits.rows:
        raise ReadError(f"CSV 文件超过 {limits.rows:,} 行，超过上限（{limits.range_text()}）。")
    if len(row) > limits.columns:
        raise ReadError(f"CSV 文件第 {number} 行有 {len(row):,} 列，超过上限（{limits.range_text()}）。")
    for index, cell in enumerate(row):
        if len(cell) > limits.cell_chars:
            raise ReadError(
                f"CSV 文件第 {number} 行第 {index + 1} 列有 {len(cell):,} 个字符，超过上限 {limits.cell_text()}。"
            )


def read_all(path: str | Path, *, extension: str, sheet: str | None = None) -> list[list]:
    """Every row of the sheet: for tests and small files."""
    return list(open_sheet(path, extension=extension, sheet=sheet).rows)
