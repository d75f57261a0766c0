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
from kaifaqu.projects.services import project_create
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit
from kaifaqu.zones.services import membership_set, park_create, unit_for_region, zone_create

PASSWORD = "test-pass-123"


def make_user(username: str, unit: Unit | None = None, *roles: str, superuser: bool = False):
    """A user in ``unit`` holding ``roles`` (codes from ``zones.roles``)."""
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_superuser=superuser, is_staff=superuser
    )
    if unit is not None:
        membership_set(user=user, unit=unit, roles=roles)
    return user


@pytest.fixture
def reference_data(transactional_db):
    """Regions, default plan categories and roles: migrations load them, transactional tests flush them."""
    from kaifaqu.projects.models import PlanCategory
    from kaifaqu.regions.data import load_regions
    from kaifaqu.regions.models import Region
    from kaifaqu.zones.models import Role
    from kaifaqu.zones.roles import ensure_default_roles

    ensure_default_roles(Role)
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
