"""The 招商 figures other pages show: a zone's page and the dashboard (驾驶舱)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from kaifaqu.projects.models import Project, local_today

from . import selectors
from .models import Activity, PlatformCompany


@dataclass
class InvestmentCard:
    year: int
    date_from: datetime.date
    date_to: datetime.date
    figures: selectors.InvestmentFigures
    query: str  # the workbench's query string for the same zones and period
    platforms: list[dict] = field(default_factory=list)


def investment_card(user, *, zones, year: int, with_platforms: bool = False) -> InvestmentCard:
    """The year's 招商 figures of ``zones`` (already scoped), to the end of the year or today."""
    today = local_today()
    date_from = datetime.date(year, 1, 1)
    date_to = min(datetime.date(year, 12, 31), today) if year <= today.year else date_from
    zone_ids = list(zones.values_list("pk", flat=True))
    activities = Activity.objects.visible_to(user).filter(zone_id__in=zone_ids)
    projects = Project.objects.visible_to(user).filter(zone_id__in=zone_ids)
    figures = selectors.activity_figures(activities, projects, date_from=date_from, date_to=date_to)
    query = f"date_from={date_from:%Y-%m-%d}&date_to={date_to:%Y-%m-%d}"
    if len(zone_ids) == 1:
        query = f"zone={zone_ids[0]}&{query}"
    card = InvestmentCard(year, date_from, date_to, figures, query)
    if with_platforms:
        platforms = PlatformCompany.objects.visible_to(user).filter(zone_id__in=zone_ids)
        card.platforms = selectors.platform_rows(platforms, projects)
    return card
