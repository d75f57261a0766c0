# ruff: noqa: E501 (the SQL reads best unbroken)
"""The province dashboard against the bare SQL that gives the same numbers; a city's report.

    .venv/bin/python bench/dashboard.py [--zones 120] [--projects 60000] [--repeat 20]

Builds a scratch database (SQLite in a temporary directory, or a scratch database on the
PostgreSQL server of ``DATABASE_URL``), fills it with ``kaifaqu gen_synthetic``, and logs
in as the province office (every zone). Then, each the median of ``repeat`` runs:

- 驾驶舱（全省）: ``GET /dashboard/`` through the whole Django stack (middleware, scoping,
  selectors, template, chart data), and its SQL query count;
- 裸 SQL: the same figures from hand-written aggregate SQL on one cursor (stage, category,
  priority and 入统 counts; industries; zones with planned/completed sums and signed/started
  counts; overdue milestones per zone; completed investment by month; stalled and 亿元以上
  counts; the overdue and stalled lists), checked to give the dashboard's numbers;
- 月度报告（一个地市）: the monthly report of the city with most zones, content and .docx.

Goal: dashboard ≤ 2× the bare SQL, query count independent of data size (``--projects``
at two sizes shows it), a city's report ≤ 5 s.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from scratch import scratch_database  # bench/scratch.py (this folder is on the path)

ROOT = Path(__file__).resolve().parent.parent
LATER_THAN_SIGNED = ("signed", "filed", "started", "producing", "at_capacity")
LATER_THAN_STARTED = ("started", "producing", "at_capacity")


def bare_sql(cursor, vendor: str, zone_ids: list[int], year: int, today: datetime.date, stalled_days: int) -> dict:
    """The dashboard's numbers straight from SQL (what the selectors must not cost much more than)."""
    zones = ",".join(str(pk) for pk in zone_ids)
    scope = f"p.zone_id IN ({zones}) AND p.plan_year = {year}"
    signed = ",".join(f"'{stage}'" for stage in LATER_THAN_SIGNED)
    started = ",".join(f"'{stage}'" for stage in LATER_THAN_STARTED)
    month = (
        "CAST(strftime('%m', r.reported_on) AS INTEGER)" if vendor == "sqlite" else "EXTRACT(MONTH FROM r.reported_on)"
    )
    cutoff = today - datetime.timedelta(days=stalled_days)
    stalled_where = (
        f"{scope} AND p.stage NOT IN ('terminated', 'at_capacity') AND DATE(p.created_at) <= '{cutoff}' "
        f"AND NOT EXISTS (SELECT 1 FROM projects_progressreport r WHERE r.project_id = p.id AND r.reported_on > '{cutoff}')"
    )
    overdue_where = f"m.actual_on IS NULL AND m.planned_on < '{today}' AND {scope}"
    queries = {
        "pipeline": f"SELECT p.stage, p.terminated_from, c.name, p.priority_level, p.in_statistics, COUNT(*), SUM(p.total_investment) "
        f"FROM projects_project p LEFT JOIN projects_plancategory c ON c.id = p.plan_category_id WHERE {scope} GROUP BY 1, 2, 3, 4, 5",
        "categories": "SELECT name FROM projects_plancategory WHERE unit_id IS NULL",
        "industry": f"SELECT p.industry, COUNT(*), SUM(p.total_investment) FROM projects_project p WHERE {scope} GROUP BY 1",
        "zones": f"SELECT p.zone_id, COUNT(*), SUM(p.total_investment), SUM(p.year_planned_investment), "
        f"SUM(p.year_completed_investment), "
        f"SUM(CASE WHEN p.stage IN ({signed}) OR (p.stage = 'terminated' AND p.terminated_from IN ({signed})) THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN p.stage IN ({started}) OR (p.stage = 'terminated' AND p.terminated_from IN ({started})) THEN 1 ELSE 0 END) "
        f"FROM projects_project p WHERE {scope} GROUP BY 1",
        "zone names": f"SELECT id, name, short_name FROM zones_zone WHERE id IN ({zones})",
        "overdue by zone": f"SELECT p.zone_id, COUNT(*) FROM projects_milestone m JOIN projects_project p ON p.id = m.project_id "
        f"WHERE {overdue_where} GROUP BY 1",
        "overdue list": f"SELECT m.id, m.name, m.planned_on, p.name, z.name FROM projects_milestone m "
        f"JOIN projects_project p ON p.id = m.project_id JOIN zones_zone z ON z.id = p.zone_id "
        f"WHERE {overdue_where} ORDER BY m.planned_on, m.id LIMIT 20",
        "months": f"SELECT {month}, SUM(r.investment) FROM projects_progressreport r JOIN projects_project p ON p.id = r.project_id "
        f"WHERE {scope} AND r.reported_on BETWEEN '{year}-01-01' AND '{year}-12-31' GROUP BY 1",
        "over 100m": f"SELECT COUNT(*), SUM(p.total_investment) FROM projects_project p WHERE {scope} AND p.total_investment >= 10000",
        "stalled count": f"SELECT COUNT(*) FROM projects_project p WHERE {stalled_where}",
        "stalled list": f"SELECT p.id, p.name, z.name FROM projects_project p JOIN zones_zone z ON z.id = p.zone_id "
        f"WHERE {stalled_where} ORDER BY p.updated_at, p.id LIMIT 20",
        "funnel": f"SELECT p.stage, p.terminated_from, COUNT(*) FROM projects_project p WHERE {scope} GROUP BY 1, 2",
    }
    answers = {}
    for name, sql in queries.items():
        cursor.execute(sql)
        answers[name] = cursor.fetchall()
    return answers


