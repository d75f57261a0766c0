"""Chains built the way offices describe them: links by status and their tasks, the 吕梁 3/3/3
sentence, a city chain across two zones, who may draw a chain and place records on it."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from kaifaqu.chains import services
from kaifaqu.chains.models import ChainEnterprise, ChainLink, ChainProject, ChainTarget, IndustryChain
from kaifaqu.chains.selectors import chain_figures
from kaifaqu.conftest import make_user
from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.services import enterprise_create
from kaifaqu.investment import services as investment_services
from kaifaqu.investment.models import Target
from kaifaqu.projects.models import Stage
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit
from kaifaqu.zones.services import unit_for_region, zone_create

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 1)
EXISTING, WEAK, MISSING = ChainLink.Status.EXISTING, ChainLink.Status.WEAK, ChainLink.Status.MISSING


@pytest.fixture
def aluminium(xiaoyi, admin_user):
    """孝义's 铝系循环 chain: 氧化铝 (已有), 电解铝 (薄弱), 铝基新材料 (缺失)."""
    chain = services.chain_save(user=admin_user, chain=IndustryChain(), fields={"name": "铝系循环", "zone": xiaoyi})
    links = {}
    for segment, name, status in (
        ("upstream", "氧化铝", EXISTING),
        ("midstream", "电解铝", WEAK),
        ("downstream", "铝基新材料", MISSING),
    ):
        links[status] = services.link_save(
            user=admin_user, link=ChainLink(chain=chain), fields={"segment": segment, "name": name, "status": status}
        )
    return chain, links


def _figures(chain):
    return chain_figures(
        chain,
        enterprises=ChainEnterprise.objects.all(),
        projects=ChainProject.objects.all(),
        targets=ChainTarget.objects.all(),
    )


def test_the_lvliang_three_three_three(aluminium, make_project, xiaoyi_staff):
    """吕梁 (seed 004): 分别招引延链项目3个、补链项目3个、强链项目3个 — each project's task from its link."""
    chain, links = aluminium
    for status, wan in ((MISSING, "40000"), (WEAK, "20000"), (EXISTING, "10000")):
        for number in range(3):
            project = make_project(f"{links[status].name}项目{number}", total_investment=Decimal(wan))
            services.project_place(user=xiaoyi_staff, link=links[status], project=project)

    figures = _figures(chain)

    assert figures.sentence == (
        "铝系循环产业链：延链项目3个，总投资12亿元；补链项目3个，总投资6亿元；强链项目3个，总投资3亿元。"
    )
    out = StringIO()
    call_command("chain_stats", "--zone", "孝义", "--json", stdout=out)
    (stats,) = json.loads(out.getvalue())
    assert stats["projects_by_task"] == {
        "延链": {"count": 3, "investment_wan": "120000.00"},
        "补链": {"count": 3, "investment_wan": "60000.00"},
        "强链": {"count": 3, "investment_wan": "30000.00"},
        "建链": {"count": 0, "investment_wan": "0.00"},
    }
    assert stats["links"] == {"total": 3, "existing": 1, "weak": 1, "missing": 1}


def test_a_task_may_be_given_and_a_chain_being_built_is_built(aluminium, make_project, xiaoyi_staff, admin_user):
    chain, links = aluminium
    project = make_project("铝灰综合利用项目")
    placed = services.project_place(user=xiaoyi_staff, link=links[EXISTING], project=project, task="extend")
    assert placed.get_task_display() == "延链"
    moved = services.project_place(user=xiaoyi_staff, link=links[WEAK], project=project)  # one link per project
    assert moved.pk == placed.pk and moved.task == "fill"
    hydrogen = services.chain_save(
        user=admin_user, chain=IndustryChain(), fields={"name": "氢能", "zone": chain.zone, "building": True}
    )
    link = services.link_save(
        user=admin_user,
        link=ChainLink(chain=hydrogen),
        fields={"segment": "upstream", "name": "制氢", "status": MISSING},
    )
    assert link.get_task_display() == "建链"


def test_enterprises_above_scale_and_leads_for_missing_links(
    aluminium, xiaoyi, xiaoyi_staff, xiaoyi_enterprise, make_project
):
    chain, links = aluminium
    services.enterprise_place(user=xiaoyi_staff, link=links[EXISTING], enterprise=xiaoyi_enterprise, product="氧化铝")
    services.enterprise_place(user=xiaoyi_staff, link=links[WEAK], enterprise=xiaoyi_enterprise, product="铝锭")
    small = enterprise_create(
        user=xiaoyi_staff,
        fields={"name": "孝义市小铝件厂", "zone": xiaoyi, "credit_code": make_credit_code("141181", "33333333")},
    )
    services.enterprise_place(user=xiaoyi_staff, link=links[WEAK], enterprise=small)
    lead = make_project("铝基复合材料项目", stage=Stage.CONTACT, stage_dates={"contact_on": DAY})
    services.project_place(user=xiaoyi_staff, link=links[MISSING], project=lead)
    target = investment_services.target_save(
        user=xiaoyi_staff, target=Target(zone=xiaoyi), fields={"name": "中铝材料应用研究院"}
    )
    services.target_place(user=xiaoyi_staff, link=links[MISSING], target=target)

    figures = _figures(chain)

    assert (figures.enterprises, figures.above_scale) == (2, 1)  # 鹏飞 on two links counts once
    assert (figures.leads_for_missing_links, figures.targets_for_missing_links) == (1, 1)


