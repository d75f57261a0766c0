"""A zone's project officer uses the ledger in real Chromium."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kaifaqu.projects.models import Project, Stage

pytestmark = pytest.mark.browser
TODAY = timezone.localdate()


@pytest.fixture
def ledger(reference_data, make_project, xiaoyi_enterprise, xiaoyi_park, tunliu):
    make_project("鹏飞焦炉煤气制氢项目", enterprise=xiaoyi_enterprise, total_investment=Decimal("155000"))
    make_project(
        "精细化工标准厂房", total_investment=Decimal("32000"), stage=Stage.CONTACT, stage_dates={"contact_on": TODAY}
    )
    return Project.objects.all()


def test_log_in_and_filter_the_list(ledger, login, page, live_server):
    login("xiaoyi-staff")
    totals = page.get_by_test_id("totals")
    expect(totals).to_have_text("共 2 个项目，总投资 18.7 亿元")
    page.get_by_placeholder("项目名称、项目代码或建设单位").fill("鹏飞")
    expect(totals).to_have_text("共 1 个项目，总投资 15.5 亿元")
    expect(page.get_by_test_id("results-table")).to_contain_text("鹏飞焦炉煤气制氢项目")
    assert "q=" in page.url  # the filtered list is a link one can share
    page.get_by_role("link", name="重置").click()
    expect(page).to_have_url(f"{live_server.url}/projects/?")
    page.wait_for_load_state("load")
    expect(totals).to_have_text("共 2 个项目，总投资 18.7 亿元")
    page.get_by_label("阶段").select_option(label="初步对接")
    expect(totals).to_have_text("共 1 个项目，总投资 3.2 亿元")
    expect(page.get_by_test_id("results-table")).to_contain_text("精细化工标准厂房")
    assert page.outside_requests == []


def test_create_a_project_move_it_and_see_its_history(ledger, login, page, live_server):
    login("xiaoyi-staff")
    page.get_by_role("link", name="登记项目").click()
    page.get_by_label("项目名称").fill("氢能重卡换电站项目")
    page.get_by_label("建设单位").select_option(label="山西鹏飞集团有限公司")
    page.get_by_label("总投资（万元）").fill("26000")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("project-name")).to_have_text("氢能重卡换电站项目")
    expect(page.get_by_test_id("project-stage")).to_have_text("谋划储备")
    # 变更阶段 opens a dialog once HTMX has started; clicked earlier, it opens the full move page.
    page.wait_for_load_state("load")

    page.get_by_role("link", name="变更阶段").click()
    dialog = page.locator("#modal")
    expect(dialog).to_be_visible()
    dialog.get_by_label("变更为").select_option(label="初步对接")
    dialog.get_by_role("button", name="确定变更").click()
    expect(dialog).to_contain_text("请填写对接日期。")  # the dialog stays open with the reason
    dialog.get_by_label("对接日期").fill(TODAY.isoformat())
    dialog.get_by_role("button", name="确定变更").click()
    expect(page.get_by_test_id("project-stage")).to_have_text("初步对接")
    page.wait_for_load_state("load")  # the page the dialog's success sent us to, HTMX started

    page.get_by_role("link", name="变更阶段").click()
    dialog.get_by_label("变更为").select_option(label="已签约（待备案）")
    dialog.get_by_label("签约日期").fill(TODAY.isoformat())
    dialog.get_by_role("button", name="确定变更").click()
    expect(page.get_by_test_id("project-stage")).to_have_text("已签约（待备案）")

    history = page.get_by_test_id("history")
    expect(history).to_contain_text("谋划储备 → 初步对接")
    expect(history).to_contain_text("初步对接 → 已签约（待备案）")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history).to_contain_text("xiaoyi-staff")
    expect(page.get_by_test_id("timeline").locator(".stage-current")).to_contain_text("已签约（待备案）")
    assert page.outside_requests == []


def test_add_a_milestone_and_progress_without_reload(ledger, login, page, live_server):
    project = Project.objects.get(name="鹏飞焦炉煤气制氢项目")
    login("xiaoyi-staff")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    form = page.get_by_test_id("milestone-form")
    form.get_by_placeholder("节点名称").fill("取得施工许可证")
    form.get_by_label("计划完成日期").fill("2021-03-01")
    form.get_by_role("button", name="添加节点").click()
    milestones = page.get_by_test_id("milestones")
    expect(milestones).to_contain_text("取得施工许可证")
    expect(milestones).to_contain_text("逾期")
    milestones.get_by_role("button", name="完成").click()
    expect(milestones).not_to_contain_text("逾期")

    progress = page.get_by_test_id("progress-form")
    progress.get_by_placeholder("本期完成投资（万元）").fill("1500")
    progress.get_by_placeholder("进展情况").fill("完成主体结构施工")
    progress.get_by_role("button", name="添加进展").click()
    expect(page.get_by_test_id("progress-list")).to_contain_text("完成主体结构施工")
    expect(page.get_by_test_id("year-completed")).to_have_text("1,500.00")


def test_bad_credit_code_gets_a_chinese_error(reference_data, xiaoyi, xiaoyi_staff, login, page, live_server):
    login("xiaoyi-staff")
    page.goto(f"{live_server.url}/enterprises/new/")
    page.get_by_label("企业名称").fill("山西某新材料有限公司")
    page.get_by_label("统一社会信用代码").fill("91350100M000100Y44")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("enterprise-form")).to_contain_text(
        "统一社会信用代码校验位错误：最后一位应为 3，实际为 4。"
    )
    page.get_by_label("统一社会信用代码").fill("91350100M000100Y43")
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(r"/enterprises/\d+/$"))


def test_pages_load_with_nothing_from_outside(ledger, xiaoyi, login, page, live_server):
    login("xiaoyi-staff")
    project = Project.objects.first()
    for path in (
        "/projects/",
        f"/projects/{project.pk}/",
        "/projects/new/",
        "/enterprises/",
        f"/zones/{xiaoyi.pk}/",
        "/api/docs/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    # The assets really came from the app: Bootstrap styled the navbar, ECharts drew a canvas.
    page.goto(f"{live_server.url}/zones/{xiaoyi.pk}/")
    expect(page.locator("#stage-chart canvas")).to_have_count(1)
    colour = page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).backgroundColor")
    assert colour == "rgb(13, 110, 253)"
    assert page.outside_requests == []
