"""挂图作战: milestones on the year's timeline, planned against actual, overdue in red."""

import datetime

from django.test import Client
from django.urls import reverse

from kaifaqu.conftest import LEDGER_YEAR
from kaifaqu.dashboard.gantt import LABEL_WIDTH, TIMELINE_WIDTH, gantt
from kaifaqu.projects.models import Project
from kaifaqu.projects.services import milestone_complete

TODAY = datetime.date(2025, 6, 30)


def test_markers_sit_on_their_dates_and_carry_their_state(hand_ledger, xiaoyi, admin_user):
    coke = hand_ledger["coke"]
    early = coke.milestones.create(name="设备到货", planned_on=datetime.date(2025, 4, 30))
    milestone_complete(user=admin_user, milestone=early, actual_on=datetime.date(2025, 5, 20))  # 20 days late
    chart = gantt(Project.objects.filter(zone=xiaoyi, plan_year=LEDGER_YEAR), year=LEDGER_YEAR, today=TODAY)
    rows = {row.project.name: row for row in chart.rows}
    hydrogen = rows["氢能项目"]
    assert hydrogen.overdue == 1
    [planned] = hydrogen.markers
    assert planned.state == "overdue" and planned.tip == "主体封顶：计划 2025-06-01（已逾期）"
    # 1 June is day 151 of 365.
    assert planned.x == LABEL_WIDTH + TIMELINE_WIDTH * 151 / 365
    states = sorted((marker.kind, marker.state) for marker in rows["焦化项目"].markers)
    assert states == [("actual", "late"), ("planned", "late"), ("planned", "upcoming")]
    assert rows["焦化项目"].links[0].state == "late"
    assert chart.today_x == LABEL_WIDTH + TIMELINE_WIDTH * 180 / 365


def test_page_filters_and_draws_overdue_in_red(hand_ledger, xiaoyi, xiaoyi_staff):
    client = Client()
    client.force_login(xiaoyi_staff)
    url = reverse("dashboard:wall_chart")
    page = client.get(url, {"year": LEDGER_YEAR}).content.decode()
    # 孝义's 2025 ledger only; of its four projects, two have milestones.
    assert "2 个项目有节点（另有 2 个项目本年度没有节点）" in page and "屯留光伏项目" not in page
    assert page.count('class="g-planned g-overdue"') == 2  # 主体封顶 and 竣工验收: both past by now
    assert "data-print" in page
    narrowed = client.get(url, {"year": LEDGER_YEAR, "overdue": "true"}).content.decode()
    assert "2 个项目有节点。" in narrowed and "氢能项目" in narrowed and "精细化工项目" not in narrowed
