"""The 产业链 pages as a zone's staff and a city office use them: the chains they see, drawing a chain
and its links, a link's 五清单 with what was placed on it, and no forms for those without the right."""

import pytest
from django.test import Client
from django.urls import reverse

from kaifaqu.chains import services
from kaifaqu.chains.models import ChainLink, IndustryChain
from kaifaqu.conftest import make_user
from kaifaqu.investment import services as investment_services
from kaifaqu.investment.models import Target
from kaifaqu.regions.models import Region
from kaifaqu.services.services import request_file
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hydrogen(xiaoyi, admin_user):
    """孝义's 氢能 chain: 焦炉煤气制氢 (已有, 上游) and 燃料电池 (缺失, 中游)."""
    chain = services.chain_save(user=admin_user, chain=IndustryChain(), fields={"name": "氢能", "zone": xiaoyi})
    made = {}
    for segment, name, status in (("upstream", "焦炉煤气制氢", "existing"), ("midstream", "燃料电池", "missing")):
        made[status] = services.link_save(
            user=admin_user, link=ChainLink(chain=chain), fields={"segment": segment, "name": name, "status": status}
        )
    return chain, made


@pytest.fixture
def city_chain(xiaoyi, tunliu, admin_user):
    return services.chain_save(
        user=admin_user, chain=IndustryChain(), fields={"name": "煤化工", "region": Region.objects.get(code="141100")}
    )


