"""Demo 考核 (issue 21): 吕梁市's office copies the city template as ``吕梁市开发区月度考核`` and runs,
reviews and publishes it for the last two complete months, each after its 信息报送红黑榜 is published
(the lists feed the scores; two months show the places moving).

The demo's 月报 are written at load time; here 吕梁's earlier reports get the days they would have been
sent on (the 3rd to the 9th of the next month, before the 10th's deadline), one zone's report of the
month before last sent late and once returned, so the lists have both sides. The round now under way
is left as the monthly-dispatch demo made it."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from kaifaqu.evaluation import periods, services
from kaifaqu.evaluation.templates import scheme_fields, template
from kaifaqu.indicators.models import IndicatorReport, ReportRevision
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

SCHEME_NAME = "吕梁市开发区月度考核"
LVLIANG = "141100"
LATE_ZONE_INDEX = 1  # the second 吕梁 zone (by code) sent the month before last late


def demo_evaluation(*, today: datetime.date) -> int:
    """Publish the scheme's last two complete months; returns the number of published runs."""
    office = get_user_model().objects.get(username="admin-lvliang")
    last = periods.last_complete("month", today)
    _date_reports(late_month=last.previous(), today=today)
    data = template("city_monthly")
    fields = scheme_fields(data) | {"name": SCHEME_NAME, "region": Region.objects.get(code=LVLIANG), "zone": None}
    scheme = services.scheme_copy(user=office, source=data, fields=fields)
    for period in (last.previous(), last):
        honor_list = services.honor_generate(user=office, scheme=scheme, period=period.key, today=today)
        services.honor_publish(user=office, honor_list=honor_list)
        run = services.run_scheme(user=office, scheme=scheme, period=period.key, today=today)
        services.run_review(user=office, run=run)
        services.run_publish(user=office, run=run)
    return 2


def _date_reports(*, late_month: periods.Period, today: datetime.date) -> None:
    """Date 吕梁's reports before the round under way (last month's, left as loaded)."""
    rng = random.Random(21)
    zones = list(Zone.objects.filter(region__code__startswith=LVLIANG[:4]).order_by("region__code", "name"))
    late_zone = zones[LATE_ZONE_INDEX] if len(zones) > LATE_ZONE_INDEX else None
    under_way = periods.last_complete("month", today)
    for report in IndicatorReport.objects.filter(zone__in=zones).order_by("year", "month", "zone_id"):
        if (report.year, report.month) >= (under_way.year, under_way.number):
            continue
        year, month = (report.year + 1, 1) if report.month == 12 else (report.year, report.month + 1)
        late = report.zone_id == getattr(late_zone, "pk", None) and (report.year, report.month) == (
            late_month.year,
            late_month.number,
        )
        sent = timezone.make_aware(datetime.datetime(year, month, 13 if late else rng.randint(3, 9), 9, 30))
        ReportRevision.objects.filter(report=report).update(at=sent)
        if late:  # sent back once for a figure to check, before it was approved
            returned = ReportRevision.objects.create(
                report=report, version=1, status="returned", figures={}, note="数据需核实"
            )
            ReportRevision.objects.filter(pk=returned.pk).update(at=sent + datetime.timedelta(days=1))
