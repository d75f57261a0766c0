"""The province roll-up: every zone ranked among the province's, each city's zones weighted by base, 全省."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaifaqu.indicators.models import AnnualTarget, Indicator, IndicatorReport, IndicatorValue
from kaifaqu.indicators.selectors import Figure, city_summary, province_summary
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone
from kaifaqu.zones.services import zone_create

YEAR, MONTH = 2024, 3
ADDED = "规上工业增加值"
INVEST = "工业投资"
# short name, county code, 规上工业增加值 (本年累计, 同比 %), 工业投资 (本年累计, 上年同期)
ZONES = [
    ("离石经开区", "141102", ("110", "10.0"), ("11", "10")),  # base 100
    ("孝义经开区", "141181", ("52.5", "5.0"), None),  # base 50
    ("汾阳经开区", "141182", ("19.6", "-2.0"), None),  # base 20
    ("屯留经开区", "140405", ("105", "5.0"), ("8", "10")),  # base 100, ties with 孝义 in the province
    ("潞城经开区", "140406", ("40", None), None),  # no growth: summed, never ranked nor weighted
]


def report(*, zone: Zone | None = None, region: str | None = None, figures: dict) -> IndicatorReport:
    """One month's approved report; ``figures``: indicator name → (value, last_year, growth_pct)."""
    made = IndicatorReport.objects.create(
        zone=zone, region_id=region, year=YEAR, month=MONTH, status=IndicatorReport.Status.APPROVED
    )
    indicators = {indicator.name: indicator for indicator in Indicator.objects.filter(name__in=figures)}
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            report=made,
            indicator=indicators[name],
            value=Decimal(value),
            last_year=None if last_year is None else Decimal(last_year),
            growth_pct=None if growth is None else Decimal(growth),
        )
        for name, (value, last_year, growth) in figures.items()
    )
    return made


@pytest.fixture
def province_data(db) -> dict[str, Zone]:
    """Two cities' zones (吕梁 three, 长治 two), 吕梁's own 全市 figures, and 全省 (no 全市 for 长治)."""
    zones = {}
    for short, code, added, invest in ZONES:
        zones[short] = zone = zone_create(
            name=short.replace("经开区", "经济技术开发区"), short_name=short, region_code=code
        )
        figures = {ADDED: (added[0], None, added[1])}
        if invest:
            figures[INVEST] = (invest[0], invest[1], None)
        report(zone=zone, figures=figures)
    report(region="141100", figures={ADDED: ("500", None, "3.0")})
    report(region="140000", figures={ADDED: ("1000", None, "4.0"), INVEST: ("90", "100", None)})
    return zones


def summarize(province: Region | None = None):
    return province_summary(
        province or Region.objects.get(code="140000"),
        year=YEAR,
        month=MONTH,
        zones=Zone.objects.all(),
        reports=IndicatorReport.objects.all(),
    )


def column(summary, name: str) -> tuple[dict[str, Figure], int]:
    indicator = Indicator.objects.get(name=name)
    return {zone.short_name: summary.by_zone[zone.pk][indicator.pk] for zone in summary.zones}, indicator.pk


def test_ranks_among_the_province_share_places_on_ties(province_data):
    figures, _ = column(summarize(), ADDED)
    assert {name: figure.province_rank for name, figure in figures.items()} == {
        "离石经开区": 1,
        "孝义经开区": 2,
        "屯留经开区": 2,  # the same 5.0% as 孝义, in another city: the same place
        "汾阳经开区": 4,  # after a tie, a place is skipped
        "潞城经开区": None,
    }
    # Within each city the rank is the city's own, as in the city table.
    assert {name: figure.rank for name, figure in figures.items()} == {
        "离石经开区": 1,
        "孝义经开区": 2,
        "汾阳经开区": 3,
        "屯留经开区": 1,
        "潞城经开区": None,
    }


def test_city_roll_ups_are_weighted_by_base_and_compared_with_the_province(province_data):
    summary = summarize()
    _, added = column(summary, ADDED)
    cities = {roll.city.name: roll for roll in summary.cities}
    assert list(cities) == ["长治市", "吕梁市"]  # by code
    lvliang = cities["吕梁市"].zones_total[added]
    # (110 + 52.5 + 19.6) ÷ (100 + 50 + 20) − 1 = 7.1%; the plain average of 10, 5, −2 would say 4.3%.
    assert (lvliang.value, lvliang.growth_pct, lvliang.pp_vs_region) == (
        Decimal("182.1"),
        Decimal("7.1"),
        Decimal("3.1"),
    )
    changzhi = cities["长治市"].zones_total[added]
    # 潞城's 40 without a growth is summed but not weighted: 105 ÷ 100 − 1.
    assert (changzhi.value, changzhi.growth_pct) == (Decimal("145"), Decimal("5.0"))
    assert cities["吕梁市"].region[added].growth_pct == Decimal("3.0")  # 全市 as reported
    assert cities["吕梁市"].region[added].pp_vs_region == Decimal("-1.0")  # against 全省 4.0
    assert cities["长治市"].region[added].value is None  # 长治 reported no 全市
    total = summary.zones_total[added]
    assert (total.value, total.growth_pct, total.pp_vs_region) == (Decimal("327.1"), Decimal("6.3"), Decimal("2.3"))
    assert summary.region[added].growth_pct == Decimal("4.0")


