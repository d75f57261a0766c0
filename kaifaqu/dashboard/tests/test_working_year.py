"""工作年度: one year, chosen on the dashboard, that the list and the wall chart follow; by default
the current year, whatever year the latest project was registered for."""

import re

from django.urls import reverse

from kaifaqu.conftest import LEDGER_YEAR
from kaifaqu.projects.models import local_today


def test_a_project_for_next_year_does_not_switch_the_dashboards_year(
    client, make_project, xiaoyi_staff, lvliang_office
):
    this_year = local_today().year
    make_project("本年度项目", plan_year=this_year)
    make_project("明年的项目", plan_year=this_year + 1)
    for user in (xiaoyi_staff, lvliang_office):  # the zone's dashboard and its city's
        client.force_login(user)
        response = client.get(reverse("dashboard:index"))
        assert response.context["figures"].year == this_year
        assert response.context["figures"].pipeline.projects == 1
        assert f'<span data-testid="working-year">{this_year}年度</span>' in response.content.decode()
        client.logout()


def test_the_chosen_year_is_kept_when_coming_back_to_the_dashboard(client, hand_ledger, xiaoyi_staff):
    client.force_login(xiaoyi_staff)
    client.get(reverse("dashboard:index"), {"year": LEDGER_YEAR - 1})  # neither this year nor the latest
    back = client.get(reverse("dashboard:index"))  # the menu's link: no year in it
    assert back.context["figures"].year == LEDGER_YEAR - 1
    assert back.context["figures"].pipeline.projects == 1  # 去年的项目
    assert f'<span data-testid="working-year">{LEDGER_YEAR - 1}年度</span>' in back.content.decode()


def test_the_wall_chart_and_the_list_follow_the_dashboards_year(client, hand_ledger, xiaoyi_staff):
    client.force_login(xiaoyi_staff)
    page = client.get(reverse("dashboard:index"), {"year": LEDGER_YEAR}).content.decode()
    wall_link = re.search(r'href="(/dashboard/wall-chart/[^"]*)"', page).group(1).replace("&amp;", "&")
    wall = client.get(wall_link)
    assert wall.context["chart"].year == LEDGER_YEAR
    assert f"{LEDGER_YEAR}年度项目" in wall.content.decode()
    # The wall chart opened from the menu (no year in the address) keeps the dashboard's year too.
    menu_wall = client.get(reverse("dashboard:wall_chart"))
    assert menu_wall.context["chart"].year == LEDGER_YEAR
    assert f"{LEDGER_YEAR}年度项目" in menu_wall.content.decode()
    listed = client.get(client.get(reverse("dashboard:index")).context["links"].all)
    assert listed.context["count"] == 4
    assert f'data-testid="list-year">{LEDGER_YEAR}年度<' in listed.content.decode()


def test_the_wall_chart_defaults_to_the_working_year_not_a_stale_one(client, hand_ledger, xiaoyi_staff):
    client.force_login(xiaoyi_staff)
    response = client.get(reverse("dashboard:wall_chart"))
    assert response.context["chart"].year == local_today().year
    assert f"{local_today().year}年度项目" in response.content.decode()
    everything = client.get(reverse("dashboard:wall_chart"), {"year": ""})  # 全部年度, asked for
    assert "全部年度项目" in everything.content.decode()
