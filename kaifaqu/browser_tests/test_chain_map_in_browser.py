"""一图五清单 in real Chromium, as issue 20 asks: open a chain's map, click a 缺失 link on the picture,
see its five lists, and add a target company to its 招商清单."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kaifaqu.chains import services
from kaifaqu.chains.models import ChainLink, ChainTarget, IndustryChain
from kaifaqu.investment import services as investment_services
from kaifaqu.investment.models import Target

pytestmark = pytest.mark.browser

# Where ECharts laid out the node named ``name``, in page pixels (the canvas has no DOM per node).
NODE_POSITION = """name => {
  const holder = document.getElementById("chain-map");
  const chart = echarts.getInstanceByDom(holder);
  const data = chart.getModel().getSeriesByIndex(0).getData();
  for (let i = 0; i < data.count(); i++) {
    if (data.getName(i) === name) {
      const at = data.getItemGraphicEl(i).transformCoordToGlobal(0, 0), box = holder.getBoundingClientRect();
      return {x: box.left + at[0], y: box.top + at[1]};
    }
  }
  return null;
}"""


@pytest.fixture
def hydrogen(reference_data, xiaoyi, xiaoyi_staff, xiaoyi_enterprise, admin_user):
    chain = services.chain_save(user=admin_user, chain=IndustryChain(), fields={"name": "氢能", "zone": xiaoyi})
    for segment, name, status in (
        ("upstream", "焦炉煤气制氢", "existing"),
        ("midstream", "储运与加注", "weak"),
        ("midstream", "燃料电池", "missing"),
    ):
        link = services.link_save(
            user=admin_user, link=ChainLink(chain=chain), fields={"segment": segment, "name": name, "status": status}
        )
        if status == "existing":
            services.enterprise_place(user=admin_user, link=link, enterprise=xiaoyi_enterprise, product="焦炉煤气氢")
    investment_services.target_save(user=admin_user, target=Target(zone=xiaoyi), fields={"name": "上海重塑能源"})
    return chain


def test_click_a_missing_link_on_the_map_and_add_a_target(hydrogen, login, page, live_server):
    login("xiaoyi-staff")
    page.goto(f"{live_server.url}/chains/{hydrogen.pk}/")
    canvas = page.get_by_test_id("chain-map").locator("canvas")
    expect(canvas).to_be_visible()
    expect(page.get_by_test_id("five-lists")).to_contain_text("全链五清单")
    expect(page.get_by_test_id("list-enterprises")).to_contain_text("山西鹏飞集团有限公司")

    with page.expect_download() as picture:
        page.get_by_test_id("map-image").click()
    assert picture.value.suggested_filename == "孝义经济技术开发区氢能产业链图谱.png"
    assert picture.value.path().read_bytes()[:4] == b"\x89PNG"

    where = page.evaluate(NODE_POSITION, "燃料电池")
    assert where is not None
    page.mouse.click(where["x"], where["y"])
    page.wait_for_url("**/?link=*")
    lists = page.get_by_test_id("five-lists")
    expect(lists).to_contain_text("“燃料电池”五清单")
    expect(lists).to_contain_text("缺失")
    expect(lists).to_contain_text("延链")
    for name in ("list-policies", "list-enterprises", "list-projects", "list-requests", "list-targets"):
        expect(page.get_by_test_id(name)).to_be_visible()
    expect(page.get_by_test_id("list-enterprises")).to_contain_text("暂无企业")  # 鹏飞 is on another link

    form = page.get_by_test_id("place-target")
    form.get_by_label("目标企业").select_option(label="上海重塑能源")
    form.get_by_role("button", name="列入招商清单").click()
    expect(page.get_by_text("已将目标企业“上海重塑能源”列入“燃料电池”招商清单。")).to_be_visible()
    expect(page.get_by_test_id("list-targets")).to_contain_text("上海重塑能源")
    assert ChainTarget.objects.filter(link__name="燃料电池", target__name="上海重塑能源").exists()
    assert page.outside_requests == []
