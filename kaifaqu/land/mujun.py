"""亩均效益评价 (浙江's 亩均论英雄, the first piece of issue 22): each industrial enterprise's per-mu
figures for a year, a weighted score against the zone's own level, and a grade A/B/C/D by score
bands — as plain functions of the figures and the scheme's parameters, so an office can work any
score out again by hand.

- The four indicators: 亩均税收 (税收 ÷ 用地, 万元/亩), 亩均营业收入 (营业收入 ÷ 用地), 单位能耗增加值
  (增加值 ÷ 能耗, 万元/吨标准煤) and 研发投入强度 (研发投入 ÷ 营业收入, %).
- Each indicator's benchmark is the whole group's level — the sums divided, not the average of
  ratios (亩均税收 of the zone = 全部税收 ÷ 全部用地), as the 浙江 method computes it.
- An indicator's points: weight × (value ÷ benchmark), at most ``cap`` × weight (one giant enterprise
  does not buy its grade on one indicator), never below zero. The score is the sum: 100 at the
  benchmark. An indicator the enterprise did not report (能耗, 研发 left empty) is named (待补录) and
  the score is worked out on the indicators it reported, scaled to the full weights — an unknown
  figure is not a zero, and must not put an enterprise in D (整治提升) and on the 低效 list.
- Grades by score bands (A ≥ 120, B ≥ 80, C ≥ 50, D below, editable); equal scores share a grade
  and a place (1, 2, 2, 4).
- Excluded, and said so: an enterprise below the land threshold (e.g. 3 亩), or without 用地面积,
  税收 or 营业收入 (增加值 where the scheme measures output by it) — it cannot be measured per mu.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from kaifaqu.evaluation.scoring import rank_places

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
INDICATORS = {
    "tax_per_mu": "亩均税收",
    "revenue_per_mu": "亩均营业收入",
    "energy_productivity": "单位能耗增加值",
    "rd_intensity_pct": "研发投入强度",
}
GRADE_WORDS = {"A": "优先发展", "B": "提升发展", "C": "帮扶转型", "D": "整治提升"}


@dataclass(frozen=True)
class Figures:
    """One enterprise's year, as the evaluation reads it (万元, 亩, 吨标准煤); None: not reported."""

    key: str
    land_mu: Decimal | None
    tax: Decimal | None
    revenue: Decimal | None
    value_added: Decimal | None = None
    energy_tce: Decimal | None = None
    rd_spend: Decimal | None = None


@dataclass(frozen=True)
class Weighting:
    """A scheme's parameters (浙江's method as shipped): weights in points summing to 100 at the benchmark."""

    weights: dict[str, Decimal] = field(
        default_factory=lambda: {
            "tax_per_mu": Decimal(40),
            "revenue_per_mu": Decimal(25),
            "energy_productivity": Decimal(20),
            "rd_intensity_pct": Decimal(15),
        }
    )
    cap: Decimal = Decimal(3)
    bands: tuple[tuple[Decimal, str], ...] = ((Decimal(120), "A"), (Decimal(80), "B"), (Decimal(50), "C"))
    min_land_mu: Decimal = Decimal(3)
    # 亩均营业收入, or 亩均增加值 where the zone measures output by value added ("value_added").
    basis: str = "revenue"


def _ratio(part: Decimal | None, whole: Decimal | None, scale: Decimal = Decimal(1)) -> Decimal | None:
    if part is None or not whole:
        return None
    return part * scale / whole


def indicators(figures: Figures, basis: str = "revenue") -> dict[str, Decimal | None]:
    """The four per-mu indicators of one enterprise (unrounded; None where a figure is missing)."""
    return {
        "tax_per_mu": _ratio(figures.tax, figures.land_mu),
        "revenue_per_mu": _ratio(getattr(figures, basis), figures.land_mu),
        "energy_productivity": _ratio(figures.value_added, figures.energy_tce),
        "rd_intensity_pct": _ratio(figures.rd_spend, figures.revenue, HUNDRED),
    }


