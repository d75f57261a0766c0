"""The demo's 考核 (issue 21): 吕梁市开发区月度考核, the city template on 吕梁's zones, published for the
last complete month and the one before with their 信息报送红黑榜 — its scores worked out again by hand
from the records behind them."""

import io
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command

from kaifaqu.evaluation import periods
from kaifaqu.evaluation.models import HonorList, Run, Scheme
from kaifaqu.indicators.models import AnnualTarget, IndicatorValue
from kaifaqu.projects.models import local_today
from kaifaqu.zones.models import Zone

TENTH, HUNDREDTH = Decimal("0.1"), Decimal("0.01")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        from kaifaqu.demo.services import _wipe

        _wipe()
        Zone.objects.all().delete()


def growth(value: IndicatorValue) -> Decimal | None:
    """The 月调度's rule: the stated growth, else over the stated 上年同期, else over last year's
    approved report of the same month."""
    if value.growth_pct is not None:
        return value.growth_pct.quantize(TENTH, ROUND_HALF_UP)
    base = value.last_year
    if base is None:
        earlier = IndicatorValue.objects.filter(
            report__zone=value.report.zone,
            report__year=value.report.year - 1,
            report__month=value.report.month,
            report__status="approved",
            indicator=value.indicator,
        ).first()
        base = earlier.value if earlier else None
    if not base:
        return None
    return ((value.value / base - 1) * 100).quantize(TENTH, ROUND_HALF_UP)


def places(values: dict[str, Decimal]) -> dict[str, int]:
    ordered = sorted(values.values(), reverse=True)
    return {name: ordered.index(value) + 1 for name, value in values.items()}  # ties share the better place


def approved_values(period, indicator: str) -> dict[str, IndicatorValue]:
    rows = IndicatorValue.objects.filter(
        report__year=period.year,
        report__month=period.number,
        report__status="approved",
        report__zone__region__code__startswith="1411",
        indicator__name=indicator,
    ).select_related("report__zone")
    return {row.report.zone.short_name or row.report.zone.name: row for row in rows}


@pytest.mark.django_db
def test_the_city_template_on_lvliang_matches_a_hand_computation(demo):
    scheme = Scheme.objects.get(name="吕梁市开发区月度考核")
    last = periods.last_complete("month", local_today())
    run = Run.objects.get(scheme=scheme, period=last.key, status=Run.Status.PUBLISHED)
    assert Run.objects.get(scheme=scheme, period=last.previous().key).status == Run.Status.PUBLISHED
    ids = {item["name"]: str(item["id"]) for item in run.items}
    scores = {score.subject_name: score for score in run.scores.all()}
    lvliang = Zone.objects.filter(region__code__startswith="1411")
    assert set(scores) == {zone.short_name or zone.name for zone in lvliang}

    def points(name: str, item: str) -> Decimal:
        return Decimal(scores[name].items[ids[item]]["score"])

    # 规上工业增加值增速: 15 to the first, one less per place; zones without an approved figure score 0.
    growths = {
        name: g for name, value in approved_values(last, "规上工业增加值").items() if (g := growth(value)) is not None
    }
    for name, place in places(growths).items():
        assert points(name, "规上工业增加值增速") == Decimal(15 - (place - 1)), name
    for name in set(scores) - set(growths):
        assert points(name, "规上工业增加值增速") == 0
    # 税收收入年度目标完成率: 15 × completion (capped at 100%), the completion rounded to 0.1% first.
    for name, value in approved_values(last, "税收收入").items():
        target = AnnualTarget.objects.filter(zone=value.report.zone, indicator=value.indicator, year=last.year).first()
        if target is None:
            continue
        completion = (value.value / target.value * 100).quantize(TENTH, ROUND_HALF_UP)
        expected = (min(completion / 100, Decimal(1)) * 15).quantize(HUNDREDTH, ROUND_HALF_UP)
        assert points(name, "税收收入年度目标完成率") == expected, name
    # The published 红黑榜 feed the scores: a black entry costs the 5 points, a red one adds 1.
    honor_list = HonorList.objects.get(scheme=scheme, period=last.key, status=HonorList.Status.PUBLISHED)
    sides = {entry.subject_name: entry.side for entry in honor_list.entries.filter(removed=False)}
    for name in scores:
        assert points(name, "信息报送黑榜") == (0 if sides.get(name) == "black" else 5)
        assert points(name, "信息报送红榜") == (1 if sides.get(name) == "red" else 0)
    # Each total is its items added up; places follow the totals, ties sharing the better place.
    for name, score in scores.items():
        assert score.total == sum(Decimal(found["score"]) for found in score.items.values()), name
    assert {name: score.rank for name, score in scores.items()} == places(
        {name: score.total for name, score in scores.items()}
    )


@pytest.mark.django_db
def test_the_month_before_last_has_a_late_zone_on_the_black_list(demo):
    last = periods.last_complete("month", local_today())
    out = io.StringIO()
    call_command(
        "honor_list", "--scheme", "吕梁市开发区月度考核", "--period", last.previous().key, "--json", stdout=out
    )
    lists = json.loads(out.getvalue())
    assert lists["status"] == "已公示"
    assert [entry["subject"] for entry in lists["black"]] == ["文水经开区"]
    assert "晚于截止日" in lists["black"][0]["reason"] and "退回修改1次" in lists["black"][0]["reason"]
    assert len(lists["red"]) >= 4 and all("按时报送" in entry["reason"] for entry in lists["red"])
