"""考核: the city template run over a province's zones, against the 月调度 reads it stands on.

    .venv/bin/python bench/evaluation.py [--zones 120] [--repeat 5]

Builds the indicators benchmark's province (``bench/indicators.py``: ``zones`` zones over 山西's
counties, 15 indicators, two years of approved monthly reports and annual targets), gives each zone
ten requests in the last month, and copies the shipped city template (``city_monthly``) as a
province scheme scoring every zone. Then, each the best of ``repeat``:

- floor: ``city_summary`` of every city for the month — the 月调度 figures a ranking of the
  province's zones cannot do without, and the bulk of what a run reads;
- ``run_scheme``: every item measured and scored, totals and places, the run and its scores written.

Goal: ``run_scheme`` within 2× its floor, and a query count that does not grow with the zones (the
same run at half the zones prints its count too).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from indicators import FIRST_YEAR, best, build  # bench/indicators.py (this folder is on the path)
from scratch import scratch_database

ROOT = Path(__file__).resolve().parent.parent
YEARS = 2


def requests(month: datetime.date, rng: random.Random) -> int:
    """Ten requests per zone received in ``month``: most closed in time, some late, some still open."""
    from kaifaqu.services.models import ServiceRequest
    from kaifaqu.zones.models import Zone

    rows = []
    for zone_id in Zone.objects.values_list("pk", flat=True):
        for n in range(10):
            received = month + datetime.timedelta(days=n)
            due = received + datetime.timedelta(days=10)
            done = rng.random() < 0.8
            late = rng.random() < 0.2
            rows.append(
                ServiceRequest(
                    zone_id=zone_id,
                    title=f"诉求{n}",
                    category="utilities",
                    received_on=received,
                    due_on=due,
                    resolved_on=(due + datetime.timedelta(days=3) if late else received) if done else None,
                    satisfaction=rng.randint(2, 5) if done else None,
                    status=ServiceRequest.Status.RATED if done else ServiceRequest.Status.ASSIGNED,
                )
            )
    ServiceRequest.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def scheme(name: str):
    """The city template copied for the province: every zone of 山西 is scored."""
    from kaifaqu.evaluation.services import scheme_copy
    from kaifaqu.evaluation.templates import scheme_fields, template
    from kaifaqu.regions.models import Region

    data = template("city_monthly")
    fields = scheme_fields(data) | {"name": name, "zone": None, "region": Region.objects.get(code="140000")}
    return scheme_copy(user=None, source=data, fields=fields)


def measure(args) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from kaifaqu.evaluation.services import run_scheme
    from kaifaqu.indicators.models import IndicatorReport
    from kaifaqu.indicators.selectors import city_summary, of_record
    from kaifaqu.regions.models import Region
    from kaifaqu.zones.models import Zone

    setup_test_environment()
    call_command("migrate", verbosity=0)
    rng = random.Random(21)
    begin = time.perf_counter()
    build(args.zones, YEARS, rng)
    year, month = FIRST_YEAR + YEARS - 1, 12
    made = requests(datetime.date(year, month, 1), rng)
    built = time.perf_counter() - begin
    period, today = f"{year}-{month:02d}", datetime.date(year + 1, 1, 20)
    cities = list(Region.objects.filter(code__startswith="14", level=Region.Level.CITY))
    zones, reports = Zone.objects.all(), of_record(IndicatorReport.objects.all())

    def floor():
        return [city_summary(city, year=year, month=month, zones=zones, reports=reports) for city in cities]

    province = scheme("全省开发区月度考核")

    def run():
        return run_scheme(user=None, scheme=province, period=period, today=today)

    floor_ms, _, floor_median = best(floor, args.repeat)
    run_ms, last, run_median = best(run, args.repeat)
    items = len(last.items)
    with CaptureQueriesContext(connection) as queries:
        full = run()
    scored = full.scores.count()
    counts = {scored: len(queries.captured_queries)}
    # The same run over every other zone, in as many cities: the others leave the province (北京's codes).
    moved = list(Zone.objects.order_by("pk").values_list("pk", flat=True))[::2]
    Zone.objects.filter(pk__in=moved).update(region_id="110101")
    with CaptureQueriesContext(connection) as queries:
        half = run()
    counts[half.scores.count()] = len(queries.captured_queries)
    return {
        "built_s": built,
        "requests": made,
        "period": period,
        "scored": scored,
        "items": items,
        "floor": (floor_ms, floor_median, len(cities)),
        "run": (run_ms, run_median),
        "queries": counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scratch", default="kaifaqu_bench_evaluation", help="PostgreSQL scratch database name")
    args = parser.parse_args()
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    with tempfile.TemporaryDirectory() as workdir, scratch_database(args.scratch) as url:
        os.environ["KAIFAQU_DATA_DIR"] = workdir
        os.environ["KAIFAQU_DEMO"] = "1"
        if url:
            os.environ["DATABASE_URL"] = url
        result = measure(args)
    floor_ms, floor_median, cities = result["floor"]
    run_ms, run_median = result["run"]
    print(
        f"kaifaqu evaluation benchmark — {database}, {args.zones} zones, {result['requests']} requests, "
        f"period {result['period']} (built in {result['built_s']:.1f} s), best (median) of {args.repeat}"
    )
    print(f"{'ms':>9}{'median':>9}{'ratio':>7}  workload")
    print(f"{floor_ms:>9.1f}{floor_median:>9.1f}{1:>7.2f}  floor: city_summary of the {cities} cities")
    print(
        f"{run_ms:>9.1f}{run_median:>9.1f}{run_ms / floor_ms:>7.2f}  run_scheme: city template, "
        f"{result['items']} items × {result['scored']} zones, run and scores written"
    )
    print("queries per run: " + "; ".join(f"{zones} zones {count}" for zones, count in result["queries"].items()))


if __name__ == "__main__":
    main()
