# ruff: noqa: E501 (the SQL reads best unbroken)
"""月调度: the city matrix and the province summary against the bare SQL that fetches the same rows.

    .venv/bin/python bench/indicators.py [--zones 120] [--years 6] [--repeat 20]

Builds a scratch database (SQLite in a temporary directory, or a scratch database on the
PostgreSQL server of ``DATABASE_URL``) with one province (山西, 11 cities), ``zones`` zones
spread over its counties, 15 active indicators (the 12 shipped and 3 more), ``years`` × 12
months of reports with year-to-date figures (some with 上年同期, some with a reported growth)
from every zone, every city office (全市) and the province (全省), and annual targets.
Then, each the best of ``repeat`` runs, for the last month:

- 裸 SQL: the month's figures, targets, zones and indicators of the city (or province) on one
  cursor, checked to give the selectors' numbers;
- ``city_summary`` of the city with most zones, ``province_summary`` of the province;
- ``GET indicators:matrix?city=…&period=…`` as a superuser, when that page exists.

Goal: each ≤ 2× its bare SQL, a query count independent of the number of zones.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from scratch import scratch_database  # bench/scratch.py (this folder is on the path)

ROOT = Path(__file__).resolve().parent.parent
PROVINCE = "140000"
FIRST_YEAR = 2020
MORE_INDICATORS = (("社会消费品零售总额", "亿元", 2), ("规上服务业营业收入", "亿元", 2), ("新签约项目数", "个", 0))
CENT = Decimal("0.0001")


def build(zone_count: int, years: int, rng: random.Random) -> None:
    """Zones, indicators, reports, figures and targets, all by bulk_create."""
    from kaifaqu.indicators.models import Indicator
    from kaifaqu.regions.models import Region
    from kaifaqu.zones.models import Zone

    counties = list(Region.objects.filter(code__startswith="14", level=Region.Level.COUNTY).order_by("code"))
    # Cycling over the counties spreads zones over the cities as counties are: 临汾 gets most.
    Zone.objects.bulk_create(
        Zone(
            name=f"{counties[n % len(counties)].name}第{n}开发区",
            short_name=f"开发区{n}",
            region=counties[n % len(counties)],
        )
        for n in range(zone_count)
    )
    for name, unit, decimals in MORE_INDICATORS:
        Indicator.objects.get_or_create(name=name, defaults={"unit": unit, "decimals": decimals, "order": 200})
    indicators = list(Indicator.objects.filter(active=True))
    zones = list(Zone.objects.all())
    offices = [
        PROVINCE,
        *Region.objects.filter(code__startswith="14", level=Region.Level.CITY).values_list("code", flat=True),
    ]
    scale = {
        (owner, i.pk): Decimal(rng.randint(500, 50000))
        for owner in [*(z.pk for z in zones), *offices]
        for i in indicators
    }
    _targets(zones, indicators, years, scale)
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        _year(year, zones, offices, indicators, scale, rng)


def _targets(zones, indicators, years: int, scale: dict) -> None:
    from kaifaqu.indicators.models import AnnualTarget

    AnnualTarget.objects.bulk_create(
        (
            AnnualTarget(zone=zone, indicator=i, year=year, value=scale[(zone.pk, i.pk)] * Decimal("1.1"))
            for zone in zones
            for i in indicators
            for year in range(FIRST_YEAR, FIRST_YEAR + years)
        ),
        batch_size=2000,
    )


def _year(year: int, zones, offices: list[str], indicators, scale: dict, rng: random.Random) -> None:
    from kaifaqu.indicators.models import IndicatorReport, IndicatorValue

    approved = IndicatorReport.Status.APPROVED
    reports = [
        IndicatorReport(zone=zone, year=year, month=month, status=approved) for zone in zones for month in range(1, 13)
    ]
    reports += [
        IndicatorReport(region_id=code, year=year, month=month, status=approved)
        for code in offices
        for month in range(1, 13)
    ]
    IndicatorReport.objects.bulk_create(reports, batch_size=2000)
    values = []
    for report in reports:
        owner = report.zone_id or report.region_id
        for index, indicator in enumerate(indicators):
            values.append(_value(report, indicator, index, scale[(owner, indicator.pk)], rng))
    IndicatorValue.objects.bulk_create(values, batch_size=2000)


def _value(report, indicator, index: int, annual: Decimal, rng: random.Random):
    """A year-to-date figure: a third give 上年同期, a third a reported growth, a few neither."""
    from kaifaqu.indicators.models import IndicatorValue

    share = Decimal(report.month) / 12 if indicator.cumulative else Decimal(1)
    growth = Decimal(rng.randint(-300, 400)) / 10
    value = (annual * share * (1 + growth / 100)).quantize(CENT)
    figure = IndicatorValue(report=report, indicator=indicator, value=value)
    kind = (index + report.month) % 3
    if rng.random() < 0.05:
        return figure
    if kind == 0:
        figure.last_year = (annual * share).quantize(CENT)
    elif kind == 1:
        figure.growth_pct = growth
    else:
        figure.last_year, figure.growth_pct = (annual * share).quantize(CENT), growth
    return figure


def bare_sql(cursor, prefix: str, office_codes: list[str], year: int, month: int) -> dict[str, list]:
    """The rows the summary needs, fetched and nothing computed (what the selectors must not cost much more than)."""
    offices = ",".join(f"'{code}'" for code in office_codes)
    zones = f"z.region_id LIKE '{prefix}%'"
    queries = {
        "indicators": 'SELECT id, name, unit, decimals, higher_is_better FROM indicators_indicator WHERE active ORDER BY "order", id',
        "zones": f"SELECT z.id, z.name, z.short_name, z.sector, z.region_id FROM zones_zone z WHERE {zones} ORDER BY z.region_id, z.name",
        "offices": f"SELECT code, name FROM regions_region WHERE code IN ({offices})",
        # This month, and last year's same month: the base of figures that came without one.
        "figures": "SELECT r.zone_id, r.region_id, v.indicator_id, v.value, v.last_year, v.growth_pct, r.year "
        "FROM indicators_indicatorvalue v JOIN indicators_indicatorreport r ON r.id = v.report_id "
        "LEFT JOIN zones_zone z ON z.id = r.zone_id "
        f"WHERE r.year IN ({year}, {year - 1}) AND r.month = {month} AND ({zones} OR (r.zone_id IS NULL AND r.region_id IN ({offices})))",
        "targets": f"SELECT t.zone_id, t.indicator_id, t.value FROM indicators_annualtarget t JOIN zones_zone z ON z.id = t.zone_id "
        f"WHERE t.year = {year} AND {zones}",
    }
    answers = {}
    for name, sql in queries.items():
        cursor.execute(sql)
        answers[name] = cursor.fetchall()
    return answers


def best(run: Callable[[], object], repeat: int) -> tuple[float, object, float]:
    """The best time of ``repeat`` runs (after three to warm up) in ms, the last answer, the median time."""
    answer = None
    for _ in range(3):
        answer = run()
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        answer = run()
        times.append(time.perf_counter() - begin)
    return min(times) * 1000, answer, statistics.median(times) * 1000


def check(summary, answers: dict[str, list]) -> None:
    """The bare SQL must give the selectors' numbers, or the comparison means nothing."""
    year = summary.year
    zone_rows = [row for row in answers["figures"] if row[0] is not None and row[6] == year]
    assert len({row[0] for row in zone_rows}) == len(summary.zones)
    for indicator in summary.indicators:
        # str(): SQLite hands a bare cursor floats; their shortest form is the stored four decimals.
        total = sum((Decimal(str(row[3])) for row in zone_rows if row[2] == indicator.pk), Decimal(0))
        assert total == summary.zones_total[indicator.pk].value, (indicator.name, total)
    targets = sum(1 for by in summary.by_zone.values() for figure in by.values() if figure.target is not None)
    assert targets == len(answers["targets"])


