"""The scoring rules worked by hand, as an office checks a published 考核 table."""

from decimal import Decimal as D

from kaifaqu.evaluation import scoring


def test_ratio_to_target_is_capped_and_never_negative():
    assert scoring.ratio(D("45"), full=D("10"), target=D("60")) == D("7.5")
    assert scoring.ratio(D("90"), full=D("10"), target=D("60")) == D("10")  # 完成目标得满分
    assert scoring.ratio(D("90"), full=D("10"), target=D("60"), cap=D("1.2")) == D("12")  # 超额加分，封顶120%
    assert scoring.ratio(D("-5"), full=D("10"), target=D("60")) == D("0")
    assert scoring.ratio(None, full=D("10"), target=D("60")) == D("0")  # 未报
    assert scoring.ratio(D("5"), full=D("10"), target=D("0")) == D("0")  # no target: nothing to measure against
    assert scoring.ratio(D("1"), full=D("10"), target=D("3")) == D("3.33")


def test_rank_shares_the_better_place_on_a_tie():
    growth = {1: D("12.5"), 2: D("8.0"), 3: D("8.0"), 4: D("3.1"), 5: None}
    assert scoring.rank_places(growth) == {1: 1, 2: 2, 3: 2, 4: 4}
    assert scoring.rank(growth, full=D("10"), step=D("1")) == {1: D("10"), 2: D("9"), 3: D("9"), 4: D("7"), 5: D("0")}
    # Lower is better (能耗, 逾期件数): the smallest first.
    assert scoring.rank_places({1: D("3"), 2: D("1")}, higher_is_better=False) == {2: 1, 1: 2}
    # Steps never take a place below zero.
    many = {subject: D(100 - subject) for subject in range(1, 15)}
    assert scoring.rank(many, full=D("5"), step=D("0.5"))[14] == D("0")


def test_bands_take_the_best_band_reached():
    steps = [(D("90"), D("10")), (D("80"), D("8")), (D("60"), D("5"))]
    assert scoring.bands(D("95"), steps=steps) == D("10")
    assert scoring.bands(D("80"), steps=steps) == D("8")  # the threshold itself counts
    assert scoring.bands(D("59.9"), steps=steps) == D("0")
    assert scoring.bands(None, steps=steps) == D("0")
    late = [(D("0"), D("5")), (D("2"), D("3"))]  # days late: on time 5, up to 2 days 3
    assert scoring.bands(D("1"), steps=late, higher_is_better=False) == D("3")
    assert scoring.bands(D("0"), steps=late, higher_is_better=False) == D("5")


def test_deductions_per_event_stop_at_zero():
    assert scoring.deduction(D("2"), full=D("10"), per_event=D("1.5")) == D("7")
    assert scoring.deduction(D("9"), full=D("10"), per_event=D("1.5")) == D("0")
    assert scoring.deduction(None, full=D("10"), per_event=D("1.5")) == D("10")


def test_bonus_adds_and_a_veto_zeroes_the_total():
    assert scoring.total([D("7.5"), D("9"), D("7")], bonus=[D("2")]) == D("25.5")
    assert scoring.total([D("7.5"), D("9"), D("7")], bonus=[D("2")], vetoed=True) == D("0")  # 一票否决
