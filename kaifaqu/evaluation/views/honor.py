"""红黑榜: the 红榜 and 黑榜 of a month, reviewed by the office (add, remove with a note), 公示 and its .docx."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from kaifaqu.core.export import DOCX_TYPE
from kaifaqu.core.rights import can, ensure
from kaifaqu.core.views import add_service_errors

from .. import exports, periods, services
from ..forms import HonorAddForm, HonorRemoveForm
from ..models import HonorEntry, HonorList
from ..subjects import scheme_subjects
from .common import HONOR_CSS, act, download, get_honor_list, nav, parent_of


def _page(request, honor_list: HonorList, *, add_form=None, removing=None, status: int = 200):
    user, scheme = request.user, honor_list.scheme
    may_change = can(user, "evaluation.change", scheme) and honor_list.status == HonorList.Status.DRAFT
    entries = list(honor_list.entries.all())
    sides = []
    for side, side_label in HonorEntry.Side.choices:
        rows = []
        for entry in (entry for entry in entries if entry.side == side):
            form = None
            if may_change and not entry.removed:
                sent = removing if removing is not None and removing[0] == entry.pk else None
                form = sent[1] if sent else HonorRemoveForm(auto_id=f"id_%s_{entry.pk}")
            rows.append({"entry": entry, "form": form})
        sides.append({"side": side, "label": side_label, "rows": rows})
    if may_change and add_form is None:
        add_form = HonorAddForm(subjects=scheme_subjects(scheme))
    return render(
        request,
        "evaluation/honor_list.html",
        {
            "honor_list": honor_list,
            "scheme": scheme,
            "label": periods.parse(honor_list.period, "month").label,
            "sides": sides,
            "may_change": may_change,
            "add_form": add_form if may_change else None,
            "css": HONOR_CSS[honor_list.status],
            **nav(),
        },
        status=status,
    )


@login_required
@require_GET
def honor_detail(request, pk: int):
    return _page(request, get_honor_list(request, pk))


@login_required
@require_POST
def honor_add(request, pk: int):
    honor_list = get_honor_list(request, pk)
    ensure(request.user, "evaluation.change", honor_list.scheme)
    form = HonorAddForm(request.POST, subjects=scheme_subjects(honor_list.scheme))
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.honor_add(
                user=request.user,
                honor_list=honor_list,
                side=data["side"],
                subject_key=data["subject"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已将{entry.subject_name}列入{entry.get_side_display()}。")
            return redirect("evaluation:honor_list", pk=pk)
    return _page(request, honor_list, add_form=form, status=400)


@login_required
@require_POST
def honor_remove(request, pk: int):
    honor_list = get_honor_list(request, parent_of(HonorEntry, pk, "honor_list_id"))
    ensure(request.user, "evaluation.change", honor_list.scheme)
    entry = honor_list.entries.get(pk=pk)
    form = HonorRemoveForm(request.POST, auto_id=f"id_%s_{entry.pk}")
    if form.is_valid():
        try:
            services.honor_remove(user=request.user, entry=entry, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已将{entry.subject_name}移出{entry.get_side_display()}。")
            return redirect("evaluation:honor_list", pk=honor_list.pk)
    return _page(request, honor_list, removing=(entry.pk, form), status=400)


@login_required
@require_POST
def honor_publish(request, pk: int):
    honor_list = get_honor_list(request, pk)
    label = periods.parse(honor_list.period, "month").label
    act(request, services.honor_publish, f"已公示“{honor_list.scheme.name}”{label}红黑榜。", honor_list=honor_list)
    return redirect("evaluation:honor_list", pk=pk)


@login_required
@require_GET
def honor_docx(request, pk: int):
    honor_list = get_honor_list(request, pk)
    content = exports.honor_notice_docx(honor_list)
    label = periods.parse(honor_list.period, "month").label
    return download(
        request, content, f"{honor_list.scheme.name}{label}{honor_list.get_rules_display()}公示.docx", DOCX_TYPE
    )
