"""The monthly analysis of a city's zones' indicators (月调度分析), built from ``city_summary``
so that every figure, sentence and rank equals the one on the 月调度 pages."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db.models import QuerySet

from kaifaqu.indicators.models import Indicator, IndicatorReport
from kaifaqu.indicators.selectors import CitySummary, Figure, behind_schedule, city_summary, in_units, schedule_phrase
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

from .charts import growth_chart
from .content import Chart, ReportContent, Section, Table

Progress = Callable[[int], None]
CHART_INDICATOR = "规上工业增加值"  # the figure offices lead with; another one only when it is missing
DASH = "—"


def _quiet(_: int) -> None:
    pass


def period_text(month: int) -> str:
    return "1月" if month == 1 else f"1-{month}月"


def indicators_title(city: Region, year: int, month: int) -> str:
    return f"{city.name}开发区{year}年{period_text(month)}主要经济指标运行分析"


def _cell(value: Decimal | int | None) -> str:
    return DASH if value is None else str(value)


def indicators_report(
    city: Region,
    zones: QuerySet[Zone],
    reports: QuerySet[IndicatorReport],
    *,
    year: int,
    month: int,
    progress: Progress = _quiet,
) -> ReportContent:
    """The city's 月调度分析 for ``year``-``month``; ``zones`` and ``reports`` are the requester's scope."""
    summary = city_summary(city, year=year, month=month, zones=zones, reports=reports)
    progress(40)
    indicators = [
        indicator
        for indicator in summary.indicators
        if indicator.in_evaluation and summary.zones_total[indicator.pk].value is not None
    ]
    tables = _tables_section(summary, indicators)
    progress(70)
    missing = [
        zone.display_name
        for zone in zones.filter(region__code__startswith=city.scope_prefix).order_by("region__code", "name")
        if zone.pk not in summary.by_zone
    ]
    sections = [
        _overview_section(summary, missing),
        tables,
        _ranking_section(summary, indicators),
        _behind_section(summary, first_table=len(tables.tables) + 1),
        Section("五、形势研判", blank_lines=4),
        Section("六、下步工作建议", blank_lines=4),
    ]
    progress(90)
    return ReportContent(
        title=indicators_title(city, year, month),
        subtitle=f"（{year}年{period_text(month)}累计，时间进度{summary.time_progress_pct}%）",
        sections=sections,
    )


# ------------------------------------------------------------------ 一、总体情况


def _overview_section(summary: CitySummary, missing: list[str]) -> Section:
    if not summary.sentences:
        period = f"{summary.year}年{period_text(summary.month)}"
        return Section("一、总体情况", [f"{summary.city.name}各开发区{period}暂无已审核的指标数据。"])
    paragraphs = [*summary.sentences, _time_progress_sentence(summary)]
    if missing:
        # The sentences count only approved reports; say which zones they leave out.
        paragraphs.append(f"{'、'.join(missing)}的月报尚未审核通过，未计入以上数据。")
    return Section("一、总体情况", paragraphs)


def _time_progress_sentence(summary: CitySummary) -> str:
    """The time progress, and each targeted indicator's completion (zones with a target, summed) against it."""
    progress = summary.time_progress_pct
    text = f"时间进度为{progress}%（{summary.month}/12）。"
    parts = [
        f"{indicator.name}完成年度目标的{total.target_completion_pct}%，"
        f"{schedule_phrase(total.target_completion_pct, progress)}"
        for indicator in summary.indicators
        if (total := summary.zones_total[indicator.pk]).target_completion_pct is not None
    ]
    if not parts:
        return text + "各开发区尚未录入本年度目标。"
    return text + "按有年度目标的开发区合计，" + "；".join(parts) + "。"


# ------------------------------------------------------------------ 二、主要指标完成情况


def _tables_section(summary: CitySummary, indicators: list[Indicator]) -> Section:
    section = Section("二、主要指标完成情况")
    if not indicators:
        section.paragraphs.append("本月暂无开发区报送计入考核的指标。")
        return section
    section.paragraphs.append(
        f"计入考核的{len(indicators)}项指标中，各开发区完成情况见下表（排名按同比增速，增速相同者并列）。"
    )
    section.tables = [_indicator_table(summary, indicator, number) for number, indicator in enumerate(indicators, 1)]
    chart = _growth_chart(summary, indicators)
    if chart is not None:
        section.charts.append(chart)
    return section


def _figure_row(name: str, figure: Figure, indicator: Indicator) -> list[str]:
    return [
        name,
        _cell(in_units(figure.value, indicator)),
        _cell(figure.growth_pct),
        _cell(figure.pp_vs_region),
        _cell(figure.target_completion_pct),
        "" if figure.rank is None else str(figure.rank),
    ]