def test_a_city_chain_spans_its_zones_each_sees_its_own(
    xiaoyi, tunliu, xiaoyi_staff, tunliu_staff, admin_user, xiaoyi_enterprise
):
    jiaocheng = zone_create(name="交城经济开发区", short_name="交城经开区", region_code="141122")
    lvliang = Region.objects.get(code="141100")
    chain = services.chain_save(user=admin_user, chain=IndustryChain(), fields={"name": "氢能", "region": lvliang})
    link = services.link_save(
        user=admin_user,
        link=ChainLink(chain=chain),
        fields={"segment": "midstream", "name": "燃料电池", "status": WEAK},
    )
    neighbour = enterprise_create(
        user=admin_user,
        fields={
            "name": "交城氢能装备有限公司",
            "zone": jiaocheng,
            "credit_code": make_credit_code("141122", "44444444"),
        },
    )
    services.enterprise_place(user=xiaoyi_staff, link=link, enterprise=xiaoyi_enterprise)
    services.enterprise_place(user=admin_user, link=link, enterprise=neighbour)

    assert list(IndustryChain.objects.visible_to(xiaoyi_staff)) == [chain]
    assert not IndustryChain.objects.visible_to(tunliu_staff).exists()  # 屯留 is in 长治
    seen = chain_figures(
        chain,
        enterprises=ChainEnterprise.objects.visible_to(xiaoyi_staff),
        projects=ChainProject.objects.visible_to(xiaoyi_staff),
        targets=ChainTarget.objects.visible_to(xiaoyi_staff),
    )
    assert seen.enterprises == 1 and _figures(chain).enterprises == 2
    out = StringIO()
    call_command("chain_stats", "--zone", "交城", "--json", stdout=out)
    assert [(item["chain"], item["scope"], item["enterprises"]) for item in json.loads(out.getvalue())] == [
        ("氢能", "吕梁市", 1)
    ]

    outsider = enterprise_create(
        user=admin_user,
        fields={"name": "屯留光伏有限公司", "zone": tunliu, "credit_code": make_credit_code("140405", "55555555")},
    )
    with pytest.raises(ValidationError, match="不在吕梁市氢能产业链的范围内"):
        services.enterprise_place(user=admin_user, link=link, enterprise=outsider)
    with pytest.raises(PermissionDenied):  # a zone draws its own chains, not the city's
        services.link_save(user=xiaoyi_staff, link=link, fields={"status": EXISTING})
    with pytest.raises(PermissionDenied):  # nor places another zone's enterprise
        services.enterprise_place(user=xiaoyi_staff, link=link, enterprise=neighbour)


def test_who_draws_a_chain(xiaoyi, xiaoyi_staff, lvliang_office, tunliu_staff):
    with pytest.raises(PermissionDenied):
        services.chain_save(user=tunliu_staff, chain=IndustryChain(), fields={"name": "氢能", "zone": xiaoyi})
    with pytest.raises(PermissionDenied):  # 领导 reads
        services.chain_save(user=lvliang_office, chain=IndustryChain(), fields={"name": "氢能", "zone": xiaoyi})
    city_admin = make_user("lvliang-admin", unit_for_region(region=Region.objects.get(code="141100")), roles.ADMIN)
    chain = services.chain_save(
        user=city_admin, chain=IndustryChain(), fields={"name": "煤化工", "region": Region.objects.get(code="141100")}
    )
    assert chain.scope_name == "吕梁市"
    own = services.chain_save(user=xiaoyi_staff, chain=IndustryChain(), fields={"name": "氢能", "zone": xiaoyi})
    assert own.region_id == xiaoyi.region_id
    with pytest.raises(ValidationError) as duplicate:
        services.chain_save(user=xiaoyi_staff, chain=IndustryChain(), fields={"name": "氢能", "zone": xiaoyi})
    assert duplicate.value.messages


def test_links_nest_within_their_segment(aluminium, admin_user):
    chain, links = aluminium
    child = services.link_save(
        user=admin_user,
        link=ChainLink(chain=chain),
        fields={"segment": "downstream", "name": "铝合金轮毂", "status": MISSING, "parent": links[MISSING]},
    )
    assert child.parent == links[MISSING]
    with pytest.raises(ValidationError) as wrong:
        services.link_save(
            user=admin_user,
            link=ChainLink(chain=chain),
            fields={"segment": "upstream", "name": "铝土矿", "status": EXISTING, "parent": links[MISSING]},
        )
    assert "链段" in str(wrong.value.message_dict["segment"])
    with pytest.raises(ValidationError):
        services.link_save(user=admin_user, link=links[MISSING], fields={"parent": child})  # a loop


def test_the_command_names_what_is_wrong(xiaoyi):
    with pytest.raises(CommandError, match="未找到开发区"):
        call_command("chain_stats", "--zone", "无此区")
    with pytest.raises(CommandError, match="未找到孝义经济技术开发区的“氢能”产业链"):
        call_command("chain_stats", "--zone", "孝义", "--chain", "氢能")
    out = StringIO()
    call_command("chain_stats", "--zone", "孝义", stdout=out)
    assert "尚未登记产业链" in out.getvalue()


def test_a_zone_leader_places_nothing(aluminium, xiaoyi, xiaoyi_enterprise):
    leader = make_user("xiaoyi-leader", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    _, links = aluminium
    with pytest.raises(PermissionDenied):
        services.enterprise_place(user=leader, link=links[EXISTING], enterprise=xiaoyi_enterprise)
    assert not ChainEnterprise.objects.exists()
