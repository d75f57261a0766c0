"""The leadership's dashboard and the campaign page in real Chromium."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import docx
import pytest
from playwright.sync_api import expect

from kaifaqu.campaigns.services import campaign_create, campaign_entry_add
from kaifaqu.regions.models import Region

pytestmark = pytest.mark.browser
YEAR = datetime.date.today().year


@pytest.fixture
def ledger(reference_data, make_project, admin_user):
    day = datetime.date(YEAR, 1, 5)
    started = make_project(
        "鹏飞焦炉煤气制氢项目",
        total_investment=Decimal("155000"),
        industry="氢能",
        stage="started",
        stage_dates={"signed_on": day, "filed_on": day, "started_on": day},
        project_code=f"{YEAR}-141181-26-03-000001",
    )
    make_project("精细化工标准厂房", total_investment=Decimal("32000"), industry="精细化工")
    make_project("煤矸石综合利用项目", total_investment=Decimal("8000"), industry="精细化工")
    campaign = campaign_create(
        user=admin_user,
        name="吕梁市一季度“三个一批”活动",
        held_on=day,
        level="city",
        region=Region.objects.get(code="141100"),
    )
    campaign_entry_add(user=admin_user, campaign=campaign, project=started, batch="start")
    return campaign


def test_dashboard_draws_its_charts_and_a_bar_opens_the_projects_behind_it(ledger, login, page, live_server):
    login("xiaoyi-staff")
    page.get_by_role("link", name="驾驶舱").click()
    expect(page.locator('[data-kpi="projects"]')).to_contain_text("3")
    for name in ("funnel", "industry", "months", "zones"):
        expect(page.locator(f'[data-chart="{name}"] canvas')).to_have_count(1)
    # The industry chart: 精细化工 is the second bar from the top (hydrogen has more investment).
    chart = page.locator('[data-chart="industry"]')
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    bars = page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.querySelector('[data-chart="industry"]'));
          return [0, 1].map(i => chart.convertToPixel({seriesIndex: 0}, [0.01, i]));
        }"""
    )
    x, y = bars[1]
    page.mouse.click(box["x"] + x + 3, box["y"] + y)
    expect(page).to_have_url(re.compile(r"/projects/\?.*industry="))
    expect(page.get_by_test_id("totals")).to_have_text("共 2 个项目，总投资 4 亿元")
    expect(page.get_by_test_id("drill")).to_contain_text("产业类别：精细化工")
    assert page.outside_requests == []


def test_campaign_page_shows_the_sentence_and_figures(ledger, login, page, live_server):
    login("xiaoyi-staff")
    page.get_by_role("link", name="三个一批").click()
    page.get_by_role("link", name=ledger.name).click()
    expect(page.get_by_test_id("sentence")).to_contain_text("开工项目1个，总投资15.5亿元。")
    expect(page.get_by_test_id("batch-start")).to_contain_text("鹏飞焦炉煤气制氢项目")


def test_generate_a_weekly_report_and_open_the_download(ledger, login, page, live_server, tmp_path):
    login("xiaoyi-staff")
    page.get_by_role("link", name="调度报告").click()
    form = page.get_by_test_id("report-form")
    form.get_by_label("报告类型").select_option(label="周调度")
    form.get_by_label("开发区（周调度）").select_option(label="孝义经济技术开发区")
    form.get_by_role("button", name="生成").click()
    link = page.get_by_test_id("download-docx").first
    expect(link).to_be_visible(timeout=30_000)  # built in the background; the list polls
    with page.expect_download() as download:
        link.click()
    path = tmp_path / "report.docx"
    download.value.save_as(path)
    document = docx.Document(str(path))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert text.startswith("孝义经济技术开发区重点项目建设周调度")
    assert "共有重点项目3个，总投资19.5亿元" in text
