"""A generic export opens in Excel with readable columns and the header row kept in view."""

import datetime
import io

from openpyxl import load_workbook

from kaifaqu.core.export import write_xlsx


def test_columns_are_sized_to_their_text_and_the_header_stays():
    handle = io.BytesIO()
    rows = [[1, datetime.date(2026, 11, 3), "关于协调解决园区道路与供水管网接入的诉求", "x" * 300]]
    rows += [[n, None, "", ""] for n in range(2, 400)]
    assert (
        write_xlsx(handle, title="企业诉求台账", headers=["序号", "受理日期", "诉求事项", "办理结果"], rows=rows) == 399
    )

    sheet = load_workbook(io.BytesIO(handle.getvalue())).active
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert widths["A"] == 6  # 序号: four half-width columns and padding, at the narrow floor
    assert widths["B"] == 12  # a date
    assert widths["C"] == 42  # twenty Chinese characters, two columns each
    assert widths["D"] == 50  # long text is capped
    assert sheet.freeze_panes == "A2"
    assert sheet["C2"].value.startswith("关于协调") and sheet.max_row == 400
