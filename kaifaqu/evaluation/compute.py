"""Working out a scheme for a period: each item measured for every subject, scored by its rule, the
totals and the places. Pure reading: ``services.run_scheme`` stores what this returns."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from . import scoring
from .metrics import METRICS, Context, Measured, Subject
from .models import Item, Scheme
from .periods import Period

Rule, Kind = Item.Rule, Item.Kind


def item_unit(item: Item) -> str:
    """The unit of the item's value: the metric's, the indicator's, or the one typed for a hand-entered item."""
    metric = METRICS[item.metric]
    if metric.needs_indicator and not metric.unit and item.indicator_id:
        return item.indicator.unit
    return metric.unit or item.unit


def item_snapshot(item: Item) -> dict:
    """An item as a run keeps it: the published result still reads the same after the scheme changes."""
    metric = METRICS[item.metric]
    return {
        "id": item.pk,
        "group": item.group,
        "name": item.name,
        "kind": item.kind,
        "weight": str(item.weight),
        "metric": item.metric,
        "metric_label": metric.label,
        "indicator": item.indicator.name if item.indicator_id else "",
        "unit": item_unit(item),
        "rule": item.rule,
        "rule_label": item.get_rule_display(),
        "rule_text": rule_text(item),
        "definition": metric.definition,
    }


def rule_text(item: Item) -> str:
    """The rule in the words of an office's 考核细则 (shown under the item, in the table and the score
    sheet), with the value's unit: 达到100%得满分15.00分，不足按比例计分."""
    weight = scoring.points(item.weight)
    unit = item_unit(item)
    better = "越小越好" if item.lower_is_better else "越大越好"
    if item.kind == Kind.VETO:
        return "考核期内发生的，一票否决，总分计0分"
    if item.rule == Rule.RATIO:
        cap = "" if item.cap == 1 else f"，超过的按比例加分，最高按{_plain(item.cap)}倍计"
        return f"达到{_plain(item.target)}{unit}得满分{weight}分，不足按比例计分{cap}"
    if item.rule == Rule.RANK:
        return f"第一名得{weight}分，每后一名减{scoring.points(item.step or Decimal(0))}分（{better}）"
    if item.rule == Rule.BANDS:
        steps = "，".join(
            f"达到{_plain(threshold)}{unit}得{scoring.points(points)}分"
            for threshold, points in scoring.parse_bands(item.bands)
        )
        return f"{steps}（{better}）"
    if item.rule == Rule.DEDUCTION:
        each = unit if unit in ("次", "件", "起") else "次"
        return f"满分{weight}分，每{each}扣{scoring.points(item.per_event or Decimal(0))}分，扣完为止"
    return f"由考核单位直接打分，最高{weight}分"


def _plain(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return format(value.normalize(), "f")


def score_item(item: Item, measured: dict[str, Measured]) -> dict[str, Decimal]:
    """Each subject's points on ``item`` by its rule (a veto item scores nothing: it only vetoes)."""
    values = {key: found.value for key, found in measured.items()}
    full = item.weight
    higher = not item.lower_is_better
    if item.kind == Kind.VETO:
        return {key: scoring.ZERO for key in values}
    if item.rule == Rule.RATIO:
        return {
            key: scoring.ratio(value, full=full, target=item.target or Decimal(0), cap=item.cap)
            for key, value in values.items()
        }
    if item.rule == Rule.RANK:
        return scoring.rank(values, full=full, step=item.step or Decimal(0), higher_is_better=higher)
    if item.rule == Rule.BANDS:
        steps = scoring.parse_bands(item.bands)
        return {
            key: min(scoring.bands(value, steps=steps, higher_is_better=higher), full) for key, value in values.items()
        }
    if item.rule == Rule.DEDUCTION:
        return {
            key: scoring.deduction(value, full=full, per_event=item.per_event or Decimal(0))
            for key, value in values.items()
        }
    return {
        key: scoring.points(min(max(value, scoring.ZERO), full)) if value is not None else scoring.ZERO
        for key, value in values.items()
    }


@dataclass
class SubjectResult:
    subject: Subject
    total: Decimal = scoring.ZERO
    rank: int = 0
    vetoed: bool = False
    items: dict[str, dict] = field(default_factory=dict)  # item id → value, score, max, count, trace


@dataclass
class Computed:
    scheme: Scheme
    period: Period
    items: list[dict]  # snapshots
    results: list[SubjectResult]  # by place


def compute(scheme: Scheme, period: Period, *, subjects: list[Subject], today: datetime.date) -> Computed:
    items = list(scheme.items.select_related("indicator"))
    results = {subject.key: SubjectResult(subject) for subject in subjects}
    normal: dict[str, list[Decimal]] = {key: [] for key in results}
    bonus: dict[str, list[Decimal]] = {key: [] for key in results}
    shared: dict = {}
    for item in items:
        measured = METRICS[item.metric].measure(Context(scheme, item, period, subjects, today, shared))
        scores = score_item(item, measured)
        for key, result in results.items():
            found = measured.get(key, Measured(None))
            score = scoring.points(scores.get(key, scoring.ZERO))
            if item.kind == Kind.VETO and found.value:
                result.vetoed = True
            (bonus if item.kind == Kind.BONUS else normal)[key].append(score)
            result.items[str(item.pk)] = {
                "value": None if found.value is None else str(found.value),
                "score": str(score),
                "max": "0.00" if item.kind == Kind.VETO else str(scoring.points(item.weight)),
                "count": found.count,
                "trace": found.trace,
            }
    for key, result in results.items():
        result.total = scoring.total(normal[key], bonus=bonus[key], vetoed=result.vetoed)
    places = scoring.rank_places({key: result.total for key, result in results.items()})
    for key, result in results.items():
        result.rank = places[key]
    ordered = sorted(results.values(), key=lambda result: (result.rank, result.subject.name))
    return Computed(scheme, period, [item_snapshot(item) for item in items], ordered)
