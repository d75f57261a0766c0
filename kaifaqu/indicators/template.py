"""The product's Excel table of a month's figures: the city table's own layout, so the same
importer reads it back. Zones are listed by full name, then the zones' 合计 (skipped on import)
and a 全市 row for the office's figures. Figures on record (approved) are filled in, with last
year's same period and the growth as the matrix shows them (a template is also how a month is
corrected)."""

from __future__ import annotations

import io

from kaifaqu.regions.models import Region
from kaifaqu.sheets.writer import INTEGER, OutputColumn, Table, write_xlsx

from .models import Indicator
from .selectors import city_summary, in_units, of_record

SUB_COLUMNS = (("value", "本年累计"), ("last_year", "上年同期"), ("growth_pct", "同比增长（%）"))


def template_title(city: Region, year: int, month: int) -> str:
    return f"{city.name}开发区{year}年1-{month}月主要经济指标完成情况表"


def template_xlsx(city: Region, zones, reports, *, year: int, month: int) -> bytes:
    """``zones`` and ``reports`` already scoped; only approved reports count, as on the matrix."""
    zones = zones.filter(region__code__startswith=city.scope_prefix).order_by("region__code", "name")
    summary = city_summary(city, year=year, month=month, zones=zones, reports=of_record(reports))
    indicators = summary.indicators
    owners = [(number, zone.name, summary.by_zone.get(zone.pk, {})) for number, zone in enumerate(zones, start=1)]
    owners.append((None, "开发区合计", summary.zones_total))
    owners.append((None, summary.region_word, summary.region))
    rows = []
    for number, name, figures in owners:
        row = [number, name]
        for indicator in indicators:
            figure = figures.get(indicator.pk)
            row += [None, None, None] if figure is None or figure.value is None else _cells(figure, indicator)
        rows.append(row)
    table = Table(
        name=f"{year}年1-{month}月",
        title=template_title(city, year, month),
        columns=[OutputColumn("序号", INTEGER, width=6), OutputColumn("开发区", width=26), *_columns(indicators)],
        rows=rows,
        freeze="C4",
    )
    buffer = io.BytesIO()
    write_xlsx(buffer, [table])
    return buffer.getvalue()


def _columns(indicators: list[Indicator]) -> list[OutputColumn]:
    """Under each indicator (its name and unit, merged across): 本年累计, 上年同期 in the indicator's
    decimals with thousands separators, and the growth with one decimal."""
    columns = []
    for indicator in indicators:
        group = f"{indicator.name}（{indicator.unit}）"
        amount = "#,##0" + ("." + "0" * indicator.decimals if indicator.decimals else "")
        for key, label in SUB_COLUMNS:
            number_format = "0.0" if key == "growth_pct" else amount
            columns.append(OutputColumn(label, kind=None, width=12, group=group, number_format=number_format))
    return columns


def _cells(figure, indicator: Indicator) -> list:
    return [
        _number(in_units(figure.value, indicator)),
        _number(in_units(figure.base, indicator)),
        _number(figure.growth_pct),
    ]


def _number(value):
    return None if value is None else float(value)
