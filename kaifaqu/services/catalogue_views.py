"""Pages of the shared catalogues: 诉求办理时限 and 代办审批事项.

Everyone logged in reads them; the offices' editors (the rule ``catalogue.change``) change them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaifaqu.core.rights import can, ensure
from kaifaqu.core.views import add_service_errors

from . import catalogue
from .catalogue_forms import ApprovalTypeForm, ServiceLevelsForm
from .models import ApprovalType, ConstructionKind


def _ensure_editor(request) -> None:
    ensure(request.user, "catalogue.change")


# --- 诉求办理时限 ------------------------------------------------------------------------------------------


@login_required
def service_levels(request):
    editable = can(request.user, "catalogue.change")
    posted = request.method == "POST"
    if posted:
        _ensure_editor(request)
    form = ServiceLevelsForm(request.POST if posted else None, stored=catalogue.service_levels())
    if posted and form.is_valid():
        try:
            changed = catalogue.service_levels_save(user=request.user, values=form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)  # also marks the refused inputs red
        else:
            if changed:
                messages.success(request, f"已修改 {changed} 个类别的办理时限，此后受理的诉求按新时限计算。")
            else:
                messages.info(request, "办理时限没有变化。")
            return redirect("services:levels")
    context = {"form": form, "editable": editable}
    return render(request, "services/catalogue_levels.html", context, status=400 if form.errors else 200)


# --- 代办审批事项 --------------------------------------------------------------------------------------------


def _kinds_label(kinds: list[str]) -> str:
    labels = dict(ConstructionKind.choices)
    return "、".join(str(labels[kind]).split("（")[0] for kind in ConstructionKind.values if kind in kinds)


@login_required
def approval_list(request):
    rows = [(approval, _kinds_label(approval.kinds)) for approval in ApprovalType.objects.all()]
    context = {"rows": rows, "can_edit": can(request.user, "catalogue.change")}
    return render(request, "services/catalogue_approvals.html", context)


@login_required
def approval_edit(request, pk: int | None = None):
    _ensure_editor(request)
    approval = _approval(pk) if pk else ApprovalType()
    form = ApprovalTypeForm(request.POST or None, instance=approval)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.approval_type_save(user=request.user, approval_type=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"审批事项“{form.instance.name}”已保存。")
            return redirect("agency:approvals")
    context = {"form": form, "approval": approval}
    return render(request, "services/catalogue_approval_form.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def approval_delete(request, pk: int):
    _ensure_editor(request)
    approval = _approval(pk)
    try:
        catalogue.approval_type_delete(user=request.user, approval_type=approval)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"已删除审批事项“{approval.name}”。")
    return redirect("agency:approvals")


@require_POST
@login_required
def approval_active(request, pk: int):
    """停用 or 启用 again (``active`` = 0 or 1)."""
    _ensure_editor(request)
    approval = _approval(pk)
    active = request.POST.get("active") == "1"
    catalogue.approval_type_set_active(user=request.user, approval_type=approval, active=active)
    if active:
        messages.success(request, f"已启用“{approval.name}”：此后生成的代办清单会列入该事项。")
    else:
        messages.success(request, f"已停用“{approval.name}”：不再列入新生成的代办清单，已有的代办事项不受影响。")
    return redirect("agency:approvals")


def _approval(pk: int) -> ApprovalType:
    approval = ApprovalType.objects.filter(pk=pk).first()
    if approval is None:
        raise Http404("未找到该审批事项。")
    return approval
