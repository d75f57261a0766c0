"""The figures offices count and report: 灵石's sentence rebuilt from recorded activities, the
leaders' monthly trips, leads by stage and by 招商方式, and the command line that prints them."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from kaifaqu.conftest import make_user
from kaifaqu.investment import services
from kaifaqu.investment.models import Activity, InvestmentMode, Lead, Target
from kaifaqu.investment.selectors import investment_figures
from kaifaqu.projects.models import Project, Stage
from kaifaqu.projects.services import project_move_stage
from kaifaqu.zones import roles
from kaifaqu.zones.models import Membership, Unit

pytestmark = pytest.mark.django_db
TRIP, VISIT, TALK, AGREEMENT = (Activity.Kind.TRIP, Activity.Kind.VISIT, Activity.Kind.TALK, Activity.Kind.AGREEMENT)


@pytest.fixture
def leaders(xiaoyi):
    """孝义's two 班子成员: 王主任 and 李副主任."""
    unit = Unit.objects.get(zone=xiaoyi)
    people = []
    for username, name in (("xiaoyi-wang", "王主任"), ("xiaoyi-li", "李副主任")):
        user = make_user(username, unit, roles.LEADER)
        user.first_name = name  # our users keep the whole name in 名 (as the demo does)
        user.save()
        Membership.objects.filter(user=user).update(is_leadership=True)
        people.append(user)
    return people


@pytest.fixture
def record(xiaoyi, xiaoyi_staff):
    def record(kind, day, **fields):
        return services.activity_save(
            user=xiaoyi_staff,
            activity=Activity(zone=xiaoyi),
            fields={"kind": kind, "title": f"{day}的活动", "start_on": day, **fields},
            new_target_names=fields.pop("met", ()),
        )

    return record


def test_the_lingshi_sentence_is_rebuilt_from_recorded_activities(record, xiaoyi):
    """灵石 (seed 003): 外出招商考察5次,深度洽谈16次,签订3份战略合作协议,签约总投资额达92.8亿元."""
    for month in range(1, 6):
        record(TRIP, datetime.date(2025, month, 10), region="广东省深圳市")
    for day in range(1, 17):
        record(TALK, datetime.date(2025, 6, day), depth=Activity.Depth.DEEP)
    record(TALK, datetime.date(2025, 6, 20), depth=Activity.Depth.FIRST)  # a first talk is not a deep one
    for amount in ("500000", "300000", "128000"):  # 万元: together 92.8亿元
        record(
            AGREEMENT,
            datetime.date(2025, 7, 1),
            agreement_kind=Activity.AgreementKind.STRATEGIC,
            signed_amount=Decimal(amount),
        )
    record(TRIP, datetime.date(2024, 12, 30))  # before the period: not counted

    out = StringIO()
    call_command(
        "investment", "stats", "--zone", "孝义", "--from", "2025-01-01", "--to", "2025-12-31", "--json", stdout=out
    )
    figures = json.loads(out.getvalue())

    assert figures["sentence"] == "外出招商考察5次，深度洽谈16次，签订战略合作协议3份，签约总投资额92.8亿元。"
    assert (figures["trips"], figures["talks"], figures["deep_talks"]) == (5, 17, 16)
    assert (figures["agreements"], figures["strategic_agreements"]) == (3, 3)
    assert Decimal(figures["signed_investment_wan"]) == Decimal("928000")
    assert figures["visits_received"] == 0


def test_a_project_agreement_and_visits_join_the_sentence(record):
    record(VISIT, datetime.date(2025, 3, 2), region="北京市")
    record(AGREEMENT, datetime.date(2025, 3, 5), agreement_kind="project", signed_amount=Decimal("25000"))
    out = StringIO()
    call_command(
        "investment",
        "stats",
        "--zone",
        "孝义经开区",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-31",
        "--json",
        stdout=out,
    )
    assert json.loads(out.getvalue())["sentence"] == "接待客商来访1次，签订项目合作协议1份，签约总投资额2.5亿元。"


def test_leaders_without_a_trip_are_listed_month_by_month(record, leaders):
    """班子成员每月至少带队外出招商1次 (孝义, seed 000)."""
    wang, li = leaders
    record(TRIP, datetime.date(2025, 1, 8), leader=wang)
    record(TRIP, datetime.date(2025, 1, 20), leader=li)
    record(TRIP, datetime.date(2025, 2, 14), leader=wang)
    record(VISIT, datetime.date(2025, 3, 3), leader=li)  # receiving a visit is not leading a trip

    out = StringIO()
    call_command(
        "investment", "stats", "--zone", "孝义", "--from", "2025-01-01", "--to", "2025-03-31", "--json", stdout=out
    )
    missing = json.loads(out.getvalue())["leaders_without_trip"]

    assert missing == {"2025-01": [], "2025-02": ["李副主任"], "2025-03": ["王主任", "李副主任"]}


