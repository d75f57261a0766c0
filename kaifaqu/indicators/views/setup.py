"""What the offices set up: annual targets, the indicator catalogue, loading tables."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from kaifaqu.core.rights import can, ensure
from kaifaqu.core.views import add_service_errors
from kaifaqu.projects.models import local_today
from kaifaqu.sheets.readers import ReadError
from kaifaqu.zones.models import Zone

from .. import services
from ..forms import (
    ImportForm,
    IndicatorForm,
    TargetsForm,
)
from ..models import AnnualTarget, Indicator
from .common import city_and_month, parse_year, visible_cities

# --- annual targets ----------------------------------------------------------------------------------------


@login_required
def targets(request):
    city, _, _, cities = city_and_month(request)
    year = parse_year(request.GET.get("year") or request.POST.get("year")) or local_today().year
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
    editable = bool(zones) and all(can(request.user, "indicator.review", zone) for zone in zones)
    if request.method == "POST" and not editable:
        raise PermissionDenied(f"只有{city.name}或省主管部门的审核人员可以设置年度目标。")
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
    context = {"indicators": Indicator.objects.all(), "can_edit": can(request.user, "indicator.catalogue")}
    return render(request, "indicators/catalogue.html", context)


@login_required
def indicator_edit(request, pk: int | None = None):
    ensure(request.user, "indicator.catalogue")
    indicator = Indicator.objects.filter(pk=pk).first() if pk else Indicator()
    if indicator is None:
        raise Http404("未找到该指标。")
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(user=request.user, indicator=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"指标“{form.instance.name}”已保存。")
            return redirect("indicators:catalogue")
    context = {"form": form, "indicator": indicator}
    return render(request, "indicators/indicator_form.html", context, status=400 if form.errors else 200)


# --- loading tables (this month's, or past years' for a base) ----------------------------------------------------


@login_required
def upload(request):
    ensure(request.user, "indicator.import")
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
