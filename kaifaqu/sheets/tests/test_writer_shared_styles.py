"""The xlsx writer shares one style per kind of data cell (for speed): every cell must still
look as it did when each was styled on its own."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from kaifaqu.sheets.writer import DATE, MONEY, TEXT, Marked, OutputColumn, Table, write_xlsx

COLUMNS = [OutputColumn("名称", TEXT), OutputColumn("总投资", MONEY, total=True), OutputColumn("开工日期", DATE)]


def written(table: Table):
    buffer = io.BytesIO()
    write_xlsx(buffer, [table])
    return load_workbook(io.BytesIO(buffer.getvalue())).active


def test_ledger_cells_keep_their_formats_borders_and_fills():
    rows = [
        ["=SUM(A1)", Decimal("12.5"), datetime.date(2025, 3, 1)],
        ["乙", Marked(None, "FFF2CC"), None],
    ]
    sheet = written(Table(name="台账", columns=COLUMNS, rows=rows, numbered=True, totals=True))
    formula, amount, day = sheet["B2"], sheet["C2"], sheet["D2"]
    assert (formula.value, formula.data_type) == ("=SUM(A1)", "s")
    assert formula.alignment.wrap_text and formula.border.left.style == "thin"
    assert amount.number_format == "#,##0.00" and amount.border.bottom.style == "thin"
    assert day.number_format == "yyyy-mm-dd" and day.value == datetime.datetime(2025, 3, 1)
    to_fill = sheet["C3"]
    assert to_fill.fill.fgColor.rgb.endswith("FFF2CC") and to_fill.number_format == "#,##0.00"
    assert sheet["D3"].number_format == "General" and not sheet["C2"].fill.fgColor.rgb.endswith("FFF2CC")
    assert sheet["A4"].value == "合计" and sheet["C4"].value == Decimal("12.5")


def test_a_plain_table_keeps_dates_readable():
    columns = [OutputColumn("日期", kind=None), OutputColumn("时间", kind=None), OutputColumn("数", kind=None)]
    rows = [[datetime.date(2025, 1, 2), datetime.datetime(2025, 1, 2, 3, 4), 5]]
    sheet = written(Table(name="表", columns=columns, rows=rows, styled=False))
    assert [cell.number_format for cell in sheet[2]] == ["yyyy-mm-dd", "yyyy-mm-dd h:mm:ss", "General"]
    assert sheet["A2"].border.left.style is None
