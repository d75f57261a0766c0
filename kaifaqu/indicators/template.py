"""The product's Excel table of a month's figures: the city table's own layout, so the same
importer reads it back. Zones are listed by full name, then the zones' 合计 (skipped on import)
and a 全市 row for the office's figures. Figures on record (approved) are filled in, with last
year's same period and the growth as the matrix shows them (a template is also how a month is
corrected)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kaifaqu.regions.models import Region

from .models import Indicator
from .selectors import city_summary, in_units, of_record

SUB_COLUMNS = (("value", "本年累计"), ("last_year", "上年同期"), ("growth_pct", "同比增长（%）"))
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def template_title(city: Region, year: int, month: int) -> str:
    return f"{city.name}开发区{year}年1-{month}月主要经济指标完成情况表"


def template_xlsx(city: Region, zones, reports, *, year: int, month: int) -> bytes:
    """``zones`` and ``reports`` already scoped; only approved reports count, as on the matrix."""
    zones = zones.filter(region__code__startswith=city.scope_prefix).order_by("region__code", "name")
    summary = city_summary(city, year=year, month=month, zones=zones, reports=of_record(reports))
    indicators = summary.indicators
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年1-{month}月"
    width = 2 + len(indicators) * len(SUB_COLUMNS)
    sheet.append([template_title(city, year, month)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(name="宋体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    top, sub = ["序号", "开发区"], [None, None]
    for indicator in indicators:
        top += [f"{indicator.name}（{indicator.unit}）", None, None]
        sub += [label for _, label in SUB_COLUMNS]
    sheet.append(top)
    sheet.append(sub)
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    for index in range(len(indicators)):
        first = 3 + index * len(SUB_COLUMNS)
        sheet.merge_cells(start_row=2, start_column=first, end_row=2, end_column=first + len(SUB_COLUMNS) - 1)
    owners = [(number, zone.name, summary.by_zone.get(zone.pk, {})) for number, zone in enumerate(zones, start=1)]
    owners.append((None, "开发区合计", summary.zones_total))
    owners.append((None, summary.region_word, summary.region))
    for number, name, figures in owners:
        row = [number, name]
        for indicator in indicators:
            figure = figures.get(indicator.pk)
            row += [None, None, None] if figure is None or figure.value is None else _cells(figure, indicator)
        sheet.append(row)
    _style(sheet, width)
    _number_formats(sheet, indicators)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cells(figure, indicator: Indicator) -> list:
    return [
        _number(in_units(figure.value, indicator)),
        _number(in_units(figure.base, indicator)),
        _number(figure.growth_pct),
    ]


def _number(value):
    return None if value is None else float(value)


def _number_formats(sheet, indicators: list[Indicator]) -> None:
    """Each indicator's decimals with thousands separators; growth with one decimal."""
    for index, indicator in enumerate(indicators):
        first = 3 + index * len(SUB_COLUMNS)
        amount = "#,##0" + ("." + "0" * indicator.decimals if indicator.decimals else "")
        for row in sheet.iter_rows(min_row=4, min_col=first, max_col=first + 2):
            row[0].number_format = row[1].number_format = amount
            row[2].number_format = "0.0"


def _style(sheet, width: int) -> None:
    for row in sheet.iter_rows(min_row=2, max_row=3):
        for cell in row:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BORDER
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.border = _BORDER
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 26
    for index in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 12
    sheet.freeze_panes = "C4"
