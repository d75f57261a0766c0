"""What every 月调度 page is about: a city and a month in the user's scope."""

from __future__ import annotations

from decimal import Decimal
from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kaifaqu.core.rights import can
from kaifaqu.core.scoping import scope_for
from kaifaqu.projects.models import local_today
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

from ..forms import (
    default_period,
    parse_period,
)
from ..models import IndicatorReport
from ..reporting import reporting_status
from ..selectors import city_summary, of_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- what the page is about: a city and a month in the user's scope ----------------------------------


def visible_cities(user) -> list[Region]:
    codes = {code[:4] + "00" for code in Zone.objects.visible_to(user).values_list("region__code", flat=True)}
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def not_for_enterprise_users(view):
    """Every 月调度 page refuses enterprise users (wrapped once, where the views are exported):
    a zone's figures are the zone's and the offices' business, whatever the page."""

    @wraps(view)
    def refusing(request, *args, **kwargs):
        if request.user.is_authenticated and scope_for(request.user).enterprise_id is not None:
            raise PermissionDenied("月调度由开发区和市、省主管部门使用，企业用户无需填报。")
        return view(request, *args, **kwargs)

    return refusing


def city_and_month(request) -> tuple[Region, int, int, list[Region]]:
    cities = visible_cities(request.user)
    if not cities:
        raise Http404("您的辖区内没有开发区。")
    code = request.GET.get("city") or request.POST.get("city") or ""
    city = next((city for city in cities if city.code == code), cities[0])
    period = parse_period(request.GET.get("period") or request.POST.get("period"))
    year, month = period or latest_month(request.user, city)
    return city, year, month, cities


def latest_month(user, city: Region) -> tuple[int, int]:
    """The newest month with approved figures in the city, else last month."""
    latest = (
        of_record(IndicatorReport.objects.visible_to(user))
        .filter(region__code__startswith=city.scope_prefix)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    return latest or default_period(local_today())


def period_query(city: Region, year: int, month: int, **extra) -> str:
    return urlencode({"city": city.code, "period": f"{year}-{month:02d}", **extra})


def approved_summary(user, city: Region, year: int, month: int):
    return city_summary(
        city,
        year=year,
        month=month,
        zones=Zone.objects.visible_to(user),
        reports=of_record(IndicatorReport.objects.visible_to(user)),
    )


def page_context(request, city, year, month, cities, **context) -> dict:
    return {
        "city": city,
        "cities": cities,
        "year": year,
        "month": month,
        "period": f"{year}-{month:02d}",
        "query": period_query(city, year, month),
        "can_review_city": can(request.user, "indicator.review", city),
        **context,
    }


def parse_year(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and 2000 <= int(text) <= 2100 else None


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def city_of(owner) -> Region:
    code = owner.region.code if isinstance(owner, Zone) else owner.code
    if code.endswith("0000"):
        return Region.objects.get(code=code)
    return Region.objects.get(code=code[:4] + "00")


def round_status(user, city: Region, year: int, month: int):
    """Each zone of the city in the user's scope, with its month's report and whether it is late."""
    return reporting_status(
        city,
        year=year,
        month=month,
        zones=Zone.objects.visible_to(user),
        reports=IndicatorReport.objects.visible_to(user),
        today=local_today(),
    )
