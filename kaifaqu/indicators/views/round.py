"""The reporting round: a month's report (fill, submit, review), its status across the city, deadlines and 催报."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaifaqu.core.rights import can
from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.projects.models import local_today
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone

from .. import services
from ..forms import (
    DeadlineForm,
    FiguresForm,
    ReturnForm,
    default_period,
    parse_period,
)
from ..models import Indicator, IndicatorReport
from ..reporting import (
    due_on,
    last_year_figures,
    owner_report,
    review_rows,
    revisions,
    stored_warnings,
    unexplained_outliers,
    visible_value_rows,
)
from .common import city_and_month, city_of, page_context, period_query, round_status, visible_cities

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
    editable = can(request.user, "indicator.edit", owner, report=report)
    form = FiguresForm(
        request.POST if request.method == "POST" else None,
        indicators=indicators,
        stored=visible_value_rows(report),
        last_year=last_year_figures(owner, year, month),
    )
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    form.warnings = stored_warnings(report)
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
            if not submit and (names := unexplained_outliers(report)):
                messages.warning(request, f"{'、'.join(names)}数据异常，报送前请在“说明”中写明原因。")
            return redirect(f"{reverse('indicators:fill')}?{_owner_query(owner, year, month)}")
    city = city_of(owner)
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
        "can_review": report is not None and can(request.user, "indicator.review", owner),
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


@login_required
def review(request, pk: int):
    """The reviewer's page: the month's figures as read (growth, last year, outliers and notes), 通过 / 退回."""
    report = get_visible_or_404(IndicatorReport.objects.select_related("zone", "region"), request.user, pk=pk)
    return_form = ReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if request.method == "POST":
        try:
            done = _review_act(request, report, return_form)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            done = True
        if done:
            return redirect("indicators:review", pk=report.pk)
    owner = report.zone or report.region
    context = {
        "report": report,
        "owner": owner,
        "owner_name": _owner_name(owner),
        "rows": review_rows(report),
        "can_review": can(request.user, "indicator.review", owner),
        "editable": can(request.user, "indicator.edit", owner, report=report),
        "return_form": return_form,
        "revisions": revisions(report),
        "due_on": due_on(city_of(owner), report.year, report.month),
        "city": city_of(owner),
        "period": f"{report.year}-{report.month:02d}",
        "owner_query": _owner_query(owner, report.year, report.month),
    }
    return render(request, "indicators/review.html", context, status=400 if return_form.errors else 200)


def _review_act(request, report: IndicatorReport, return_form: ReturnForm) -> bool:
    """Approve or return; False (the page shows why) when a return has no valid reason."""
    try:
        if request.POST.get("action") == "approve":
            services.report_approve(user=request.user, report=report)
            messages.success(request, f"{report}月报已审核通过，已锁定并计入全市汇总。")
            return True
        if not return_form.is_valid():
            return False
        services.report_return(user=request.user, report=report, comment=return_form.cleaned_data["comment"])
        messages.success(request, f"{report}月报已退回，填报单位可修改后重新报送。")
    except ValidationError as exc:
        if "comment" in getattr(exc, "error_dict", {}):
            return_form.add_error("comment", exc.error_dict["comment"])
            return False
        messages.error(request, "；".join(exc.messages))
    return True


# --- the reporting round: status, deadline, 催报 -------------------------------------------------------


@login_required
def submissions(request):
    city, year, month, cities = city_and_month(request)
    rows = round_status(request.user, city, year, month)
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
                return redirect(f"{reverse('indicators:submissions')}?{period_query(city, year, month)}")
    context = page_context(
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
    city, year, month, _ = city_and_month(request)
    try:
        sent = services.reminders_send(user=request.user, city=city, year=year, month=month, today=local_today())
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        names = "、".join(reminder.zone.display_name for reminder in sent)
        text = f"已向 {len(sent)} 个逾期未报的开发区催报：{names}。" if sent else "没有逾期未报的开发区。"
        messages.success(request, text)
    return redirect(f"{reverse('indicators:submissions')}?{period_query(city, year, month)}")
