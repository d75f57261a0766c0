"""The 招商 workbench: a period's figures and sentence, the tables by month, person, region and
招商方式, their Excel export, and the 班子成员's monthly trips (with who the 班子 are)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaifaqu.audit import trail
from kaifaqu.audit.models import AuditEntry
from kaifaqu.core.export import export_response
from kaifaqu.core.forms import DateInput, StyledFormMixin
from kaifaqu.core.money import wan_to_yi  # 亿元 as numbers: the workbook's cells add up in Excel
from kaifaqu.core.rights import can
from kaifaqu.projects.models import Project, local_today
from kaifaqu.zones.models import Membership

from . import selectors, services
from .models import Activity
from .pages import page_context

COUNT_HEADERS = [
    "外出招商（次）",
    "接待来访（次）",
    "洽谈（次）",
    "其中深度洽谈（次）",
    "签约（份）",
    "签约投资额（亿元）",
]


class PeriodForm(StyledFormMixin, forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=DateInput())
    date_to = forms.DateField(label="截止日期", required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return data


def _period(request) -> tuple[PeriodForm, datetime.date, datetime.date]:
    """The period a page shows: the form's dates, by default this year up to today."""
    today = local_today()
    form = PeriodForm(request.GET or None)
    date_from, date_to = today.replace(month=1, day=1), today
    if form.is_bound and form.is_valid():
        date_to = form.cleaned_data["date_to"] or date_to
        date_from = form.cleaned_data["date_from"] or date_to.replace(month=1, day=1)
    return form, date_from, date_to


def _scoped(request, context: dict):
    choice = context["choice"]
    activities = choice.limit(Activity.objects.visible_to(request.user))
    projects = choice.limit(Project.objects.visible_to(request.user))
    return activities, projects


@login_required
def workbench(request):
    context = page_context(request, "home")
    form, date_from, date_to = _period(request)
    activities, projects = _scoped(request, context)
    figures = selectors.investment_figures(
        activities, projects, zone_ids=context["choice"].zone_ids, date_from=date_from, date_to=date_to
    )
    period = selectors.in_period(activities, date_from, date_to)
    latest_month = selectors.months_between(date_from, date_to)[-1]
    context.update(
        form=form,
        date_from=date_from,
        date_to=date_to,
        figures=figures,
        by_month=selectors.monthly_rows(period),
        by_leader=selectors.grouped_rows(period, by="leader"),
        by_region=selectors.grouped_rows(period, by="region"),
        latest_month=latest_month,
        month_under_way=latest_month == f"{local_today():%Y-%m}",
        missing_now=figures.leaders_without_trip.get(latest_month, []),
        has_leaders=bool(selectors.zone_leaders(context["choice"].zone_ids)),
        by_zone=selectors.grouped_rows(period, by="zone") if context["zone"] is None else [],
        recent=period.select_related("zone", "leader").prefetch_related("targets")[:8],
        may_record=can(request.user, "investment.change"),
        export_query=request.GET.urlencode(),
    )
    return render(request, "investment/home.html", context)


