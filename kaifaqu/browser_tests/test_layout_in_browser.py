"""The layout at a 1366×768 laptop and a 390×844 phone: the menu on one line, nothing wider than
the window, dates whole, long names cut with the full name on hover, 总投资 in view, filters folded."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from kaifaqu.conftest import make_user
from kaifaqu.projects.services import milestone_create
from kaifaqu.services.services import request_file
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

pytestmark = pytest.mark.browser
TODAY = datetime.date.today()
LONG_NAME = ("孝义经济技术开发区焦炉煤气综合利用制氢及氢能重卡示范应用项目" * 8)[:200]
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# Cells that hold only a date or a number and take more than one line of text.
WRAPPED_NUMBERS = """() => Array.from(document.querySelectorAll('td')).filter(cell => {
  const text = cell.innerText.trim();
  if (!/^(?=.*\\d)[\\d\\s.,:%+\\-\\/年月日天个]+$/.test(text) || !cell.getClientRects().length) return false;
  const range = document.createRange();
  range.selectNodeContents(cell);
  const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
  return lines.size > 1;
}).map(cell => cell.innerText.trim())"""


@pytest.fixture
def ledger(reference_data, xiaoyi, xiaoyi_staff, xiaoyi_enterprise, make_project):
    make_user("xiaoyi-leader", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    long = make_project(LONG_NAME, total_investment=Decimal("123456"))
    started = make_project(
        "鹏飞焦炉煤气制氢项目",
        total_investment=Decimal("155000"),
        stage="started",
        stage_dates={"signed_on": TODAY, "filed_on": TODAY, "started_on": TODAY},
        project_code=f"{TODAY.year}-141181-26-03-000001",
    )
    milestone_create(
        user=xiaoyi_staff, project=started, name="主体工程完工", planned_on=TODAY - datetime.timedelta(days=40)
    )
    filed = request_file(
        user=xiaoyi_staff,
        enterprise=xiaoyi_enterprise,
        title="厂区门前道路未硬化，雨天重车无法通行",
        category="utilities",
    )
    return {"long": long, "project": started, "request": filed}


def _fits(page) -> None:
    """One-line menu and no sideways scrolling of the page."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} 比窗口宽：{widths}"
    brand = page.locator("nav.navbar .navbar-brand").bounding_box()
    assert page.locator("nav.navbar").bounding_box()["height"] <= brand["height"] + 24, f"{page.url} 菜单折行"
    assert page.evaluate(WRAPPED_NUMBERS) == [], f"{page.url} 日期或数字折行"


def _pages(live_server, ledger) -> list[str]:
    return [
        f"{live_server.url}/projects/",
        f"{live_server.url}/dashboard/",
        f"{live_server.url}/projects/{ledger['project'].pk}/",
        f"{live_server.url}/requests/{ledger['request'].pk}/",
        f"{live_server.url}/requests/",
        # Pages whose tables are drawn without the shared list template: they scroll in their own box.
        f"{live_server.url}/zones/",
        f"{live_server.url}/campaigns/",
        f"{live_server.url}/requests/stats/",
        f"{live_server.url}/agency/stats/",
        f"{live_server.url}/indicators/submissions/",
        f"{live_server.url}/investment/",
        f"{live_server.url}/investment/compliance/",
    ]


def test_at_1366_the_menu_is_one_line_and_nothing_overflows(ledger, login, page, live_server):
    page.set_viewport_size(LAPTOP)
    for username in ("xiaoyi-staff", "xiaoyi-leader"):
        page.context.clear_cookies()
        login(username)
        expect(page.get_by_role("button", name="退出")).to_be_visible()
        for url in _pages(live_server, ledger):
            page.goto(url)
            _fits(page)
    # The occasional tools are one click away under 更多.
    page.get_by_role("button", name="更多").click()
    expect(page.get_by_role("link", name="操作记录")).to_be_visible()


def test_a_long_name_is_cut_and_whole_on_hover(ledger, login, page, live_server):
    page.set_viewport_size(LAPTOP)
    login("xiaoyi-staff")
    link = page.locator(f'a[title="{LONG_NAME}"]')
    expect(link).to_have_count(1)
    box = link.bounding_box()
    assert box["width"] < 500 and box["height"] < 30  # one cut line, not a column squeezing the others
    assert link.evaluate("a => a.scrollWidth > a.clientWidth")  # the CSS ellipsis is at work
    dates = page.locator('[data-testid="results-table"] tbody tr td.nowrap')
    assert dates.count() > 0


def test_on_a_phone_the_filters_fold_and_the_money_stays_in_view(ledger, login, page, live_server):
    page.set_viewport_size(PHONE)
    login("xiaoyi-staff")
    filters = page.get_by_test_id("filters")
    expect(filters).to_be_hidden()
    toggle = page.get_by_test_id("filter-toggle")
    expect(toggle).to_be_visible()
    header = page.locator('[data-testid="results-table"] th', has_text="总投资")
    box = header.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    amount = page.locator('[data-testid="results-table"] tbody tr').first.locator("td.col-money")
    box = amount.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"], box
    for url in _pages(live_server, ledger):
        page.goto(url)
        _fits(page)

    # Opened, the bar filters as before; folded again, it counts the filters in use.
    page.goto(f"{live_server.url}/projects/")
    page.get_by_test_id("filter-toggle").click()
    expect(page.get_by_test_id("filters")).to_be_visible()
    page.get_by_label("阶段").select_option("started")
    expect(page.get_by_test_id("totals")).to_contain_text("共 1 个项目")
    expect(page.get_by_test_id("filter-toggle").locator("[data-filter-count]")).to_have_text("1")
    page.reload()
    expect(page.get_by_test_id("filters")).to_be_hidden()
    expect(page.get_by_test_id("filter-toggle").locator("[data-filter-count]")).to_have_text("1")
