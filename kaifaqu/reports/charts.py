"""Charts for reports, drawn with matplotlib in a CJK font so Chinese labels read properly.

Built on ``matplotlib.figure.Figure`` rather than pyplot: reports are drawn in background
threads, and pyplot's global state is not safe to share between them.
"""

from __future__ import annotations

import io
import logging
from functools import cache

from matplotlib import font_manager
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from kaifaqu.core.money import WAN_PER_YI, format_wan, format_yi

logger = logging.getLogger(__name__)

# Fonts that carry Chinese, in the order offices' machines and Debian servers have them.
CJK_FAMILIES = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimSun",
    "FangSong",
)


@cache
def cjk_font() -> font_manager.FontProperties | None:
    """The first installed font that carries Chinese, or None (the log then says what to install)."""
    installed = {font.name: font.fname for font in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return font_manager.FontProperties(fname=installed[family])
    logger.warning("未找到中文字体，报告图表中的汉字可能无法显示（apt-get install -y fonts-wqy-microhei）。")
    return None


YI_FROM_WAN = 100_000  # 万元 amounts from 10亿元 up are drawn in 亿元: 100,000万元 is too long a tick


def plain_number(value: float) -> str:
    """A tick as people write it: thousands grouped, no trailing zeros, never ``1e8``."""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def amount_tick(value: float, unit: str) -> str:
    """A tick of an amount axis, through the money helpers that format the report's tables."""
    if value == 0:
        return "0"
    if abs(value * 100 - round(value * 100)) > 1e-6:  # finer than a cent (a 0.025亿元 step)
        return plain_number(value)
    if unit == "亿元":
        return format_yi(value * float(WAN_PER_YI), strip_zeros=True, grouped=True)
    return format_wan(value, grouped=True).removesuffix(".00")


def number_axis(axis: Axis, unit: str) -> None:
    """Ticks in plain grouped numbers: matplotlib's default writes huge values as 0.2 … 1.0 under
    an offset ``1e8``, and ``ticklabel_format(style="plain")`` as an ungrouped 100000000."""
    if unit in ("万元", "亿元"):
        axis.set_major_formatter(FuncFormatter(lambda value, _: amount_tick(value, unit)))
    else:
        axis.set_major_formatter(FuncFormatter(lambda value, _: plain_number(value)))


def amount_unit(series: dict[str, list[float]], unit: str) -> tuple[dict[str, list[float]], str]:
    """Large 万元 amounts in 亿元, so the axis reads 1,000 rather than 10,000,000."""
    largest = max((abs(value) for values in series.values() for value in values), default=0)
    if unit != "万元" or largest < YI_FROM_WAN:
        return series, unit
    scale = float(WAN_PER_YI)
    return {name: [value / scale for value in values] for name, values in series.items()}, "亿元"


def bar_chart(
    labels: list[str],
    series: dict[str, list[float]],
    *,
    unit: str,
    horizontal: bool = False,
    width: float = 6.4,
    height: float = 3.4,
) -> bytes:
    """A grouped bar chart as PNG: one bar per label and series, values in ``unit``."""
    return png(bar_figure(labels, series, unit=unit, horizontal=horizontal, width=width, height=height))


def bar_figure(
    labels: list[str],
    series: dict[str, list[float]],
    *,
    unit: str,
    horizontal: bool = False,
    width: float = 6.4,
    height: float = 3.4,
) -> Figure:
    font = cjk_font()
    series, unit = amount_unit(series, unit)
    figure = Figure(figsize=(width, height), dpi=150)
    axes = figure.subplots()
    step = 0.8 / max(len(series), 1)
    positions = list(range(len(labels)))
    for index, (name, values) in enumerate(series.items()):
        offsets = [position - 0.4 + step * (index + 0.5) for position in positions]
        if horizontal:
            axes.barh(offsets, values, height=step, label=name)
        else:
            axes.bar(offsets, values, width=step, label=name)
    crowded = len(labels) > 6 and not horizontal
    if horizontal:
        axes.set_yticks(positions, labels, fontproperties=font)
        axes.invert_yaxis()
        axes.set_xlabel(unit, fontproperties=font)
        number_axis(axes.xaxis, unit)
    else:
        axes.set_xticks(
            positions, labels, fontproperties=font, rotation=30 if crowded else 0, ha="right" if crowded else "center"
        )
        axes.set_ylabel(unit, fontproperties=font)
        number_axis(axes.yaxis, unit)
    if len(series) > 1:
        axes.legend(frameon=False, prop=font)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def growth_chart(labels: list[str], growth: list[float], *, average: float | None, average_label: str) -> bytes:
    """Each zone's growth (%) as a horizontal bar, the region's average as a dashed line across them."""
    return png(growth_figure(labels, growth, average=average, average_label=average_label))


def growth_figure(labels: list[str], growth: list[float], *, average: float | None, average_label: str) -> Figure:
    font = cjk_font()
    figure = Figure(figsize=(6.4, max(3.0, 0.35 * len(labels) + 1)), dpi=150)
    axes = figure.subplots()
    positions = list(range(len(labels)))
    colors = ["#c0392b" if value >= 0 else "#2e86c1" for value in growth]  # red up, blue down, as offices colour
    axes.barh(positions, growth, height=0.6, color=colors)
    axes.axvline(0, color="#555555", linewidth=0.8)
    if average is not None:
        axes.axvline(
            average, color="#e67e22", linestyle="--", linewidth=1.2, label=f"{average_label} {plain_number(average)}%"
        )
        axes.legend(frameon=False, prop=font, loc="lower right")
    axes.set_yticks(positions, labels, fontproperties=font)
    axes.invert_yaxis()
    axes.set_xlabel("同比增长（%）", fontproperties=font)
    number_axis(axes.xaxis, "%")
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure
