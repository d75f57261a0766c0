"""Loading the demo data (``kaifaqu load_demo``) through the same services users go through."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kaifaqu.campaigns.models import Campaign
from kaifaqu.campaigns.services import BATCH_RULES, campaign_create, campaign_entry_add, entry_problems
from kaifaqu.chains.models import BountyBoard, IndustryChain
from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.enterprises.services import enterprise_create
from kaifaqu.evaluation.models import Scheme
from kaifaqu.indicators.models import IndicatorReport
from kaifaqu.land.models import MuJunScheme, Parcel
from kaifaqu.projects import lifecycle
from kaifaqu.projects.models import PlanCategory, Project, Stage, StageChange, local_today
from kaifaqu.projects.services import (
    milestone_create,
    progress_create,
    project_create,
    project_move_stage,
    project_update,
)
from kaifaqu.regions.models import Region
from kaifaqu.services.models import ServiceRequest
from kaifaqu.zones import roles
from kaifaqu.zones.models import Membership, Park, Unit, Zone
from kaifaqu.zones.services import membership_set, park_create, unit_for_region, zone_create

from . import data
from .bounties import demo_bounties
from .chains import demo_chains
from .dates import DemoCalendar
from .evaluation import demo_evaluation
from .indicators import demo_indicators
from .investment import OTHER_LEADER_USERNAMES, demo_investment
from .land import demo_land
from .requests import demo_requests

DEMO_USERS = (
    # username, display name, unit ("superuser", ("province"|"city", code), ("zone"|"enterprise", key)), roles
    ("admin", "系统管理员", "superuser", ()),
    ("province-shanxi", "山西省商务厅", ("province", "140000"), (roles.LEADER,)),
    ("city-lvliang", "吕梁市商务局", ("city", "141100"), (roles.LEADER,)),
    ("admin-lvliang", "吕梁市商务局管理员", ("city", "141100"), (roles.ADMIN,)),
    ("zone-xiaoyi", "孝义经开区项目专员", ("zone", "xiaoyi"), (roles.PROJECT_OFFICER,)),
    ("zone-tunliu", "屯留经开区项目专员", ("zone", "tunliu"), (roles.PROJECT_OFFICER,)),
    ("stats-lvliang", "吕梁市商务局统计员", ("city", "141100"), (roles.STATISTICIAN,)),
    ("stats-xiaoyi", "孝义经开区统计员", ("zone", "xiaoyi"), (roles.STATISTICIAN,)),
    ("leader-xiaoyi", "孝义经开区领导", ("zone", "xiaoyi"), (roles.LEADER,)),
    ("leader-tunliu", "屯留经开区领导", ("zone", "tunliu"), (roles.LEADER,)),
    ("invest-xiaoyi", "孝义经开区招商专员", ("zone", "xiaoyi"), (roles.INVESTMENT_OFFICER,)),
    ("invest-tunliu", "屯留经开区招商专员", ("zone", "tunliu"), (roles.INVESTMENT_OFFICER,)),
    ("liaison-xiaoyi", "孝义经开区包联干部", ("zone", "xiaoyi"), (roles.LIAISON_OFFICER,)),
    ("ent-pengfei", "山西鹏飞集团有限公司", ("enterprise", "pengfei"), (roles.ENTERPRISE_USER,)),
)
CITY_UNIT_NAMES = {"141100": "吕梁市商务局"}
# Demo logins on their committee's 班子 (班子成员每月至少带队外出招商1次), with their 职务.
LEADERSHIP = {"leader-xiaoyi": "党工委书记、管委会主任", "leader-tunliu": "党工委书记、管委会主任"}
LEADERS = ("王建军", "李志强", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "郭志强", "孙丽", "周涛")
AGENTS = ("李娜", "王芳", "张敏", "刘婷", "陈晨", "杨洁", "赵倩", "吴昊")
INDUSTRY_CODES = {
    "焦化": "25",
    "煤化工": "26",
    "精细化工": "26",
    "碳基新材料": "28",
    "铝镁新材料": "32",
    "白酒": "15",
    "食品": "14",
    "锂电": "38",
    "储能": "44",
    "氢能": "44",
    "光伏": "44",
    "基础设施": "48",
    "城市更新": "47",
}
# Step intervals (days) used to give each stage a plausible date.
STEP_DAYS = {
    Stage.CONTACT: 0,
    Stage.INTENT: 30,
    Stage.READY: 30,
    Stage.SIGNED: 30,
    Stage.FILED: 45,
    Stage.STARTED: 60,
    Stage.PRODUCING: 240,
    Stage.AT_CAPACITY: 120,
}


# What a project under construction reports month by month, in the order the work goes.
PHASES = (
    "场地平整和基础施工",
    "主体结构施工",
    "钢结构和屋面安装",
    "设备采购和进场",
    "设备安装",
    "配套管网和道路施工",
    "设备调试和收尾",
)


class DemoDataExists(Exception):
    pass


@dataclass
class DemoSummary:
    zones: int
    enterprises: int
    projects: int
    users: tuple[str, ...]


def demo_data_exists() -> bool:
    return Zone.objects.exists() or Enterprise.objects.exists() or Project.objects.exists()


@transaction.atomic
def demo_load(*, force: bool = False, today: datetime.date | None = None) -> DemoSummary:
    """Load the demo data into an empty database (or, with ``force``, replace what is there),
    dated as seen on ``today`` (default: today): its current year is ``today``'s."""
    if not settings.DEMO:
        raise PermissionError("演示数据只能在演示模式下加载（设置 KAIFAQU_DEMO=1）；生产环境不会创建演示账号。")
    today = today or local_today()
    if today > local_today():
        # The services refuse facts dated after today: a demo cannot be dated in the future.
        raise ValueError(f"演示数据的日期（{today}）不能晚于今天。")
    if demo_data_exists():
        if not force:
            raise DemoDataExists("数据库中已有数据，未加载演示数据。如需清空并重新加载，请加 --force。")
        _wipe()
    calendar = DemoCalendar(today)
    admin = _user("admin", "系统管理员", superuser=True)
    zones = {spec.key: _zone(spec, admin) for spec in data.ZONES}
    enterprises = {key: _enterprise(key, spec, zones, admin) for key, spec in data.ENTERPRISES.items()}
    count = 0
    for zone_key, specs in data.PROJECTS.items():
        for index, spec in enumerate(specs):
            _project(spec, index, zones[zone_key], enterprises, admin, calendar)
            count += 1
    _milestones_and_progress(admin, calendar)
    _monthly_progress(admin, calendar)
    _date_history()
    _campaigns(admin)
    demo_indicators(today=today, admin=admin)
    demo_requests(admin=admin, today=today)
    for username, display, unit, role_codes in DEMO_USERS[1:]:
        _member(_user(username, display), unit, role_codes, zones, enterprises, title=LEADERSHIP.get(username, ""))
    demo_investment(admin=admin, today=today)  # after the users: the 班子 and 招商专员 are zone members
    demo_chains(admin=admin)  # after 招商: its targets go on the missing links
    demo_bounties(admin=admin, today=today)  # after the chains: a bounty serves a link
    demo_evaluation(today=today)  # the scheme reads the months, requests and 揭榜 above
    demo_land(admin=admin, today=today)  # 孝义's and 灵石's figures, grades and parcels
    return DemoSummary(len(zones), len(enterprises), count, tuple(name for name, *_ in DEMO_USERS))


def _wipe() -> None:
    BountyBoard.objects.all().delete()  # first: a claim protects its unit and its claimant
    Membership.objects.all().delete()  # a membership protects its unit
    Campaign.objects.all().delete()  # an entry protects its project
    IndustryChain.objects.all().delete()  # a chain protects its region
    Scheme.objects.all().delete()  # a 考核 scheme protects its region
    MuJunScheme.objects.all().delete()  # so does a 亩均 scheme
    Parcel.objects.all().delete()  # a parcel protects its zone
    IndicatorReport.objects.all().delete()  # 全市 figures protect their region
    ServiceRequest.objects.all().delete()  # requests protect their enterprise and project
    Project.objects.all().delete()
    Enterprise.objects.all().delete()
    PlanCategory.objects.exclude(unit__isnull=True).delete()
    Unit.objects.all().delete()
    Park.objects.all().delete()
    Zone.objects.all().delete()
    usernames = [name for name, *_ in DEMO_USERS] + list(OTHER_LEADER_USERNAMES)
    get_user_model().objects.filter(username__in=usernames).delete()


def _user(username: str, display: str, superuser: bool = False):
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username)
    user.first_name = display
    user.is_superuser = user.is_staff = superuser
    user.set_password(data.DEMO_PASSWORD)
    user.save()
    return user


