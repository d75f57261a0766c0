"""The dashboard's figures against data counted by hand, and each figure's link to its projects."""

import datetime
import re
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaifaqu.conftest import LEDGER_YEAR as YEAR
from kaifaqu.dashboard.selectors import dashboard
from kaifaqu.projects.models import Project

TODAY = datetime.date(2025, 6, 30)


def test_figures_of_a_zone_and_year_match_the_hand_count(hand_ledger, xiaoyi):
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
    # Stalled: under construction with no report in the last 60 days — 氢能 (its March report is
    # older); 精细化工 (signed) and 招商线索 (a lead) are not under construction, 焦化 produces.
    assert figures.stalled_count == 1
    assert [(project.name, project.last_report_on) for project in figures.stalled] == [
        ("氢能项目", datetime.date(2025, 3, 10))
    ]


def test_zones_are_ranked_by_completed_investment(hand_ledger):
    figures = dashboard(Project.objects.all(), year=YEAR, today=TODAY)
    assert [(zone.name, zone.count, zone.year_completed) for zone in figures.by_zone] == [
        ("孝义经开区", 4, Decimal(7500)),
        ("屯留经开区", 1, Decimal(0)),
    ]
    assert figures.pipeline.projects == 5 and figures.by_park == []


def test_query_count_does_not_grow_with_the_data(hand_ledger, make_project, xiaoyi):
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


def test_every_figure_links_to_the_list_of_its_projects(hand_ledger, xiaoyi, xiaoyi_staff, monkeypatch):
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


def test_the_open_requests_card_counts_what_its_link_lists(client, xiaoyi, tunliu, xiaoyi_staff, tunliu_staff):
    from kaifaqu.projects.models import local_today
    from kaifaqu.services.models import ServiceRequest

    today = local_today()
    day = datetime.timedelta(days=1)
    for zone, title, due, status in [
        (xiaoyi, "道路未硬化", today - day, "assigned"),  # overdue
        (xiaoyi, "用工招聘", today + day, "received"),
        (xiaoyi, "供电增容", today - day, "resolved"),  # closed: not counted
        (tunliu, "屯留用地", today - day, "received"),  # another zone: not seen
    ]:
        ServiceRequest.objects.create(
            zone=zone, title=title, category="other", received_on=today - 20 * day, due_on=due, status=status
        )
    client.force_login(xiaoyi_staff)
    page = client.get(reverse("dashboard:index")).content.decode()
    card = page[page.index('data-kpi="open-requests"') :]
    card = card[: card.index("</a>")]
    assert re.search(r'<div class="fs-3">2</div>', card) and "其中逾期 1 件" in card
    link = re.search(r'href="([^"]+)" data-kpi="open-requests"', page).group(1).replace("&amp;", "&")
    listed = client.get(link).context["count"]
    assert link == "/requests/?status=open" and listed == 2


def test_the_year_select_shows_the_year_the_figures_are_for(client, hand_ledger, xiaoyi, xiaoyi_staff):
    from kaifaqu.projects.models import local_today

    client.force_login(xiaoyi_staff)
    this_year = local_today().year  # the working year before one is chosen
    for query, year in (({}, this_year), ({"zone": xiaoyi.pk}, this_year), ({"year": YEAR}, YEAR)):
        page = client.get(reverse("dashboard:index"), query).content.decode()
        assert f"{year}年度</span>项目" in page
        assert re.search(rf'<option value="{year}" selected>{year}年</option>', page)


def test_the_open_requests_card_of_a_city_links_to_that_citys_requests(client, xiaoyi, tunliu, admin_user):
    from kaifaqu.projects.models import local_today
    from kaifaqu.services.models import ServiceRequest

    today = local_today()
    for zone in (xiaoyi, tunliu, tunliu):
        ServiceRequest.objects.create(zone=zone, title="诉求", category="other", received_on=today, due_on=today)
    client.force_login(admin_user)
    page = client.get(reverse("dashboard:index"), {"city": "141100"}).content.decode()
    card = page[page.index('data-kpi="open-requests"') :]
    assert '<div class="fs-3">1</div>' in card[: card.index("</a>")]
    link = re.search(r'href="([^"]+)" data-kpi="open-requests"', page).group(1).replace("&amp;", "&")
    assert client.get(link).context["count"] == 1