def test_each_sees_the_chains_of_its_scope(hydrogen, city_chain, xiaoyi_staff, tunliu_staff):
    chain, _links = hydrogen
    page = client_for(xiaoyi_staff).get(reverse("chains:list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "开发区产业链" in text and "市级产业链" in text
    assert "氢能" in text and "煤化工" in text and "吕梁市" in text
    assert "氢能产业链：暂无链上项目。" in text

    tunliu = client_for(tunliu_staff)
    text = tunliu.get(reverse("chains:list")).content.decode()
    assert f'data-testid="chain-{chain.pk}"' not in text and f'data-testid="chain-{city_chain.pk}"' not in text
    assert "还没有产业链" in text
    assert tunliu.get(reverse("chains:detail", args=[chain.pk])).status_code == 404
    assert tunliu.get(reverse("chains:detail", args=[city_chain.pk])).status_code == 404
    assert client_for(xiaoyi_staff).get(reverse("chains:detail", args=[city_chain.pk])).status_code == 200


def test_a_zone_draws_its_chain_and_its_links_through_the_pages(xiaoyi, xiaoyi_staff):
    client = client_for(xiaoyi_staff)
    form = client.get(reverse("chains:list")).content.decode()
    assert "新建产业链" in form and f'value="zone-{xiaoyi.pk}"' in form

    response = client.post(
        reverse("chains:list"), {"name": "铝系循环", "scope": f"zone-{xiaoyi.pk}", "chief": "王副市长"}
    )
    chain = IndustryChain.objects.get(name="铝系循环")
    assert response.status_code == 302 and chain.zone == xiaoyi and chain.chief == "王副市长"

    again = client.post(reverse("chains:list"), {"name": "铝系循环", "scope": f"zone-{xiaoyi.pk}"})
    assert again.status_code == 400 and IndustryChain.objects.filter(name="铝系循环").count() == 1
    empty = client.post(reverse("chains:list"), {"name": "", "scope": ""})
    assert "请输入产业链名称" in empty.content.decode() or "产业链名称" in empty.content.decode()

    add = reverse("chains:link_add", args=[chain.pk])
    client.post(add, {"segment": "upstream", "name": "氧化铝", "status": "existing", "order": "100"})
    parent = ChainLink.objects.get(name="氧化铝")
    response = client.post(
        add, {"segment": "upstream", "name": "赤泥综合利用", "status": "missing", "parent": parent.pk, "order": "100"}
    )
    child = ChainLink.objects.get(name="赤泥综合利用")
    assert response.status_code == 302 and child.parent == parent and child.task == "extend"
    wrong = client.post(
        add, {"segment": "downstream", "name": "铝合金轮毂", "status": "weak", "parent": parent.pk, "order": "100"}
    )
    assert wrong.status_code == 400 and "下级环节的链段须与上级环节" in wrong.content.decode()

    page = client.get(reverse("chains:detail", args=[chain.pk])).content.decode()
    assert "上游" in page and "氧化铝" in page and "赤泥综合利用" in page
    assert "text-bg-danger" in page and "延链" in page

    client.post(
        reverse("chains:link_edit", args=[child.pk]),
        {"segment": "upstream", "name": "赤泥综合利用", "status": "weak", "parent": parent.pk, "order": "100"},
    )
    child.refresh_from_db()
    assert child.status == "weak"
    client.post(reverse("chains:link_delete", args=[child.pk]))
    assert not ChainLink.objects.filter(pk=child.pk).exists()


def test_a_links_five_lists_show_what_was_placed_on_it(hydrogen, xiaoyi, xiaoyi_staff, xiaoyi_enterprise, make_project):
    chain, links = hydrogen
    link = links["missing"]
    client = client_for(xiaoyi_staff)
    detail = reverse("chains:detail", args=[chain.pk])
    project = make_project("氢燃料电池电堆项目")
    target = investment_services.target_save(
        user=xiaoyi_staff, target=Target(zone=xiaoyi), fields={"name": "国家电投氢能公司"}
    )
    request_file(user=xiaoyi_staff, enterprise=xiaoyi_enterprise, title="加氢站用地指标", category="land")

    place = lambda kind: reverse("chains:place", args=[link.pk, kind])  # noqa: E731
    assert (
        client.post(place("enterprise"), {"enterprise": xiaoyi_enterprise.pk, "product": "焦炉煤气"}).status_code == 302
    )
    assert client.post(place("project"), {"project": project.pk, "task": "extend"}).status_code == 302
    assert client.post(place("target"), {"target": target.pk}).status_code == 302

    page = client.get(f"{detail}?link={link.pk}").content.decode()
    assert "“燃料电池”五清单" in page
    for seen in (
        "山西鹏飞集团有限公司",
        "焦炉煤气",
        "规上",
        "氢燃料电池电堆项目",
        "国家电投氢能公司",
        "加氢站用地指标",
    ):
        assert seen in page
    assert "暂无政策" in page
    assert "企业 1 · 项目 1 · 目标 1" in page
    assert "延链项目1个" in page

    placed = link.enterprises.get()
    client.post(reverse("chains:unplace"), {"kind": "enterprise", "id": placed.pk})
    assert not link.enterprises.exists()


def test_a_record_outside_the_chain_is_refused_in_words(city_chain, tunliu, admin_user, lvliang_office):
    link = services.link_save(
        user=admin_user,
        link=ChainLink(chain=city_chain),
        fields={"segment": "upstream", "name": "焦化", "status": "weak"},
    )
    outsider = investment_services.target_save(
        user=admin_user, target=Target(zone=tunliu), fields={"name": "长治某企业"}
    )
    response = client_for(admin_user).post(reverse("chains:place", args=[link.pk, "target"]), {"target": outsider.pk})
    assert response.status_code == 400
    assert "所选目标企业不存在或您无权使用" in response.content.decode()  # 屯留 is not offered on 吕梁 chain


def test_without_the_right_no_forms_and_403(hydrogen, xiaoyi, xiaoyi_enterprise):
    chain, links = hydrogen
    leader = make_user("xiaoyi-leader", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    client = client_for(leader)
    listing = client.get(reverse("chains:list")).content.decode()
    assert "氢能" in listing and "新建产业链" not in listing
    page = client.get(reverse("chains:detail", args=[chain.pk]) + f"?link={links['missing'].pk}").content.decode()
    assert "五清单" in page and "添加环节" not in page and "列入企业清单" not in page and "移出" not in page

    assert client.post(reverse("chains:list"), {"name": "煤化工", "scope": f"zone-{xiaoyi.pk}"}).status_code == 403
    assert client.post(reverse("chains:link_add", args=[chain.pk]), {"segment": "upstream"}).status_code == 403
    assert client.post(reverse("chains:link_delete", args=[links["missing"].pk])).status_code == 403
    placing = reverse("chains:place", args=[links["missing"].pk, "enterprise"])
    assert client.post(placing, {"enterprise": xiaoyi_enterprise.pk}).status_code == 403
    assert not IndustryChain.objects.filter(name="煤化工").exists() and ChainLink.objects.count() == 2


def test_a_city_office_draws_the_citys_chain(xiaoyi, tunliu):
    from kaifaqu.zones.services import unit_for_region

    city_admin = make_user("lvliang-admin", unit_for_region(region=Region.objects.get(code="141100")), roles.ADMIN)
    client = client_for(city_admin)
    assert 'value="region-141100"' in client.get(reverse("chains:list")).content.decode()
    response = client.post(reverse("chains:list"), {"name": "煤化工", "scope": "region-141100"})
    chain = IndustryChain.objects.get(name="煤化工")
    assert response.status_code == 302 and chain.zone is None and chain.scope_name == "吕梁市"
    assert "市级产业链" in client.get(reverse("chains:list")).content.decode()
