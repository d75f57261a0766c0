"""Shared fixtures: two zones in two cities, their staff, a city office and an enterprise user.

Everything is created through the services users go through, on the real database
(SQLite or PostgreSQL, per ``DATABASE_URL``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.services import enterprise_create
from kaifaqu.projects.models import Project
from kaifaqu.projects.services import milestone_create, progress_create, project_create
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit
from kaifaqu.zones.services import membership_set, park_create, unit_for_region, zone_create

PASSWORD = "test-pass-123"
LEDGER_YEAR = 2025  # the plan year of ``hand_ledger``


def make_user(username: str, unit: Unit | None = None, *roles: str, superuser: bool = False):
    """A user in ``unit`` holding ``roles`` (codes from ``zones.roles``)."""
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_superuser=superuser, is_staff=superuser
    )
    if unit is not None:
        membership_set(user=user, unit=unit, roles=roles)
    return user


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path_factory):
    """Each test keeps its reports, imports and attachments in its own folder.

    Parallel workers share KAIFAQU_DATA_DIR, and each worker's database numbers records from 1,
    so two workers' report 1 would otherwise be the same file (a flaky weekly-report test)."""
    root = tmp_path_factory.mktemp("data")
    settings.DATA_DIR = root
    settings.MEDIA_ROOT = root / "media"
    return root


@pytest.fixture
def reference_data(transactional_db):
    """Regions, default plan categories and roles: migrations load them, transactional tests flush them."""
    from kaifaqu.projects.models import PlanCategory
    from kaifaqu.regions.data import load_regions
    from kaifaqu.regions.models import Region
    from kaifaqu.zones.models import Role
    from kaifaqu.zones.roles import ensure_default_roles

    ensure_default_roles(Role)
    from kaifaqu.indicators.catalogue import ensure_default_indicators
    from kaifaqu.indicators.models import Indicator

    ensure_default_indicators(Indicator)
    from kaifaqu.services.levels import ensure_approval_types, ensure_service_levels
    from kaifaqu.services.models import ApprovalType, ServiceLevel

    ensure_service_levels(ServiceLevel)
    ensure_approval_types(ApprovalType)
    from kaifaqu.enterprises.industries import ensure_industry_classes
    from kaifaqu.enterprises.models import IndustryClass

    ensure_industry_classes(IndustryClass)
    if not Region.objects.exists():
        load_regions(Region)
    for order, name in enumerate(PlanCategory.DEFAULTS, start=1):
        PlanCategory.objects.get_or_create(name=name, unit=None, defaults={"order": order * 10})


@pytest.fixture
def api():
    """``api(user)``: a REST client authenticated with the user's token."""

    def client_for(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return client

    return client_for


@pytest.fixture
def xiaoyi(db):
    """孝义经开区, in 吕梁市 (141181)."""
    return zone_create(
        name="孝义经济技术开发区", short_name="孝义经开区", region_code="141181", leading_industries="焦化、精细化工"
    )


@pytest.fixture
def tunliu(db):
    """屯留经开区, in 长治市 (140405)."""
    return zone_create(name="屯留经济技术开发区", short_name="屯留经开区", region_code="140405")


@pytest.fixture
def admin_user(db):
    return make_user("root", superuser=True)


@pytest.fixture
def xiaoyi_staff(xiaoyi):
    return make_user("xiaoyi-staff", Unit.objects.get(zone=xiaoyi), roles.PROJECT_OFFICER)


@pytest.fixture
def tunliu_staff(tunliu):
    return make_user("tunliu-staff", Unit.objects.get(zone=tunliu), roles.PROJECT_OFFICER)


@pytest.fixture
def lvliang_office(xiaoyi, tunliu):
    return make_user("lvliang-office", unit_for_region(region=Region.objects.get(code="141100")), roles.LEADER)


@pytest.fixture
def xiaoyi_park(xiaoyi, admin_user):
    return park_create(user=admin_user, zone=xiaoyi, name="梧桐新材料园")


@pytest.fixture
def xiaoyi_enterprise(xiaoyi, admin_user):
    return enterprise_create(
        user=admin_user,
        fields={
            "name": "山西鹏飞集团有限公司",
            "zone": xiaoyi,
            "credit_code": make_credit_code("141181", "12345678"),
            "industry": "焦化",
            "is_above_scale": True,
        },
    )


@pytest.fixture
def make_project(xiaoyi, xiaoyi_staff):
    """A project factory: ``make_project(name=..., total_investment=..., user=..., stage=..., stage_dates=...)``."""

    def make(name: str = "焦炉煤气综合利用项目", *, user=None, zone=None, stage="planning", stage_dates=None, **fields):
        fields.setdefault("total_investment", Decimal("100000"))
        fields.setdefault("plan_year", datetime.date.today().year)
        return project_create(
            user=user or xiaoyi_staff,
            fields={"name": name, "zone": zone or xiaoyi, **fields},
            stage=stage,
            stage_dates=stage_dates,
        )

    return make


@pytest.fixture
def hand_ledger(make_project, admin_user, tunliu):
    """A ledger counted by hand (dashboard and report tests): 孝义 has four 2025 projects and one of
    2024, 屯留 one 2025 project; two progress reports (March, May), one milestone overdue by mid-2025."""
    code = iter(f"2025-141181-26-03-{n:06d}" for n in range(1, 100))

    def make(name, wan, stage="planning", day=datetime.date(2025, 2, 1), **fields):
        dates = {}
        for step in ("signed", "filed", "started", "producing"):
            dates[f"{step}_on"] = day
            if step == stage:
                break
        if stage in ("filed", "started", "producing"):
            fields["project_code"] = next(code)
        return make_project(
            name,
            stage=stage,
            stage_dates=dates if stage != "planning" else None,
            total_investment=Decimal(wan),
            plan_year=fields.pop("plan_year", LEDGER_YEAR),
            **fields,
        )

    projects = {
        "hydrogen": make("氢能项目", 120000, "started", industry="新能源", year_planned_investment=Decimal(30000)),
        "coke": make("焦化项目", 50000, "producing", industry="焦化", year_planned_investment=Decimal(10000)),
        "chem": make("精细化工项目", 8000, "signed", industry="焦化"),
        "lead": make("招商线索", 2000, industry=""),
        "old": make("去年的项目", 99999, "started", industry="焦化", plan_year=2024),
    }
    projects["tunliu"] = make_project(
        "屯留光伏项目",
        zone=tunliu,
        user=admin_user,
        total_investment=Decimal(30000),
        plan_year=LEDGER_YEAR,
        industry="新能源",
    )
    # Completed investment through progress reports: March and May.
    progress_create(
        user=admin_user,
        project=projects["hydrogen"],
        reported_on=datetime.date(2025, 3, 10),
        text="主体施工",
        investment=Decimal(6000),
    )
    progress_create(
        user=admin_user,
        project=projects["coke"],
        reported_on=datetime.date(2025, 5, 20),
        text="设备安装",
        investment=Decimal(1500),
    )
    milestone_create(
        user=admin_user, project=projects["hydrogen"], name="主体封顶", planned_on=datetime.date(2025, 6, 1)
    )
    milestone_create(user=admin_user, project=projects["coke"], name="竣工验收", planned_on=datetime.date(2025, 8, 1))
    # Registered long ago: 招商线索 and 精细化工 have no recent report; 氢能 and 焦化 reported above.
    Project.objects.update(created_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    return projects
