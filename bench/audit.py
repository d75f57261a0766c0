"""Cost of the audit trail: the same writes with the trail on and off.

    .venv/bin/python bench/audit.py [--rows 400] [--bulk 5000] [--rounds 5]

Builds a scratch database (SQLite in a temporary directory, or a scratch database on the
PostgreSQL server of ``DATABASE_URL``), then times, as a zone's 项目专员:

- 批量登记: ``rows`` projects registered through ``project_create`` in one transaction
  inside ``trail.batch()`` (what an import that goes through the service does);
- 批量修改: ``rows`` edits through ``project_update``, batched the same way;
- 批量阶段变更: ``rows`` stage moves through ``project_move_stage``, batched;
- 批量导入: ``bulk`` projects written with ``bulk_create`` plus, with the trail on, their
  entries written by ``trail.record_bulk_create``;
- 逐条登记（不批量）: the same registrations without ``batch()``, each entry its own
  insert, as single edits from pages are (shown for comparison; the goal is for bulk writes).

"Off" replaces the trail's functions with no-ops for the duration of the run (the product
has no switch to turn the trail off; only this benchmark does, to measure its cost). Each
workload runs ``rounds`` times alternating on/off; the medians and the ratio on/off are
printed. Goal: ratio ≤ 1.3.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scratch import scratch_database  # bench/scratch.py (this folder is on the path)

ROOT = Path(__file__).resolve().parent.parent
TRAIL_FUNCTIONS = ("record_create", "record_update", "record_delete", "record_move", "record_bulk_create")


@contextlib.contextmanager
def trail_off():
    from kaifaqu.audit import trail

    saved = {name: getattr(trail, name) for name in (*TRAIL_FUNCTIONS, "snapshot", "stored_snapshot")}
    for name in TRAIL_FUNCTIONS:
        setattr(trail, name, lambda *args, **kwargs: None)
    trail.snapshot = trail.stored_snapshot = lambda instance: {}
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(trail, name, function)


def setup_world():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from kaifaqu.zones import roles
    from kaifaqu.zones.models import Unit
    from kaifaqu.zones.services import membership_set, zone_create

    zone = zone_create(name="孝义经济技术开发区", short_name="孝义经开区", region_code="141181")
    user = get_user_model().objects.create_user("bench-officer")
    membership_set(user=user, unit=Unit.objects.get(zone=zone), roles=[roles.PROJECT_OFFICER])
    return zone, user


def workloads(zone, user, rows: int, bulk: int):
    import datetime
    from decimal import Decimal

    from django.db import transaction

    from kaifaqu.audit import trail
    from kaifaqu.projects.models import Project
    from kaifaqu.projects.services import project_create, project_move_stage, project_update

    today = datetime.date.today()
    counter = iter(range(10**9))

    def create(batched: bool = True):
        with transaction.atomic(), trail.batch() if batched else contextlib.nullcontext():
            for _ in range(rows):
                n = next(counter)
                project_create(
                    user=user,
                    fields={
                        "name": f"项目{n}",
                        "zone": zone,
                        "total_investment": Decimal(n % 900 + 100),
                        "plan_year": today.year,
                    },
                )

    def update():
        projects = list(Project.objects.order_by("-id")[:rows])
        with transaction.atomic(), trail.batch():
            for project in projects:
                project_update(
                    user=user,
                    project=project,
                    fields={"total_investment": project.total_investment + 1, "agent": "李娜"},
                )

    def move():
        projects = list(Project.objects.filter(stage="planning").order_by("-id")[:rows])
        with transaction.atomic(), trail.batch():
            for project in projects:
                project_move_stage(user=user, project=project, to_stage="contact", dates={"contact_on": today})

    def bulk_import():
        with transaction.atomic():
            new = []
            for _ in range(bulk):
                n = next(counter)
                new.append(
                    Project(
                        name=f"导入项目{n}",
                        zone=zone,
                        total_investment=Decimal(n % 900 + 100),
                        plan_year=today.year,
                        created_by=user,
                    )
                )
            created = Project.objects.bulk_create(new, batch_size=500)
            trail.record_bulk_create(user=user, instances=created, note="导入")

    return {
        "批量登记": create,
        "批量修改": update,
        "批量阶段变更": move,
        "批量导入": bulk_import,
        "逐条登记（不批量）": lambda: create(batched=False),
    }


def measure(rows: int, bulk: int, rounds: int) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.settings")
    import django

    django.setup()
    zone, user = setup_world()
    results = {}
    jobs = workloads(zone, user, rows, bulk)
    # Prime: enough planning projects for every move round, and warm caches.
    for _ in range(rounds * 4 + 1):
        with trail_off():
            jobs["批量登记"]()
    for label, job in jobs.items():
        on, off = [], []
        for _ in range(rounds):
            begin = time.perf_counter()
            job()
            on.append(time.perf_counter() - begin)
            with trail_off():
                begin = time.perf_counter()
                job()
                off.append(time.perf_counter() - begin)
        results[label] = (statistics.median(on), statistics.median(off))
    from kaifaqu.audit.models import AuditEntry

    results["_entries"] = AuditEntry.objects.count()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--bulk", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    admin_url = os.environ.get("DATABASE_URL", "")
    database = "PostgreSQL" if admin_url.startswith("postgres") else "SQLite"
    with tempfile.TemporaryDirectory() as workdir, scratch_database("kaifaqu_bench_audit") as url:
        os.environ["KAIFAQU_DATA_DIR"] = workdir
        os.environ["KAIFAQU_DEMO"] = "1"
        if url:
            os.environ["DATABASE_URL"] = url
        results = measure(args.rows, args.bulk, args.rounds)
    entries = results.pop("_entries")
    print(f"kaifaqu audit-trail benchmark — {database}, median of {args.rounds} rounds (trail on and off alternate)")
    print(f"{'on ms':>9}{'off ms':>9}{'ratio':>7}  workload")
    for label, (on, off) in results.items():
        size = args.bulk if label == "批量导入" else args.rows
        print(f"{on * 1000:>9.1f}{off * 1000:>9.1f}{on / off:>7.2f}  {label}（{size} 条）")
    print(f"audit entries written: {entries}")


if __name__ == "__main__":
    main()
