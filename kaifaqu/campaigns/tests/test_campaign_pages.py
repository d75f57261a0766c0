"""The campaign pages as an office uses them: create, enter projects, read the figures, export."""

import io

import openpyxl
from django.test import Client
from django.urls import reverse

from kaifaqu.campaigns.models import Campaign
from kaifaqu.campaigns.services import campaign_entry_add
from kaifaqu.conftest import make_user
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.services import unit_for_region


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_city_admin_creates_a_campaign_and_enters_projects(xiaoyi, project_at):
    city_admin = make_user("lvliang-admin", unit_for_region(region=Region.objects.get(code="141100")), roles.ADMIN)
    page = client_for(city_admin)
    response = page.post(
        reverse("campaigns:create"),
        {"name": "吕梁市一季度活动", "held_on": "2025-03-28", "level": "city", "scope": "吕梁"},
    )
    campaign = Campaign.objects.get(name="吕梁市一季度活动")
    assert response.status_code == 302 and campaign.scope_name == "吕梁市"
    signed = project_at("signed", "氢能重卡项目", 120000, industry="氢能")
    late = project_at("started", "迟开工项目", 5000, day=campaign.held_on.replace(month=5))
    detail = reverse("campaigns:detail", args=[campaign.pk])
    page.post(detail, {"batch": "sign", "project": signed.pk, "investment": "80000"})
    refused = page.post(detail, {"batch": "start", "project": late.pk})
    assert "晚于活动日期（2025-03-28）" in refused.content.decode()
    text = page.get(detail).content.decode()
    assert "签约项目1个，签约投资额8亿元。" in text
    listing = page.get(reverse("campaigns:list")).content.decode()
    assert "吕梁市一季度活动" in listing and "0.0%" in listing  # signed, not started yet


def test_export_lists_entries_with_the_sentence_in_the_title(lvliang_campaign, project_at, admin_user):
    project = project_at("started", "碳纤维项目", 52000, industry="新材料")
    campaign_entry_add(user=admin_user, campaign=lvliang_campaign, project=project, batch="start")
    response = client_for(admin_user).get(reverse("campaigns:export", args=[lvliang_campaign.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == f"{lvliang_campaign.name}项目清单（开工项目1个，总投资5.2亿元。）"
    assert rows[2][:3] == (1, "开工", "碳纤维项目")
    assert rows[2][6] == 52000 and rows[2][9] == "是" and rows[2][10] == "新材料产业"
    assert rows[3][0] == "合计" and rows[3][6] == 52000


def test_a_zone_leader_reads_but_cannot_enter_projects(lvliang_campaign, xiaoyi, project_at):
    leader = make_user("xiaoyi-leader", xiaoyi.unit_set.get(), roles.LEADER)
    page = client_for(leader)
    detail = reverse("campaigns:detail", args=[lvliang_campaign.pk])
    assert 'data-testid="entry-form"' not in page.get(detail).content.decode()
    project = project_at("signed", "甲项目", 100)
    page.post(detail, {"batch": "sign", "project": project.pk})
    assert not lvliang_campaign.entries.exists()


def test_a_project_in_a_campaign_cannot_be_deleted(lvliang_campaign, project_at, admin_user):
    project = project_at("signed", "已上报项目", 100)
    campaign_entry_add(user=admin_user, campaign=lvliang_campaign, project=project, batch="sign")
    response = client_for(admin_user).post(reverse("projects:delete", args=[project.pk]))
    assert "请先在活动中移出后再删除" in response.content.decode()
    project.refresh_from_db()