def _member(user, unit_spec, role_codes, zones, enterprises, *, title: str = "") -> None:
    kind, key = unit_spec
    if kind in ("province", "city"):
        unit = unit_for_region(region=Region.objects.get(code=key), name=CITY_UNIT_NAMES.get(key))
    elif kind == "enterprise":
        enterprise = enterprises[key]
        unit, _ = Unit.objects.get_or_create(
            kind=Unit.Kind.ENTERPRISE, enterprise=enterprise, defaults={"name": enterprise.name}
        )
    else:
        unit = Unit.objects.get(kind=Unit.Kind.ZONE, zone=zones[key])
    membership_set(user=user, unit=unit, roles=role_codes, title=title, leadership=bool(title))


def _zone(spec: data.ZoneSpec, admin) -> Zone:
    zone = zone_create(
        name=spec.name,
        region_code=spec.region,
        short_name=spec.short_name,
        level=spec.level,
        kind=spec.kind,
        area_km2=Decimal(spec.area_km2) if spec.area_km2 else None,
        leading_industries=spec.industries,
    )
    for park in spec.parks:
        park_create(user=admin, zone=zone, name=park)
    return zone


def _enterprise(key: str, spec, zones, admin) -> Enterprise:
    zone_key, name, industry, flags = spec
    zone = zones[zone_key]
    digest = hashlib.sha256(name.encode()).hexdigest()
    body = "".join(str(int(char, 16) % 10) for char in digest[:8])
    return enterprise_create(
        user=admin,
        fields={
            "name": name,
            "zone": zone,
            "industry": industry,
            "credit_code": make_credit_code(zone.region_id, body),
            **flags,
        },
    )


