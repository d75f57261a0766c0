"""亩均效益评价 in real Chromium, as issue 22 asks: an enterprise enters its year's figures on the
portal, the zone grades the year and sees the enterprise in its grade, and the enterprise then
reads its grade on its own page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from kaifaqu.conftest import make_user
from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.figures import figures_save
from kaifaqu.enterprises.services import enterprise_create
from kaifaqu.land.models import MuJunGrade
from kaifaqu.projects.models import local_today
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

pytestmark = pytest.mark.browser

SCHEME = "孝义经开区亩均效益综合评价"

# The portal enterprise (山西鹏飞) types these on its form, by their labels (万元, 人, 吨标准煤, 亩, 平方米).
PORTAL = {
    "产值": "22000",
    "营业收入": "20000",
    "增加值": "5000",
    "税收": "1000",
    "用工": "320",
    "能耗": "5000",
    "研发投入": "400",
    "用地面积": "100",
    "建筑面积": "45000",
}

# The zone's three other enterprises, entered by the zone (land 亩, tax/revenue/value added/R&D 万元, energy tce).
OTHERS = {
    "孝义市金达焦化有限公司": {"land": 100, "tax": 3000, "revenue": 40000, "va": 10000, "energy": 5000, "rd": 1200},
    "孝义市华丰建材有限公司": {"land": 100, "tax": 500, "revenue": 10000, "va": 2500, "energy": 5000, "rd": 100},
    "孝义市恒信铸造有限公司": {"land": 100, "tax": 500, "revenue": 10000, "va": 2500, "energy": 5000, "rd": 300},
}

# The grading by hand (kaifaqu/land/mujun.py, the shipped weights 40/25/20/15, cap 3×, A≥120 B≥80 C≥50).
# Group sums: land 400 亩, tax 5000, revenue 80000, value added 20000, energy 20000 tce, R&D 2000.
# Benchmarks (sums divided): 亩均税收 5000/400 = 12.5; 亩均营业收入 80000/400 = 200;
#   单位能耗增加值 20000/20000 = 1; 研发投入强度 2000/80000 = 2.5 %.
# 鹏飞: 亩均税收 1000/100 = 10 → 40×10/12.5 = 32; 亩均营收 200 → 25×1 = 25; 能耗 5000/5000 = 1 → 20;
#   研发 400/20000 = 2 % → 15×2/2.5 = 12 — 综合得分 89.00 → B类 (80 ≤ 89 < 120), 第 2 名.
# 金达: 40×30/12.5 = 96 + 25×400/200 = 50 + 20×2 = 40 + 15×3/2.5 = 18 → 204.00, A类, 第 1 名.
# 恒信: 40×5/12.5 = 16 + 25×0.5 = 12.5 + 20×0.5 = 10 + 15×3/2.5 = 18 → 56.50, C类, 第 3 名.
# 华丰: 16 + 12.5 + 10 + 15×1/2.5 = 6 → 44.50, D类, 第 4 名.
# So each grade holds one enterprise, and 鹏飞 alone is in B.
PORTAL_SCORE = "89.00"


@pytest.fixture
def zone_year(reference_data, xiaoyi, xiaoyi_enterprise):
    """孝义's staff, 鹏飞's portal user, and three other enterprises with last year's figures."""
    year = local_today().year - 1
    unit = Unit.objects.create(kind="enterprise", enterprise=xiaoyi_enterprise, name=xiaoyi_enterprise.name)
    make_user("pengfei", unit, roles.ENTERPRISE_USER)
    staff = make_user("xiaoyi-officer", Unit.objects.get(zone=xiaoyi), roles.PROJECT_OFFICER)
    for number, (name, row) in enumerate(OTHERS.items(), start=1):
        enterprise = enterprise_create(
            user=staff,
            fields={
                "name": name,
                "zone": xiaoyi,
                "credit_code": make_credit_code("141181", f"2000000{number}"),
                "industry": "焦化",
                "is_above_scale": True,
            },
        )
        figures_save(
            user=staff,
            enterprise=enterprise,
            year=year,
            fields={
                "land_mu": Decimal(row["land"]),
                "tax": Decimal(row["tax"]),
                "revenue": Decimal(row["revenue"]),
                "value_added": Decimal(row["va"]),
                "energy_tce": Decimal(row["energy"]),
                "rd_spend": Decimal(row["rd"]),
            },
        )
    return year


