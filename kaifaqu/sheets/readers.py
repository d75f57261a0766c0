"""Opening a ledger file as rows of cells: .xlsx and .xls through calamine, .csv as text.

Rows keep the numbering people see in Excel (row 1 is the first row of the sheet), and
columns keep their letters, so an error can point at the cell to fix. Cells come as
``str``, ``float``, ``date``, ``datetime``, ``bool`` or ``None`` (empty).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

EXTENSIONS = ("xlsx", "xls", "csv")
# Enough of a CSV file to tell UTF-8 from GBK/GB18030 in practice.
SNIFF_BYTES = 256 * 1024


class ReadError(ValueError):
    """The file cannot be read as a ledger; the message says why, in Chinese."""


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
    extension = extension.lower().lstrip(".")
    if Path(path).stat().st_size == 0:
        raise ReadError("文件是空的。")
    if extension == "csv":
        return _open_csv(Path(path))
    if extension in ("xlsx", "xls"):
        return _open_workbook(Path(path), sheet)
    raise ReadError(f"不支持的文件类型“.{extension}”，请使用 .xlsx、.xls 或 .csv 文件。")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _open_workbook(path: Path, wanted: str | None) -> Sheet:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every broken file
        raise ReadError(
            "无法读取该 Excel 文件：文件可能已损坏、有密码保护，或并不是真正的 Excel 文件"
            "（例如从网页另存的 .xls）。请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。"
        ) from exc
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
    merged = list(getattr(sheet, "merged_cell_ranges", None) or [])
    return Sheet(
        name=name,
        sheet_names=names,
        rows=_calamine_rows(sheet),
        height=sheet.height,
        merged=[(tuple(first), tuple(last)) for first, last in merged],
    )


def _calamine_rows(sheet) -> Iterator[list]:
    # calamine starts each row at the sheet's first used column; put the columns back
    # where Excel shows them. Empty cells arrive as "".
    lead = [None] * sheet.start[1] if sheet.height else []
    for row in sheet.iter_rows():
        yield lead + [None if cell == "" else cell for cell in row]


def _open_csv(path: Path) -> Sheet:
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
        rows=_csv_rows(path, encoding, delimiter),
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
        head.decode("gb18030")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            raise ReadError("CSV 文件的编码无法识别：请另存为 UTF-8 或 GBK 编码。") from exc
    return "gb18030"


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[list]:
    with path.open("r", encoding=encoding, newline="") as text:
        reader = csv.reader(text, delimiter=delimiter)
        try:
            for row in reader:
                yield [cell if cell.strip() else None for cell in row]
        except UnicodeDecodeError as exc:
            raise ReadError(f"CSV 文件第 {reader.line_num + 1} 行附近的字符不是 {encoding} 编码。") from exc
        except csv.Error as exc:
            raise ReadError(f"CSV 文件第 {reader.line_num} 行格式有误：{exc}") from exc


def read_all(path: str | Path, *, extension: str, sheet: str | None = None) -> list[list]:
    """Every row of the sheet: for tests and small files."""
    return list(open_sheet(path, extension=extension, sheet=sheet).rows)
