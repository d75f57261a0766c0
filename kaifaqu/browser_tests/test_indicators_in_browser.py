"""月调度 in real Chromium: a zone reports its month (an outlier confirmed with a note), the city
approves it, and the city's matrix shows the figures."""

from __future__ import annotations

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
    page.get_by_test_id("submit").click()

    # The outlier is refused until the reporter says why; nothing was saved.
    tax = page.locator('tr[data-indicator="税收收入"]')
    expect(tax.get_by_test_id("outlier")).to_contain_text("同比增长 200.0%，超过 ±50%")
    expect(page.get_by_test_id("report-status")).to_contain_text("未填报")
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
    expect(page.locator('tr[data-indicator="税收收入"] input[name^="note_"]')).to_have_value("土地增值税一次性入库")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("report-status")).to_contain_text("已审核")

    page.get_by_role("link", name="月调度").first.click()
    page.goto(f"{live_server.url}/indicators/?city=141100&period={PERIOD}")
    zone_row = page.locator('[data-testid="matrix"] tr[data-zone="孝义经开区"]')
    expect(zone_row.locator('[data-cell="规上工业增加值"]')).to_have_text("30.08")
    # 30.08 of a 100 target is 30.1%, ahead of the 25.0% time progress: green.
    completion = zone_row.locator("td").nth(2)
    expect(completion).to_have_text("30.1")
    expect(completion).to_have_class("text-end table-success")
    expect(page.get_by_test_id("sentences")).to_contain_text("1个工业类开发区规上工业增加值完成30.08亿元，同比增长3.1%")
    assert page.outside_requests == []
