"""政策 and the 五清单 as offices use them: a policy registered from a link with its file, a city's
policy serving a zone's chain, the five lists in one workbook, and a chain's 链主 set on its page."""

import datetime
import io
import json
import re
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kaifaqu.audit.models import AuditEntry
from kaifaqu.chains import services
from kaifaqu.chains.models import ChainLink, IndustryChain, Policy
from kaifaqu.conftest import make_user
from kaifaqu.investment import services as investment_services
from kaifaqu.investment.models import Target
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit
from kaifaqu.zones.services import unit_for_region

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hydrogen(xiaoyi, admin_user):
    """孝义's 氢能 chain: 氢气制备 (已有, 上游) with 焦炉煤气制氢 under it (薄弱), 燃料电池 (缺失, 中游)."""
    chain = services.chain_save(user=admin_user, chain=IndustryChain(), fields={"name": "氢能", "zone": xiaoyi})

    def link(name, segment, status, parent=None):
        fields = {"segment": segment, "name": name, "status": status, "parent": parent}
        return services.link_save(user=admin_user, link=ChainLink(chain=chain), fields=fields)

    making = link("氢气制备", "upstream", "existing")
    return chain, {
        "making": making,
        "coke_gas": link("焦炉煤气制氢", "upstream", "weak", making),
        "cells": link("燃料电池", "midstream", "missing"),
    }


def test_a_policy_registered_from_a_link_with_its_file(hydrogen, xiaoyi, xiaoyi_staff, tunliu_staff):
    chain, links = hydrogen
    client = client_for(xiaoyi_staff)
    opened = client.get(reverse("chains:policy_create") + f"?link={links['cells'].pk}").content.decode()
    assert f'value="{links["cells"].pk}" selected' in opened and f'value="zone-{xiaoyi.pk}" selected' in opened

    bad = client.post(
        reverse("chains:policy_create"),
        {
            "title": "孝义市支持氢能产业发展若干措施",
            "issuer": "孝义市人民政府",
            "scope": f"zone-{xiaoyi.pk}",
            "links": [links["cells"].pk],
            "file": SimpleUploadedFile("措施.pdf", b"MZ\x90\x00 not a pdf"),
            "link": links["cells"].pk,
        },
    )
    assert bad.status_code == 400 and "的内容不是PDF文档" in bad.content.decode()
    assert not Policy.objects.exists()

    response = client.post(
        reverse("chains:policy_create"),
        {
            "title": "孝义市支持氢能产业发展若干措施",
            "issuer": "孝义市人民政府",
            "number": "孝政发〔2024〕12号",
            "scope": f"zone-{xiaoyi.pk}",
            "links": [links["cells"].pk],
            "file": SimpleUploadedFile("措施.pdf", PDF),
            "link": links["cells"].pk,
        },
    )
    policy = Policy.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?link={links['cells'].pk}#five-lists")
    assert policy.zone == xiaoyi and policy.issued_on is None and policy.file_name == "措施.pdf"
    assert AuditEntry.objects.filter(object_key=f"chains.policy:{policy.pk}", action="create").exists()

    page = client.get(reverse("chains:detail", args=[chain.pk]) + f"?link={links['cells'].pk}").content.decode()
    assert "政策清单（1 项）" in page and "孝政发〔2024〕12号" in page and "待补录" in page
    assert b"".join(client.get(reverse("chains:policy_file", args=[policy.pk])).streaming_content) == PDF

    listing = client.get(reverse("chains:policies") + "?missing=date").content.decode()
    assert "孝义市支持氢能产业发展若干措施" in listing and "氢能›燃料电池" in listing

    outsider = client_for(tunliu_staff)
    assert outsider.get(reverse("chains:policy_edit", args=[policy.pk])).status_code == 404
    assert outsider.get(reverse("chains:policy_file", args=[policy.pk])).status_code == 404
    assert "孝义市支持氢能" not in outsider.get(reverse("chains:policies")).content.decode()


