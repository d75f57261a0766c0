"""招商 from end to end in real Chromium, as issue 19 asks: log a trip with two companies met, make a
lead of one, drag it to 重点意向 on the board, and see the zone's figures and sentence change."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kaifaqu.conftest import make_user
from kaifaqu.projects.models import Project, Stage, StageChange
from kaifaqu.zones import roles
from kaifaqu.zones.models import Membership, Unit

pytestmark = pytest.mark.browser
TODAY = timezone.localdate()


@pytest.fixture
def chief(reference_data, xiaoyi, xiaoyi_staff):
    user = make_user("xiaoyi-chief", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    user.first_name = "赵主任"
    user.save()
    Membership.objects.filter(user=user).update(is_leadership=True)
    return user


def test_a_trip_becomes_a_lead_moves_on_the_board_and_the_figures_follow(chief, login, page, live_server):
    login("xiaoyi-staff")
    page.goto(f"{live_server.url}/investment/")
    expect(page.get_by_test_id("sentence")).to_contain_text("本期暂无招商活动记录。")
    expect(page.locator("[data-figure=trips]")).to_contain_text("0")
    expect(page.locator("[data-figure=missing]")).to_contain_text("1")  # 赵主任 has not been out this month

    # Log the trip: 赵主任 leads it, two companies met, both new to the catalogue.
    page.get_by_test_id("record-activity").click()
    page.get_by_label("活动类型").select_option("trip")
    page.get_by_label("活动名称").fill("赴苏州开展新材料产业链招商")
    page.locator("[name=start_on]").fill(TODAY.isoformat())
    page.get_by_label("目的地").fill("江苏省苏州市")
    page.get_by_label("带队领导").select_option(label="赵主任")
    page.get_by_label("新接触的企业（每行一个）").fill("苏州纳微科技股份有限公司\n苏州赛伍应用技术股份有限公司")
    page.get_by_test_id("save").click()
    met = page.get_by_test_id("met")
    expect(met).to_contain_text("苏州纳微科技股份有限公司")
    expect(met).to_contain_text("苏州赛伍应用技术股份有限公司")

    # One of them becomes a lead (a project at 初步对接).
    met.locator("tr", has_text="苏州纳微科技股份有限公司").get_by_test_id("to-lead").click()
    page.get_by_label("项目名称").fill("纳微高性能微球材料项目")
    page.get_by_label("总投资（万元）").fill("60000")
    page.get_by_label("总投资（万元）").press("Enter")
    expect(page.get_by_test_id("lead-name")).to_have_text("纳微高性能微球材料项目")

    page.goto(f"{live_server.url}/investment/")
    expect(page.get_by_test_id("sentence")).to_contain_text("外出招商考察1次。")
    expect(page.locator("[data-figure=trips]")).to_contain_text("1")
    expect(page.locator("[data-figure=missing]")).to_contain_text("0")  # 赵主任 led it
    stages = page.get_by_test_id("leads-by-stage")
    expect(stages.locator("tr", has_text="初步对接")).to_contain_text("6.00")

    # Drag it to 重点意向: the project's own stage dialog opens; Enter confirms.
    page.get_by_role("link", name="线索看板").click()
    page.wait_for_url("**/investment/board/**")
    page.wait_for_load_state("load")  # board.js listens for the drag: a drop before it loads opens nothing
    card = page.get_by_test_id("column-contact").get_by_test_id("lead-card").filter(has_text="纳微高性能微球材料项目")
    card.drag_to(page.get_by_test_id("column-intent"))
    dialog = page.locator("#modal")
    expect(dialog.get_by_label("变更为")).to_have_value("intent")
    expect(dialog.get_by_role("button", name="确定变更")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("项目阶段已变更")).to_be_visible()
    expect(page.get_by_test_id("column-intent")).to_contain_text("纳微高性能微球材料项目")
    expect(page.get_by_test_id("board-sentence")).to_contain_text("重点意向项目1个，总投资6亿元。")

    page.get_by_role("link", name="工作台").click()
    expect(stages.locator("tr", has_text="初步对接")).to_contain_text("0.00")
    expect(stages.locator("tr", has_text="重点意向")).to_contain_text("6.00")
    project = Project.objects.get(name="纳微高性能微球材料项目")
    assert project.stage == Stage.INTENT
    assert StageChange.objects.filter(project=project, to_stage=Stage.INTENT).count() == 1
    assert page.outside_requests == [] and page.page_errors == []
