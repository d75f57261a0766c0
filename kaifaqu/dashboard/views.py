"""驾驶舱: the figures of the user's scope, each one a link to the projects behind it."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from kaifaqu.core.money import format_yi
from kaifaqu.core.scoping import scope_for
from kaifaqu.core.views import style_filter_form
from kaifaqu.core.working_year import remember, working_year
from kaifaqu.evaluation.cards import ranking_cards
from kaifaqu.investment.cards import investment_card
from kaifaqu.land.cards import land_card
from kaifaqu.projects.cards import cohort_card, in_statistics_card
from kaifaqu.projects.completeness import CompletenessCard, completeness_card
from kaifaqu.projects.filters import ProjectFilter
from kaifaqu.projects.models import Project, Stage, local_today
from kaifaqu.services.models import ServiceRequest
from kaifaqu.services.selectors import open_counts
from kaifaqu.zones.models import Zone

from . import selectors
from .forms import DashboardForm
from .gantt import gantt

TOP_INDUSTRIES = 12
TOP_ZONES = 20


@login_required
def dashboard(request):
    projects = Project.objects.visible_to(request.user)
    form = DashboardForm(
        request.GET or None,
        user=request.user,
        default_year=working_year(request),
        stalled_days=selectors.default_stalled_days(),
    )
    chosen = form.chosen()
    remember(request, chosen["year"])
    scope = {"year": chosen["year"]}
    if chosen["zone"] is not None:
        scope["zone"] = chosen["zone"].pk
    elif chosen["city"]:
        scope["city"] = chosen["city"]
    projects = _in_chosen(projects, chosen)
    figures = selectors.dashboard(projects, year=chosen["year"], stalled_days=chosen["stalled_days"])
    links = Links(scope, stalled_days=chosen["stalled_days"])
    requests = _in_chosen(ServiceRequest.objects.visible_to(request.user), chosen)
    open_requests, overdue_requests = open_counts(requests, today=local_today())
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "links": links,
            "stalled_days": chosen["stalled_days"],
            "charts": charts(figures, links),
            "total_yi": format_yi(figures.pipeline.total_investment, strip_zeros=True, grouped=True),
            "open_requests": open_requests,
            "overdue_requests": overdue_requests,
            "requests_link": _requests_link(chosen["zone"], chosen["city"]),
            **_lifecycle_cards(request, projects, scope, figures),
            "completeness": _completeness(projects, links, year=chosen["year"]),
            "investment": _investment(request, chosen),
            "land": _land(request, chosen),
            "ranking_cards": ranking_cards(request.user),
        },
    )


def _chosen_zones(request, chosen: dict):
    """The zone or the city chosen on the page, as the user sees it."""
    zones = Zone.objects.visible_to(request.user)
    if chosen["zone"] is not None:
        return zones.filter(pk=chosen["zone"].pk)
    if chosen["city"]:
        return zones.filter(region__code__startswith=chosen["city"][:4])
    return zones


def _land(request, chosen: dict):
    """亩均 and 标准地 of the zone or city chosen (none for an enterprise's login)."""
    if scope_for(request.user).enterprise_id is not None:
        return None
    return land_card(request.user, zones=_chosen_zones(request, chosen))


def _investment(request, chosen: dict):
    """The working year's 招商 figures of the zone or city chosen (none for an enterprise's login)."""
    if scope_for(request.user).enterprise_id is not None:
        return None
    return investment_card(request.user, zones=_chosen_zones(request, chosen), year=chosen["year"])


def _lifecycle_cards(request, projects, scope: dict, figures: selectors.Dashboard) -> dict:
    """当年入统投资 (the working year) and the cohort (its own period picker) of the chosen zone or
    city: of all its projects, whatever their plan year, so their links leave the year out."""
    where = {key: value for key, value in scope.items() if key != "year"}
    return {
        "in_statistics_card": in_statistics_card(
            projects,
            year=figures.year,
            rate=figures.pipeline.rates["statistics"],
            rate_of=f"{figures.year} 年度项目",
            link_scope=where,
        ),
        "cohort_card": cohort_card(request.GET, projects, link_scope=where),
    }


def _completeness(projects, links: "Links", *, year: int) -> CompletenessCard:
    """数据完整度 of the year's projects, as the other figures: its links keep the year."""
    return completeness_card(projects.filter(plan_year=year), link=links.to)


def _in_chosen(queryset, chosen: dict):
    """Projects or requests (both ``zone``-keyed) of the zone or city chosen on the dashboard."""
    if chosen["zone"] is not None:
        return queryset.filter(zone=chosen["zone"])
    if chosen["city"]:
        return queryset.filter(zone__region__code__startswith=chosen["city"][:4])
    return queryset


def _requests_link(zone, city: str) -> str:
    """The request list as the card counts: everything not yet closed, in the zone or city chosen."""
    query = {"status": "open"}
    if zone is not None:
        query["zone"] = zone.pk
    elif city:
        query["city"] = city
    return f"{reverse('services:list')}?{urlencode(query)}"


class Links:
    """Addresses of the project list filtered as a figure counts (the dashboard's scope and year, plus one filter)."""

    def __init__(self, scope: dict, *, stalled_days: int):
        self.scope = scope
        self.stalled_days = stalled_days

    def to(self, **filters) -> str:
        return f"{reverse('projects:list')}?{urlencode({**self.scope, **filters})}"

    @property
    def base(self) -> str:
        return reverse("projects:list")

    @property
    def all(self) -> str:
        return self.to()

    @property
    def reached_started(self) -> str:
        return self.to(reached=Stage.STARTED)

    @property
    def reached_producing(self) -> str:
        return self.to(reached=Stage.PRODUCING)

    @property
    def overdue(self) -> str:
        return self.to(overdue="true")

    @property
    def over_100m(self) -> str:
        return self.to(min_investment=int(selectors.OVER_100M_WAN))

    @property
    def stalled_url(self) -> str:
        return self.to(stalled=self.stalled_days)


def charts(figures: selectors.Dashboard, links: Links) -> dict:
    """The data each ECharts chart draws, with the address every bar or slice leads to."""
    industries = figures.by_industry[:TOP_INDUSTRIES]
    zones = figures.by_zone[:TOP_ZONES]
    return {
        "funnel": {
            "labels": [
                f"{Stage(code).label}及以后" if code != Stage.PLANNING else "全部项目" for code, _ in figures.reached
            ],
            "values": [count for _, count in figures.reached],
            "urls": [links.to(reached=code) for code, _ in figures.reached],
        },
        "industry": {
            "labels": [name for name, _ in industries],
            "values": [float(format_yi(bucket.investment)) for _, bucket in industries],
            "counts": [bucket.count for _, bucket in industries],
            "urls": [links.to(industry=name) for name, _ in industries],
        },
        "months": {
            # Twelve months, then 未分月 (when any): together the card's 年度完成投资.
            "labels": [label for label, _ in figures.completed.bars],
            "values": [float(format_yi(amount)) for _, amount in figures.completed.bars],
            "urls": [links.to(progress_month=f"{figures.year}-{month:02d}") for month in range(1, 13)],
        },
        "zones": {
            "labels": [zone.name for zone in zones],
            "values": [float(format_yi(zone.year_completed)) for zone in zones],
            "planned": [float(format_yi(zone.year_planned)) for zone in zones],
            "urls": [
                f"{reverse('projects:list')}?{urlencode({'year': figures.year, 'zone': zone.zone_id})}"
                for zone in zones
            ],
        },
    }


@login_required
def wall_chart(request):
    """挂图作战: the filtered projects' milestones on the year's timeline."""
    filterset = ProjectFilter(
        _with_working_year(request), queryset=Project.objects.visible_to(request.user), request=request
    )
    style_filter_form(filterset.form)
    valid = filterset.is_valid()
    projects = filterset.qs if valid else filterset.queryset
    chosen = filterset.form.cleaned_data.get("year") if valid else None
    remember(request, chosen)
    chart = gantt(projects, year=chosen or working_year(request), today=local_today())
    template = "dashboard/_gantt.html" if request.htmx and not request.htmx.boosted else "dashboard/gantt.html"
    return render(request, template, {"filterset": filterset, "chart": chart, "plan_year": chosen})


def _with_working_year(request):
    """The wall chart's filters, with the working year's projects when no year was asked for
    (an empty ``year`` is a deliberate 全部年度: kept)."""
    data = request.GET.copy()
    if "year" not in data:
        data["year"] = str(working_year(request))
    return data
