"""亩均效益评价 worked by hand on a constructed zone whose sums are round: 100 亩, 税收 1,000 万元,
营业收入 20,000 万元, 增加值 3,000 万元 on 2,000 吨标准煤, 研发投入 400 万元 — so the zone's levels are
亩均税收 10, 亩均营业收入 200, 单位能耗增加值 1.5 and 研发投入强度 2%."""

from decimal import Decimal as D

from kaifaqu.land.mujun import Figures, Weighting, grade_all, indicators


def F(key, land, tax, revenue, value_added=None, energy=None, rd=None) -> Figures:
    def dec(value):
        return None if value is None else D(value)

    return Figures(key, dec(land), dec(tax), dec(revenue), dec(value_added), dec(energy), dec(rd))


ZONE = [
    F("甲", 20, 500, 8000, 1500, 500, 240),
    F("乙", 40, 330, 7000, 900, 900, 70),
    F("丙", 15, 75, 2000, 225, 225, 40),
    F("丙二", 15, 75, 2000, 225, 225, 40),  # the same figures as 丙: the same score, grade and place
    F("丁", 10, 20, 1000, 150, 150, 10),
    F("小微", 2, 30, 500),  # below 3 亩
    F("缺税收", 12, None, 900),
    F("缺用地", None, 10, 300),
]


def test_the_zone_level_is_its_sums_divided():
    grading = grade_all(ZONE)
    assert {name: level.quantize(D("0.01")) for name, level in grading.benchmarks.items()} == {
        "tax_per_mu": D("10.00"),
        "revenue_per_mu": D("200.00"),
        "energy_productivity": D("1.50"),
        "rd_intensity_pct": D("2.00"),
    }


def test_each_indicator_scores_its_share_of_the_level_and_grades_follow_the_bands():
    by_key = {item.key: item for item in grade_all(ZONE).graded}
    first = by_key["甲"]
    # 亩均税收 25 = 2.5 × 10 → 40 × 2.5; 营收 400 = 2 × 200 → 25 × 2; 能耗 3.0 = 2 × 1.5 → 20 × 2; 研发 3% → 15 × 1.5
    assert first.values == {
        "tax_per_mu": D("25.00"),
        "revenue_per_mu": D("400.00"),
        "energy_productivity": D("3.00"),
        "rd_intensity_pct": D("3.00"),
    }
    assert first.points == {
        "tax_per_mu": D("100.00"),
        "revenue_per_mu": D("50.00"),
        "energy_productivity": D("40.00"),
        "rd_intensity_pct": D("22.50"),
    }
    assert (first.score, first.grade, first.rank) == (D("212.50"), "A", 1)
    # 乙: 8.25/10 × 40 = 33; 175/200 × 25 = 21.875 → 21.88; 1.0/1.5 × 20 = 13.33; 1%/2% × 15 = 7.5
    assert (by_key["乙"].score, by_key["乙"].grade) == (D("75.71"), "C")
    # 丁: 2/10 × 40 = 8; 100/200 × 25 = 12.5; 13.33; 7.5 → 41.33, below 50
    assert (by_key["丁"].score, by_key["丁"].grade, by_key["丁"].rank) == (D("41.33"), "D", 5)


def test_equal_scores_share_a_place_and_the_grades_are_counted():
    grading = grade_all(ZONE)
    assert [(item.key, item.rank) for item in grading.graded] == [
        ("甲", 1),
        ("乙", 2),
        ("丙", 3),
        ("丙二", 3),
        ("丁", 5),
    ]
    assert grading.graded[2].score == grading.graded[3].score == D("65.00")
    assert grading.counts() == {"A": 1, "B": 0, "C": 3, "D": 1}


def test_who_cannot_be_measured_per_mu_is_left_out_and_said_so():
    assert grade_all(ZONE).excluded == [
        ("小微", "用地面积2亩，不足3亩，不参评"),
        ("缺税收", "未填税收（待补录）"),
        ("缺用地", "未填用地面积（待补录）"),
    ]


def test_a_cap_keeps_one_indicator_from_buying_the_grade():
    capped = {item.key: item for item in grade_all(ZONE, Weighting(cap=D(2))).graded}
    assert capped["甲"].points["tax_per_mu"] == D("80.00")  # 2.5 × the level, counted as 2
    assert capped["乙"].points["tax_per_mu"] == D("33.00")


def test_a_missing_figure_is_named_and_the_score_is_worked_on_the_reported_ones():
    grading = grade_all([F("甲", 10, 100, 2000, 300, 100, 40), F("乙", 10, 100, 2000, None, None, None)])
    second = next(item for item in grading.graded if item.key == "乙")
    assert second.gaps == ["单位能耗增加值", "研发投入强度"]
    assert second.points["energy_productivity"] == second.points["rd_intensity_pct"] == 0
    # 40 + 25 at the level on the two it reported, scaled to the full 100: an unknown is not a zero
    assert second.score == D("100.00")
    # the level of an indicator counts only those who reported it: 甲 alone sets 能耗 and 研发
    assert grading.benchmarks["energy_productivity"] == D(3) and indicators(F("x", 1, 1, 1))["rd_intensity_pct"] is None