def test_a_citys_policy_serves_a_zones_chain_but_not_another_citys(hydrogen, tunliu, admin_user):
    _chain, links = hydrogen
    city_admin = make_user("lvliang-admin", unit_for_region(region=Region.objects.get(code="141100")), roles.ADMIN)
    policy = services.policy_save(
        user=city_admin,
        policy=Policy(),
        fields={
            "title": "吕梁市氢能产业链招商奖励办法",
            "issuer": "吕梁市商务局",
            "region": Region.objects.get(code="141100"),
        },
    )
    client = client_for(city_admin)
    assert (
        client.post(reverse("chains:place", args=[links["making"].pk, "policy"]), {"policy": policy.pk}).status_code
        == 302
    )
    assert list(policy.links.all()) == [links["making"]]

    changi = services.chain_save(user=admin_user, chain=IndustryChain(), fields={"name": "光伏", "zone": tunliu})
    far = services.link_save(
        user=admin_user,
        link=ChainLink(chain=changi),
        fields={"segment": "upstream", "name": "硅料", "status": "missing"},
    )
    with pytest.raises(Exception, match="不在屯留经济技术开发区光伏产业链的范围内"):
        services.policy_place(user=admin_user, link=far, policy=policy)

    leader = make_user("xiaoyi-leader", Unit.objects.get(zone=links["making"].chain.zone), roles.LEADER)
    assert client_for(leader).post(reverse("chains:policy_delete", args=[policy.pk])).status_code == 403
    assert (
        "吕梁市氢能产业链招商奖励办法"
        in client_for(leader).get(reverse("chains:policy_edit", args=[policy.pk])).content.decode()
    )


