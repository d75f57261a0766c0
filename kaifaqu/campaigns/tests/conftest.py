import datetime
from decimal import Decimal

import pytest

from kaifaqu.campaigns.services import campaign_create
from kaifaqu.regions.models import Region

CAMPAIGN_DAY = datetime.date(2025, 3, 28)


@pytest.fixture
def lvliang_campaign(xiaoyi, admin_user):
    """吕梁市's 2025 Q1 三个一批, held on 28 March 2025."""
    return campaign_create(
        user=admin_user,
        name="吕梁市2025年第一季度“三个一批”活动",
        held_on=CAMPAIGN_DAY,
        level="city",
        region=Region.objects.get(code="141100"),
    )


@pytest.fixture
def project_at(make_project):
    """``project_at(stage, name, wan, day=...)``: a project that reached ``stage`` with every key date on ``day``."""
    counter = iter(range(1, 10_000))

    def make(stage: str, name: str, wan, *, day=datetime.date(2025, 3, 1), **fields):
        dates = {}
        order = ("signed", "filed", "started", "producing", "at_capacity")
        if stage in order:
            for step in order[: order.index(stage) + 1]:
                dates[f"{step}_on"] = day
        if stage in ("filed", "started", "producing", "at_capacity"):
            fields.setdefault("project_code", f"2025-141181-26-03-{next(counter):06d}")
        return make_project(name, stage=stage, stage_dates=dates, total_investment=Decimal(str(wan)), **fields)

    return make
