"""数据完整度 in real Chromium: a ledger with gaps comes in, the dashboard counts them, a figure
leads to the projects lacking a date, and 补录 on one project makes the figure drop."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kaifaqu.imports.tests.files import write_xlsx
from kaifaqu.projects.models import Project

pytestmark = pytest.mark.browser


def test_import_a_ledger_with_gaps_then_fill_one_from_the_dashboard(
    reference_data, xiaoyi, xiaoyi_staff, login, page, live_server, tmp_path, settings
):
    settings.DATA_DIR = tmp_path / "data"
    today = timezone.localdate()
    # As offices keep it: stage words, no dates, no codes.
    ledger = write_xlsx(
        tmp_path / "孝义重点项目台账.xlsx",
        [
            [f"孝义经开区{today.year}年重点项目台账"],
            ["序号", "项目名称", "总投资（亿元）", "项目阶段"],
            [1, "煤焦油深加工项目", 3.5, "已签约"],
            [2, "氢能重卡示范项目", 5.2, "在建"],
            [3, "光伏组件项目", 8, "已投产"],
            [4, "碳基新材料研发中心", 1.2, "重点意向"],
        ],
    )
    login("xiaoyi-staff")
    page.get_by_test_id("nav-more").get_by_role("button", name="更多").click()  # 导入台账 sits under 更多
    page.get_by_role("link", name="导入台账").click()
    page.get_by_label("台账类型").select_option(label="项目台账")
    page.get_by_label("导入到开发区").select_option(label="孝义经济技术开发区")
    page.get_by_label("台账文件").set_input_files(str(ledger))
    page.get_by_role("button", name="上传并识别").click()
    page.locator("#mapping-form").get_by_role("button", name="试导入并预览").click()
    expect(page.locator("#summary")).to_contain_text("读取 4 行，新增 4", timeout=20_000)
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#job-status")).to_have_text("已导入", timeout=20_000)
    assert Project.objects.filter(signed_on__isnull=True).count() == 4

    page.get_by_role("link", name="驾驶舱").click()
    signed = page.locator('[data-gap-figure="signed_on"]')
    expect(signed).to_contain_text("0.0%")
    expect(signed.locator("[data-gap-missing]")).to_have_text("缺 3 / 3")
    signed.locator("[data-gap-missing]").click()

    expect(page).to_have_url(re.compile(r"/projects/\?.*gap=signed_on"))
    assert f"year={today.year}" in page.url  # the dashboard's year, as its other figures
    expect(page.get_by_test_id("drill")).to_contain_text("缺签约日期（待补录）")
    expect(page.get_by_test_id("totals")).to_contain_text("共 3 个项目")
    expect(page.get_by_test_id("fill-sheet")).to_be_visible()
    page.get_by_role("link", name="煤焦油深加工项目").click()

    expect(page.get_by_test_id("gaps")).to_contain_text("签约日期")
    expect(page.locator("[data-missing]")).to_have_count(1)  # 已签约 without its date, on the timeline
    page.get_by_test_id("fill-button").click()
    dialog = page.get_by_test_id("fill-form")
    tomorrow = today + datetime.timedelta(days=1)
    dialog.get_by_label("签约日期").fill(tomorrow.isoformat())
    dialog.get_by_role("button", name="保存补录").click()
    expect(page.get_by_test_id("fill-form")).to_contain_text(f"签约日期（{tomorrow}）不能晚于今天")
    page.get_by_test_id("fill-form").get_by_label("签约日期").fill(today.isoformat())
    page.get_by_test_id("fill-form").get_by_role("button", name="保存补录").click()

    expect(page.get_by_text("已补录：签约日期。")).to_be_visible()
    expect(page.locator("[data-missing]")).to_have_count(0)
    assert Project.objects.get(name="煤焦油深加工项目").signed_on == today

    page.get_by_role("link", name="驾驶舱").click()
    signed = page.locator('[data-gap-figure="signed_on"]')
    expect(signed.locator("[data-gap-missing]")).to_have_text("缺 2 / 3")
    expect(signed).to_contain_text("33.3%")
    assert page.outside_requests == []
