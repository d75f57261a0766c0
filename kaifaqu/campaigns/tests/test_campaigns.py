"""三个一批: entries checked against the ledger, the figures per batch, the standard sentence, follow-up."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from kaifaqu.campaigns.models import Campaign, CampaignEntry
from kaifaqu.campaigns.selectors import campaign_figures, campaign_follow_up
from kaifaqu.campaigns.services import campaign_create, campaign_entry_add
from kaifaqu.projects.services import project_move_stage
from kaifaqu.regions.models import Region

from .conftest import CAMPAIGN_DAY


def split(total_wan: int, parts: int) -> list[int]:
    """``parts`` whole amounts adding up to ``total_wan``."""
    base = total_wan // parts
    return [base] * (parts - 1) + [total_wan - base * (parts - 1)]


def test_seed_sentence_from_twelve_signed_ten_started_ten_producing(lvliang_campaign, project_at, admin_user):
    # The seed's figures: 签约 12 / 24.07亿, 开工 10 / 12.12亿, 投产 10 / 11.78亿.
    for number, wan in enumerate(split(240700, 12), start=1):
        project = project_at("signed", f"签约项目{number}", 900000)
        # A signing counts the signed amount, not the project's total.
        campaign_entry_add(
            user=admin_user, campaign=lvliang_campaign, project=project, batch="sign", investment=Decimal(wan)
        )
    for number, wan in enumerate(split(121200, 10), start=1):
        campaign_entry_add(
            user=admin_user,
            campaign=lvliang_campaign,
            project=project_at("started", f"开工项目{number}", wan),
            batch="start",
        )
    for number, wan in enumerate(split(117800, 10), start=1):
        campaign_entry_add(
            user=admin_user,
            campaign=lvliang_campaign,
            project=project_at("producing", f"投产项目{number}", wan),
            batch="produce",
        )
    figures = campaign_figures(lvliang_campaign.entries.all())
    assert figures.sentence == (
        "签约项目12个，签约投资额24.07亿元；开工项目10个，总投资12.12亿元；投产项目10个，总投资11.78亿元。"
    )
    assert figures.batches["sign"].investment == Decimal("240700")
    assert figures.batches["sign"].over_100m == 12  # 20058万 each and more
    assert figures.batches["start"].over_100m == 10
    assert figures.count == 32 and figures.investment == Decimal("479700")


def test_over_100m_and_strategic_emerging_are_counted_per_batch(lvliang_campaign, project_at, admin_user):
    entries = [
        ("signed", "氢能重卡项目", 10000, "氢能", "sign"),  # exactly 1亿: counts as 亿元以上
        ("signed", "焦化升级项目", 9999.99, "焦化", "sign"),
        ("started", "碳纤维项目", 52000, "新材料", "start"),
        ("started", "洗煤厂项目", 3000, "煤炭", "start"),
    ]
    for stage, name, wan, industry, batch in entries:
        project = project_at(stage, name, wan, industry=industry)
        campaign_entry_add(user=admin_user, campaign=lvliang_campaign, project=project, batch=batch)
    figures = campaign_figures(lvliang_campaign.entries.all())
    assert (figures.batches["sign"].count, figures.batches["sign"].over_100m) == (2, 1)
    assert figures.batches["sign"].strategic_emerging == 1
    assert (figures.batches["start"].over_100m, figures.batches["start"].strategic_emerging) == (1, 1)
    assert figures.strategic_emerging == 2 and figures.batches["produce"].count == 0
    assert figures.sentence == "签约项目2个，签约投资额2亿元；开工项目2个，总投资5.5亿元。"


def test_an_entry_must_be_borne_out_by_the_projects_stage_and_dates(
    lvliang_campaign, project_at, make_project, admin_user, tunliu
):
    def refusal(project, batch):
        with pytest.raises(ValidationError) as caught:
            campaign_entry_add(user=admin_user, campaign=lvliang_campaign, project=project, batch=batch)
        return " ".join(caught.value.messages)

    planned = make_project("谋划中的项目")
    assert "目前处于“谋划储备”阶段，尚未签约" in refusal(planned, "sign")
    late = project_at("started", "四月开工项目", 5000, day=datetime.date(2025, 4, 2))
    assert refusal(late, "start") == (
        "“四月开工项目”的开工日期（2025-04-02）晚于活动日期（2025-03-28），不能列入本次开工一批。"
    )
    signed_only = project_at("signed", "只签约项目", 5000)
    assert "尚未开工" in refusal(signed_only, "start")
    other_city = make_project("屯留的项目", zone=tunliu, user=admin_user)
    assert "不在本次活动的范围（吕梁市）内" in refusal(other_city, "sign")
    started = project_at("started", "已开工项目", 5000)
    campaign_entry_add(user=admin_user, campaign=lvliang_campaign, project=started, batch="start")
    assert refusal(started, "start") == "“已开工项目”已在开工一批中。"
    # A project started on the day is fine, and may be in the signing batch of the same event too.
    campaign_entry_add(user=admin_user, campaign=lvliang_campaign, project=started, batch="sign")
    project_move_stage(user=admin_user, project=signed_only, to_stage="terminated", reason="企业撤资")
    assert "已终止" in refusal(signed_only, "sign")
    assert lvliang_campaign.entries.count() == 2


def test_follow_up_counts_how_many_signed_projects_started_since(lvliang_campaign, project_at, admin_user):
    signed = [project_at("signed", f"签约{number}", 20000) for number in range(4)]
    for project in signed:
        campaign_entry_add(user=admin_user, campaign=lvliang_campaign, project=project, batch="sign")
    entries = lvliang_campaign.entries.all()
    assert campaign_follow_up(entries)["sign"].display == "0.0%"
    project_move_stage(
        user=admin_user,
        project=signed[0],
        to_stage="started",
        dates={"filed_on": datetime.date(2025, 5, 1), "started_on": datetime.date(2025, 6, 1)},
        project_code="2025-141181-26-03-900001",
    )
    rate = campaign_follow_up(entries)["sign"]
    assert (rate.label, rate.numerator, rate.denominator, rate.display) == ("开工率", 1, 4, "25.0%")


def test_campaign_level_must_match_its_scope_and_names_are_unique(lvliang_campaign, admin_user, xiaoyi):
    with pytest.raises(ValidationError) as caught:
        campaign_create(
            user=admin_user,
            name="山西省活动",
            held_on=CAMPAIGN_DAY,
            level="province",
            region=Region.objects.get(code="141100"),
        )
    assert "省级活动的范围应为一个省，“吕梁市”不是" in " ".join(caught.value.messages)
    with pytest.raises(ValidationError) as caught:
        campaign_create(user=admin_user, name=lvliang_campaign.name, held_on=CAMPAIGN_DAY, level="county", zone=xiaoyi)
    assert "已存在" in " ".join(caught.value.messages)


def test_only_who_keeps_every_zones_ledger_may_run_a_campaign(lvliang_campaign, xiaoyi_staff, lvliang_office, xiaoyi):
    with pytest.raises(PermissionDenied):  # a zone's officer cannot run the whole city's campaign
        campaign_create(
            user=xiaoyi_staff,
            name="另一次活动",
            held_on=CAMPAIGN_DAY,
            level="city",
            region=Region.objects.get(code="141100"),
        )
    with pytest.raises(PermissionDenied):  # the city's leader reads, never writes
        campaign_create(user=lvliang_office, name="县级活动", held_on=CAMPAIGN_DAY, level="county", zone=xiaoyi)
    own = campaign_create(user=xiaoyi_staff, name="孝义经开区活动", held_on=CAMPAIGN_DAY, level="county", zone=xiaoyi)
    assert own.scope_name == "孝义经济技术开发区"


def test_zones_see_the_campaigns_over_them_with_only_their_own_entries(
    lvliang_campaign, project_at, admin_user, xiaoyi_staff, tunliu_staff, lvliang_office
):
    campaign_entry_add(
        user=admin_user, campaign=lvliang_campaign, project=project_at("signed", "甲", 100), batch="sign"
    )
    assert list(Campaign.objects.visible_to(xiaoyi_staff)) == [lvliang_campaign]
    assert list(Campaign.objects.visible_to(lvliang_office)) == [lvliang_campaign]
    assert not Campaign.objects.visible_to(tunliu_staff).exists()
    assert CampaignEntry.objects.visible_to(xiaoyi_staff).count() == 1
    assert not CampaignEntry.objects.visible_to(tunliu_staff).exists()


def test_commands_build_a_campaign_and_print_its_figures(project_at, xiaoyi, capsys):
    project_at("signed", "氢能重卡项目", 120000, industry="氢能")
    project_at("started", "精细化工项目", 35000)
    call_command("campaign_create", "--name", "吕梁一季度", "--date", "2025-03-28", "--level", "市", "--scope", "吕梁")
    assert "范围 吕梁市" in capsys.readouterr().out
    call_command(
        "campaign_add",
        "--name",
        "吕梁一季度",
        "--batch",
        "sign",
        "--project",
        "氢能重卡项目",
        "--investment-wan",
        "80000",
    )
    call_command(
        "campaign_add", "--name", "吕梁一季度", "--batch", "start", "--project", "精细化工 项目", "--zone", "孝义"
    )
    with pytest.raises(CommandError) as refused:
        call_command("campaign_add", "--name", "吕梁一季度", "--batch", "produce", "--project", "精细化工项目")
    assert "尚未投产" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        call_command("campaign_add", "--name", "吕梁一季度", "--batch", "sign", "--project", "不存在的项目")
    assert "未找到项目“不存在的项目”" in str(refused.value)
    capsys.readouterr()
    call_command("campaign_stats", "--name", "吕梁一季度", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["batches"]["sign"] == {
        "count": 1,
        "investment_wan": "80000.00",
        "over_100m": 1,
        "strategic_emerging": 1,
    }
    assert payload["batches"]["start"]["investment_wan"] == "35000.00"
    assert payload["batches"]["produce"]["count"] == 0
    assert payload["strategic_emerging"] == 1
    assert payload["sentence"] == "签约项目1个，签约投资额8亿元；开工项目1个，总投资3.5亿元。"
    call_command("campaign_stats", "--name", "吕梁一季度")
    assert "签约一批：1 个，8.00 亿元" in capsys.readouterr().out