def test_zones_are_compared_with_the_province(province_data):
    figures, _ = column(summarize(), ADDED)
    assert figures["离石经开区"].pp_vs_region == Decimal("6.0")
    assert figures["汾阳经开区"].pp_vs_region == Decimal("-6.0")
    invest, _ = column(summarize(), INVEST)
    assert invest["屯留经开区"].growth_pct == Decimal("-20.0")  # 8 ÷ 10 − 1
    assert invest["屯留经开区"].pp_vs_region == Decimal("-10.0")  # 全省 90 ÷ 100 − 1 = −10%


def test_the_province_sentence(province_data):
    assert summarize().sentences == [
        "5个工业类开发区规上工业增加值完成327.10亿元，同比增长6.3%，高于全省平均增速2.3个百分点。",
        "2个工业类开发区工业投资完成19.00亿元，同比增长-5.0%，高于全省平均增速5.0个百分点。",
    ]


def test_the_city_table_agrees_with_the_province(province_data):
    lvliang = city_summary(
        Region.objects.get(code="141100"),
        year=YEAR,
        month=MONTH,
        zones=Zone.objects.all(),
        reports=IndicatorReport.objects.all(),
    )
    added = Indicator.objects.get(name=ADDED).pk
    province = summarize()
    roll = next(roll for roll in province.cities if roll.city.code == "141100")
    assert [zone.pk for zone in lvliang.zones] == [zone.pk for zone in roll.zones]
    for zone in lvliang.zones:
        city_figure, province_figure = lvliang.by_zone[zone.pk][added], province.by_zone[zone.pk][added]
        assert (city_figure.growth_pct, city_figure.rank) == (province_figure.growth_pct, province_figure.rank)
    assert lvliang.zones_total[added].growth_pct == roll.zones_total[added].growth_pct


def test_a_constant_number_of_queries(province_data, django_assert_max_num_queries):
    shanxi = Region.objects.get(code="140000")
    with CaptureQueriesContext(connection) as few:
        summarize(shanxi)
    # Another city's zones, with their targets: not one query more.
    indicator = Indicator.objects.get(name=ADDED)
    for number, code in enumerate(["140105", "140106", "140107", "140212", "140213"]):
        zone = zone_create(name=f"第{number}经济技术开发区", short_name=f"第{number}经开区", region_code=code)
        report(zone=zone, figures={ADDED: ("10", None, f"{number}.5"), INVEST: ("5", "4", None)})
        AnnualTarget.objects.create(zone=zone, indicator=indicator, year=YEAR, value=Decimal(40))
    with django_assert_max_num_queries(len(few.captured_queries)):
        summary = summarize(shanxi)
    assert len(summary.zones) == 10 and len(summary.cities) == 4
    assert len(few.captured_queries) <= 5


def test_targets_count_towards_completion(province_data):
    indicator = Indicator.objects.get(name=ADDED)
    AnnualTarget.objects.create(zone=province_data["离石经开区"], indicator=indicator, year=YEAR, value=Decimal(440))
    figures, _ = column(summarize(), ADDED)
    assert figures["离石经开区"].target_completion_pct == Decimal("25.0")


def province_json() -> dict:
    out = io.StringIO()
    call_command("indicators", "summary", "--province", "山西", "--period", "2024-03", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_command_adds_the_province_rank_to_the_city_keys(province_data):
    summary = province_json()
    assert summary["province"] == "山西省" and summary["period"] == "2024-03"
    assert summary["region"][ADDED] == {"value": "1000.00", "growth_pct": "4.0"}
    zones = {item["zone"]: item for item in summary["zones"]}
    xiaoyi = zones["孝义经济技术开发区"]
    assert xiaoyi["city"] == "吕梁市"
    assert xiaoyi["indicators"][ADDED] == {
        "value": "52.50",
        "growth_pct": "5.0",
        "pp_vs_region": "1.0",
        "target_completion_pct": None,
        "rank": "2",
        "province_rank": "2",
    }
    lvliang = next(city for city in summary["cities"] if city["city"] == "吕梁市")
    assert lvliang["zone_count"] == 3
    assert lvliang["region"][ADDED] == {"value": "500.00", "growth_pct": "3.0", "pp_vs_region": "-1.0"}
    assert lvliang["zones_total"][ADDED]["growth_pct"] == "7.1"
    assert "province_rank" not in summary["zones_total"][ADDED]
    assert summary["sentences"][0].startswith("5个工业类开发区规上工业增加值完成327.10亿元")


def test_the_command_in_words_and_its_arguments(province_data):
    out = io.StringIO()
    call_command("indicators", "summary", "--province", "山西省", "--period", "2024-03", stdout=out)
    text = out.getvalue()
    assert "山西省开发区 2024年1-3月主要经济指标（时间进度 25.0%）" in text
    assert "  吕梁市 3个开发区：182.10，同比 7.1%，比全省 +3.1 个百分点（全市 500.00，同比 3.0%）" in text
    assert "    屯留经开区：105.00，同比 5.0%，比全省 +1.0 个百分点，目标完成 —，市内第 1 名，全省第 2 名" in text
    with pytest.raises(CommandError):
        call_command("indicators", "summary", "--city", "吕梁", "--province", "山西", "--period", "2024-03")
    with pytest.raises(CommandError):
        call_command("indicators", "summary", "--period", "2024-03")
    with pytest.raises(CommandError, match="未找到省份“火星”"):
        call_command("indicators", "summary", "--province", "火星", "--period", "2024-03")
