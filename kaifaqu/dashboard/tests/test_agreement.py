"""The same figure from the dashboard, the command line, the Excel export and the reports."""

import datetime
import io
import json
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kaifaqu.campaigns.services import campaign_create, campaign_entry_add
from kaifaqu.conftest import LEDGER_YEAR
from kaifaqu.dashboard.selectors import dashboard
from kaifaqu.projects.models import Project
from kaifaqu.regions.models import Region


def command_json(*args) -> dict:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_dashboard_command_export_and_report_agree(hand_ledger, xiaoyi, xiaoyi_staff, tmp_path):
    figures = dashboard(Project.objects.filter(zone=xiaoyi), year=LEDGER_YEAR, today=datetime.date(2025, 6, 30))
    cli = command_json("pipeline_stats", "--zone", "孝义", "--year", str(LEDGER_YEAR))
    assert cli["projects"] == figures.pipeline.projects
    assert Decimal(cli["total_investment_wan"]) == figures.pipeline.total_investment
    assert cli["sentence"] == figures.pipeline.sentence
    assert {key: (rate["numerator"], rate["denominator"]) for key, rate in cli["rates"].items()} == {
        key: (rate.numerator, rate.denominator) for key, rate in figures.pipeline.rates.items()
    }
    client = Client()
    client.force_login(xiaoyi_staff)
    # The dashboard's 总投资 card leads to the list; its export's 合计 row sums to the same.
    response = client.get(reverse("imports:export_projects"), {"zone": xiaoyi.pk, "year": LEDGER_YEAR, "unit": "万元"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, total = rows[1], rows[-1]
    assert (
        total[0] == "合计" and Decimal(str(total[header.index("总投资（万元）")])) == figures.pipeline.total_investment
    )
    out = tmp_path / "周调度.docx"
    call_command(
        "report", "weekly", "--zone", "孝义", "--date", "2025-06-30", "--year", str(LEDGER_YEAR), "-o", str(out)
    )
    text = "\n".join(paragraph.text for paragraph in docx.Document(str(out)).paragraphs)
    assert figures.pipeline.sentence in text


@pytest.fixture
def campaign(hand_ledger, admin_user):
    campaign = campaign_create(
        user=admin_user,
        name="吕梁市二季度活动",
        held_on=datetime.date(2025, 6, 28),
        level="city",
        region=Region.objects.get(code="141100"),
    )
    campaign_entry_add(user=admin_user, campaign=campaign, project=hand_ledger["hydrogen"], batch="start")
    campaign_entry_add(user=admin_user, campaign=campaign, project=hand_ledger["coke"], batch="produce")
    campaign_entry_add(
        user=admin_user, campaign=campaign, project=hand_ledger["chem"], batch="sign", investment=Decimal("6500")
    )
    return campaign


def test_campaign_page_command_export_and_monthly_report_agree(campaign, admin_user, tmp_path):
    cli = command_json("campaign_stats", "--name", campaign.name)
    assert cli["sentence"] == "签约项目1个，签约投资额0.65亿元；开工项目1个，总投资12亿元；投产项目1个，总投资5亿元。"
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    figures = page.context["figures"]
    assert figures.as_json()["batches"] == cli["batches"] and figures.sentence == cli["sentence"]
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("campaigns:export", args=[campaign.pk])).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert cli["sentence"] in rows[0][0]
    assert Decimal(str(rows[-1][6])) == Decimal(cli["investment_wan"])  # 合计 of 计入投资
    out = tmp_path / "月报.docx"
    call_command("report", "monthly", "--city", "吕梁", "--month", "2025-06", "-o", str(out))
    text = "\n".join(paragraph.text for paragraph in docx.Document(str(out)).paragraphs)
    assert f"{campaign.name}（2025年6月28日）：{cli['sentence']}" in text


@pytest.mark.django_db
def test_seed_figures_on_the_dashboard(settings):
    """DESIGN.md's worked examples (屯留, 孝义) as the dashboard of each zone shows them."""
    settings.DEMO = True
    call_command("load_demo", stdout=io.StringIO())
    tunliu = Project.objects.filter(zone__short_name="屯留经开区")
    years = set(tunliu.values_list("plan_year", flat=True))
    assert len(years) == 1
    figures = dashboard(tunliu, year=years.pop())
    assert (figures.pipeline.projects, figures.pipeline.total_investment) == (29, Decimal("547000"))
    assert figures.pipeline.sentence == (
        "初步对接项目7个，总投资15.5亿元；重点意向项目10个，总投资27.36亿元；"
        "成熟待签约项目5个，总投资3.75亿元；签约待备案项目7个，总投资8.09亿元。"
    )
    xiaoyi = Project.objects.filter(zone__short_name="孝义经开区")
    figures = dashboard(xiaoyi, year=xiaoyi.values_list("plan_year", flat=True).first())
    categories = {
        name: (bucket.count, bucket.investment)
        for name, bucket in figures.pipeline.by_plan_category.items()
        if bucket.count
    }
    assert categories == {
        "尽快开工": (36, Decimal("1935600")),
        "力争开工": (7, Decimal("1374900")),
        "招商储备": (10, Decimal("2216500")),
    }
