"""Charts for reports, drawn with matplotlib in a CJK font so Chinese labels read properly.

Built on ``matplotlib.figure.Figure`` rather than pyplot: reports are drawn in background
threads, and pyplot's global state is not safe to share between them.
"""

from __future__ import annotations

import io
import logging
from functools import cache

from matplotlib import font_manager
from matplotlib.figure import Figure

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
    font = cjk_font()
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
    else:
        axes.set_xticks(
            positions, labels, fontproperties=font, rotation=30 if crowded else 0, ha="right" if crowded else "center"
        )
        axes.set_ylabel(unit, fontproperties=font)
    if len(series) > 1:
        axes.legend(frameon=False, prop=font)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def growth_chart(labels: list[str], growth: list[float], *, average: float | None, average_label: str) -> bytes:
    """Each zone's growth (%) as a horizontal bar, the region's average as a dashed line across them."""
    font = cjk_font()
    figure = Figure(figsize=(6.4, max(3.0, 0.35 * len(labels) + 1)), dpi=150)
    axes = figure.subplots()
    positions = list(range(len(labels)))
    colors = ["#c0392b" if value >= 0 else "#2e86c1" for value in growth]  # red up, blue down, as offices colour
    axes.barh(positions, growth, height=0.6, color=colors)
    axes.axvline(0, color="#555555", linewidth=0.8)
    if average is not None:
        axes.axvline(average, color="#e67e22", linestyle="--", linewidth=1.2, label=f"{average_label} {average}%")
        axes.legend(frameon=False, prop=font, loc="lower right")
    axes.set_yticks(positions, labels, fontproperties=font)
    axes.invert_yaxis()
    axes.set_xlabel("同比增长（%）", fontproperties=font)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
