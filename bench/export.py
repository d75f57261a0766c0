"""Speed of the project ledger export: xlsx against CSV of the same rows, in the same run.

    .venv/bin/python bench/export.py [--projects 60000] [--zones 120] [--rounds 3]

On a scratch database (SQLite in a temporary directory, or a scratch database on the
PostgreSQL server of ``DATABASE_URL``) ``kaifaqu gen_synthetic`` builds ``projects``
projects, then this times, as a province office would export them all:

- 读行: only yielding the ledger's rows (the queries and values every format needs);
- CSV: ``export_projects_csv``, the rows written as UTF-8 CSV;
- xlsx: ``export_projects_xlsx``, the office layout (title, 序号, header, 合计) streamed.

Each is the median of ``rounds``. Goal: xlsx ≤ 5× CSV (a 60,000-row ledger must be
written well within a web worker's timeout, or in the background above the threshold).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scratch import scratch_database  # bench/scratch.py (this folder is on the path)

ROOT = Path(__file__).resolve().parent.parent


def timed(job, rounds: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(rounds):
        begin = time.perf_counter()
        result = job()
        times.append(time.perf_counter() - begin)
    return statistics.median(times), result


def measure(args) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from kaifaqu.projects.ledger.export import export_projects_csv, export_projects_xlsx, project_rows
    from kaifaqu.projects.models import Project

    call_command("migrate", verbosity=0)
    begin = time.perf_counter()
    call_command("gen_synthetic", zones=args.zones, projects=args.projects, seed=7, stdout=io.StringIO())
    results: dict = {"_build": time.perf_counter() - begin}
    projects = Project.objects.all()
    results["_count"] = projects.count()

    def xlsx() -> int:
        buffer = io.BytesIO()
        export_projects_xlsx(buffer, projects)
        return len(buffer.getvalue())

    results["读行"], _ = timed(lambda: sum(1 for _ in project_rows(projects)), args.rounds)
    results["CSV"], results["_csv_size"] = timed(lambda: len(export_projects_csv(projects)), args.rounds)
    results["xlsx"], results["_xlsx_size"] = timed(xlsx, args.rounds)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=60000)
    parser.add_argument("--zones", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    admin_url = os.environ.get("DATABASE_URL", "")
    database = "PostgreSQL" if admin_url.startswith("postgres") else "SQLite"
    with tempfile.TemporaryDirectory() as workdir, scratch_database("kaifaqu_bench_export") as url:
        os.environ["KAIFAQU_DATA_DIR"] = workdir
        if url:
            os.environ["DATABASE_URL"] = url
        results = measure(args)
    print(f"kaifaqu export benchmark — {database}, {results['_count']} projects, median of {args.rounds} rounds")
    print(f"data built in {results['_build']:.1f} s")
    print(f"{'ms':>9}{'× CSV':>9}{'MB':>8}  workload")
    for label, size in (("读行", None), ("CSV", "_csv_size"), ("xlsx", "_xlsx_size")):
        megabytes = f"{results[size] / 1024 / 1024:8.1f}" if size else " " * 8
        print(f"{results[label] * 1000:>9.0f}{results[label] / results['CSV']:>9.2f}{megabytes}  {label}")
    ratio = results["xlsx"] / results["CSV"]
    print(f"xlsx/CSV = {ratio:.2f} (goal ≤ 5)")


if __name__ == "__main__":
    main()