def test_enterprise_reports_zone_grades_enterprise_sees_its_grade(zone_year, xiaoyi_enterprise, login, page):
    year = zone_year
    name = xiaoyi_enterprise.name

    # 1. The enterprise enters last year's figures on its portal.
    login("pengfei")
    page.get_by_role("link", name="企业", exact=True).click()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_test_id("mujun-history")).to_contain_text("尚未参加亩均效益评价")
    page.get_by_role("link", name="填报经营数据").click()
    expect(page.get_by_role("heading", name="填报经营数据")).to_be_visible()
    period = page.get_by_test_id("figures-period")
    expect(period.get_by_label("年度")).to_have_value(str(year))
    expect(page.get_by_text(f"{name} · {year}年。")).to_be_visible()
    form = page.get_by_test_id("figures-form")
    for label, value in PORTAL.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已保存{name}{year}年经营数据。")).to_be_visible()
    reported = page.get_by_test_id("figures-years").get_by_role("row").filter(has_text=f"{year}年")
    expect(reported).to_contain_text("20,000.00")  # 营业收入
    expect(reported).to_contain_text("1,000.00")  # 税收
    expect(reported).to_contain_text("320")  # 用工
    expect(reported).to_contain_text("企业填报")
    expect(reported).not_to_contain_text("待补录")
    # The 亩均 pages are the zone's: no 亩均 link in the enterprise's menu.
    expect(page.get_by_role("link", name="亩均", exact=True)).to_have_count(0)

    # 2. The zone creates a scheme, grades last year and finds 鹏飞 in B.
    page.context.clear_cookies()
    login("xiaoyi-officer")
    page.get_by_role("link", name="亩均", exact=True).click()
    expect(page.get_by_role("heading", name="亩均效益评价")).to_be_visible()
    new = page.get_by_test_id("new-mujun-scheme")
    new.get_by_label("评价单位").select_option(label="孝义经济技术开发区")
    new.get_by_label("评价方案名称").fill(SCHEME)
    new.get_by_role("button", name="新建").click()
    expect(page.get_by_text(f"已新建亩均效益评价方案“{SCHEME}”")).to_be_visible()
    expect(page.get_by_text("该方案还没有评价结果")).to_be_visible()

    grading = page.get_by_test_id("grade-form")
    grading.get_by_label("评价年度").select_option(str(year))
    grading.get_by_role("button", name="评价").click()
    expect(
        page.get_by_text(f"已完成{year}年亩均效益评价：参评4户（A类1户，B类1户，C类1户，D类1户），不参评0户。")
    ).to_be_visible()
    expect(page.get_by_role("heading", name=f"{year}年度")).to_be_visible()
    expect(page.get_by_test_id("count-A")).to_have_text("1 户")
    expect(page.get_by_test_id("count-B")).to_have_text("1 户")
    expect(page.get_by_test_id("count-C")).to_have_text("1 户")
    expect(page.get_by_test_id("count-D")).to_have_text("1 户")
    expect(page.get_by_test_id("count-excluded")).to_have_text("0 户")
    expect(page.get_by_test_id("levels")).to_contain_text("亩均税收 12.50")

    table = page.get_by_test_id("mujun-grades")
    expect(table.get_by_test_id("grade-row")).to_have_count(4)
    row = table.get_by_test_id("grade-row").filter(has_text=name)
    expect(row).to_contain_text(PORTAL_SCORE)
    expect(row.locator(".badge")).to_have_text("B类")
    expect(row.get_by_role("cell").first).to_have_text("2")  # 名次
    expect(table.get_by_test_id("grade-row").filter(has_text="孝义市金达焦化有限公司").locator(".badge")).to_have_text(
        "A类"
    )

    page.get_by_test_id("grade-counts").get_by_role("link", name=re.compile("B类")).click()
    expect(page.get_by_text("只看 B 类")).to_be_visible()
    expect(table.get_by_test_id("grade-row")).to_have_count(1)
    expect(table.get_by_test_id("grade-row")).to_contain_text(name)
    expect(table.get_by_test_id("grade-row").locator(".badge")).to_have_text("B类")
    assert MuJunGrade.objects.get(enterprise=xiaoyi_enterprise, year=year).grade == "B"

    # 3. Back on its portal, the enterprise reads its grade.
    page.context.clear_cookies()
    login("pengfei")
    page.get_by_role("link", name="企业", exact=True).click()
    page.get_by_role("link", name=name).click()
    history = page.get_by_test_id("mujun-history")
    expect(history.get_by_test_id(f"mujun-grade-{year}")).to_have_text("B类")
    expect(history).to_contain_text(f"综合得分 {PORTAL_SCORE}，第 2 名")
    expect(history).to_contain_text(SCHEME)
    assert page.outside_requests == []
