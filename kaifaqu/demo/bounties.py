"""Demo 揭榜挂帅: one 榜单 of 吕梁市 (seed 000: 实行招商揭榜挂帅制，发布重点招引项目榜单，通过擂台比武方式
揭榜，完成情况纳入绩效考核，对有积极贡献的给予重奖). 孝义's 招商 staff claim its bounties, two teams
side by side on the 氢能 amount (擂台比武); the leading team's claim is verified 通过.

The board is 吕梁市's (its region): the city office's admin login (admin-lvliang) publishes it and
verifies the claim."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from kaifaqu.chains import bounty_services as services
from kaifaqu.chains.models import Bounty, BountyBoard, ChainLink
from kaifaqu.investment.models import Target
from kaifaqu.projects.models import Project
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

DAY = datetime.timedelta(days=1)
XIAOYI = "孝义经济开发区"
# (username, team, [(days ago, 累计万元)]) per bounty key; "verify": days ago, achieved 万元.
CLAIMS = {
    "amount": (
        ("invest-xiaoyi", "孝义经开区招商一组", [(40, "30000"), (20, "65000"), (6, "102000")]),
        ("zone-xiaoyi", "孝义经开区氢能产业专班", [(30, "40000"), (10, "70000")]),
    ),
    "project": (("invest-xiaoyi", "孝义经开区招商一组", [(25, "80000"), (8, "150000")]),),
    "target": (("zone-xiaoyi", "孝义经开区氢能产业专班", [(12, "10000")]),),
}
VERIFIED = ("amount", "invest-xiaoyi", 2, "102000")
USERNAMES = ("invest-xiaoyi", "zone-xiaoyi")


def demo_bounties(*, admin, today: datetime.date) -> int:
    """Publish 吕梁市's board, let 孝义's teams claim and report, verify one claim; returns the claims."""
    admin = get_user_model().objects.get(username="admin-lvliang")  # the board's office, not the operator
    zone = Zone.objects.get(name=XIAOYI)
    board = services.board_save(
        user=admin,
        board=BountyBoard(),
        fields={
            "title": "吕梁市重点招引项目揭榜挂帅榜单（第一批）",
            "zone": None,
            "region": Region.objects.get(code="141100"),
            "deadline": today + 30 * DAY,
            "reward_note": "完成情况纳入年度绩效考核；验收通过的，按招引实际到位投资给予揭榜团队重奖。",
            "description": "围绕氢能产业链延链补链，发布重点招引项目榜单，各开发区招商团队揭榜，擂台比武、限时攻坚。",
        },
        today=today - 60 * DAY,  # drawn up when it was published
    )
    bounties = _bounties(admin, board, zone, today)
    services.board_publish(user=admin, board=board, today=today - 60 * DAY)
    users = {user.username: user for user in get_user_model().objects.filter(username__in=USERNAMES)}
    count = 0
    for key, claims in CLAIMS.items():
        for offset, (username, team, reports) in enumerate(claims if key in bounties else ()):
            day = today - (55 - 5 * offset) * DAY
            claim = services.claim_create(user=users[username], bounty=bounties[key], team=team, today=day)
            for days_ago, wan in reports:
                services.progress_report(
                    user=users[username],
                    claim=claim,
                    reported_on=today - days_ago * DAY,
                    value=Decimal(wan),
                    note=f"累计到位{wan}万元",
                )
            if (key, username) == VERIFIED[:2]:
                _verify(admin, claim, today)
            count += 1
    return count


def _verify(admin, claim, today: datetime.date) -> None:
    services.claim_verify(
        user=admin,
        claim=claim,
        result="passed",
        achieved=Decimal(VERIFIED[3]),
        note="投资协议、注资凭证齐全，到位资金经核实。",
        upload=ContentFile(EVIDENCE, name="验收报告.pdf"),
        verified_on=today - VERIFIED[2] * DAY,
    )


def _bounties(admin, board: BountyBoard, zone: Zone, today: datetime.date) -> dict[str, Bounty]:
    link = ChainLink.objects.filter(chain__zone=zone, chain__name="氢能", name="燃料电池及零部件").first()
    project = Project.objects.filter(zone=zone, name="氢燃料电池零部件项目").first()
    target = Target.objects.filter(zone=zone, name__contains="氢").order_by("id").first()
    specs = {
        "amount": {
            "kind": Bounty.Kind.AMOUNT,
            "title": "招引氢能产业链项目投资10亿元",
            "goal": Decimal("100000"),
            "period_start": today - 90 * DAY,
            "period_end": today + 275 * DAY,
            "link": link,
        },
        "project": {
            "kind": Bounty.Kind.PROJECT,
            "title": "氢燃料电池零部件项目签约落地",
            "project": project,
            "goal": project.total_investment if project else Decimal("250000"),
            "deadline": today + 180 * DAY,
            "link": link,
        },
    }
    if target is not None:
        specs["target"] = {
            "kind": Bounty.Kind.TARGET,
            "title": f"引进{target.name}签约",
            "target": target,
            "goal": Decimal("50000"),
            "deadline": today + 120 * DAY,
        }
    return {
        key: services.bounty_save(
            user=admin, bounty=Bounty(board=board), fields={**fields, "order": order * 10}, today=today - 60 * DAY
        )
        for order, (key, fields) in enumerate(specs.items(), start=1)
    }


# A one-page PDF standing for the 验收 report the office files.
EVIDENCE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