@login_required
def figures_export(request):
    """The workbench's tables in one workbook: one sheet each, the sentence on the first."""
    context = page_context(request, "home")
    _, date_from, date_to = _period(request)
    activities, projects = _scoped(request, context)
    figures = selectors.investment_figures(
        activities, projects, zone_ids=context["choice"].zone_ids, date_from=date_from, date_to=date_to
    )
    period = selectors.in_period(activities, date_from, date_to)
    # The sheet is named after the title (31 characters at most): the period is the first row instead.
    title = f"{context['choice'].scope_name}招商统计"
    summary = [
        ["统计期间", f"{date_from:%Y年%-m月%-d日}至{date_to:%Y年%-m月%-d日}"],
        ["标准表述", figures.sentence],
        ["外出招商（次）", figures.trips],
        ["接待来访（次）", figures.visits_received],
        ["洽谈（次）", figures.talks],
        ["其中深度洽谈（次）", figures.deep_talks],
        ["推介会、组团招商（次）", figures.events],
        ["签约（份）", figures.agreements],
        ["其中战略合作协议（份）", figures.strategic_agreements],
        ["签约投资额（亿元）", wan_to_yi(figures.signed_investment)],
    ]
    sheets = [
        ("按月", ["月份", *COUNT_HEADERS], _count_rows(selectors.monthly_rows(period))),
        ("按带队领导", ["带队领导", *COUNT_HEADERS], _count_rows(selectors.grouped_rows(period, by="leader"))),
        ("按地区", ["地区", *COUNT_HEADERS], _count_rows(selectors.grouped_rows(period, by="region"))),
        (
            "按招商方式",
            ["招商方式", "累计线索（个）", "本期签约项目（个）", "签约项目总投资（亿元）"],
            [
                [name, item.leads, item.signed, wan_to_yi(item.signed_investment)]
                for name, item in figures.by_mode.items()
            ],
        ),
        (
            "线索分阶段",
            ["阶段", "项目（个）", "总投资（亿元）"],
            [[label, bucket.count, wan_to_yi(bucket.investment)] for label, bucket in figures.leads_by_stage.items()],
        ),
        (
            "班子成员未带队外出",
            ["月份", "未带队外出招商的班子成员"],
            [[month, "、".join(names) or "无"] for month, names in figures.leaders_without_trip.items()],
        ),
    ]
    trail.record_event(action=AuditEntry.Action.EXPORT, user=request.user, note=f"导出{title}")
    return export_response(title=title, headers=["项目", "数值"], rows=summary, more_sheets=sheets)


def _count_rows(rows: list[dict]) -> list[list]:
    return [
        [
            row["key"],
            row["trips"],
            row["visits"],
            row["talks"],
            row["deep_talks"],
            row["agreements"],
            wan_to_yi(row["signed"]),
        ]
        for row in rows
    ]


@login_required
def compliance(request):
    """班子成员每月至少带队外出招商1次: each leader, month by month, with the trips led."""
    context = page_context(request, "compliance")
    form, date_from, date_to = _period(request)
    activities, _ = _scoped(request, context)
    months = selectors.months_between(date_from, date_to)
    table = selectors.leadership_compliance(activities, zone_ids=context["choice"].zone_ids, months=months)
    leaders = selectors.zone_leaders(context["choice"].zone_ids)
    current = f"{local_today():%Y-%m}"  # a month under way is not yet missed: it shows as 本月尚未
    rows = []
    for index, leader in enumerate(leaders):
        cells = [(month, table[month][index]) for month in months]
        missed = sum(1 for month, cell in cells if cell.missed and month != current)
        rows.append({"leader": leader, "cells": cells, "missed": missed})
    zone = context["zone"]
    context.update(
        form=form,
        date_from=date_from,
        date_to=date_to,
        months=months,
        rows=rows,
        missing={month: [row.name for row in table[month] if row.missed] for month in months},
        current_month=current,
        may_mark=zone is not None and can(request.user, "platform.change", zone),
        members=_zone_members(zone) if zone is not None else [],
    )
    return render(request, "investment/compliance.html", context)


def _zone_members(zone) -> list[Membership]:
    return list(
        Membership.objects.filter(unit__zone=zone, unit__kind="zone", user__is_active=True)
        .select_related("user")
        .order_by("-is_leadership", "pk")
    )


@login_required
@require_POST
def leaders_edit(request):
    """Mark the zone's 班子成员 (the service checks the right and the membership)."""
    context = page_context(request, "compliance")
    zone = context["zone"]
    if zone is None:
        messages.error(request, "请先选择一个开发区，再设置其班子成员。")
        return redirect("investment:compliance")
    chosen = [int(value) for value in request.POST.getlist("leaders") if value.isdigit()]
    try:
        leaders = services.leadership_set(user=request.user, zone=zone, user_ids=chosen)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        names = "、".join(member.user.get_full_name() or member.user.username for member in leaders) or "无"
        messages.success(request, f"已设置{zone.name}的班子成员：{names}。")
    return redirect(f"{request.path.rsplit('leaders/', 1)[0]}{context['zone_query']}")