def exclusion(figures: Figures, weighting: Weighting) -> str:
    """Why an enterprise is left out of the grading (empty: it is graded)."""
    if figures.land_mu is None:
        return "未填用地面积（待补录）"
    if figures.land_mu < weighting.min_land_mu:
        return f"用地面积{plain(figures.land_mu)}亩，不足{plain(weighting.min_land_mu)}亩，不参评"
    output = ("增加值", figures.value_added) if weighting.basis == "value_added" else ("营业收入", figures.revenue)
    missing = [name for name, value in (("税收", figures.tax), output) if value is None]
    if missing:
        return f"未填{'、'.join(missing)}（待补录）"
    return ""


def benchmarks(group: list[Figures], basis: str = "revenue") -> dict[str, Decimal | None]:
    """The group's level of each indicator: its sums divided (not an average of the enterprises' ratios)."""

    def total(name: str, among: list[Figures]) -> Decimal:
        return sum((getattr(item, name) for item in among), Decimal(0))

    def reported(*names: str) -> list[Figures]:
        return [item for item in group if all(getattr(item, name) is not None for name in names)]

    return {
        "tax_per_mu": _ratio(total("tax", group), total("land_mu", group)),
        "revenue_per_mu": _ratio(total(basis, group), total("land_mu", group)),
        "energy_productivity": _ratio(
            total("value_added", reported("value_added", "energy_tce")),
            total("energy_tce", reported("value_added", "energy_tce")),
        ),
        "rd_intensity_pct": _ratio(
            total("rd_spend", reported("rd_spend")), total("revenue", reported("rd_spend")), HUNDRED
        ),
    }


@dataclass
class Graded:
    key: str
    values: dict[str, Decimal | None]  # the indicators, two decimals
    points: dict[str, Decimal]  # each indicator's points
    score: Decimal
    grade: str = ""
    rank: int = 0
    gaps: list[str] = field(default_factory=list)  # indicators not reported (待补录)


@dataclass
class Grading:
    graded: list[Graded]  # by place
    excluded: list[tuple[str, str]]  # (key, reason)
    benchmarks: dict[str, Decimal | None]

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(GRADE_WORDS, 0)
        for item in self.graded:
            found[item.grade] += 1
        return found


def grade_of(score: Decimal, weighting: Weighting) -> str:
    for threshold, grade in weighting.bands:
        if score >= threshold:
            return grade
    return "D"


def grade_all(all_figures: Iterable[Figures], weighting: Weighting | None = None) -> Grading:
    """Grade a zone's (or a city's) enterprises for one year against their own group's level."""
    weighting = weighting or Weighting()
    group, excluded = [], []
    for figures in all_figures:
        reason = exclusion(figures, weighting)
        if reason:
            excluded.append((figures.key, reason))
        else:
            group.append(figures)
    levels = benchmarks(group, weighting.basis)
    graded = [_score(figures, levels, weighting) for figures in group]
    places = rank_places({item.key: item.score for item in graded})
    for item in graded:
        item.rank, item.grade = places[item.key], grade_of(item.score, weighting)
    graded.sort(key=lambda item: (item.rank, item.key))
    return Grading(graded, excluded, levels)


def _score(figures: Figures, levels: dict[str, Decimal | None], weighting: Weighting) -> Graded:
    values = indicators(figures, weighting.basis)
    points, gaps = {}, []
    for name, weight in weighting.weights.items():
        value, level = values[name], levels[name]
        if value is None:
            gaps.append(INDICATORS[name])
        if value is None or not level:
            points[name] = Decimal(0)
            continue
        share = min(max(value / level, Decimal(0)), weighting.cap)
        points[name] = (weight * share).quantize(CENT, ROUND_HALF_UP)
    rounded = {name: None if value is None else value.quantize(CENT, ROUND_HALF_UP) for name, value in values.items()}
    score = sum(points.values(), Decimal(0))
    reported = sum((weight for name, weight in weighting.weights.items() if values[name] is not None), Decimal(0))
    if gaps and reported:
        # An indicator not reported is unknown, not zero: the score is worked out on those reported
        # (已报得分 ÷ 已报权重 × 总权重) and the gap is named, so 待补录 never reads as 整治提升.
        score = (score * sum(weighting.weights.values()) / reported).quantize(CENT, ROUND_HALF_UP)
    return Graded(figures.key, rounded, points, score, gaps=gaps)


def plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