def measure(args) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from kaifaqu.indicators.models import IndicatorReport, IndicatorValue
    from kaifaqu.indicators.selectors import city_summary, province_summary
    from kaifaqu.regions.models import Region
    from kaifaqu.zones.models import Zone

    setup_test_environment()
    call_command("migrate", verbosity=0)
    begin = time.perf_counter()
    build(args.zones, args.years, random.Random(7))
    built = time.perf_counter() - begin
    year, month = FIRST_YEAR + args.years - 1, 12
    province = Region.objects.get(code=PROVINCE)
    counts = Counter(code[:4] + "00" for code in Zone.objects.values_list("region_id", flat=True))
    city = Region.objects.get(code=max(counts, key=counts.get))
    city_codes = list(
        Region.objects.filter(code__startswith="14", level=Region.Level.CITY).values_list("code", flat=True)
    )
    scoped = {"zones": Zone.objects.all(), "reports": IndicatorReport.objects.all()}
    result = {
        "values": IndicatorValue.objects.count(),
        "built_s": built,
        "city": f"{city.name}（{counts[city.code]} 个开发区）",
    }
    rows = []
    with connection.cursor() as cursor:
        for label, prefix, offices, compute in (
            (
                f"city_summary {city.name}",
                city.scope_prefix,
                [city.code],
                lambda: city_summary(city, year=year, month=month, **scoped),
            ),
            (
                f"province_summary {province.name}",
                "14",
                [PROVINCE, *city_codes],
                lambda: province_summary(province, year=year, month=month, **scoped),
            ),
        ):
            sql_ms, answers, sql_median = best(lambda: bare_sql(cursor, prefix, offices, year, month), args.repeat)  # noqa: B023 (called at once)
            with CaptureQueriesContext(connection) as queries:
                summary = compute()
            check(summary, answers)
            ms, _, median = best(compute, args.repeat)
            rows.append((label, ms, median, len(queries.captured_queries), sql_ms, sql_median, len(answers)))
    result["rows"] = rows
    result["matrix"] = _matrix(city, year, month, args.repeat)
    result["period"] = f"{year}-{month:02d}"
    return result


