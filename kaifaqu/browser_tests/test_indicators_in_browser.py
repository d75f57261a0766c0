"""月调度 in real Chromium: a zone reports its month (a draft with an outlier, then 报送 with a note),
the city reviews it on its own page and approves it, and the city's matrix shows the figures."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from kaifaqu.conftest import make_user
from kaifaqu.indicators.models import AnnualTarget, Indicator
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit
from kaifaqu.zones.services import unit_for_region

pytestmark = pytest.mark.browser
PERIOD = "2026-03"
# Indicator → (1-3月累计, 上年同期); 税收收入 triples: the outlier.
FIGURES = {
    "规上工业增加值": ("30.08", "29.18"),
    "工业投资": ("3.30", "3.00"),
    "营业收入": ("120.50", "110.20"),
    "税收收入": ("6.00", "2.00"),
    "进出口总额": ("1.20", "1.10"),
    "实际使用外资": ("800", "760"),
}


@pytest.fixture
def statisticians(reference_data, xiaoyi):
    make_user("xiaoyi-stats", Unit.objects.get(zone=xiaoyi), roles.STATISTICIAN)
    make_user("lvliang-stats", unit_for_region(region=Region.objects.get(code="141100")), roles.STATISTICIAN)
    AnnualTarget.objects.create(
        zone=xiaoyi, indicator=Indicator.objects.get(name="规上工业增加值"), year=2026, value=Decimal("100")
    )
    return xiaoyi


def test_zone_reports_city_approves_matrix_updates(statisticians, login, page, live_server):
    login("xiaoyi-stats")
    page.get_by_role("link", name="月调度").click()
    page.goto(f"{live_server.url}/indicators/?period={PERIOD}")
    page.get_by_test_id("fill-own").click()
    expect(page.get_by_test_id("report-status")).to_contain_text("未填报")
    for name, (value, last_year) in FIGURES.items():
        row = page.locator(f'tr[data-indicator="{name}"]')
        row.locator('input[name^="value_"]').fill(value)
        row.locator('input[name^="last_year_"]').fill(last_year)
    # A draft keeps the outlier without a note; the page says a note is needed before 报送.
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_test_id("report-status")).to_contain_text("草稿")
    expect(page.get_by_role("alert").filter(has_text="税收收入数据异常")).to_be_visible()
    tax = page.locator('tr[data-indicator="税收收入"]')
    expect(tax.get_by_test_id("warning")).to_contain_text("1-3月累计较上年同期增长200.0%，超过±50%")
    page.get_by_test_id("submit").click()

    # 报送 is refused until the reporter says why; the draft is unchanged.
    expect(tax.get_by_test_id("outlier")).to_contain_text("税收收入：1-3月累计较上年同期增长200.0%，超过±50%")
    expect(page.get_by_test_id("report-status")).to_contain_text("草稿")
    expect(tax.locator('input[name^="value_"]')).to_have_value("6.00")  # what was typed is kept
    tax.locator('input[name^="note_"]').fill("土地增值税一次性入库")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("report-status")).to_contain_text("已报送")
    expect(page.locator('input[name^="value_"]').first).to_be_disabled()  # waiting for review

    page.context.clear_cookies()
    login("lvliang-stats")
    page.goto(f"{live_server.url}/indicators/?city=141100&period={PERIOD}")
    expect(page.get_by_test_id("matrix")).to_contain_text("还没有已审核的月报")
    page.get_by_role("link", name="报送情况").click()
    row = page.locator('[data-testid="submissions"] tr[data-zone="孝义经开区"]')
    expect(row).to_contain_text("已报送")
    row.get_by_role("link", name="审核").click()

    # The reviewer's page: figures, last year, growth, the outlier with its note; 通过 / 退回, nothing to fill.
    tax = page.locator('tr[data-indicator="税收收入"]')
    expect(tax.locator('[data-cell="value"]')).to_have_text("6.00")
    expect(tax.locator('[data-cell="last_year"]')).to_have_text("2.00")
    expect(tax.locator('[data-cell="growth"]')).to_have_text("200.0%")
    expect(tax.get_by_test_id("note")).to_contain_text("土地增值税一次性入库")
    expect(page.get_by_role("button", name="保存草稿")).to_have_count(0)
    expect(page.get_by_role("button", name="报送")).to_have_count(0)
    page.get_by_test_id("return-button").click()  # 退回 without a reason is refused
    expect(page.get_by_test_id("return")).to_contain_text("请填写退回原因")
    expect(page.get_by_test_id("report-status")).to_contain_text("已报送")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("report-status")).to_contain_text("已审核")

    page.get_by_role("link", name="月调度").first.click()
    page.goto(f"{live_server.url}/indicators/?city=141100&period={PERIOD}")
    zone_row = page.locator('[data-testid="matrix"] tr[data-zone="孝义经开区"]')
    expect(zone_row.locator('[data-cell="规上工业增加值"]')).to_have_text("30.08")
    # 30.08 of a 100 target is 30.1%, ahead of the 25.0% time progress: green.
    completion = zone_row.locator("td").nth(2)
    expect(completion).to_have_text("30.1")
    expect(completion).to_have_class(re.compile(r"\btable-success\b"))  # app.js may add nowrap
    expect(page.get_by_test_id("sentences")).to_contain_text("1个工业类开发区规上工业增加值完成30.08亿元，同比增长3.1%")
    assert page.outside_requests == []
