"""考核 in real Chromium, as issue 21 asks: 吕梁's office copies the city template, changes one weight,
runs it for a month, 审核, 发布, generates the month's 红黑榜, adds an entry, 公示 it and reads it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kaifaqu.conftest import make_user
from kaifaqu.evaluation import periods
from kaifaqu.evaluation.models import HonorList, Run
from kaifaqu.projects.models import local_today
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.services import unit_for_region, zone_create

pytestmark = pytest.mark.browser

NAME = "吕梁市开发区月度考核"


@pytest.fixture
def office(reference_data, xiaoyi):
    zone_create(name="汾阳经济开发区", short_name="汾阳经开区", region_code="141182")
    return make_user("lvliang-admin", unit_for_region(region=Region.objects.get(code="141100")), roles.ADMIN)


def test_copy_the_city_template_run_publish_and_publish_the_honor_list(office, login, page, live_server):
    last = periods.last_complete("month", local_today())
    page.on("dialog", lambda dialog: dialog.accept())
    login("lvliang-admin")
    page.get_by_role("link", name="考核", exact=True).click()
    page.wait_for_load_state("load")

    form = page.get_by_test_id("new-scheme")
    form.get_by_label("复制自").select_option(label="市级开发区月度考核（月调度）")
    form.get_by_label("考核单位").select_option(label="吕梁市（全市）")
    form.get_by_label("考核方案名称").fill(NAME)
    form.get_by_role("button", name="新建").click()
    expect(page.get_by_text(f"已新建考核方案“{NAME}”")).to_be_visible()
    expect(page.get_by_test_id("full-marks")).to_contain_text("满分合计 100 分")

    page.get_by_test_id("items").get_by_role("row").filter(has_text="规上工业增加值增速").get_by_role(
        "link", name="修改"
    ).click()
    page.get_by_label("分值").fill("20")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存考核项目“规上工业增加值增速”。")).to_be_visible()
    expect(page.get_by_test_id("full-marks")).to_contain_text("满分合计 105 分")

    run_form = page.get_by_test_id("run-form")
    expect(run_form.get_by_label("考核期")).to_have_value(last.key)
    run_form.get_by_role("button", name="计算").click()
    expect(page.get_by_test_id("run-title")).to_have_text(f"{NAME} {last.label} 第1版（草稿）")
    ranking = page.get_by_test_id("ranking")
    expect(ranking).to_contain_text("孝义经开区")
    expect(ranking).to_contain_text("汾阳经开区")
    expect(ranking).to_contain_text("经济运行")

    page.get_by_test_id("review").click()
    expect(page.get_by_test_id("run-title")).to_have_text(f"{NAME} {last.label} 第1版（已审核）")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("run-title")).to_have_text(f"{NAME} {last.label} 第1版（已发布）")
    assert Run.objects.get(scheme__name=NAME).status == Run.Status.PUBLISHED

    page.get_by_role("link", name=re.compile(NAME)).first.click()
    page.wait_for_load_state("load")
    honor_form = page.get_by_test_id("honor-form")
    expect(honor_form.get_by_label("月份")).to_have_value(last.key)
    honor_form.get_by_role("button", name="生成红黑榜").click()
    expect(page.get_by_test_id("honor-status")).to_have_text("待审核")

    page.get_by_text("增加上榜对象").click()
    adding = page.get_by_test_id("honor-add")
    adding.get_by_label("榜别").select_option(label="红榜")
    adding.get_by_label("对象").select_option(label="孝义经开区")
    adding.get_by_label("理由").fill("月报按时准确报送，招商签约居全市第一")
    adding.get_by_role("button", name="增加").click()
    expect(page.get_by_text("已将孝义经开区列入红榜。")).to_be_visible()
    page.get_by_test_id("honor-publish").click()
    expect(page.get_by_test_id("honor-status")).to_have_text("已公示")
    assert HonorList.objects.get(scheme__name=NAME).status == HonorList.Status.PUBLISHED

    page.get_by_role("link", name=re.compile(NAME)).first.click()
    page.wait_for_load_state("load")
    page.get_by_test_id("honor-lists").get_by_role("link").first.click()
    expect(page.get_by_test_id("side-red")).to_contain_text("孝义经开区")
    expect(page.get_by_test_id("side-red")).to_contain_text("月报按时准确报送，招商签约居全市第一")
    expect(page.get_by_test_id("honor-add")).to_have_count(0)  # published: no more changes
    assert page.outside_requests == []
