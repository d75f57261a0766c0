"""The dashboard's figures against data counted by hand, and each figure's link to its projects."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaifaqu.dashboard.selectors import dashboard
from kaifaqu.projects.models import Project
from kaifaqu.projects.services import milestone_create, progress_create

TODAY = datetime.date(2025, 6, 30)
YEAR = 2025


@pytest.fixture
def ledger(make_project, admin_user, tunliu):
    """孝义: five 2025 projects and one of 2024; 屯留: one 2025 project."""
    code = iter(f"2025-141181-26-03-{n:06d}" for n in range(1, 100))

    def make(name, wan, stage="planning", day=datetime.date(2025, 2, 1), **fields):
        dates = {}
        for step in ("signed", "filed", "started", "producing"):
            dates[f"{step}_on"] = day
            if step == stage:
                break
        if stage in ("filed", "started", "producing"):
            fields["project_code"] = next(code)
        return make_project(
            name,
            stage=stage,
            stage_dates=dates if stage != "planning" else None,
            total_investment=Decimal(wan),
            plan_year=fields.pop("plan_year", YEAR),
            **fields,
        )

    projects = {
        "hydrogen": make("氢能项目", 120000, "started", industry="新能源", year_planned_investment=Decimal(30000)),
        "coke": make("焦化项目", 50000, "producing", industry="焦化", year_planned_investment=Decimal(10000)),
        "chem": make("精细化工项目", 8000, "signed", industry="焦化"),
        "lead": make("招商线索", 2000, industry=""),
        "old": make("去年的项目", 99999, "started", industry="焦化", plan_year=2024),
    }
    projects["tunliu"] = make_project(
        "屯留光伏项目", zone=tunliu, user=admin_user, total_investment=Decimal(30000), plan_year=YEAR, industry="新能源"
    )
    # Completed investment through progress reports: March and May.
    progress_create(
        user=admin_user,
        project=projects["hydrogen"],
        reported_on=datetime.date(2025, 3, 10),
        text="主体施工",
        investment=Decimal(6000),
    )
    progress_create(
        user=admin_user,
        project=projects["coke"],
        reported_on=datetime.date(2025, 5, 20),
        text="设备安装",
        investment=Decimal(1500),
    )
    milestone_create(
        user=admin_user, project=projects["hydrogen"], name="主体封顶", planned_on=datetime.date(2025, 6, 1)
    )
    milestone_create(user=admin_user, project=projects["coke"], name="竣工验收", planned_on=datetime.date(2025, 8, 1))
    # Registered long ago: 招商线索 and 精细化工 have no recent report; 氢能 and 焦化 reported above.
    Project.objects.update(created_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    return projects


def test_figures_of_a_zone_and_year_match_the_hand_count(ledger, xiaoyi):
    figures = dashboard(Project.objects.filter(zone=xiaoyi), year=YEAR, today=TODAY, stalled_days=60)
    assert figures.pipeline.projects == 4  # the 2024 project is not in 2025's ledger
    assert figures.pipeline.total_investment == Decimal(180000)
    start = figures.pipeline.rates["start"]
    assert (start.numerator, start.denominator, start.display) == (2, 3, "66.7%")
    production = figures.pipeline.rates["production"]
    assert (production.numerator, production.denominator) == (1, 2)
    assert figures.year_completed == Decimal(7500) and figures.year_planned == Decimal(40000)
    assert figures.completion_pct == Decimal("18.8")
    assert figures.completed_by_month[2] == Decimal(6000) and figures.completed_by_month[4] == Decimal(1500)
    assert sum(figures.completed_by_month) == figures.year_completed
    assert [(name, bucket.count, bucket.investment) for name, bucket in figures.by_industry] == [
        ("新能源", 1, Decimal(120000)),
        ("焦化", 2, Decimal(58000)),
        ("未填写", 1, Decimal(2000)),
    ]
    assert (figures.over_100m.count, figures.over_100m.investment) == (2, Decimal(170000))  # 5亿 counts too
    assert figures.overdue_count == 1 and figures.overdue[0].days_overdue == 29
    # No report in the last 60 days: 精细化工 and 招商线索 (氢能's March report is older too).
    assert figures.stalled_count == 3
    assert {project.name for project in figures.stalled} == {"精细化工项目", "招商线索", "氢能项目"}


def test_zones_are_ranked_by_completed_investment(ledger):
    figures = dashboard(Project.objects.all(), year=YEAR, today=TODAY)
    assert [(zone.name, zone.count, zone.year_completed) for zone in figures.by_zone] == [
        ("孝义经开区", 4, Decimal(7500)),
        ("屯留经开区", 1, Decimal(0)),
    ]
    assert figures.pipeline.projects == 5 and figures.by_park == []


def test_query_count_does_not_grow_with_the_data(ledger, make_project, xiaoyi):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            dashboard(Project.objects.all(), year=YEAR, today=TODAY)
        return len(queries)

    before = count_queries()
    for number in range(15):
        make_project(
            f"新增项目{number}", total_investment=Decimal(100 + number), plan_year=YEAR, industry=f"产业{number}"
        )
    assert count_queries() == before


def listed_count(client: Client, url: str) -> int:
    page = client.get(url).content.decode()
    return int(re.search(r"共 <strong>(\d+)</strong> 个项目", page).group(1))


def test_every_figure_links_to_the_list_of_its_projects(ledger, xiaoyi, xiaoyi_staff, monkeypatch):
    client = Client()
    client.force_login(xiaoyi_staff)
    response = client.get(reverse("dashboard:index"), {"year": YEAR, "stalled_days": 60})
    page = response.content.decode()
    charts = response.context["charts"]
    figures = response.context["figures"]
    assert figures.pipeline.projects == 4  # 孝义's staff: not 屯留's project
    for label, count, url in zip(
        charts["funnel"]["labels"], charts["funnel"]["values"], charts["funnel"]["urls"], strict=True
    ):
        assert listed_count(client, url) == count, label
    for name, url in zip(charts["industry"]["labels"], charts["industry"]["urls"], strict=True):
        assert listed_count(client, url) == dict(figures.by_industry)[name].count, name
    links = response.context["links"]
    assert listed_count(client, links.all) == 4
    assert listed_count(client, links.reached_started) == figures.pipeline.rates["start"].numerator
    assert listed_count(client, links.over_100m) == figures.over_100m.count
    assert listed_count(client, links.overdue) >= 1
    assert listed_count(client, links.stalled_url) == figures.stalled_count
    assert listed_count(client, charts["months"]["urls"][2]) == 1  # March: 氢能's report
    assert "未报进展" in page and 'data-chart="funnel"' in page
