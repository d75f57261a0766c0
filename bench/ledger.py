"""Benchmark of the project ledger's pages at 1× and 10× data.

    .venv/bin/python bench/ledger.py [--base 6000] [--zones 120] [--repeat 30]

For each scale it builds a fresh database (SQLite in a temporary directory, or the
PostgreSQL server of ``DATABASE_URL`` with a scratch database per scale), fills it with
``kaifaqu gen_synthetic``, then times the pages in-process through the whole Django stack
(middleware, scoping, templates) as a province office user who sees every zone:

- the project list filtered to the province's started 市重点 projects, page 1 (a full page at both
  scales), and filtered to one zone, sorted by total investment, page 1;
- a project's detail page (with milestones, progress and history);
- a zone's overview page.

It prints the median server time and the SQL query count of each page at both scales and
the ratios 10×/1×. Goal: query counts independent of data size; time ratio ≤ 1.3.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scratch import scratch_database  # bench/scratch.py (this folder is on the path)

ROOT = Path(__file__).resolve().parent.parent


def measure(args) -> dict:
    """Runs in a child process whose environment points at the scale's own database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from kaifaqu.projects.models import Project, Stage
    from kaifaqu.regions.models import Region
    from kaifaqu.zones.models import Membership, Zone
    from kaifaqu.zones.services import unit_for_region

    setup_test_environment()
    started = time.perf_counter()
    call_command("gen_synthetic", zones=args.zones, projects=args.projects, seed=7, stdout=io.StringIO())
    generated = time.perf_counter() - started
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("bench-province")
    Membership.objects.create(user=user, unit=unit_for_region(region=Region.objects.get(code="140000")))
    client = Client()
    client.force_login(user)

    # The same zone and project at both scales: the first zone, and its first started
    # project that has milestones, progress and history.
    zone = Zone.objects.order_by("pk").first()
    project = (
        Project.objects.filter(zone=zone, stage=Stage.STARTED, progress_reports__isnull=False).order_by("pk").first()
    )
    pages = {
        "项目列表（全省在建市重点，第1页）": "/projects/?stage=started&priority_level=city",
        "项目列表（一个开发区，按投资排序，第1页）": f"/projects/?zone={zone.pk}&o=-total_investment",
        "项目详情": f"/projects/{project.pk}/",
        "开发区总览": f"/zones/{zone.pk}/",
    }
    results = {}
    for label, url in pages.items():
        for _ in range(3):  # warm caches and connections
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - begin)
            assert response.status_code == 200, url
        results[label] = {"ms": statistics.median(times) * 1000, "queries": len(queries.captured_queries)}
    return {
        "projects": Project.objects.count(),
        "zone_projects": zone.projects.count(),
        "generate_s": generated,
        "pages": results,
    }


def run_scale(projects: int, args, workdir: Path) -> dict:
    env = os.environ | {"KAIFAQU_DEMO": "1", "KAIFAQU_DATA_DIR": str(workdir / str(projects))}
    with scratch_database(f"kaifaqu_bench_{projects}") as url:
        if url:
            env["DATABASE_URL"] = url
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--projects",
                str(projects),
                "--zones",
                str(args.zones),
                "--repeat",
                str(args.repeat),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if child.returncode:
        sys.exit(f"benchmark at {projects} projects failed:\n{child.stderr}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=6000, help="projects at 1× (10× is ten times that)")
    parser.add_argument("--zones", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--projects", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args), ensure_ascii=False))
        return
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    with tempfile.TemporaryDirectory() as workdir:
        small = run_scale(args.base, args, Path(workdir))
        large = run_scale(args.base * 10, args, Path(workdir))
    print(f"kaifaqu ledger benchmark — {database}, {args.zones} zones, median of {args.repeat} requests")
    print(
        f"data: 1× = {small['projects']} projects ({small['zone_projects']} in the measured zone, generated in "
        f"{small['generate_s']:.1f} s); 10× = {large['projects']} projects ({large['zone_projects']} in the zone, "
        f"generated in {large['generate_s']:.1f} s)"
    )
    print(f"{'1× ms':>8}{'10× ms':>8}{'ratio':>7}{'1× SQL':>8}{'10× SQL':>8}  page")
    for label, one in small["pages"].items():
        ten = large["pages"][label]
        ratio = ten["ms"] / one["ms"]
        print(f"{one['ms']:>8.1f}{ten['ms']:>8.1f}{ratio:>7.2f}{one['queries']:>8}{ten['queries']:>8}  {label}")


if __name__ == "__main__":
    main()