def _project(spec: data.ProjectSpec, index: int, zone: Zone, enterprises, admin, calendar: DemoCalendar) -> Project:
    category = PlanCategory.objects.get(unit__isnull=True, name=spec.category) if spec.category else None
    park = zone.parks.get(name=spec.park) if spec.park else None
    total = Decimal(spec.wan)
    plan_year = calendar.plan_year(spec.year)
    fields = {
        "name": spec.name,
        "zone": zone,
        "park": park,
        "enterprise": enterprises[spec.enterprise] if spec.enterprise else None,
        "content": spec.content,
        "industry": spec.industry,
        "total_investment": total,
        "plan_year": plan_year,
        "plan_category": category,
        "priority_level": spec.priority,
        "land_area_mu": Decimal(spec.land_mu) if spec.land_mu else None,
        "liaison_leader": LEADERS[index % len(LEADERS)],
        "agent": AGENTS[index % len(AGENTS)],
        "task_force": f"{zone.display_name}{spec.industry or '项目'}专班",
    }
    if lifecycle.RANK[spec.stage] >= lifecycle.RANK[Stage.SIGNED]:
        fields["year_planned_investment"] = (total * Decimal("0.3")).quantize(Decimal("1"))
    if lifecycle.RANK[spec.stage] >= lifecycle.RANK[Stage.STARTED] and not _reports_monthly(spec, plan_year, calendar):
        # A fifth of the project done in its plan year, as much of it as the months reported so far.
        share = Decimal("0.2") * calendar.months_reported(plan_year) / 12
        fields["year_completed_investment"] = (total * share).quantize(Decimal("1"))
    project = project_create(user=admin, fields=fields)
    # Steps, like progress, are on record up to last month: a campaign is not held for this month's.
    latest = calendar.month_start - datetime.timedelta(days=1 + index * 3 % 20)
    dates = _stage_dates(plan_year, index, spec.stage, latest)
    for stage in lifecycle.ORDER[1 : lifecycle.RANK[spec.stage] + 1]:
        name = lifecycle.DATE_FIELD[stage]
        code = _project_code(zone, spec, dates["filed_on"], index) if stage == Stage.FILED else None
        project_move_stage(user=admin, project=project, to_stage=stage, dates={name: dates[name]}, project_code=code)
    if spec.in_statistics:
        project.refresh_from_db()
        project_update(
            user=admin,
            project=project,
            fields={
                "in_statistics": True,
                "in_statistics_on": _in_statistics_on(dates["started_on"], plan_year, calendar),
            },
        )
    return project


def _in_statistics_on(started_on: datetime.date, plan_year: int, calendar: DemoCalendar) -> datetime.date:
    """A month after starting, or in January of the plan year (its 当年入统投资), and by last month."""
    day = max(started_on + datetime.timedelta(days=30), datetime.date(plan_year, 1, 20))
    return max(min(day, calendar.month_start - datetime.timedelta(days=1)), started_on)


def _stage_dates(plan_year: int, index: int, stage: str, latest: datetime.date) -> dict[str, datetime.date]:
    """Plausible step dates up to ``stage``: a plan-year project was first contacted in the spring
    of the year before. Loaded early in the year, a chain would run past ``latest`` (last month,
    give or take: steps cannot lie ahead): it is moved back whole to end there, keeping its intervals."""
    day = datetime.date(plan_year - 1, 3, 1) + datetime.timedelta(days=index * 4)
    dates = {}
    for step in lifecycle.ORDER[1 : lifecycle.RANK[stage] + 1]:
        day += datetime.timedelta(days=STEP_DAYS[step])
        dates[lifecycle.DATE_FIELD[step]] = day
    late = datetime.timedelta(days=max((day - latest).days, 0))
    return {name: when - late for name, when in dates.items()}


def _project_code(zone: Zone, spec: data.ProjectSpec, filed_on: datetime.date, index: int) -> str:
    industry = INDUSTRY_CODES.get(spec.industry, "39")
    return f"{filed_on.year}-{zone.region_id}-{industry}-03-{zone.pk * 1000 + index + 1:06d}"


def _milestones_and_progress(admin, calendar: DemoCalendar) -> None:
    for project_name, milestones in data.MILESTONES.items():
        project = Project.objects.get(name=project_name)
        for name, planned, actual, owner in milestones:
            milestone_create(
                user=admin,
                project=project,
                name=name,
                planned_on=calendar.moved(planned),
                actual_on=calendar.happened(actual),
                owner=owner,
            )
    for project_name, reports in data.PROGRESS.items():
        project = Project.objects.get(name=project_name)
        for written, text, investment in reports:
            reported_on = calendar.reported(written)
            if reported_on is None:
                continue  # not reported yet: this month's progress comes next month
            progress_create(
                user=admin,
                project=project,
                reported_on=reported_on,
                text=text,
                investment=Decimal(investment),
            )


