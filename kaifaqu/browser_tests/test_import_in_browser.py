"""A zone's project officer brings the office's Excel ledger in, in real Chromium."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from kaifaqu.imports.tests.files import write_xlsx
from kaifaqu.projects.models import Project

pytestmark = pytest.mark.browser


def test_upload_fix_a_mapping_preview_commit_and_see_the_list(
    reference_data, xiaoyi, xiaoyi_staff, login, page, live_server, tmp_path, settings
):
    settings.DATA_DIR = tmp_path / "data"
    ledger = write_xlsx(
        tmp_path / "孝义重点项目.xlsx",
        [
            ["孝义经开区2025年重点项目台账"],
            ["序号", "项目名称", "资金规模（万元）", "项目阶段"],
            [1, "氢能重卡示范运营", 26000, "初步对接"],
            [2, "焦炉煤气制LNG", 52000, "储备"],
            ["合计", None, 78000, None],
        ],
    )
    login("xiaoyi-staff")
    page.get_by_test_id("nav-more").get_by_role("button", name="更多").click()  # 导入台账 sits under 更多
    page.get_by_role("link", name="导入台账").click()
    page.get_by_label("台账类型").select_option(label="项目台账")
    page.get_by_label("导入到开发区").select_option(label="孝义经济技术开发区")
    page.get_by_label("台账文件").set_input_files(str(ledger))
    page.get_by_role("button", name="上传并识别").click()

    # "资金规模" is not a name the importer knows: the officer maps it to 总投资.
    mapping = page.locator("#mapping-form")
    expect(mapping).to_contain_text("氢能重卡示范运营")
    expect(mapping.get_by_label("资金规模（万元） 导入为")).to_have_value("")
    mapping.get_by_label("资金规模（万元） 导入为").select_option(label="总投资")
    mapping.get_by_role("button", name="试导入并预览").click()

    summary = page.locator("#summary")
    expect(summary).to_contain_text(
        "试导入结果：读取 2 行，新增 2，更新 0，无变化 0，有错误 0 行；跳过 1 行", timeout=20_000
    )
    assert not Project.objects.exists()
    page.get_by_role("link", name="逐行预览（2）").click()
    expect(page.locator("#row-table")).to_contain_text("焦炉煤气制LNG")

    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#job-status")).to_have_text("已导入", timeout=20_000)
    page.get_by_role("link", name="查看项目台账").click()
    expect(page.get_by_test_id("totals")).to_have_text("共 2 个项目，总投资 7.8 亿元")
    expect(page.get_by_test_id("results-table")).to_contain_text("氢能重卡示范运营")
    assert Project.objects.get(name="氢能重卡示范运营").total_investment == Decimal("26000.00")
    assert page.outside_requests == []