def _indicator_table(summary: CitySummary, indicator: Indicator, number: int) -> Table:
    region = summary.region[indicator.pk]
    word = summary.region_word
    after = []
    if region.value is not None:  # the office reported its own whole-region figure
        after.append([word, _cell(in_units(region.value, indicator)), _cell(region.growth_pct), "", "", ""])
    return Table(
        f"表{number} {indicator.name}完成情况",
        ["开发区", f"本年累计（{indicator.unit}）", "同比增长（%）", f"比{word}（百分点）", "目标完成（%）", "排名"],
        [_figure_row(zone.name, summary.by_zone[zone.pk][indicator.pk], indicator) for zone in summary.zones],
        total=_figure_row("合计", summary.zones_total[indicator.pk], indicator),  # a roll-up has no rank
        after_total=after,
    )


def _growth_chart(summary: CitySummary, indicators: list[Indicator]) -> Chart | None:
    """Growth by zone of 规上工业增加值, or of the first indicator whose zones report a growth."""
    with_growth = [
        indicator
        for indicator in indicators
        if any(summary.by_zone[zone.pk][indicator.pk].growth_pct is not None for zone in summary.zones)
    ]
    if not with_growth:
        return None
    indicator = next((i for i in with_growth if i.name == CHART_INDICATOR), with_growth[0])
    zones = [zone for zone in summary.zones if summary.by_zone[zone.pk][indicator.pk].growth_pct is not None]
    region = summary.region[indicator.pk].growth_pct
    average, label = (region, f"{summary.region_word}平均") if region is not None else (None, "")
    if average is None and summary.zones_total[indicator.pk].growth_pct is not None:
        average, label = summary.zones_total[indicator.pk].growth_pct, "开发区合计"
    png = growth_chart(
        [zone.short_name or zone.name for zone in zones],
        [float(summary.by_zone[zone.pk][indicator.pk].growth_pct) for zone in zones],
        average=None if average is None else float(average),
        average_label=label,
    )
    return Chart(f"图1 各开发区{indicator.name}同比增速", png)


# ------------------------------------------------------------------ 三、排名情况


def _ranking_section(summary: CitySummary, indicators: list[Indicator]) -> Section:
    lines = [line for indicator in indicators if (line := _ranking_sentence(summary, indicator))]
    return Section("三、排名情况", lines or ["本月暂无可排名的指标（各开发区均未报送同比数据）。"])


def _ranking_sentence(summary: CitySummary, indicator: Indicator) -> str:
    figures = [(zone, summary.by_zone[zone.pk][indicator.pk]) for zone in summary.zones]
    ranked = sorted(((zone, figure) for zone, figure in figures if figure.rank is not None), key=lambda x: x[1].rank)
    if not ranked:
        return ""
    order = "由高到低" if indicator.higher_is_better else "由低到高"
    text = f"{indicator.name}同比增速{order}：" + "，".join(
        f"{figure.rank}.{zone.name}（{figure.growth_pct}%）" for zone, figure in ranked
    )
    unranked = [zone.name for zone, figure in figures if figure.value is not None and figure.rank is None]
    if unranked:
        text += f"；{'、'.join(unranked)}无同比数据，未参与排名"
    return text + "。"


# ------------------------------------------------------------------ 四、落后时序进度的开发区


def _behind_section(summary: CitySummary, *, first_table: int) -> Section:
    heading = "四、落后时序进度的开发区"
    progress = summary.time_progress_pct
    targeted = any(
        figure.target_completion_pct is not None for figures in summary.by_zone.values() for figure in figures.values()
    )
    if not targeted:
        return Section(heading, ["各开发区尚未录入本年度目标，无法对照时序进度。"])
    behind = behind_schedule(summary)
    if not behind:
        return Section(heading, [f"有年度目标的指标均达到时序进度（{progress}%）。"])
    worst = behind[0]
    lines = [
        f"对照时序进度（{progress}%），{len({item.zone.pk for item in behind})}个开发区的{len(behind)}项指标落后，"
        f"差距最大的是{worst.zone.name}{worst.indicator.name}（完成{worst.completion_pct}%，"
        f"{schedule_phrase(worst.completion_pct, progress)}）。"
    ]
    table = Table(
        f"表{first_table} 落后时序进度的指标（按差距排序）",
        ["开发区", "指标", "目标完成（%）", "时间进度（%）", "落后（百分点）"],
        [
            [item.zone.name, item.indicator.name, str(item.completion_pct), str(progress), str(item.gap_pp)]
            for item in behind
        ],
    )
    return Section(heading, lines, tables=[table])
