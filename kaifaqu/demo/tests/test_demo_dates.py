"""The demo is dated relative to the day it is loaded (issue 17, item 2): its current year is that
day's, nothing has happened after it, progress and 月调度 are reported up to last month, and the
seed articles' figures stay exact whatever the day."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Max, Sum

from kaifaqu.campaigns.models import Campaign
from kaifaqu.dashboard.selectors import dashboard
from kaifaqu.demo.services import demo_load
from kaifaqu.indicators.models import IndicatorReport
from kaifaqu.projects import lifecycle
from kaifaqu.projects.models import Milestone, ProgressReport, Project, Stage, local_today
from kaifaqu.services.models import ServiceRequest

# Late in the year (the day this was written), its last day, and early in the year. Days in the
# past: the services refuse facts dated after the clock's today, so the demo cannot be dated ahead.
LATE, LAST, EARLY = datetime.date(2026, 12, 2), datetime.date(2025, 12, 31), datetime.date(2026, 1, 5)


@pytest.fixture
def load(settings):
    settings.DEMO = True

    def load_on(today: datetime.date) -> datetime.date:
        demo_load(today=today)
        return today

    return load_on


def zone_dashboard(short_name: str, today: datetime.date):
    return dashboard(Project.objects.filter(zone__short_name=short_name), year=today.year, today=today)


def assert_seed_figures(today: datetime.date) -> None:
    tunliu = zone_dashboard("屯留经开区", today)
    assert (tunliu.pipeline.projects, tunliu.pipeline.total_investment) == (29, Decimal("547000"))
    assert tunliu.pipeline.sentence.startswith("初步对接项目7个，总投资15.5亿元；重点意向项目10个，总投资27.36亿元")
    xiaoyi = zone_dashboard("孝义经开区", today)
    categories = {
        name: (bucket.count, bucket.investment)
        for name, bucket in xiaoyi.pipeline.by_plan_category.items()
        if bucket.count
    }
    assert categories == {
        "尽快开工": (36, Decimal("1935600")),
        "力争开工": (7, Decimal("1374900")),
        "招商储备": (10, Decimal("2216500")),
    }


def assert_nothing_after(today: datetime.date) -> None:
    """No step, milestone, statistics entry, request or campaign dated after the loading day;
    no progress report of its month (reported up to last month)."""
    for name in (*lifecycle.STAGE_DATE_FIELDS, "in_statistics_on"):
        assert not Project.objects.filter(**{f"{name}__gt": today}).exists(), name
    assert not Milestone.objects.filter(actual_on__gt=today).exists()
    assert not ProgressReport.objects.filter(reported_on__gte=today.replace(day=1)).exists()
    assert not ServiceRequest.objects.filter(received_on__gt=today).exists()
    assert not Campaign.objects.filter(held_on__gt=today).exists()


def reported_this_year(today: datetime.date):
    return ProgressReport.objects.filter(project__plan_year=today.year, reported_on__year=today.year)


def year_completed(today: datetime.date) -> Decimal:
    projects = Project.objects.filter(plan_year=today.year)
    return projects.aggregate(total=Sum("year_completed_investment"))["total"]


def assert_most_building_reported_last_month(today: datetime.date) -> None:
    """Most projects under construction reported last month; some went quiet (停滞)."""
    building = Project.objects.filter(plan_year=today.year, stage=Stage.STARTED)
    since = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    fresh = building.filter(progress_reports__reported_on__gte=since).distinct().count()
    assert building.count() > fresh >= building.count() // 2


def last_month(today: datetime.date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def assert_indicators_up_to_last_month(today: datetime.date) -> None:
    year, month = last_month(today)
    latest = IndicatorReport.objects.filter(zone__isnull=False, year=year).aggregate(Max("month"))["month__max"]
    assert latest == month
    assert not IndicatorReport.objects.filter(year__gt=year).exists()
    # The whole of the year so far, approved, for a zone other than the mid-round ones.
    approved = IndicatorReport.objects.filter(
        zone__short_name="屯留经开区", year=year, status=IndicatorReport.Status.APPROVED
    )
    assert sorted(approved.values_list("month", flat=True)) == list(range(1, month + 1))


def assert_recent_requests(today: datetime.date) -> None:
    received = list(ServiceRequest.objects.values_list("received_on", flat=True))
    assert received and all(today - datetime.timedelta(days=92) <= day <= today for day in received)
    assert len({(day.year, day.month) for day in received}) >= 2


@pytest.mark.django_db
@pytest.mark.parametrize("day", [LATE, LAST])
def test_late_in_the_year_the_dashboard_shows_this_year(load, day):
    today = load(day)
    assert_seed_figures(today)
    assert set(Project.objects.values_list("plan_year", flat=True)) == {today.year - 1, today.year}
    assert_nothing_after(today)
    figures = dashboard(Project.objects.all(), year=today.year, today=today)
    assert figures.pipeline.projects > 100 and figures.overdue_count > 0
    assert 0 < year_completed(today) < figures.year_planned
    # Progress this year, month by month up to last month's.
    months = set(reported_this_year(today).values_list("reported_on__month", flat=True))
    assert months == set(range(1, today.month))
    assert_most_building_reported_last_month(today)
    # Plans after today stay plans: the coke oven's 烘炉投产 next spring.
    oven = Milestone.objects.get(name="烘炉投产")
    assert oven.planned_on.year == today.year + 1 and oven.actual_on is None
    assert_indicators_up_to_last_month(today)
    assert_recent_requests(today)


@pytest.mark.django_db
def test_early_in_the_year_little_has_happened_yet(load):
    today = load(EARLY)
    assert_seed_figures(today)
    assert_nothing_after(today)
    figures = dashboard(Project.objects.all(), year=today.year, today=today)
    assert figures.pipeline.projects > 100
    assert not reported_this_year(today).exists() and year_completed(today) == 0
    assert_most_building_reported_last_month(today)
    # Last month's progress is last year's; milestones missed in the weeks before are overdue.
    assert ProgressReport.objects.filter(reported_on__year=today.year - 1, reported_on__month=12).exists()
    assert figures.overdue_count > 0
    started = Project.objects.filter(plan_year=today.year, stage=Stage.STARTED)
    assert started.exists() and all(project.started_on <= today for project in started)
    assert_indicators_up_to_last_month(today)
    assert_recent_requests(today)


@pytest.mark.django_db
def test_the_demo_cannot_be_dated_after_today(load):
    with pytest.raises(ValueError, match="不能晚于今天"):
        load(local_today() + datetime.timedelta(days=1))
    assert not Project.objects.exists()
