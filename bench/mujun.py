"""亩均效益评价: a city grading its zones' enterprises for a year, against reading their figures.

    .venv/bin/python bench/mujun.py [--enterprises 5000] [--zones 12] [--repeat 5]

Builds ``zones`` zones in 吕梁市 holding ``enterprises`` enterprises, each with a year of figures
(a tenth without 能耗 or 研发, a few under 3 亩, some without the year at all), and a city scheme on
浙江's method. Then, each the best of ``repeat``:

- floor: the year's figures of the covered enterprises read into memory — what any grading must read;
- ``grade_year``: figures and 经营状态 read, every enterprise scored and graded, the year's grades
  replaced (deleted and written again, excluded ones with their reason).

No goal is set by the issue; the ratio says what grading costs over the read it cannot avoid.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from indicators import best  # bench/indicators.py (this folder is on the path)
from scratch import scratch_database

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025


def build(zones: int, enterprises: int, rng: random.Random) -> None:
    from kaifaqu.enterprises.models import Enterprise, EnterpriseFigures
    from kaifaqu.zones.services import zone_create

    made = [
        zone_create(name=f"吕梁第{n + 1}开发区", short_name=f"吕梁{n + 1}区", region_code="141102")
        for n in range(zones)
    ]
    Enterprise.objects.bulk_create(
        [Enterprise(name=f"企业{n:05d}", zone=made[n % zones]) for n in range(enterprises)], batch_size=2000
    )
    rows = []
    for enterprise_id in Enterprise.objects.values_list("pk", flat=True):
        if rng.random() < 0.03:
            continue  # not reported: 待补录
        land = Decimal(2 if rng.random() < 0.05 else rng.randint(10, 800))  # a few under 3 亩
        revenue = land * rng.randint(20, 400)
        value_added = revenue * Decimal("0.25")
        partial = rng.random() < 0.1
        rows.append(
            EnterpriseFigures(
                enterprise_id=enterprise_id,
                year=YEAR,
                land_mu=land,
                revenue=revenue,
                tax=revenue * Decimal("0.04"),
                value_added=value_added,
                energy_tce=None if partial else value_added / rng.randint(1, 4),
                rd_spend=None if partial else revenue * Decimal("0.02"),
            )
        )
    EnterpriseFigures.objects.bulk_create(rows, batch_size=2000)


def measure(args) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from kaifaqu.enterprises.models import EnterpriseFigures
    from kaifaqu.land.models import MuJunGrade, MuJunScheme
    from kaifaqu.land.services import covered_enterprises, grade_year
    from kaifaqu.regions.models import Region

    setup_test_environment()
    call_command("migrate", verbosity=0)
    build(args.zones, args.enterprises, random.Random(22))
    scheme = MuJunScheme.objects.create(name="吕梁市亩均效益评价", region=Region.objects.get(code="141100"))

    def floor():
        rows = EnterpriseFigures.objects.filter(enterprise__in=covered_enterprises(scheme), year=YEAR, month=None)
        return len(list(rows))

    def run():
        return grade_year(user=None, scheme=scheme, year=YEAR)

    floor_ms, read, floor_median = best(floor, args.repeat)
    run_ms, done, run_median = best(run, args.repeat)
    return {
        "read": read,
        "graded": len(done.grading.graded),
        "counts": done.grading.counts(),
        "kept": MuJunGrade.objects.filter(scheme=scheme, year=YEAR).count(),
        "floor": (floor_ms, floor_median),
        "run": (run_ms, run_median),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--zones", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scratch", default="kaifaqu_bench_mujun", help="PostgreSQL scratch database name")
    args = parser.parse_args()
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    with tempfile.TemporaryDirectory() as workdir, scratch_database(args.scratch) as url:
        os.environ["KAIFAQU_DATA_DIR"] = workdir
        os.environ["KAIFAQU_DEMO"] = "1"
        if url:
            os.environ["DATABASE_URL"] = url
        result = measure(args)
    floor_ms, floor_median = result["floor"]
    run_ms, run_median = result["run"]
    counts = "，".join(f"{grade}类{count}户" for grade, count in result["counts"].items())
    print(
        f"kaifaqu 亩均 benchmark — {database}, {args.enterprises} enterprises in {args.zones} zones, "
        f"best (median) of {args.repeat}"
    )
    print(f"{'ms':>9}{'median':>9}{'ratio':>7}  workload")
    print(
        f"{floor_ms:>9.1f}{floor_median:>9.1f}{1:>7.2f}  floor: the year's figures of {result['read']} enterprises read"
    )
    print(
        f"{run_ms:>9.1f}{run_median:>9.1f}{run_ms / floor_ms:>7.2f}  grade_year: {result['graded']} graded ({counts}), "
        f"{result['kept']} rows kept with the not graded"
    )


if __name__ == "__main__":
    main()
