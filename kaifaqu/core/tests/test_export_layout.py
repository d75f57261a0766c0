"""A generic export opens in Excel with readable columns and the header row kept in view."""

import datetime
import io

from openpyxl import load_workbook

from kaifaqu.core.export import plain_table
from kaifaqu.sheets.writer import write_xlsx


def test_columns_are_sized_to_their_text_and_the_header_stays():
    handle = io.BytesIO()
    rows = [[1, datetime.date(2026, 11, 3), "关于协调解决园区道路与供水管网接入的诉求", "x" * 300]]
    rows += [[n, None, "", ""] for n in range(2, 400)]
    assert write_xlsx(handle, [plain_table("企业诉求台账", ["序号", "受理日期", "诉求事项", "办理结果"], rows)]) == 399

    sheet = load_workbook(io.BytesIO(handle.getvalue())).active
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert widths["A"] == 6  # 序号: four half-width columns and padding, at the narrow floor
    assert widths["B"] == 12  # a date
    assert widths["C"] == 42  # twenty Chinese characters, two columns each
    assert widths["D"] == 50  # long text is capped
    assert sheet.freeze_panes == "A2"
    assert sheet["C2"].value.startswith("关于协调") and sheet.max_row == 400


def test_a_two_row_header_names_every_column_and_merges_each_group():
    from kaifaqu.sheets.writer import INTEGER, OutputColumn, Table

    columns = [OutputColumn("序号", INTEGER, width=6), OutputColumn("开发区", width=20)]
    columns += [
        OutputColumn(label, kind=None, width=12, group="规上工业增加值（亿元）") for label in ("本年累计", "上年同期")
    ]
    table = Table(
        name="2024年1-3月", title="吕梁市开发区主要经济指标完成情况表", columns=columns, rows=[[1, "孝义", 1.5, 1.2]]
    )
    handle = io.BytesIO()
    write_xlsx(handle, [table])

    sheet = load_workbook(io.BytesIO(handle.getvalue())).active
    rows = list(sheet.iter_rows(min_row=1, max_row=4, values_only=True))
    assert rows[0][0] == "吕梁市开发区主要经济指标完成情况表"
    assert rows[1] == ("序号", "开发区", "规上工业增加值（亿元）", None)
    assert rows[2] == (None, None, "本年累计", "上年同期")
    assert rows[3] == (1, "孝义", 1.5, 1.2)
    assert {str(area) for area in sheet.merged_cells.ranges} == {"A1:D1", "A2:A3", "B2:B3", "C2:D2"}
    assert sheet.freeze_panes == "A4"
