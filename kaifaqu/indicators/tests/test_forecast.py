"""Forecasts of the month and the year, checked against figures worked out by hand, and their back-test."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaifaqu.indicators.forecast import (
    MONTHLY_AVERAGE,
    SCALED_SHAPE,
    Known,
    backtest_comparisons,
    forecast,
    history_of,
    zone_forecasts,
)
from kaifaqu.indicators.models import Indicator, IndicatorReport, IndicatorValue
from kaifaqu.regions.models import Region
from kaifaqu.zones.services import zone_create


def year_of(year: int, figures: list) -> dict:
    """``{(year, 1): figures[0], (year, 2): figures[1], ...}`` as Decimals."""
    return {(year, month): Decimal(str(figure)) for month, figure in enumerate(figures, start=1)}


LAST_YEAR = year_of(2024, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120])


def test_last_years_shape_scaled_by_this_years_growth():
    history = {**LAST_YEAR, **year_of(2025, [12, 24, 36])}
    result = forecast(history, year=2025, month=3)
    assert result.method == "上年同期走势法" and "上年" in result.method_note
    # 36 ÷ 30 = 1.2: April is 40 × 1.2, the year 120 × 1.2.
    assert (result.next_month, result.next_value, result.year_end_value) == ((2025, 4), Decimal(48), Decimal(144))
    # January → February and February → March are exact; 2024 has no 2023 to scale, this December is not known.
    assert (result.backtest_error_pct, result.backtest_points) == (Decimal("0.0"), 2)


def test_a_known_deviation_gives_a_known_error():
    history = {**LAST_YEAR, **year_of(2025, [12, 24, 39])}
    result = forecast(history, year=2025, month=3)
    assert (result.next_value, result.year_end_value) == (Decimal(52), Decimal(156))  # ratio 39 ÷ 30 = 1.3
    # January predicts 20 × 1.2 = 24 (exact); February predicts 30 × 1.2 = 36 against 39: 3 ÷ 39 = 7.69%.
    assert (result.backtest_error_pct, result.backtest_points) == (Decimal("3.8"), 2)  # (0 + 7.69) ÷ 2


def test_past_years_test_the_year_end_too():
    december = {(2024, 12): Decimal(150)}  # 1.1 × 2023 all year, but December came in at 150, not 132
    history = {
        **year_of(2023, range(10, 130, 10)),
        **{(2024, m): Decimal(11 * m) for m in range(1, 12)},
        **december,
        (2025, 1): Decimal(11),
    }
    result = forecast(history, year=2025, month=1)
    assert (result.next_value, result.year_end_value) == (Decimal(22), Decimal(150))  # ratio 11 ÷ 11 = 1
    # January–October each predict the next month exactly and the year at 132 (12% off);
    # November predicts December once: 10 × 0 + 11 × 12% over 21 predictions = 6.29%.
    assert (result.backtest_error_pct, result.backtest_points) == (Decimal("6.3"), 21)


def test_without_last_year_the_monthly_average():
    result = forecast(year_of(2025, [10, 20, 36]), year=2025, month=3)
    assert result.method == "按月均推算法"
    assert (result.next_value, result.year_end_value) == (Decimal(48), Decimal(144))  # 36 ÷ 3 × 4, × 12
    # January predicts 10 × 2 = 20 (exact); February 20 ÷ 2 × 3 = 30 against 36: 16.67%.
    assert (result.backtest_error_pct, result.backtest_points) == (Decimal("8.3"), 2)


def test_last_year_without_its_december_falls_back():
    history = {**year_of(2024, [10, 20, 30, 40]), **year_of(2025, [12, 24, 36])}
    assert forecast(history, year=2025, month=3).method == "按月均推算法"


def test_point_in_time_counts_stay_level():
    history = {(2023, 10): Decimal(100), (2023, 11): Decimal(100), (2023, 12): Decimal(110), (2024, 1): Decimal(110)}
    result = forecast(history, year=2024, month=1, cumulative=False)
    assert result.method == "按上月持平法"
    assert (result.next_month, result.next_value, result.year_end_value) == ((2024, 2), Decimal(110), Decimal(110))
    # October: November exact, December 100 against 110 (9.09%); November: December once (9.09%).
    assert (result.backtest_error_pct, result.backtest_points) == (Decimal("6.1"), 3)


def test_december_is_the_year_and_nothing_after_it():
    history = {**LAST_YEAR, **year_of(2025, [12, 24, 36, 48, 60, 72, 84, 96, 108, 120, 132, 150])}
    result = forecast(history, year=2025, month=12)
    assert (result.next_month, result.next_value, result.year_end_value) == (None, None, Decimal(150))
    # January–November each predict 144 for the year (4% off), January–October the next month exactly:
    # 11 × 4% over 21 predictions (November's next month is the year).
    assert (result.backtest_error_pct, result.backtest_points) == (Decimal("2.1"), 21)


def test_nothing_to_test_and_nothing_reported():
    only = forecast({(2025, 1): Decimal(5)}, year=2025, month=1)
    assert (only.next_value, only.backtest_error_pct, only.backtest_points) == (Decimal(10), None, 0)
    assert forecast({(2025, 1): Decimal(5)}, year=2025, month=2) is None


def test_the_back_test_never_peeks_ahead():
    history = {**LAST_YEAR, **year_of(2025, [12, 24, 36])}
    later = {**history, **{(2025, month): Decimal(999) for month in range(4, 13)}, (2026, 1): Decimal(1)}
    assert forecast(later, year=2025, month=3) == forecast(history, year=2025, month=3)
    # A different March changes only what February's prediction is compared with, not the prediction.
    changed = {**history, (2025, 3): Decimal(39)}
    before = backtest_comparisons(history, year=2025, month=3, method=SCALED_SHAPE)
    after = backtest_comparisons(changed, year=2025, month=3, method=SCALED_SHAPE)
    assert [c.predicted for c in before] == [c.predicted for c in after] == [Decimal(24), Decimal(36)]
    assert [c.actual for c in after] == [Decimal(24), Decimal(39)]
    assert Known(later, (2025, 3)).get((2025, 4)) is None
    # The monthly average made at January sees January alone, though February is in the history.
    averaged = backtest_comparisons(history, year=2025, month=3, method=MONTHLY_AVERAGE)
    january = next(c for c in averaged if c.made_at == (2025, 1))
    assert (january.target, january.predicted) == ((2025, 2), Decimal(24))


def test_history_takes_last_years_figure_from_this_years_report():
    rows = [
        (2025, 1, Decimal(12), Decimal(10), None),
        (2025, 2, Decimal(22), None, Decimal(10)),  # growth 10%: last year 20
        (2024, 1, Decimal("9.5"), None, None),  # last year's own report wins over the 上年同期
    ]
    assert history_of(rows) == {
        (2025, 1): Decimal(12),
        (2025, 2): Decimal(22),
        (2024, 1): Decimal("9.5"),
        (2024, 2): Decimal(20),
    }


def file_report(*, year: int, month: int, figures: dict, zone=None, region=None) -> None:
    report = IndicatorReport.objects.create(zone=zone, region=region, year=year, month=month)
    for indicator, (value, last_year) in figures.items():
        IndicatorValue.objects.create(report=report, indicator=indicator, value=value, last_year=last_year)


@pytest.fixture
def dispatch(reference_data, xiaoyi, tunliu):
    """孝义 with all of 2024 and 2025 to April; 屯留 new this year; 吕梁's own March count."""
    output = Indicator.objects.get(name="规上工业增加值")
    firms = Indicator.objects.get(name="规上工业企业数")
    for month in range(1, 13):
        file_report(zone=xiaoyi, year=2024, month=month, figures={output: (10 * month, None), firms: (40, None)})
    for month, value in enumerate([12, 24, 36, 9999], start=1):  # April is after the month looked at
        file_report(zone=xiaoyi, year=2025, month=month, figures={output: (value, None), firms: (40 + month, None)})
    for month, value in enumerate([10, 20, 36], start=1):
        file_report(zone=tunliu, year=2025, month=month, figures={output: (value, 8 * month)})
    lvliang = Region.objects.get(code="141100")
    file_report(region=lvliang, year=2025, month=3, figures={firms: (300, None)})
    return {"output": output, "firms": firms, "lvliang": lvliang}


