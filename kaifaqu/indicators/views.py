"""月调度 pages: the city matrix, a month's report form and its review, the reporting round,
one zone's history with its forecast, rankings, zones behind schedule, targets and the catalogue.

Every page works on the user's scope: zones and reports come through ``visible_to``."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaifaqu.core.scoping import get_visible_or_404, scope_for
from kaifaqu.imports.readers import ReadError
from kaifaqu.projects.models import local_today
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import office_region

from . import services
from .forecast import zone_forecasts
from .forms import (
    DeadlineForm,
    FiguresForm,
    ImportForm,
    IndicatorForm,
    ReturnForm,
    TargetsForm,
    default_period,
    parse_period,
)
from .models import AnnualTarget, Indicator, IndicatorReport
from .reporting import (
    due_on,
    last_year_figures,
    open_reminders,
    owner_report,
    reporting_status,
    revisions,
    visible_value_rows,
)
from .selectors import behind_schedule, city_summary, of_record, province_summary, zone_history
from .template import template_title, template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- what the page is about: a city and a month in the user's scope ----------------------------------


def visible_cities(user) -> list[Region]:
    codes = {code[:4] + "00" for code in Zone.objects.visible_to(user).values_list("region__code", flat=True)}
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def _choice(request) -> tuple[Region, int, int, list[Region]]:
    if scope_for(request.user).enterprise_id is not None:
        raise PermissionDenied("月调度由开发区和市、省主管部门使用，企业用户无需填报。")
    cities = visible_cities(request.user)
    if not cities:
        raise Http404("您的辖区内没有开发区。")
    code = request.GET.get("city") or request.POST.get("city") or ""
    city = next((city for city in cities if city.code == code), cities[0])
    period = parse_period(request.GET.get("period") or request.POST.get("period"))
    year, month = period or _latest_month(request.user, city)
    return city, year, month, cities


def _latest_month(user, city: Region) -> tuple[int, int]:
    """The newest month with approved figures in the city, else last month."""
    latest = (
        of_record(IndicatorReport.objects.visible_to(user))
        .filter(region__code__startswith=city.scope_prefix)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    return latest or default_period(local_today())


def _query(city: Region, year: int, month: int, **extra) -> str:
    return urlencode({"city": city.code, "period": f"{year}-{month:02d}", **extra})


def _summary(user, city: Region, year: int, month: int):
    return city_summary(
        city,
        year=year,
        month=month,
        zones=Zone.objects.visible_to(user),
        reports=of_record(IndicatorReport.objects.visible_to(user)),
    )


def _page(request, city, year, month, cities, **context) -> dict:
    return {
        "city": city,
        "cities": cities,
        "year": year,
        "month": month,
        "period": f"{year}-{month:02d}",
        "query": _query(city, year, month),
        "can_review_city": services.can_review(request.user, city),
        **context,
    }


# --- the city matrix -------------------------------------------------------------------------------------


@login_required
def matrix(request):
    city, year, month, cities = _choice(request)
    summary = _summary(request.user, city, year, month)
    status = reporting_status(
        city,
        year=year,
        month=month,
        zones=Zone.objects.visible_to(request.user),
        reports=IndicatorReport.objects.visible_to(request.user),
        today=local_today(),
    )
    show_all = request.GET.get("all") == "1"
    columns = [i for i in summary.indicators if show_all or i.in_evaluation]
    context = _page(
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
        reminders=open_reminders(Zone.objects.visible_to(request.user)),
        region_fillable=services.can_fill(request.user, city),
        own_zones=_own_zones(request.user, city),
    )
    return render(request, "indicators/matrix.html", context)


def _own_zones(user, city: Region) -> list[Zone]:
    """A zone's reporters get a button for their own report (offices work from 报送情况)."""
    if office_region(user) is not None:
        return []
    zones = Zone.objects.visible_to(user).filter(region__code__startswith=city.scope_prefix)
    return [zone for zone in zones if services.can_fill(user, zone)]


def _matrix_rows(summary, columns) -> list[tuple[Zone, list]]:
    return [(zone, [(i, summary.by_zone[zone.pk][i.pk]) for i in columns]) for zone in summary.zones]


