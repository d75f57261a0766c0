"""Scoring rules: how an item's measured value becomes points (the offices' 考核细则). The first
piece of issue 21 (考核): schemes, metrics and runs are built on these.

Each rule is a plain function of the values and the item's parameters, so a score can be worked
out again by hand from the table the office publishes:

- ``ratio``: value ÷ target × full marks, capped (完成目标得满分，超额不另加分 unless the cap is above 1);
- ``rank``: by place among the subjects — first full marks, each place down ``step`` less; ties
  share the better place (1, 2, 2, 4);
- ``bands``: the points of the highest threshold the value reaches (达到90%得10分，80%得8分…);
- ``deduction``: full marks less ``per_event`` for each event (a late report, an overdue request),
  never below zero.

Bonus items add their points on top (加分项); a veto item (一票否决) that finds an event sets the
subject's total to zero whatever else it scored.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")
ZERO = Decimal(0)


def points(value: Decimal) -> Decimal:
    """Points as offices write them: two decimals."""
    return value.quantize(HUNDREDTH, ROUND_HALF_UP) + 0


def ratio(value: Decimal | None, *, full: Decimal, target: Decimal, cap: Decimal = Decimal(1)) -> Decimal:
    if value is None or target <= 0:
        return ZERO
    share = min(max(value / target, ZERO), cap)
    return points(full * share)


def rank_places(values: Mapping[int, Decimal | None], *, higher_is_better: bool = True) -> dict[int, int]:
    """Competition places (1, 2, 2, 4) of the subjects with a value; those without get none."""
    known = [(subject, value) for subject, value in values.items() if value is not None]
    known.sort(key=lambda pair: pair[1], reverse=higher_is_better)
    places: dict[int, int] = {}
    previous, place = None, 0
    for position, (subject, value) in enumerate(known, start=1):
        if value != previous:
            place, previous = position, value
        places[subject] = place
    return places


def rank(
    values: Mapping[int, Decimal | None], *, full: Decimal, step: Decimal, higher_is_better: bool = True
) -> dict[int, Decimal]:
    """Each subject's points by place; a subject with no value scores nothing."""
    places = rank_places(values, higher_is_better=higher_is_better)
    return {
        subject: points(max(full - step * (places[subject] - 1), ZERO)) if subject in places else ZERO
        for subject in values
    }


def bands(value: Decimal | None, *, steps: list[tuple[Decimal, Decimal]], higher_is_better: bool = True) -> Decimal:
    """``steps``: (threshold, points) pairs; the best band the value reaches counts, none: zero."""
    if value is None:
        return ZERO
    reached = [score for threshold, score in steps if (value >= threshold if higher_is_better else value <= threshold)]
    return points(max(reached)) if reached else ZERO


def deduction(events: Decimal | None, *, full: Decimal, per_event: Decimal) -> Decimal:
    return points(max(full - per_event * (events or ZERO), ZERO))


def total(scores: list[Decimal], *, bonus: list[Decimal] = (), vetoed: bool = False) -> Decimal:
    """A subject's total: its items' points plus its bonus points, or zero when a veto item found an event."""
    if vetoed:
        return ZERO
    return points(sum(scores, ZERO) + sum(bonus, ZERO))


def parse_bands(text: str) -> list[tuple[Decimal, Decimal]]:
    """``90:10, 80:8, 60:5`` (full-width ：and ，also) → [(90, 10), (80, 8), (60, 5)]; ValueError says what is wrong."""
    steps = []
    for part in text.replace("，", ",").replace("；", ",").replace(";", ",").split(","):
        part = part.strip().replace("：", ":")
        if not part:
            continue
        threshold, colon, score = part.partition(":")
        try:
            steps.append((Decimal(threshold.strip()), Decimal(score.strip())))
        except ArithmeticError:
            raise ValueError(f"分档“{part}”应写作“门槛:得分”，如 90:10。") from None
        if not colon:
            raise ValueError(f"分档“{part}”应写作“门槛:得分”，如 90:10。")
    if not steps:
        raise ValueError("请填写至少一个分档，如：90:10, 80:8, 60:5。")
    return steps
