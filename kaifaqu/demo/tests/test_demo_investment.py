"""The demo's 招商引资 (issue 19): a year of activity for 孝义 and 屯留, as their offices would see it."""

import datetime
import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from kaifaqu.investment import selectors
from kaifaqu.investment.models import Activity, Lead, PlatformCompany, Target, TargetIndustry
from kaifaqu.projects.models import Project, local_today
from kaifaqu.zones.models import Membership, Zone

XIAOYI, TUNLIU = "孝义经济开发区", "屯留经济技术开发区"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        from kaifaqu.demo.services import _wipe

        _wipe()
        Zone.objects.all().delete()


def login(username: str):
    return authenticate(username=username, password="kaifaqu-demo")


def year_ago(today: datetime.date) -> datetime.date:
    """The first day of the month eleven months back: the twelve months up to today."""
    year, month = divmod(today.year * 12 + today.month - 1 - 11, 12)
    return datetime.date(year, month + 1, 1)


def figures(zone_name: str, username: str):
    user = login(username)
    zone = Zone.objects.get(name=zone_name)
    today = local_today()
    return selectors.investment_figures(
        Activity.objects.visible_to(user).filter(zone=zone),
        Project.objects.visible_to(user).filter(zone=zone),
        zone_ids=[zone.pk],
        date_from=year_ago(today),
        date_to=today,
        today=today,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("zone_name", [XIAOYI, TUNLIU])
def test_a_year_of_activity_month_by_month(demo, zone_name):
    today = local_today()
    activities = Activity.objects.filter(zone__name=zone_name)
    months = {
        (day.year, day.month) for day in activities.filter(start_on__gte=year_ago(today)).dates("start_on", "month")
    }
    wanted = {divmod(today.year * 12 + today.month - 1 - back, 12) for back in range(12)}
    assert len({(year, month + 1) for year, month in wanted} - months) <= 2
    assert not activities.filter(start_on__gt=today).exists()
    assert not activities.filter(end_on__gt=today).exists()
    # Trips led by the zone's 班子成员, each met companies of its catalogue.
    leaders = set(
        Membership.objects.filter(unit__zone__name=zone_name, is_leadership=True).values_list("user_id", flat=True)
    )
    assert 2 <= len(leaders) <= 3
    trips = activities.filter(kind=Activity.Kind.TRIP)
    assert set(trips.values_list("leader_id", flat=True)) == leaders
    assert all(trip.targets.exists() for trip in trips[:10])


@pytest.mark.django_db
@pytest.mark.parametrize(("zone_name", "username"), [(XIAOYI, "invest-xiaoyi"), (TUNLIU, "invest-tunliu")])
def test_the_figures_and_their_sentence(demo, zone_name, username):
    result = figures(zone_name, username)
    assert result.trips >= 12 and result.visits_received and result.deep_talks and result.events
    assert result.strategic_agreements and result.signed_investment > 0
    sentence = result.sentence
    assert sentence.startswith(f"外出招商考察{result.trips}次，接待客商来访{result.visits_received}次，")
    assert "签订战略合作协议" in sentence and sentence.endswith("亿元。") and "None" not in sentence
    # Every lead is counted under a 招商方式: none left 未填写.
    assert selectors.NO_MODE not in result.by_mode


@pytest.mark.django_db
def test_a_leader_missed_a_trip_in_some_month(demo):
    result = figures(XIAOYI, "leader-xiaoyi")
    this_month = local_today().strftime("%Y-%m")
    missing = {month: names for month, names in result.leaders_without_trip.items() if names and month != this_month}
    assert missing and "张伟" in {name for names in missing.values() for name in names}
    assert len(missing) < 11  # most months every leader went out
    assert figures(TUNLIU, "leader-tunliu").leaders_without_trip


@pytest.mark.django_db
def test_the_board_has_cards_in_every_column_and_each_lead_its_mode(demo):
    user = login("invest-xiaoyi")
    projects = Project.objects.visible_to(user).filter(zone__name=XIAOYI)
    columns = selectors.board_columns(projects)
    assert [column["label"] for column in columns] == ["初步对接", "重点意向", "成熟待签约", "签约待备案"]
    assert all(column["cards"] for column in columns)
    # A lead moved on within the year, through the stage service, with its date.
    moved = Project.objects.get(name="黑猫6万吨高端颜料项目")
    assert moved.stage == "signed" and year_ago(local_today()) <= moved.signed_on <= local_today()
    agreement = Activity.objects.get(kind=Activity.Kind.AGREEMENT, leads=moved)
    assert agreement.signed_amount == moved.total_investment and agreement.start_on == moved.signed_on
    leads = Lead.objects.filter(project__zone__name__in=[XIAOYI, TUNLIU], project__stage__in=selectors.LEAD_STAGES)
    assert (
        leads.count()
        == Project.objects.filter(zone__name__in=[XIAOYI, TUNLIU], stage__in=selectors.LEAD_STAGES).count()
    )
    assert not leads.filter(mode=None).exists()
    sources = set(leads.values_list("source", flat=True))
    assert {Lead.Source.PERSON, Lead.Source.PLATFORM, Lead.Source.ENTERPRISE, Lead.Source.EVENT} <= sources


@pytest.mark.django_db
@pytest.mark.parametrize("zone_name", [XIAOYI, TUNLIU])
def test_catalogue_targets_and_platform(demo, zone_name):
    assert TargetIndustry.objects.filter(zone__name=zone_name).count() >= 5
    targets = Target.objects.filter(zone__name=zone_name)
    assert 15 <= targets.count() <= 30
    assert len(set(targets.values_list("status", flat=True))) >= 4
    assert not targets.filter(hq_region="").exists() and not targets.filter(owner="").exists()
    platform = PlatformCompany.objects.get(zone__name=zone_name)
    assert 1 <= platform.commissioned_projects.count() <= 2
    assert Lead.objects.filter(source_platform=platform).exists()


@pytest.mark.django_db
def test_each_zone_sees_its_own_and_not_the_other(demo):
    for username, own, other in (("invest-xiaoyi", XIAOYI, TUNLIU), ("zone-tunliu", TUNLIU, XIAOYI)):
        user = login(username)
        for model in (Activity, Target, TargetIndustry, PlatformCompany):
            visible = model.objects.visible_to(user)
            assert visible.filter(zone__name=own).exists(), (username, model)
            assert not visible.filter(zone__name=other).exists(), (username, model)
        leads = Lead.objects.visible_to(user)
        assert leads.filter(project__zone__name=own).exists()
        assert not leads.filter(project__zone__name=other).exists()
    # 吕梁's office sees 孝义's (one of its zones), not 屯留's (长治).
    city = login("city-lvliang")
    assert Activity.objects.visible_to(city).filter(zone__name=XIAOYI).exists()
    assert not Activity.objects.visible_to(city).filter(zone__name=TUNLIU).exists()


@pytest.mark.django_db
def test_leaders_are_marked_and_the_extra_ones_cannot_log_in(demo):
    marked = Membership.objects.filter(is_leadership=True).select_related("user")
    assert {member.user.username for member in marked} >= {"leader-xiaoyi", "leader-tunliu"}
    assert all(member.title for member in marked)
    other = get_user_model().objects.get(username="banzi-xiaoyi-3")
    assert other.get_full_name() == "张伟" and not other.has_usable_password()