def _matrix(city, year: int, month: int, repeat: int) -> tuple[float, float, int] | None:
    """``indicators:matrix`` through the whole Django stack, if that page exists yet."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("indicators:matrix")
    except NoReverseMatch:
        return None
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("bench-indicators", password=None))
    params = {"city": city.code, "period": f"{year}-{month:02d}"}

    def get():
        response = client.get(url, params)
        assert response.status_code == 200, response.status_code
        return response

    with CaptureQueriesContext(connection) as queries:
        get()
    count = len(queries.captured_queries)  # now: each request starts by emptying the query log
    ms, _, median = best(get, repeat)
    return ms, median, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=120)
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--scratch", default="kaifaqu_bench_indicators", help="PostgreSQL scratch database name")
    args = parser.parse_args()
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    with tempfile.TemporaryDirectory() as workdir, scratch_database(args.scratch) as url:
        os.environ["KAIFAQU_DATA_DIR"] = workdir
        os.environ["KAIFAQU_DEMO"] = "1"
        if url:
            os.environ["DATABASE_URL"] = url
        result = measure(args)
    print(
        f"kaifaqu indicators benchmark — {database}, {args.zones} zones × 15 indicators × {args.years} years "
        f"({result['values']} figures, built in {result['built_s']:.1f} s), period {result['period']}, "
        f"best (median) of {args.repeat}; biggest city {result['city']}"
    )
    print(f"{'ms':>8}{'median':>8}{'ratio':>7}{'SQL':>5}  workload")
    for label, ms, median, queries, sql_ms, sql_median, sql_queries in result["rows"]:
        print(f"{sql_ms:>8.2f}{sql_median:>8.2f}{1:>7.2f}{sql_queries:>5}  裸 SQL（{label.split()[1]}，同样的行）")
        print(f"{ms:>8.2f}{median:>8.2f}{ms / sql_ms:>7.2f}{queries:>5}  {label}")
    city_sql_ms = result["rows"][0][4]
    if result["matrix"] is None:
        print(f"{'':>8}{'':>8}{'':>7}{'':>5}  indicators:matrix 页面尚不存在（NoReverseMatch），未计时")
    else:
        ms, median, queries = result["matrix"]
        print(
            f"{ms:>8.2f}{median:>8.2f}{ms / city_sql_ms:>7.2f}{queries:>5}  GET indicators:matrix {result['city']}（比城市裸 SQL）"
        )


if __name__ == "__main__":
    main()
