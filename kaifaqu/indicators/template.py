"""The product's Excel template for a month's figures: the city table's own layout, so the same
importer reads it back. Zones are listed by full name, with a 全市 row for the office's figures;
figures already on record are filled in (a template is also how a month is corrected)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kaifaqu.regions.models import Region

from .models import Indicator, IndicatorReport, IndicatorValue

SUB_COLUMNS = (("value", "本年累计"), ("last_year", "上年同期"), ("growth_pct", "同比增长（%）"))
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def template_title(city: Region, year: int, month: int) -> str:
    return f"{city.name}开发区{year}年1-{month}月主要经济指标完成情况表"


def template_xlsx(city: Region, zones, *, year: int, month: int, indicators: list[Indicator] | None = None) -> bytes:
    indicators = indicators or list(Indicator.objects.filter(active=True))
    zones = list(zones.filter(region__code__startswith=city.scope_prefix).order_by("region__code", "name"))
    stored = _stored(city, zones, year, month)
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
    owners = [(number, zone.name, zone.pk) for number, zone in enumerate(zones, start=1)]
    owners.append((None, "全省" if city.level == Region.Level.PROVINCE else "全市", None))
    for number, name, zone_id in owners:
        row = [number, name]
        for indicator in indicators:
            value = stored.get((zone_id, indicator.pk))
            row += [None if value is None else _number(getattr(value, field)) for field, _ in SUB_COLUMNS]
        sheet.append(row)
    _style(sheet, width)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _stored(city: Region, zones, year: int, month: int) -> dict:
    reports = IndicatorReport.objects.filter(year=year, month=month)
    values = IndicatorValue.objects.filter(
        report__in=reports.filter(zone__in=zones) | reports.filter(zone__isnull=True, region=city)
    ).select_related("report")
    return {(value.report.zone_id, value.indicator_id): value for value in values}


def _number(value):
    return None if value is None else float(value)


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