def test_the_five_lists_in_one_workbook(hydrogen, xiaoyi, xiaoyi_staff, xiaoyi_enterprise, make_project):
    chain, links = hydrogen
    services.enterprise_place(
        user=xiaoyi_staff, link=links["coke_gas"], enterprise=xiaoyi_enterprise, product="焦炉煤气"
    )
    services.project_place(user=xiaoyi_staff, link=links["coke_gas"], project=make_project("焦炉煤气制氢项目"))
    services.project_place(
        user=xiaoyi_staff,
        link=links["cells"],
        project=make_project("电堆项目", stage="contact", stage_dates={"contact_on": datetime.date(2026, 5, 1)}),
    )
    target = investment_services.target_save(user=xiaoyi_staff, target=Target(zone=xiaoyi), fields={"name": "亿华通"})
    services.target_place(user=xiaoyi_staff, link=links["cells"], target=target)

    client = client_for(xiaoyi_staff)
    whole = client.get(reverse("chains:lists_export", args=[chain.pk]))
    book = openpyxl.load_workbook(io.BytesIO(whole.content))
    assert book.sheetnames == ["政策清单", "企业清单", "项目清单", "问题清单", "招商清单"]
    projects = [row for row in book["项目清单"].iter_rows(values_only=True)]
    assert projects[0][0] == "氢能产业链项目清单"
    names = [row[2] for row in projects[2:-1]]
    assert names == ["焦炉煤气制氢项目", "电堆项目"]
    assert projects[-1][0] == "合计" and projects[-1][-1] == 200000
    leads = [row[2] for row in book["招商清单"].iter_rows(min_row=3, values_only=True)]
    assert "亿华通" in leads and "电堆项目" in leads

    # 氢气制备's lists hold those of 焦炉煤气制氢 under it; 燃料电池's are not among them.
    part = client.get(reverse("chains:lists_export", args=[chain.pk]) + f"?link={links['making'].pk}&list=enterprises")
    sheet = openpyxl.load_workbook(io.BytesIO(part.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "氢能产业链·氢气制备企业清单"
    assert rows[2][1:4] == ("焦炉煤气制氢", "山西鹏飞集团有限公司", "孝义经济技术开发区")
    page = client.get(reverse("chains:detail", args=[chain.pk]) + f"?link={links['making'].pk}").content.decode()
    projects = page[page.index('data-testid="list-projects"') : page.index('data-testid="place-project"')]
    assert "焦炉煤气制氢项目" in projects and "电堆项目" not in projects and "含下级环节" in page
    assert client.get(reverse("chains:lists_export", args=[chain.pk]) + "?list=nothing").status_code == 404


def test_the_map_colours_each_link_by_status(hydrogen, xiaoyi_staff):
    chain, _links = hydrogen
    page = client_for(xiaoyi_staff).get(reverse("chains:detail", args=[chain.pk])).content.decode()
    data = json.loads(re.search(r'<script id="chain-map-data" type="application/json">(.*?)</script>', page, re.S)[1])
    assert data["name"] == "氢能产业链"
    upstream, midstream = data["children"]
    assert [upstream["name"], midstream["name"]] == ["上游", "中游"]
    making = upstream["children"][0]
    assert (making["name"], making["status"], making["itemStyle"]["color"]) == ("氢气制备", "已有", "#198754")
    assert making["children"][0]["status"] == "薄弱" and midstream["children"][0]["task"] == "延链"
    assert midstream["children"][0]["itemStyle"]["color"] == "#dc3545"


def test_a_chains_leader_enterprise_set_on_its_page(
    hydrogen, xiaoyi, tunliu, xiaoyi_staff, xiaoyi_enterprise, admin_user
):
    chain, _links = hydrogen
    client = client_for(xiaoyi_staff)
    edit = reverse("chains:edit", args=[chain.pk])
    assert "山西鹏飞集团有限公司" in client.get(edit).content.decode()
    response = client.post(
        edit, {"name": "氢能", "chief": "孝义市副市长", "leader_enterprise": xiaoyi_enterprise.pk, "order": "100"}
    )
    chain.refresh_from_db()
    assert (
        response.status_code == 302 and chain.leader_enterprise == xiaoyi_enterprise and chain.chief == "孝义市副市长"
    )
    assert "链主企业：山西鹏飞集团有限公司" in client.get(reverse("chains:detail", args=[chain.pk])).content.decode()

    from kaifaqu.enterprises.services import enterprise_create

    stranger = enterprise_create(user=admin_user, fields={"name": "长治某化工", "zone": tunliu, "industry": "化工"})
    refused = client.post(edit, {"name": "氢能", "leader_enterprise": stranger.pk, "order": "100"})
    assert refused.status_code == 400 and "所选链主企业不存在或您无权使用" in refused.content.decode()
    with pytest.raises(Exception, match="不在该产业链的范围"):
        services.chain_save(user=admin_user, chain=chain, fields={"leader_enterprise": stranger})

    leader = make_user("xiaoyi-leader", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    assert client_for(leader).get(edit).status_code == 403


def test_the_chains_one_page_brief(hydrogen, xiaoyi, xiaoyi_staff, xiaoyi_enterprise, make_project):
    import docx

    chain, links = hydrogen
    services.enterprise_place(user=xiaoyi_staff, link=links["coke_gas"], enterprise=xiaoyi_enterprise)
    for name in ("制氢一期", "制氢二期", "制氢三期"):
        services.project_place(user=xiaoyi_staff, link=links["making"], project=make_project(name))
    target = investment_services.target_save(user=xiaoyi_staff, target=Target(zone=xiaoyi), fields={"name": "亿华通"})
    services.target_place(user=xiaoyi_staff, link=links["cells"], target=target)

    response = client_for(xiaoyi_staff).get(reverse("chains:brief", args=[chain.pk]))
    assert response.status_code == 200 and quote("产业链简报") in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "氢能产业链简报" in text
    assert "氢能产业链：强链项目3个，总投资30亿元。" in text
    assert "燃料电池：目标企业1家（亿华通）。" in text
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[1][:4] == ["上游", "氢气制备", "已有", "强链"] and rows[1][5] == "3"
    assert rows[2][1] == "氢气制备 › 焦炉煤气制氢" and rows[2][4] == "1"


def test_second_thoughts_are_met_in_words(hydrogen, xiaoyi, xiaoyi_staff, xiaoyi_enterprise, admin_user):
    chain, links = hydrogen
    client = client_for(xiaoyi_staff)
    again = client.post(reverse("chains:list"), {"name": "氢能", "scope": f"zone-{xiaoyi.pk}"})
    assert again.status_code == 400
    assert "开发区内已有产业链名称为“氢能”的产业链，请换一个产业链名称。" in again.content.decode()

    future = datetime.date.today() + datetime.timedelta(days=30)
    with pytest.raises(Exception, match="发布日期不能晚于今天"):
        services.policy_save(
            user=admin_user,
            policy=Policy(),
            fields={"title": "未来的政策", "issuer": "某单位", "zone": xiaoyi, "issued_on": future},
        )

    link = links["coke_gas"]
    services.enterprise_place(user=xiaoyi_staff, link=link, enterprise=xiaoyi_enterprise, product="焦炉煤气制氢")
    services.enterprise_place(user=xiaoyi_staff, link=link, enterprise=xiaoyi_enterprise)  # placed again, no product
    assert link.enterprises.get().product == "焦炉煤气制氢"
    page = client.get(reverse("chains:detail", args=[chain.pk]) + f"?link={link.pk}").content.decode()
    form = page[page.index('data-testid="place-enterprise"') :]
    assert f'<option value="{xiaoyi_enterprise.pk}"' not in form[: form.index("</select>")]