def test_forecasts_of_each_zone_in_one_query(dispatch, xiaoyi, tunliu):
    output, firms, lvliang = dispatch["output"], dispatch["firms"], dispatch["lvliang"]

    def run(zone_ids: list[int]) -> tuple[dict, int]:
        with CaptureQueriesContext(connection) as queries:
            result = zone_forecasts(
                IndicatorReport.objects.all(),
                zone_ids=zone_ids,
                indicators=[output, firms],
                year=2025,
                month=3,
                region=lvliang,
            )
        return result, len(queries)

    result, queries = run([xiaoyi.pk, tunliu.pk])
    assert queries == 1
    assert set(result) == {(xiaoyi.pk, output.pk), (xiaoyi.pk, firms.pk), (tunliu.pk, output.pk), (None, firms.pk)}
    shaped = result[(xiaoyi.pk, output.pk)]
    assert (shaped.method, shaped.next_value, shaped.year_end_value) == ("上年同期走势法", Decimal(48), Decimal(144))
    assert (shaped.backtest_error_pct, shaped.backtest_points) == (Decimal("0.0"), 2)
    # 屯留's 上年同期 covers only January–March, so no April or December of last year: the average.
    # Last year's 8, 16, 24 (from this year's 上年同期) are tested too and exact: 16.67% over 4 predictions.
    average = result[(tunliu.pk, output.pk)]
    assert (average.method, average.next_value, average.year_end_value) == ("按月均推算法", Decimal(48), Decimal(144))
    assert (average.backtest_error_pct, average.backtest_points) == (Decimal("4.2"), 4)
    level = result[(xiaoyi.pk, firms.pk)]
    assert (level.method, level.next_value, level.year_end_value) == ("按上月持平法", Decimal(43), Decimal(43))
    assert result[(None, firms.pk)].year_end_value == Decimal(300)

    # Out of the given reports, out of the forecasts; more zones, no more queries.
    scoped = zone_forecasts(
        IndicatorReport.objects.exclude(zone=tunliu),
        zone_ids=[xiaoyi.pk, tunliu.pk],
        indicators=[output],
        year=2025,
        month=3,
    )
    assert set(scoped) == {(xiaoyi.pk, output.pk)}
    more = [zone_create(name=f"新开发区{code}", region_code=code) for code in ("141182", "141122", "141121")]
    for zone in more:
        for month in (1, 2, 3):
            file_report(zone=zone, year=2025, month=month, figures={output: (month, None), firms: (5, None)})
    result, queries = run([xiaoyi.pk, tunliu.pk, *(zone.pk for zone in more)])
    assert queries == 1 and len(result) == 10
