"""Demo 产业链: 孝义's 氢能 chain with 鹏飞 as 链主 (seed 001: 以鹏飞集团为链主牵引…构建氢能产业链)."""

from __future__ import annotations

from kaifaqu.chains import services
from kaifaqu.chains.models import ChainLink, IndustryChain, Policy
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.investment.models import Target
from kaifaqu.projects.models import Project
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

# (链段, 环节, 现状, [(企业, 产品)], [项目名称])
PENGFEI = "山西鹏飞集团有限公司"
HYDROGEN = (
    (
        "upstream",
        "焦炉煤气制氢",
        "existing",
        [(PENGFEI, "焦炉煤气提纯氢")],
        ["鹏湾氢港20万吨焦炉尾气制氢项目"],
    ),
    (
        "upstream",
        "可再生能源制氢",
        "weak",
        [(PENGFEI, "风光电解水制氢")],
        ["鹏飞5GW风光电制10万吨绿氢项目"],
    ),
    ("midstream", "储运与加注", "weak", [], ["鹏飞氢能重卡运营及加氢站项目"]),
    ("midstream", "燃料电池及零部件", "missing", [], ["氢燃料电池零部件项目"]),
    ("downstream", "氢能重卡与交通应用", "existing", [(PENGFEI, "氢能重卡运营")], []),
    (
        "downstream",
        "氢冶金与化工用氢",
        "missing",
        [("山西晋茂能源科技有限公司", "苯加氢")],
        ["晋茂20万吨苯加氢技改项目"],
    ),
)


def demo_chains(*, admin) -> int:
    """Draw 孝义's 氢能 chain and place the demo ledger's hydrogen records on it; returns the links."""
    zone = Zone.objects.get(name="孝义经济开发区")
    enterprises = {item.name: item for item in Enterprise.objects.filter(zone=zone)}
    projects = {item.name: item for item in Project.objects.filter(zone=zone)}
    chain = services.chain_save(
        user=admin,
        chain=IndustryChain(),
        fields={
            "name": "氢能",
            "zone": zone,
            "chief": "孝义经开区党工委书记",
            "leader_enterprise": enterprises.get(PENGFEI),
            "description": "以鹏飞集团为链主牵引，构建制氢、储运、加注、燃料电池、氢能重卡全链条。",
        },
    )
    for order, (segment, name, status, placed, project_names) in enumerate(HYDROGEN, start=1):
        link = services.link_save(
            user=admin,
            link=ChainLink(chain=chain),
            fields={"segment": segment, "name": name, "status": status, "order": order * 10},
        )
        for enterprise_name, product in placed:
            if enterprise_name in enterprises:
                services.enterprise_place(
                    user=admin, link=link, enterprise=enterprises[enterprise_name], product=product
                )
        for project_name in project_names:
            if project_name in projects:
                services.project_place(user=admin, link=link, project=projects[project_name])
        if status == "missing":  # the 招商清单: targets of the zone whose industry says hydrogen
            for target in Target.objects.filter(zone=zone, name__contains="氢")[:3]:
                services.target_place(user=admin, link=link, target=target)
    _demo_policies(admin=admin, zone=zone, chain=chain)
    return chain.links.count()


# (政策名称, 发文单位, 文号, 发布日期, 发布范围: "zone" 或行政区划代码, 服务环节). Made-up documents in
# the offices' way of naming them; one has no date yet (待补录), as old policies arrive.
POLICIES = (
    ("孝义市氢能产业发展规划（2023—2030年）", "孝义市人民政府", "孝政发〔2023〕8号", "2023-06-12", "zone", None),
    (
        "孝义经济技术开发区支持氢能重卡推广应用若干措施",
        "孝义经济技术开发区管委会",
        "",
        None,
        "zone",
        ["氢能重卡与交通应用"],
    ),
    ("吕梁市加快氢能产业发展的实施意见", "吕梁市人民政府办公室", "吕政办发〔2024〕15号", "2024-03-20", "141100", None),
)


def _demo_policies(*, admin, zone, chain) -> None:
    import datetime

    links = list(chain.links.all())
    for title, issuer, number, issued, owner, served in POLICIES:
        where = {"zone": zone} if owner == "zone" else {"region": Region.objects.get(code=owner)}
        services.policy_save(
            user=admin,
            policy=Policy(),
            fields={
                "title": title,
                "issuer": issuer,
                "number": number,
                "issued_on": datetime.date.fromisoformat(issued) if issued else None,
                **where,
            },
            links=[link for link in links if served is None or link.name in served],
        )