def test_leads_by_stage_and_by_mode(xiaoyi, xiaoyi_staff):
    chain = InvestmentMode.objects.get(name="产业链招商")
    fund = InvestmentMode.objects.get(name="基金招商")
    day = datetime.date(2025, 4, 1)
    first = services.lead_create(
        user=xiaoyi_staff, zone=xiaoyi, name="氢能重卡项目", total_investment=Decimal("150000"), contact_on=day,
        lead_fields={"mode": chain},
    )  # fmt: skip
    services.lead_create(
        user=xiaoyi_staff, zone=xiaoyi, name="储能电站项目", total_investment=Decimal("50000"), contact_on=day,
        lead_fields={"mode": fund},
    )  # fmt: skip
    project_move_stage(
        user=xiaoyi_staff, project=first, to_stage=Stage.SIGNED, dates={"signed_on": datetime.date(2025, 5, 6)}
    )

    figures = investment_figures(
        Activity.objects.filter(zone=xiaoyi),
        Project.objects.filter(zone=xiaoyi),
        zone_ids=[xiaoyi.pk],
        date_from=datetime.date(2025, 1, 1),
        date_to=datetime.date(2025, 12, 31),
    ).as_json()

    assert figures["leads_by_stage"]["初步对接"] == {"count": 1, "investment_wan": "50000.00"}
    assert figures["leads_by_stage"]["签约待备案"] == {"count": 1, "investment_wan": "150000.00"}
    assert figures["by_mode"]["产业链招商"] == {"leads": 1, "signed": 1, "signed_investment_wan": "150000.00"}
    assert figures["by_mode"]["基金招商"] == {"leads": 1, "signed": 0, "signed_investment_wan": "0.00"}


def test_a_lead_made_from_a_target_at_a_trip_keeps_both_links(record, xiaoyi, xiaoyi_staff):
    trip = record(TRIP, datetime.date(2025, 5, 9), met=["深圳氢枫能源有限公司", "上海舜华新能源有限公司"])
    met = {target.name: target for target in trip.targets.all()}
    assert set(met) == {"深圳氢枫能源有限公司", "上海舜华新能源有限公司"}
    assert {target.status for target in met.values()} == {Target.Status.CONTACTED}

    project = services.lead_create(
        user=xiaoyi_staff,
        zone=xiaoyi,
        name="氢枫加氢站项目",
        total_investment=Decimal("8000"),
        target=met["深圳氢枫能源有限公司"],
        activity=trip,
    )

    assert project.stage == Stage.CONTACT and project.contact_on == datetime.date(2025, 5, 9)
    lead = Lead.objects.get(project=project)
    assert lead.target.name == "深圳氢枫能源有限公司" and lead.source_activity == trip
    assert lead.source_display == f"招商活动：{trip.title}"
    assert list(trip.leads.all()) == [project]
    assert Target.objects.get(name="深圳氢枫能源有限公司").status == Target.Status.NEGOTIATING


def test_each_kind_carries_its_own_facts(xiaoyi, xiaoyi_staff, tunliu_staff):
    def attempt(user=xiaoyi_staff, **fields):
        with pytest.raises(ValidationError) as refused:
            services.activity_save(
                user=user,
                activity=Activity(zone=xiaoyi),
                fields={"title": "洽谈", "start_on": datetime.date(2025, 1, 2), **fields},
            )
        return refused.value.message_dict

    assert attempt(kind=TALK)["depth"] == ["请选择洽谈深度（初次洽谈或深度洽谈）。"]
    assert attempt(kind=TRIP, depth="deep")["depth"] == ["只有洽谈需要填写洽谈深度。"]
    assert "agreement_kind" in attempt(kind=AGREEMENT, signed_amount=Decimal("100"))
    future = datetime.date.today() + datetime.timedelta(days=3)
    assert attempt(kind=TRIP, start_on=future)["start_on"] == ["招商活动记录已经发生的活动，日期不能晚于今天。"]
    assert attempt(kind=TRIP, leader=tunliu_staff)["leader"] == ["带队领导应为本开发区管委会的成员。"]
    assert not Activity.objects.exists()


def test_another_zone_and_a_reader_may_not_record(xiaoyi, tunliu_staff, lvliang_office):
    from django.core.exceptions import PermissionDenied

    for user in (tunliu_staff, lvliang_office):
        with pytest.raises(PermissionDenied):
            services.activity_save(
                user=user,
                activity=Activity(zone=xiaoyi),
                fields={"kind": TRIP, "title": "外出", "start_on": datetime.date(2025, 1, 2)},
            )
    assert not Activity.objects.exists()


def test_the_command_names_what_is_wrong(xiaoyi):
    with pytest.raises(CommandError, match="未找到开发区“无此区”"):
        call_command("investment", "stats", "--zone", "无此区")
    with pytest.raises(CommandError, match="日期“2025-13-01”无效"):
        call_command("investment", "stats", "--zone", "孝义", "--from", "2025-13-01")
    with pytest.raises(CommandError, match="晚于截止日期"):
        call_command("investment", "stats", "--zone", "孝义", "--from", "2025-05-01", "--to", "2025-04-01")


def test_the_plain_text_report_ends_with_the_sentence(record):
    record(TRIP, datetime.date(2025, 2, 3))
    out = StringIO()
    call_command("investment", "stats", "--zone", "孝义", "--from", "2025-01-01", "--to", "2025-02-28", stdout=out)
    text = out.getvalue()
    assert "外出招商 1 次" in text and text.strip().endswith("外出招商考察1次。")
