"""停滞项目: under construction with no progress report for N days — one definition
(``Project.objects.stalled``) behind the dashboard card and list, the project list and the weekly
report, each showing the last report's date."""

import datetime
import re

import pytest
from django.urls import reverse

from kaifaqu.dashboard.selectors import dashboard
from kaifaqu.investment.models import Activity
from kaifaqu.projects.models import Project, Stage, local_today
from kaifaqu.projects.services import progress_create

DAYS = 30


@pytest.fixture
def building(make_project, admin_user):
    """Projects of this year in 孝义, all on the ledger for a year; which are stalled is in the names."""
    today = local_today()
    code = iter(f"{today.year}-141181-26-03-{n:06d}" for n in range(1, 100))

    def started(name, *, started_ago=200, stage="started"):
        day = today - datetime.timedelta(days=started_ago)
        dates = {"signed_on": day, "filed_on": day, "started_on": day}
        if stage == "producing":
            dates["producing_on"] = day
        return make_project(name, stage=stage, stage_dates=dates, project_code=next(code))

    def report(project, days_ago):
        progress_create(
            user=admin_user, project=project, reported_on=today - datetime.timedelta(days=days_ago), text="施工"
        )

    projects = {
        "silent": started("停滞-从未报进展"),
        "old_report": started("停滞-四十五天前报过"),
        "recent": started("在建-十天前报过"),
        "just_started": started("在建-五天前开工", started_ago=5),
        "producing": started("已投产-从未报进展", stage="producing"),
        "terminated": started("已终止-从未报进展"),
        "lead": make_project(
            "初步对接-从未报进展", stage="contact", stage_dates={"contact_on": today - datetime.timedelta(days=200)}
        ),
    }
    report(projects["old_report"], 45)
    report(projects["old_report"], 60)
    report(projects["recent"], 10)
    Project.objects.filter(pk=projects["terminated"].pk).update(stage=Stage.TERMINATED, terminated_from=Stage.STARTED)
    Project.objects.update(created_at=datetime.datetime(today.year - 1, 1, 1, tzinfo=datetime.UTC))
    projects["old_report_on"] = today - datetime.timedelta(days=45)
    return projects


def test_only_projects_under_construction_without_recent_progress_are_stalled(building):
    stalled = Project.objects.stalled(DAYS)
    assert set(stalled.values_list("name", flat=True)) == {"停滞-四十五天前报过", "停滞-从未报进展"}
    last = dict(stalled.values_list("name", "last_report_on"))
    assert last == {"停滞-从未报进展": None, "停滞-四十五天前报过": building["old_report_on"]}


def test_the_dashboard_counts_and_lists_them_with_the_last_reports_date(client, building, xiaoyi_staff):
    client.force_login(xiaoyi_staff)
    response = client.get(reverse("dashboard:index"), {"stalled_days": DAYS})
    figures = response.context["figures"]
    assert figures.stalled_count == 2
    page = response.content.decode()
    table = page[page.index('data-testid="stalled-list"') :]
    table = table[: table.index("</table>")]
    assert "最近进展日期" in table and "最后更新" not in table
    assert "无进展记录" in table
    assert building["old_report_on"].isoformat() in table
    assert local_today().isoformat() not in table  # an edit today is not progress
    assert "初步对接-从未报进展" not in table and "已投产-从未报进展" not in table


def test_the_project_list_of_stalled_projects_shows_the_last_reports_date(client, building, xiaoyi_staff):
    client.force_login(xiaoyi_staff)
    dash = client.get(reverse("dashboard:index"), {"stalled_days": DAYS})
    response = client.get(dash.context["links"].stalled_url)
    assert response.context["count"] == dash.context["figures"].stalled_count == 2
    page = response.content.decode()
    assert "最近进展日期" in page and "更新时间" not in page
    assert "无进展记录" in page and building["old_report_on"].isoformat() in page
    assert "在建项目超过 30 天未报进展" in page


def test_the_weekly_report_lists_the_stalled_projects_with_the_last_reports_date(building, xiaoyi):
    from kaifaqu.reports.builders import weekly_report

    today = local_today()
    content = weekly_report(
        xiaoyi, Project.objects.all(), as_of=today, year=today.year, activities=Activity.objects.all()
    )
    figures = dashboard(Project.objects.filter(zone=xiaoyi), year=today.year, today=today)
    nodes = next(section for section in content.sections if section.heading.endswith("节点与问题"))
    assert f"超过{figures.stalled_days}天未报进展的在建项目{figures.stalled_count}个" in nodes.paragraphs[0]
    table = next(table for table in nodes.tables if table.title.endswith("停滞项目"))
    assert table.headers[-1] == "最近进展日期"
    rows = {row[0]: row[-1] for row in table.rows}
    assert rows["停滞-从未报进展"] == "无进展记录"
    assert rows["停滞-四十五天前报过"] == building["old_report_on"].isoformat()
    assert not any(re.match(r"(初步对接|已投产|已终止|在建)", name) for name in rows)