def _campaigns(admin) -> None:
    """One 三个一批 per city, held on the latest step date among its projects, listing the
    projects signed, started and put into production earlier that year."""
    cities = Region.objects.filter(
        code__in={zone.region.code[:4] + "00" for zone in Zone.objects.select_related("region")}
    )
    for city in cities:
        projects = list(Project.objects.filter(zone__region__code__startswith=city.scope_prefix))
        steps = [
            (getattr(project, date_field), batch, project)
            for project in projects
            for batch, (_, date_field) in BATCH_RULES.items()
            if getattr(project, date_field)
        ]
        if not steps:
            continue
        held_on = max(day for day, _, _ in steps)
        quarter = (held_on.month - 1) // 3 + 1
        campaign = campaign_create(
            user=admin,
            name=f"{city.name}{held_on.year}年第{'一二三四'[quarter - 1]}季度“三个一批”活动",
            held_on=held_on,
            level=Campaign.Level.CITY,
            region=city,
        )
        for day, batch, project in sorted(steps, key=lambda step: (step[0], step[2].pk)):
            if day.year == held_on.year and not entry_problems(campaign, project, batch):
                campaign_entry_add(user=admin, campaign=campaign, project=project, batch=batch)


def _date_history() -> None:
    # Demo history is loaded in one go; stamp each move on the day of its step so the
    # timeline reads as it would have been recorded.
    tz = timezone.get_current_timezone()
    for change in StageChange.objects.exclude(step_date=None).only("id", "step_date"):
        when = datetime.datetime.combine(change.step_date, datetime.time(17, 30), tzinfo=tz)
        StageChange.objects.filter(pk=change.pk).update(created_at=when)
    # A project was put on the ledger when it was first contacted (or, failing any date, in
    # the spring before its plan year): the dashboard's 停滞 count reads the ledger's age.
    for project in Project.objects.all():
        dates = [getattr(project, name) for name in lifecycle.STAGE_DATE_FIELDS if getattr(project, name)]
        first = min(dates) if dates else datetime.date(project.plan_year - 1, 3, 1)
        when = datetime.datetime.combine(first, datetime.time(9, 0), tzinfo=tz)
        Project.objects.filter(pk=project.pk).update(created_at=when)


def _reports_monthly(spec: data.ProjectSpec, plan_year: int, calendar: DemoCalendar) -> bool:
    """This year's projects under construction report every month (their 年度完成投资 is what they
    report), unless the articles give their progress."""
    return spec.stage == Stage.STARTED and plan_year == calendar.year and spec.name not in data.PROGRESS


def _monthly_progress(admin, calendar: DemoCalendar) -> None:
    """A report on the 25th of each month since starting (the last 11 at most) up to last month;
    every fourth project went quiet three months ago, so 停滞 has something to show."""
    specs = {spec.name: spec for specs in data.PROJECTS.values() for spec in specs}
    projects = Project.objects.filter(name__in=specs, plan_year=calendar.year).order_by("pk")
    monthly = [project for project in projects if _reports_monthly(specs[project.name], project.plan_year, calendar)]
    for index, project in enumerate(monthly):
        months = _months_since(project.started_on, calendar, quiet=3 if index % 4 == 3 else 0)
        share = project.total_investment * Decimal("0.2") / 12
        for step, (year, month) in enumerate(months):
            amount = (share * (90 + 5 * ((index + step) % 5)) / 100).quantize(Decimal("1"))
            phase = PHASES[step * len(PHASES) // len(months)]
            progress_create(
                user=admin,
                project=project,
                reported_on=datetime.date(year, month, 25),
                text=f"{phase}，按计划推进。",
                investment=amount,
            )


def _months_since(started_on: datetime.date, calendar: DemoCalendar, *, quiet: int) -> list[tuple[int, int]]:
    last = calendar.today.year * 12 + calendar.today.month - 2 - quiet  # last month, less the quiet ones
    first = max(started_on.year * 12 + started_on.month, last - 10)  # the month after starting
    return [(index // 12, index % 12 + 1) for index in range(first, last + 1)]
