"""The two catalogues every office shares: 诉求办理时限 (days per category) and 代办审批事项.

Like the 月调度 indicator catalogue they are not any zone's records: every logged-in user may read
them, and the offices (city, province) that handle requests or keep zones, with the operators,
change them. Each change is written to the audit trail.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from kaifaqu.audit import trail
from kaifaqu.core.rights import ensure

from .models import AgencyItem, ApprovalType, Category, ConstructionKind, ServiceLevel

MAX_DAYS = 365  # a sanity bound: a typo of 3000 days would quietly put deadlines years away
LEVEL_FIELDS = {"days": "办理时限（天）", "urgent_days": "紧急诉求办理时限（天）"}


def _ensure_editor(user) -> None:
    ensure(user, "catalogue.change")


# --- 诉求办理时限 ------------------------------------------------------------------------------------------


def level_key(category: str, field: str) -> str:
    """The error key of one cell (``land-urgent_days``): forms name their inputs the same way."""
    return f"{category}-{field}"


def service_levels() -> dict[str, tuple[int | None, int | None]]:
    """Each category's (days, urgent_days), in the categories' order; (None, None) where none is stored."""
    stored = {level.category: (level.days, level.urgent_days) for level in ServiceLevel.objects.all()}
    return {category: stored.get(category, (None, None)) for category in Category.values}


def service_levels_save(*, user, values: dict[str, tuple[int | None, int | None]]) -> int:
    """Set every category's (days, urgent_days); all or nothing. Returns how many categories changed.

    Deadlines already given to requests stay as they are: the new days apply to requests filed afterwards.
    """
    _ensure_editor(user)
    errors = _level_errors(values)
    if errors:
        raise ValidationError(errors)
    changed = 0
    with transaction.atomic():
        stored = {level.category: level for level in ServiceLevel.objects.select_for_update()}
        for category, (days, urgent_days) in values.items():
            level = stored.get(category)
            if level is None:
                level = ServiceLevel.objects.create(category=category, days=days, urgent_days=urgent_days)
                trail.record_create(user=user, instance=level)
                changed += 1
            elif (level.days, level.urgent_days) != (days, urgent_days):
                before = trail.snapshot(level)
                level.days, level.urgent_days = days, urgent_days
                level.save(update_fields=["days", "urgent_days"])
                trail.record_update(user=user, instance=level, before=before, note="此后受理的诉求按新时限计算")
                changed += 1
    return changed


def _level_errors(values: dict[str, tuple[int | None, int | None]]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for category, given in values.items():
        if category not in Category.values:
            errors["__all__"] = f"没有“{category}”这一诉求类别。"
            continue
        label = Category(category).label
        for field, value in zip(LEVEL_FIELDS, given, strict=True):
            problem = _days_problem(value)
            if problem:
                errors[level_key(category, field)] = f"{label}的{LEVEL_FIELDS[field]}{problem}"
        days, urgent_days = given
        if level_key(category, "days") in errors or level_key(category, "urgent_days") in errors:
            continue
        if urgent_days > days:
            errors[level_key(category, "urgent_days")] = (
                f"{label}：紧急诉求的时限不能长于一般时限（{urgent_days}天 > {days}天）。"
            )
    return errors


def _days_problem(value: int | None) -> str:
    if value is None:
        return "不能为空。"
    if value < 1:
        return "至少为 1 天。"
    if value > MAX_DAYS:
        return f"不能超过 {MAX_DAYS} 天。"
    return ""


# --- 代办审批事项 --------------------------------------------------------------------------------------------


def approval_type_save(*, user, approval_type: ApprovalType) -> ApprovalType:
    """Add or change an approval; the name is unique, and it applies to at least one kind of project."""
    _ensure_editor(user)
    approval_type.name = approval_type.name.strip()
    approval_type.department = approval_type.department.strip()
    errors = _approval_errors(approval_type)
    if errors:
        raise ValidationError(errors)
    kinds = set(approval_type.kinds)
    approval_type.kinds = [kind for kind in ConstructionKind.values if kind in kinds]
    return trail.save_recorded(user=user, instance=approval_type, full_clean=True)


def _approval_errors(approval_type: ApprovalType) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not approval_type.name:
        errors["name"] = "请填写审批事项的名称。"
    elif ApprovalType.objects.filter(name=approval_type.name).exclude(pk=approval_type.pk).exists():
        errors["name"] = f"已有名为“{approval_type.name}”的审批事项，请换一个名称，或编辑已有的事项。"
    problem = _days_problem(approval_type.standard_days)
    if problem:
        errors["standard_days"] = f"承诺办理时限{problem}"
    kinds = approval_type.kinds
    if not isinstance(kinds, list) or not kinds:
        errors["kinds"] = "请至少选择一种适用的项目类型。"
    elif any(kind not in ConstructionKind.values for kind in kinds):
        errors["kinds"] = "适用项目只能是新建、改扩建或技术改造。"
    return errors


def approval_type_in_use(approval_type: ApprovalType) -> bool:
    return AgencyItem.objects.filter(approval_type=approval_type).exists()


def approval_type_delete(*, user, approval_type: ApprovalType) -> None:
    """An approval no checklist uses may go; one in use is kept (its items name it) and may be 停用."""
    _ensure_editor(user)
    refused = ValidationError(
        f"审批事项“{approval_type.name}”已列入项目的代办清单，不能删除。"
        "可以停用：停用后不再列入新生成的代办清单，已有的代办事项不受影响。"
    )
    if approval_type_in_use(approval_type):
        raise refused
    try:
        with transaction.atomic():
            trail.record_delete(user=user, instance=approval_type)
            approval_type.delete()
    except ProtectedError as exc:  # a checklist generated meanwhile
        raise refused from exc


def approval_type_set_active(*, user, approval_type: ApprovalType, active: bool) -> ApprovalType:
    """停用 (no longer put on new checklists; existing items stay) or 启用 again."""
    _ensure_editor(user)
    if approval_type.active == active:
        return approval_type
    before = trail.snapshot(approval_type)
    approval_type.active = active
    with transaction.atomic():
        approval_type.save(update_fields=["active"])
        trail.record_update(user=user, instance=approval_type, before=before)
    return approval_type
