"""月调度 tables to read: the city matrix and its export, rankings, zones behind schedule,
one zone's history with its forecast."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from kaifaqu.core.rights import can
from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.projects.models import local_today
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import office_covers, office_region

from ..forecast import zone_forecasts
from ..history import zone_history
from ..models import Indicator, IndicatorReport
from ..reporting import (
    open_reminders,
)
from ..selectors import behind_schedule, of_record, province_summary
from ..template import template_title, template_xlsx
from .common import XLSX, approved_summary, as_float, city_and_month, page_context, parse_year, round_status

# --- the city matrix -------------------------------------------------------------------------------------


@login_required
def matrix(request):
    city, year, month, cities = city_and_month(request)
    summary = approved_summary(request.user, city, year, month)
    status = round_status(request.user, city, year, month)
    show_all = request.GET.get("all") == "1"
    columns = [i for i in summary.indicators if show_all or i.in_evaluation]
    own = _own_zones(request.user, status)
    context = page_context(
        request,
        city,
        year,
        month,
        cities,
        summary=summary,
        columns=columns,
        show_all=show_all,
        rows=_matrix_rows(summary, columns),
        total=[(i, summary.zones_total[i.pk]) for i in columns],
        region=[(i, summary.region[i.pk]) for i in columns],
        status=status,
        late=sum(row.overdue for row in status),
        not_counted=[row for row in status if row.status != IndicatorReport.Status.APPROVED],
        # Ranks among the city's zones mean something only to those who see them all.
        whole_city=office_covers(request.user, city),
        reminders=open_reminders(Zone.objects.filter(pk__in=[row.zone.pk for row in own])),
        region_fillable=can(request.user, "indicator.fill", city),
        own=own,
    )
    return render(request, "indicators/matrix.html", context)


def _own_zones(user, status) -> list:
    """A zone's reporters get a button for their own report (offices work from 报送情况)."""
    if office_region(user) is not None:
        return []
    return [row for row in status if can(user, "indicator.fill", row.zone)]


def _matrix_rows(summary, columns) -> list[tuple[Zone, list]]:
    return [(zone, [(i, summary.by_zone[zone.pk][i.pk]) for i in columns]) for zone in summary.zones]


@login_required
def export(request):
    """The city's monthly table in the usual layout (the same file the importer reads back)."""
    city, year, month, _ = city_and_month(request)
    zones, reports = Zone.objects.visible_to(request.user), IndicatorReport.objects.visible_to(request.user)
    content = template_xlsx(city, zones, reports, year=year, month=month)
    response = HttpResponse(content, content_type=XLSX)
    filename = f"{template_title(city, year, month)}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- rankings and zones behind schedule -----------------------------------------------------------------


@login_required
def rankings(request):
    """By growth, among the city's zones, or (``scope=province``) among all the province's zones in scope."""
    city, year, month, cities = city_and_month(request)
    province = Region.objects.get(code=city.code[:2] + "0000")
    province_option = office_covers(request.user, province)
    province_wide = province_option and request.GET.get("scope") == "province"
    if province_wide:
        summary = province_summary(
            province,
            year=year,
            month=month,
            zones=Zone.objects.visible_to(request.user),
            reports=of_record(IndicatorReport.objects.visible_to(request.user)),
        )
    else:
        summary = approved_summary(request.user, city, year, month)
    chosen = next((i for i in summary.indicators if str(i.pk) == request.GET.get("indicator")), None)
    chosen = chosen or next((i for i in summary.indicators if i.in_evaluation), summary.indicators[0])
    attribute = "province_rank" if province_wide else "rank"
    ranked = sorted(
        ((zone, summary.by_zone[zone.pk][chosen.pk]) for zone in summary.zones),
        key=lambda pair: (getattr(pair[1], attribute) is None, getattr(pair[1], attribute) or 0, pair[0].name),
    )
    context = page_context(
        request,
        city,
        year,
        month,
        cities,
        summary=summary,
        chosen=chosen,
        ranked=ranked,
        province_wide=province_wide,
        province_option=province_option,
        whole_city=office_covers(request.user, city),
        city_rolls=[(roll.city, roll.zones_total[chosen.pk], roll.region[chosen.pk]) for roll in summary.cities]
        if province_wide
        else [],
        total=summary.zones_total[chosen.pk],
        region=summary.region[chosen.pk],
    )
    return render(request, "indicators/rankings.html", context)


@login_required
def behind(request):
    city, year, month, cities = city_and_month(request)
    summary = approved_summary(request.user, city, year, month)
    context = page_context(request, city, year, month, cities, summary=summary, behind=behind_schedule(summary))
    return render(request, "indicators/behind.html", context)


# --- one zone's history, with the forecast ---------------------------------------------------------------


@login_required
def zone_detail(request, pk: int):
    zone = get_visible_or_404(Zone.objects.select_related("region"), request.user, pk=pk)
    indicators = list(Indicator.objects.filter(active=True))
    chosen = next((i for i in indicators if str(i.pk) == request.GET.get("indicator")), indicators[0])
    reports = of_record(IndicatorReport.objects.visible_to(request.user))
    latest = reports.filter(zone=zone).order_by("-year", "-month").values_list("year", "month").first()
    year = parse_year(request.GET.get("year")) or (latest[0] if latest else local_today().year)
    history = zone_history(zone, chosen, year=year, reports=reports)
    month = history.latest.month if history.latest else None
    forecasts = {}
    if month is not None:
        found = zone_forecasts(reports, zone_ids=[zone.pk], indicators=indicators, year=year, month=month)
        forecasts = {indicator_id: item for (_, indicator_id), item in found.items()}
    chart = {
        "labels": [f"{m}月" for m in range(1, 13)],
        "series": [
            {"name": f"{year}年", "values": [as_float(row.value) for row in history.months]},
            {"name": f"{year - 1}年", "values": [as_float(row.last_year) for row in history.months]},
        ],
        "unit": chosen.unit,
    }
    context = {
        "zone": zone,
        "indicators": indicators,
        "chosen": chosen,
        "year": year,
        "years": range(local_today().year, local_today().year - 6, -1),
        "month": month,
        "history": history,
        "forecast_rows": [(i, forecasts.get(i.pk)) for i in indicators if i.pk in forecasts],
        "chosen_forecast": forecasts.get(chosen.pk),
        "charts": {"history": chart},
    }
    return render(request, "indicators/zone.html", context)
