"""Zone pages: the list of zones in the user's scope and each zone's overview."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from kaifaqu.audit.selectors import record_history
from kaifaqu.audit.trail import record_key
from kaifaqu.core.money import format_yi
from kaifaqu.core.scoping import get_visible_or_404, scope_for
from kaifaqu.core.working_year import working_year
from kaifaqu.investment.cards import investment_card
from kaifaqu.land.cards import land_card
from kaifaqu.projects.cards import cohort_card, in_statistics_card
from kaifaqu.projects.completeness import CompletenessCard, completeness_card
from kaifaqu.projects.models import Project
from kaifaqu.projects.selectors import PipelineStats, zone_overview

from .models import Zone
from .selectors import zone_rows


@login_required
def zone_list(request):
    zones = zone_rows(Zone.objects.visible_to(request.user), Project.objects.visible_to(request.user))
    return render(request, "zones/zone_list.html", {"zones": zones})


@login_required
def zone_detail(request, pk: int):
    zone = get_visible_or_404(Zone.objects.select_related("region"), request.user, pk=pk)
    projects = Project.objects.visible_to(request.user)
    year = _year(request, default=working_year(request))  # the 工作年度 chosen on the dashboard
    overview = zone_overview(zone, projects, year=year)
    stats = overview.stats
    chart = {
        "stages": [label for _, label, _ in stats.stage_rows()],
        "counts": [bucket.count for _, _, bucket in stats.stage_rows()],
        "investment_yi": [float(format_yi(bucket.investment)) for _, _, bucket in stats.stage_rows()],
    }
    return render(
        request,
        "zones/zone_detail.html",
        {
            "zone": zone,
            "overview": overview,
            "stats": stats,
            "chart": chart,
            "year": year,
            "total_yi": format_yi(stats.total_investment, strip_zeros=True, grouped=True),
            "history": record_history(request.user, record_key(zone)),
            "record_key": record_key(zone),
            "years": range(max(year, timezone.localdate().year), timezone.localdate().year - 6, -1),
            **_lifecycle_cards(request, zone, projects.filter(zone=zone), year=year, stats=stats),
            "completeness": _completeness(zone, projects.filter(zone=zone)),
            "investment": _investment(request, zone, year),
            "land": _land(request, zone),
        },
    )


def _land(request, zone: Zone):
    """亩均 per park and the zone's 标准地 (an enterprise's login has none)."""
    if scope_for(request.user).enterprise_id is not None:
        return None
    return land_card(request.user, zones=Zone.objects.filter(pk=zone.pk), by_park=True)


def _investment(request, zone: Zone, year: int):
    """招商 figures and 平台公司 for the zone's offices and staff (an enterprise's login has none)."""
    if scope_for(request.user).enterprise_id is not None:
        return None
    return investment_card(request.user, zones=Zone.objects.filter(pk=zone.pk), year=year, with_platforms=True)


def _lifecycle_cards(request, zone: Zone, zone_projects, *, year: int, stats: PipelineStats) -> dict:
    """当年入统投资 (the page's year) and the cohort (its own period picker) of the zone's projects."""
    scope = {"zone": zone.pk}
    return {
        "in_statistics_card": in_statistics_card(
            zone_projects, year=year, rate=stats.rates["statistics"], rate_of="全部项目", link_scope=scope
        ),
        "cohort_card": cohort_card(request.GET, zone_projects, link_scope=scope),
    }


def _completeness(zone: Zone, zone_projects) -> CompletenessCard:
    """数据完整度 of all the zone's projects (any plan year, as the page's stage figures)."""
    return completeness_card(
        zone_projects, link=lambda **filters: f"{reverse('projects:list')}?{urlencode({'zone': zone.pk, **filters})}"
    )


def _year(request, *, default: int) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2000 <= year <= this_year + 1 else default