def measure(args) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from kaifaqu.campaigns.models import Campaign
    from kaifaqu.investment.cards import investment_card
    from kaifaqu.investment.models import Activity
    from kaifaqu.projects.models import Project, local_today
    from kaifaqu.regions.models import Region
    from kaifaqu.reports.builders import monthly_report
    from kaifaqu.reports.docx import write_docx
    from kaifaqu.zones.models import Membership, Zone
    from kaifaqu.zones.services import unit_for_region

    setup_test_environment()
    call_command("migrate", verbosity=0)
    begin = time.perf_counter()
    call_command("gen_synthetic", zones=args.zones, projects=args.projects, seed=7, stdout=io.StringIO())
    generated = time.perf_counter() - begin
    user = get_user_model().objects.create_user("bench-province")
    Membership.objects.create(user=user, unit=unit_for_region(region=Region.objects.get(code="140000")))
    client = Client()
    client.force_login(user)
    year = Project.objects.aggregate(year=Max("plan_year"))["year"]  # the synthetic ledger's latest year
    url = f"/dashboard/?year={year}"
    for _ in range(3):
        assert client.get(url).status_code == 200
    page_times = []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            response = client.get(url)
            page_times.append(time.perf_counter() - begin)
    figures = response.context["figures"]
    zone_ids = sorted(Zone.objects.values_list("pk", flat=True))
    today = local_today()
    sql_times, answers = [], {}
    with connection.cursor() as cursor:
        for _ in range(args.repeat + 3):
            begin = time.perf_counter()
            answers = bare_sql(cursor, connection.vendor, zone_ids, year, today, figures.stalled_days)
            sql_times.append(time.perf_counter() - begin)
    sql_times = sql_times[3:]
    # The bare SQL must give the dashboard's numbers, or the comparison means nothing.
    assert sum(row[5] for row in answers["pipeline"]) == figures.pipeline.projects
    assert sum(Decimal(row[6]) for row in answers["pipeline"]) == figures.pipeline.total_investment
    assert sum(row[1] for row in answers["overdue by zone"]) == figures.overdue_count
    assert answers["stalled count"][0][0] == figures.stalled_count
    assert answers["over 100m"][0][0] == figures.over_100m.count
    counts: dict[str, int] = {}
    for code in Zone.objects.values_list("region__code", flat=True):
        counts[code[:4] + "00"] = counts.get(code[:4] + "00", 0) + 1
    city_code = max(counts, key=counts.get)
    city = Region.objects.get(code=city_code)
    report_times = []
    for _ in range(3):
        begin = time.perf_counter()
        content = monthly_report(
            city,
            Project.objects.visible_to(user),
            Campaign.objects.visible_to(user),
            year=year,
            month=today.month if year == today.year else 12,
            today=today,
            activities=Activity.objects.visible_to(user),
        )
        write_docx(content)
        report_times.append(time.perf_counter() - begin)
    # The 招商 card the dashboard shows (issue 19), alone: its share of the page.
    card_times = []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as card_queries:
            begin = time.perf_counter()
            investment_card(user, zones=Zone.objects.visible_to(user), year=year)
            card_times.append(time.perf_counter() - begin)
    return {
        "card_ms": statistics.median(card_times) * 1000,
        "card_queries": len(card_queries.captured_queries),
        "projects": Project.objects.count(),
        "generate_s": generated,
        "page_ms": statistics.median(page_times) * 1000,
        "queries": len(queries.captured_queries),
        "sql_ms": statistics.median(sql_times) * 1000,
        "sql_queries": len(answers),
        "report_s": statistics.median(report_times),
        "city": f"{city.name}（{counts[city_code]} 个开发区）",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=120)
    parser.add_argument("--projects", type=int, default=60000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    with tempfile.TemporaryDirectory() as workdir, scratch_database("kaifaqu_bench_dashboard") as url:
        os.environ["KAIFAQU_DATA_DIR"] = workdir
        os.environ["KAIFAQU_DEMO"] = "1"
        if url:
            os.environ["DATABASE_URL"] = url
        result = measure(args)
    print(
        f"kaifaqu dashboard benchmark — {database}, {args.zones} zones, {result['projects']} projects "
        f"(generated in {result['generate_s']:.1f} s), median of {args.repeat}"
    )
    print(f"{'ms':>9}{'ratio':>8}{'SQL':>6}  workload")
    print(f"{result['sql_ms']:>9.1f}{1:>8.2f}{result['sql_queries']:>6}  裸 SQL（同样的数字）")
    print(
        f"{result['page_ms']:>9.1f}{result['page_ms'] / result['sql_ms']:>8.2f}{result['queries']:>6}  驾驶舱（全省）"
    )
    print(
        f"{result['card_ms']:>9.1f}{result['card_ms'] / result['sql_ms']:>8.2f}{result['card_queries']:>6}"
        "  其中招商卡片（驾驶舱的一部分）"
    )
    print(f"{result['report_s'] * 1000:>9.0f}{'':>8}{'':>6}  月度报告 {result['city']}：内容与 .docx")


if __name__ == "__main__":
    main()
