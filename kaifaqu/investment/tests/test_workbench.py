"""The workbench, its export, the 班子成员 page, and the 招商 figures on the zone page, the
dashboard and the weekly and monthly reports — each scoped, each equal to the command line's."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from kaifaqu.campaigns.models import Campaign
from kaifaqu.conftest import make_user
from kaifaqu.investment import services
from kaifaqu.investment.models import Activity
from kaifaqu.projects.models import Project, local_today
from kaifaqu.zones import roles
from kaifaqu.zones.models import Membership, Unit

pytestmark = pytest.mark.django_db
TODAY = local_today()
MONTH_START = TODAY.replace(day=1)


@pytest.fixture
def chief(xiaoyi):
    user = make_user("xiaoyi-chief", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    user.first_name = "赵主任"
    user.save()
    Membership.objects.filter(user=user).update(is_leadership=True)
    return user


@pytest.fixture
def recorded(xiaoyi, tunliu, xiaoyi_staff, tunliu_staff, chief):
    """This month: 孝义 one trip led by 赵主任 (two companies met) and a strategic agreement of 12.5亿元;
    屯留 a trip to a place whose name must never reach 孝义's pages."""
    trip = services.activity_save(
        user=xiaoyi_staff,
        activity=Activity(zone=xiaoyi),
        fields={
            "kind": "trip",
            "title": "赴深圳招商",
            "start_on": MONTH_START,
            "region": "广东省深圳市",
            "leader": chief,
        },
        new_target_names=["深圳氢枫能源有限公司", "比亚迪股份有限公司"],
    )
    services.activity_save(
        user=xiaoyi_staff,
        activity=Activity(zone=xiaoyi),
        fields={
            "kind": "agreement",
            "title": "与氢枫签订战略合作协议",
            "start_on": MONTH_START,
            "agreement_kind": "strategic",
            "signed_amount": Decimal("125000"),
        },
    )
    services.activity_save(
        user=tunliu_staff,
        activity=Activity(zone=tunliu),
        fields={"kind": "trip", "title": "保密考察屯留", "start_on": MONTH_START, "region": "保密地区甲"},
    )
    return trip


SENTENCE = "外出招商考察1次，签订战略合作协议1份，签约总投资额12.5亿元。"


def test_the_workbench_shows_the_zones_figures_and_sentence(client, xiaoyi_staff, recorded):
    client.force_login(xiaoyi_staff)
    page = client.get("/investment/").content.decode()
    assert SENTENCE in page
    assert "赴深圳招商" in page and "广东省深圳市" in page
    assert "保密" not in page


def test_an_office_sees_each_zone_and_can_pick_one(client, admin_user, recorded, xiaoyi):
    client.force_login(admin_user)  # every zone: the figures by zone, 孝义's and 屯留's
    response = client.get("/investment/")
    assert [row["key"] for row in response.context["by_zone"]] == ["孝义经开区", "屯留经开区"]
    assert "赵主任（孝义经开区）" in response.content.decode()  # a leader named with the zone when several
    one = client.get(f"/investment/?zone={xiaoyi.pk}")
    assert SENTENCE in one.content.decode() and one.context["by_zone"] == []


def test_the_export_holds_every_table(client, xiaoyi_staff, recorded):
    client.force_login(xiaoyi_staff)
    response = client.get(f"/investment/export/?date_from={MONTH_START}&date_to={TODAY}")
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[1:] == ["按月", "按带队领导", "按地区", "按招商方式", "线索分阶段", "班子成员未带队外出"]
    first = [[cell.value for cell in row] for row in book.worksheets[0].iter_rows()]
    assert ["标准表述", SENTENCE] in first
    leaders = [[cell.value for cell in row] for row in book["按带队领导"].iter_rows()]
    assert ["赵主任", 1, 0, 0, 0, 0, 0] in leaders
    assert ["签约投资额（亿元）", 12.5] in first  # a number Excel adds up, not text


def test_a_bad_period_is_named(client, xiaoyi_staff):
    client.force_login(xiaoyi_staff)
    page = client.get("/investment/?date_from=2025-05-01&date_to=2025-04-01").content.decode()
    assert "截止日期不能早于起始日期。" in page


