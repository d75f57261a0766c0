"""企业诉求 in real Chromium: the enterprise files, the liaison assigns, the assignee resolves,
the enterprise rates, and the statistics count it."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from kaifaqu.conftest import make_user
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

pytestmark = pytest.mark.browser


@pytest.fixture
def people(reference_data, xiaoyi, xiaoyi_enterprise):
    unit = Unit.objects.create(kind="enterprise", enterprise=xiaoyi_enterprise, name=xiaoyi_enterprise.name)
    make_user("pengfei", unit, roles.ENTERPRISE_USER)
    make_user("xiaoyi-liaison", Unit.objects.get(zone=xiaoyi), roles.LIAISON_OFFICER)
    agent = make_user("xiaoyi-agent", Unit.objects.get(zone=xiaoyi), roles.PROJECT_OFFICER)
    agent.first_name = "李代办"
    agent.save()


def test_a_request_from_filing_to_rating(people, login, page, live_server):
    login("pengfei")
    page.get_by_role("link", name="企业诉求").click()
    page.get_by_test_id("file-request").click()
    page.get_by_label("诉求事项").fill("厂区门前道路未硬化，雨天重车无法通行")
    page.get_by_label("类别").select_option(label="水电路气")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("待交办")
    request_url = page.url

    page.context.clear_cookies()
    login("xiaoyi-liaison")
    # The enterprise's own request reached the zone's handlers: one unread message in the bell,
    # read once the request is opened.
    expect(page.get_by_test_id("inbox-link").locator(".badge")).to_have_text("1")
    page.get_by_role("link", name="企业诉求").click()
    page.get_by_role("link", name="厂区门前道路未硬化，雨天重车无法通行").click()
    expect(page.get_by_test_id("inbox-link").locator(".badge")).to_have_count(0)
    assign = page.get_by_test_id("step-assign")
    assign.get_by_label("承办部门").fill("规划建设局")
    assign.get_by_label("承办人").select_option(label="李代办")
    assign.get_by_label("交办时限").fill((datetime.date.today() + datetime.timedelta(days=3)).isoformat())
    assign.get_by_role("button", name="交办").click()
    expect(page.get_by_test_id("status")).to_have_text("办理中")
    expect(page.get_by_test_id("assignee")).to_contain_text("规划建设局、李代办")

    page.context.clear_cookies()
    login("xiaoyi-agent")
    page.goto(request_url)
    page.get_by_test_id("step-resolve").get_by_label("办理结果").fill("已协调施工单位完成道路硬化 320 米")
    page.get_by_test_id("step-resolve").get_by_role("button", name="办结").click()
    expect(page.get_by_test_id("status")).to_have_text("已办结")

    page.context.clear_cookies()
    login("pengfei")
    page.goto(request_url)
    expect(page.get_by_test_id("resolution")).to_contain_text("道路硬化 320 米")
    rate = page.get_by_test_id("step-rate")
    rate.get_by_label("5 非常满意").check()
    rate.get_by_label("评价意见").fill("办得快")
    rate.get_by_role("button", name="评价").click()
    expect(page.get_by_test_id("status")).to_have_text("已评价")
    kinds = page.locator('[data-testid="events"] li').evaluate_all("items => items.map(i => i.dataset.kind)")
    assert kinds == ["file", "assign", "resolve", "rate"]

    page.context.clear_cookies()
    login("xiaoyi-liaison")
    page.goto(f"{live_server.url}/requests/stats/?period={datetime.date.today():%Y-%m}")
    expect(page.locator('[data-kpi="received"]')).to_have_text("1")
    expect(page.locator('[data-kpi="resolved"]')).to_have_text("1")
    expect(page.locator('[data-kpi="resolution"]')).to_have_text("100.0%")
    expect(page.locator('[data-kpi="satisfaction"]')).to_have_text("100.0%")
    expect(page.get_by_test_id("by-category")).to_contain_text("水电路气")
    assert page.outside_requests == []
