"""A run: the ranking with each item's score (a click away from the records behind it), 审核 and
发布, the gap report for one subject, and the result table and score sheets as files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from kaifaqu.core.export import DOCX_TYPE, XLSX_TYPE
from kaifaqu.core.rights import can, ensure
from kaifaqu.projects.models import local_today

from .. import exports, periods, selectors, services
from ..models import Run, Score
from .common import NOT_FOUND, RUN_CSS, act, download, found_or_404, get_run, nav, parent_of


def run_title(run: Run) -> str:
    label = periods.parse(run.period, run.scheme.period).label
    return f"{run.scheme.name} {label} 第{run.version}版（{run.get_status_display()}）"


@login_required
@require_GET
def run_detail(request, pk: int):
    run = get_run(request, pk)
    user, scheme = request.user, run.scheme
    may_change = can(user, "evaluation.change", scheme)
    groups = selectors.grouped_items(run)
    columns = [item for _group, items in groups for item in items]
    rows = []
    for standing in selectors.standings(user, run):
        cells = []
        for item in columns:
            found = standing.score.items.get(str(item["id"]), {})
            cells.append({"item": item, **found})
        rows.append({"standing": standing, "score": standing.score, "cells": cells})
    gap, gap_score = None, None
    if request.GET.get("subject"):
        gap_score = selectors.visible_scores(user, run).filter(pk=request.GET["subject"]).first()
        if gap_score is None:
            raise Http404(NOT_FOUND)
        gap = selectors.gap_report(run, gap_score)
    current = None
    if run.status == Run.Status.SUPERSEDED:
        current = selectors.published_run(scheme, run.period)
    return render(
        request,
        "evaluation/run_detail.html",
        {
            "run": run,
            "scheme": scheme,
            "title": run_title(run),
            "label": periods.parse(run.period, scheme.period).label,
            "groups": groups,
            "columns": columns,
            "rows": rows,
            "css": RUN_CSS[run.status],
            "may_change": may_change,
            "sees_all": selectors.sees_all_scores(user, scheme),
            "gap": gap,
            "gap_score": gap_score,
            "current": current,
            # only about the subjects the user may see (a zone reads of its own report, not its neighbours')
            "warnings": selectors.run_warnings(run, today=local_today(), scores=selectors.visible_scores(user, run)),
            **nav(),
        },
    )


@login_required
@require_POST
def run_review(request, pk: int):
    run = get_run(request, pk)
    act(request, services.run_review, f"已审核{run_title(run).split('（')[0]}，可以发布。", run=run)
    return redirect("evaluation:run", pk=pk)


@login_required
@require_POST
def run_publish(request, pk: int):
    run = get_run(request, pk)
    act(request, services.run_publish, f"已发布{run_title(run).split('（')[0]}，被考核对象可以查看。", run=run)
    return redirect("evaluation:run", pk=pk)


@login_required
@require_POST
def run_recompute(request, pk: int):
    run = get_run(request, pk)
    ensure(request.user, "evaluation.change", run.scheme)
    try:
        fresh = services.run_scheme(user=request.user, scheme=run.scheme, period=run.period)
    except (ValidationError, periods.PeriodError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        return redirect("evaluation:run", pk=pk)
    messages.success(request, f"已重新计算：{run_title(fresh)}。")
    return redirect("evaluation:run", pk=fresh.pk)


@login_required
@require_GET
def run_xlsx(request, pk: int):
    run = get_run(request, pk)
    content = exports.result_workbook(run, list(selectors.visible_scores(request.user, run)))
    return download(request, content, f"{run_title(run)}.xlsx", XLSX_TYPE)


@login_required
@require_GET
def score_docx(request, pk: int):
    run = get_run(request, parent_of(Score, pk, "run_id"))
    score = found_or_404(selectors.visible_scores(request.user, run).filter(pk=pk).first())
    content = exports.score_sheet_docx(run, score)
    label = periods.parse(run.period, run.scheme.period).label
    return download(request, content, f"{run.scheme.name}{label}评分表（{score.subject_name}）.docx", DOCX_TYPE)