@login_required
def export(request):
    """The city's monthly table in the usual layout (the same file the importer reads back)."""
    city, year, month, _ = _choice(request)
    content = template_xlsx(city, Zone.objects.visible_to(request.user), year=year, month=month)
    response = HttpResponse(content, content_type=XLSX)
    filename = f"{template_title(city, year, month)}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- one month's report: fill, submit, review ---------------------------------------------------------


def _owner(request) -> Zone | Region:
    zone_id = request.GET.get("zone") or request.POST.get("zone")
    if zone_id:
        return get_visible_or_404(Zone, request.user, pk=zone_id)
    code = request.GET.get("region") or request.POST.get("region") or ""
    region = next((city for city in visible_cities(request.user) if city.code == code), None)
    if region is None:
        raise Http404("未找到该地市，或您无权查看。")
    return region


@login_required
def fill(request):
    owner = _owner(request)
    year, month = parse_period(request.GET.get("period") or request.POST.get("period")) or default_period(local_today())
    report = owner_report(owner, year, month)
    if report is not None and not IndicatorReport.objects.visible_to(request.user).filter(pk=report.pk).exists():
        raise Http404("未找到该月报，或您无权查看。")
    indicators = list(Indicator.objects.filter(active=True))
    editable = services.editable(request.user, report, owner)
    form = FiguresForm(
        request.POST if request.method == "POST" else None,
        indicators=indicators,
        stored=visible_value_rows(report),
        last_year=last_year_figures(owner, year, month),
    )
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            report = services.report_fill(
                user=request.user, owner=owner, year=year, month=month, figures=form.figures(), submit=submit
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{report}月报已{'报送，等待审核' if submit else '保存为草稿'}。")
            return redirect(f"{reverse('indicators:fill')}?{_owner_query(owner, year, month)}")
    city = _city_of(owner)
    context = {
        "owner": owner,
        "owner_name": _owner_name(owner),
        "report": report,
        "form": form,
        "editable": editable,
        "year": year,
        "month": month,
        "period": f"{year}-{month:02d}",
        "owner_query": _owner_query(owner, year, month),
        "due_on": due_on(city, year, month),
        "can_review": report is not None and services.can_review(request.user, owner),
        "return_form": ReturnForm(),
        "revisions": revisions(report) if report else [],
        "city": city,
    }
    return render(request, "indicators/fill.html", context, status=400 if form.errors else 200)


def _errors_to_form(form, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"


def _owner_query(owner, year: int, month: int) -> str:
    key = ("zone", owner.pk) if isinstance(owner, Zone) else ("region", owner.code)
    return urlencode({key[0]: key[1], "period": f"{year}-{month:02d}"})


def _owner_name(owner) -> str:
    if isinstance(owner, Zone):
        return owner.name
    return f"{owner.name}（全{owner.name[-1]}）" if owner.name[-1] in "市省" else owner.name


def _city_of(owner) -> Region:
    code = owner.region.code if isinstance(owner, Zone) else owner.code
    if code.endswith("0000"):
        return Region.objects.get(code=code)
    return Region.objects.get(code=code[:4] + "00")


@require_POST
@login_required
def review(request, pk: int):
    report = get_visible_or_404(IndicatorReport.objects.select_related("zone", "region"), request.user, pk=pk)
    owner = report.zone or report.region
    back = f"{reverse('indicators:fill')}?{_owner_query(owner, report.year, report.month)}"
    try:
        if request.POST.get("action") == "approve":
            services.report_approve(user=request.user, report=report)
            messages.success(request, f"{report}月报已审核通过，已锁定并计入全市汇总。")
        else:
            services.report_return(user=request.user, report=report, comment=request.POST.get("comment", ""))
            messages.success(request, f"{report}月报已退回，填报单位可修改后重新报送。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect(request.POST.get("next") or back)


# --- the reporting round: status, deadline, 催报 -------------------------------------------------------


@login_required
def submissions(request):
    city, year, month, cities = _choice(request)
    rows = reporting_status(
        city,
        year=year,
        month=month,
        zones=Zone.objects.visible_to(request.user),
        reports=IndicatorReport.objects.visible_to(request.user),
        today=local_today(),
    )
    deadline_form = DeadlineForm(initial={"due_on": due_on(city, year, month)})
    if request.method == "POST":
        deadline_form = DeadlineForm(request.POST)
        if deadline_form.is_valid():
            try:
                services.deadline_set(
                    user=request.user, region=city, year=year, month=month, day=deadline_form.cleaned_data["due_on"]
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
            else:
                day = deadline_form.cleaned_data["due_on"]
                messages.success(request, f"{year}年{month}月月报的报送截止日期已设为 {day}。")
                return redirect(f"{reverse('indicators:submissions')}?{_query(city, year, month)}")
    context = _page(
        request,
        city,
        year,
        month,
        cities,
        rows=rows,
        late=[row for row in rows if row.overdue],
        due_on=due_on(city, year, month),
        deadline_form=deadline_form,
    )
    return render(request, "indicators/submissions.html", context)


@require_POST
@login_required
def remind(request):
    city, year, month, _ = _choice(request)
    try:
        sent = services.reminders_send(user=request.user, city=city, year=year, month=month, today=local_today())
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        names = "、".join(reminder.zone.display_name for reminder in sent)
        text = f"已向 {len(sent)} 个逾期未报的开发区催报：{names}。" if sent else "没有逾期未报的开发区。"
        messages.success(request, text)
    return redirect(f"{reverse('indicators:submissions')}?{_query(city, year, month)}")


# --- one zone's history, with the forecast ---------------------------------------------------------------


@login_required
def zone_detail(request, pk: int):
    zone = get_visible_or_404(Zone.objects.select_related("region"), request.user, pk=pk)
    indicators = list(Indicator.objects.filter(active=True))
    chosen = next((i for i in indicators if str(i.pk) == request.GET.get("indicator")), indicators[0])
    reports = of_record(IndicatorReport.objects.visible_to(request.user))
    latest = reports.filter(zone=zone).order_by("-year", "-month").values_list("year", "month").first()
    year = _year(request.GET.get("year")) or (latest[0] if latest else local_today().year)
    history = zone_history(zone, chosen, year=year, reports=reports)
    month = history.latest.month if history.latest else None
    forecasts = {}
    if month is not None:
        found = zone_forecasts(reports, zone_ids=[zone.pk], indicators=indicators, year=year, month=month)
        forecasts = {indicator_id: item for (_, indicator_id), item in found.items()}
    chart = {
        "labels": [f"{m}月" for m in range(1, 13)],
        "series": [
            {"name": f"{year}年", "values": [_float(row.value) for row in history.months]},
            {"name": f"{year - 1}年", "values": [_float(row.last_year) for row in history.months]},
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


def _year(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and 2000 <= int(text) <= 2100 else None


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --- rankings and zones behind schedule -----------------------------------------------------------------


@login_required
def rankings(request):
    """By growth, among the city's zones, or (``scope=province``) among all the province's zones in scope."""
    city, year, month, cities = _choice(request)
    province_wide = request.GET.get("scope") == "province"
    if province_wide:
        summary = province_summary(
            Region.objects.get(code=city.code[:2] + "0000"),
            year=year,
            month=month,
            zones=Zone.objects.visible_to(request.user),
            reports=of_record(IndicatorReport.objects.visible_to(request.user)),
        )
    else:
        summary = _summary(request.user, city, year, month)
    chosen = next((i for i in summary.indicators if str(i.pk) == request.GET.get("indicator")), None)
    chosen = chosen or next((i for i in summary.indicators if i.in_evaluation), summary.indicators[0])
    attribute = "province_rank" if province_wide else "rank"
    ranked = sorted(
        ((zone, summary.by_zone[zone.pk][chosen.pk]) for zone in summary.zones),
        key=lambda pair: (getattr(pair[1], attribute) is None, getattr(pair[1], attribute) or 0, pair[0].name),
    )
    context = _page(
        request,
        city,
        year,
        month,
        cities,
        summary=summary,
        chosen=chosen,
        ranked=ranked,
        province_wide=province_wide,
        city_rolls=[(roll.city, roll.zones_total[chosen.pk], roll.region[chosen.pk]) for roll in summary.cities]
        if province_wide
        else [],
        total=summary.zones_total[chosen.pk],
        region=summary.region[chosen.pk],
    )
    return render(request, "indicators/rankings.html", context)


@login_required
def behind(request):
    city, year, month, cities = _choice(request)
    summary = _summary(request.user, city, year, month)
    context = _page(request, city, year, month, cities, summary=summary, behind=behind_schedule(summary))
    return render(request, "indicators/behind.html", context)


# --- annual targets ----------------------------------------------------------------------------------------


@login_required
def targets(request):
    city, _, _, cities = _choice(request)
    year = _year(request.GET.get("year") or request.POST.get("year")) or local_today().year
    zones = list(
        Zone.objects.visible_to(request.user)
        .filter(region__code__startswith=city.scope_prefix)
        .order_by("region__code", "name")
    )
    indicators = list(Indicator.objects.filter(active=True, in_evaluation=True))
    stored = {
        (target.zone_id, target.indicator_id): target.value
        for target in AnnualTarget.objects.filter(zone__in=zones, year=year, indicator__in=indicators)
    }
    editable = bool(zones) and all(services.can_review(request.user, zone) for zone in zones)
    form = TargetsForm(request.POST or None, zones=zones, indicators=indicators, stored=stored)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.targets_save(user=request.user, year=year, values=form.values())
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{city.name}{year}年度目标已保存（修改 {changed} 项）。")
            return redirect(f"{reverse('indicators:targets')}?{urlencode({'city': city.code, 'year': year})}")
    context = {
        "city": city,
        "cities": cities,
        "year": year,
        "years": range(local_today().year + 1, local_today().year - 6, -1),
        "indicators": indicators,
        "form": form,
        "editable": editable,
    }
    return render(request, "indicators/targets.html", context, status=400 if form.errors else 200)


# --- the catalogue -----------------------------------------------------------------------------------------------


@login_required
def catalogue(request):
    context = {"indicators": Indicator.objects.all(), "can_edit": services.can_edit_catalogue(request.user)}
    return render(request, "indicators/catalogue.html", context)


@login_required
def indicator_edit(request, pk: int | None = None):
    if not services.can_edit_catalogue(request.user):
        raise PermissionDenied("只有市、省主管部门的审核人员可以维护指标目录。")
    indicator = Indicator.objects.filter(pk=pk).first() if pk else Indicator()
    if indicator is None:
        raise Http404("未找到该指标。")
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        services.indicator_save(user=request.user, indicator=form.instance)
        messages.success(request, f"指标“{form.instance.name}”已保存。")
        return redirect("indicators:catalogue")
    return render(request, "indicators/indicator_form.html", {"form": form, "indicator": indicator})


# --- loading tables (this month's, or past years' for a base) ----------------------------------------------------


@login_required
def upload(request):
    cities = visible_cities(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        city = next((c for c in cities if c.code == request.POST.get("city")), cities[0] if len(cities) == 1 else None)
        outcome = _run_import(request, form, city)
    context = {"form": form, "outcome": outcome, "cities": cities}
    return render(request, "indicators/import.html", context, status=400 if outcome and outcome.errors else 200)


def _run_import(request, form, city):
    import tempfile
    from pathlib import Path

    upload = form.cleaned_data["file"]
    extension = Path(upload.name).suffix.lower()
    if extension not in (".xlsx", ".xls", ".csv"):
        form.add_error("file", "只能导入 .xlsx、.xls 或 .csv 文件。")
        return None
    with tempfile.NamedTemporaryFile(suffix=extension) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            return services.indicators_import(
                handle.name,
                extension=extension,
                city=city,
                period=form.cleaned_data["period"],
                user=request.user,
                commit=not form.cleaned_data["dry_run"],
                file_name=upload.name,
            )
        except ReadError as exc:
            form.add_error("file", str(exc))
            return None