def test_the_leaders_page_lists_who_led_no_trip_and_marks_the_team(client, xiaoyi, xiaoyi_staff, chief, recorded):
    deputy = make_user("xiaoyi-deputy", Unit.objects.get(zone=xiaoyi), roles.LEADER)
    deputy.first_name = "钱副主任"
    deputy.save()
    client.force_login(chief)  # 领导 reads the list; setting the team is the zone's settings (维护园区)
    page = client.get("/investment/compliance/").content.decode()
    assert "赵主任" in page and "钱副主任" not in page and 'data-testid="leaders-form"' not in page
    assert client.post("/investment/compliance/leaders/", {"leaders": [chief.pk, deputy.pk]}).status_code == 403

    client.force_login(xiaoyi_staff)
    response = client.post("/investment/compliance/leaders/", {"leaders": [chief.pk, deputy.pk]}, follow=True)
    assert "已设置孝义经济技术开发区的班子成员：赵主任、钱副主任。" in response.content.decode()
    month = f"{MONTH_START:%Y-%m}"
    page = client.get(f"/investment/compliance/?date_from={MONTH_START}&date_to={TODAY}").content.decode()
    assert f"{month}（本月尚未结束）：钱副主任" in page  # 赵主任 led the trip; 钱副主任 not yet
    assert "本月尚未" in page and "未带队</td>" not in page  # a month under way is not yet missed
    # 钱副主任 joined the 班子 today: last month is not his to answer for.
    last_month = MONTH_START - datetime.timedelta(days=1)
    page = client.get(f"/investment/compliance/?date_from={last_month}&date_to={TODAY}").content.decode()
    assert 'title="当月尚未任班子成员">—</td>' in page


def test_an_enterprise_login_has_no_workbench(client, xiaoyi_enterprise, xiaoyi):
    unit = Unit.objects.create(kind="enterprise", enterprise=xiaoyi_enterprise, name=xiaoyi_enterprise.name)
    user = make_user("xiaoyi-firm", unit, roles.ENTERPRISE_USER)
    client.force_login(user)
    assert client.get("/investment/").status_code == 403
    assert "招商引资" not in client.get(f"/zones/{xiaoyi.pk}/").content.decode()


def test_the_zone_page_and_dashboard_show_the_years_figures(client, xiaoyi_staff, xiaoyi, recorded):
    client.force_login(xiaoyi_staff)
    for url in (f"/zones/{xiaoyi.pk}/", f"/dashboard/?year={TODAY.year}"):
        page = client.get(url).content.decode()
        assert SENTENCE.replace("签约总投资额12.5亿元", "") in page or SENTENCE in page, url
        assert "保密" not in page


def test_the_weekly_and_monthly_reports_carry_the_investment_section(xiaoyi, xiaoyi_staff, recorded):
    from kaifaqu.regions.models import Region
    from kaifaqu.reports.builders import monthly_report, weekly_report

    activities = Activity.objects.visible_to(xiaoyi_staff)
    projects = Project.objects.visible_to(xiaoyi_staff)
    as_of = MONTH_START + datetime.timedelta(days=6)
    weekly = weekly_report(xiaoyi, projects, as_of=min(as_of, TODAY), year=TODAY.year, activities=activities)
    section = next(section for section in weekly.sections if section.heading == "三、本周招商引资")
    assert section.paragraphs[0] == f"本周{SENTENCE}"
    assert section.tables[0].rows[0][2] == "赴深圳招商"

    monthly = monthly_report(
        Region.objects.get(code="141100"),
        projects,
        Campaign.objects.none(),
        year=TODAY.year,
        month=TODAY.month,
        today=TODAY,
        activities=activities,
    )
    section = next(section for section in monthly.sections if section.heading == "五、招商引资")
    assert section.paragraphs[0] == f"本月，{SENTENCE}"
    assert section.tables[0].rows == [["孝义经开区", 1, 0, 0, 1, "12.50"]]
