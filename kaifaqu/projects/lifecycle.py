"""The rules of the project lifecycle (DESIGN.md, "Project lifecycle"), as pure functions.

``plan_move`` checks a requested stage move against a project's current state and
returns the field updates to apply, or raises one ``ValidationError`` naming every
field that is wrong. It touches no database, so the rules are tested on their own
and the page, the API and the command line all go through them via the service.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from .models import Project, Stage
from .project_code import normalise_project_code, validate_project_code

ORDER: tuple[str, ...] = (
    Stage.PLANNING,
    Stage.CONTACT,
    Stage.INTENT,
    Stage.READY,
    Stage.SIGNED,
    Stage.FILED,
    Stage.STARTED,
    Stage.PRODUCING,
    Stage.AT_CAPACITY,
)
RANK = {stage: index for index, stage in enumerate(ORDER)}

# The date each step records. Planning is where a project is born: it has no step date.
DATE_FIELD: dict[str, str] = {
    Stage.CONTACT: "contact_on",
    Stage.INTENT: "intent_on",
    Stage.READY: "ready_on",
    Stage.SIGNED: "signed_on",
    Stage.FILED: "filed_on",
    Stage.STARTED: "started_on",
    Stage.PRODUCING: "producing_on",
    Stage.AT_CAPACITY: "at_capacity_on",
    Stage.TERMINATED: "terminated_on",
}
STAGE_DATE_FIELDS = tuple(DATE_FIELD.values())

# Steps whose date must be given even when the move skips over them: these dates are
# what reports and rates are built on (签约、备案、开工、投产、达产). The lead stages
# before signing may be skipped without a date.
REQUIRED_WHEN_SKIPPED = frozenset({Stage.SIGNED, Stage.FILED, Stage.STARTED, Stage.PRODUCING, Stage.AT_CAPACITY})


class MoveKind:
    FORWARD = "forward"
    BACK = "back"
    TERMINATE = "terminate"
    REOPEN = "reopen"


@dataclass
class MovePlan:
    from_stage: str
    to_stage: str
    kind: str
    updates: dict[str, object] = field(default_factory=dict)
    step_date: datetime.date | None = None

    @property
    def recorded_dates(self) -> dict[str, str]:
        return {
            name: value.isoformat()
            for name, value in self.updates.items()
            if name in STAGE_DATE_FIELDS and isinstance(value, datetime.date)
        }


def stage_label(stage: str) -> str:
    return Stage(stage).label


def date_label(field_name: str) -> str:
    return str(Project._meta.get_field(field_name).verbose_name)


def rank(stage: str) -> int:
    return RANK[stage]


def at_or_after(stage: str) -> tuple[str, ...]:
    """The stages at or after ``stage`` in the lifecycle order."""
    return ORDER[RANK[stage] :]


def plan_move(
    project: Project,
    *,
    to_stage: str,
    dates: Mapping[str, datetime.date | None] | None = None,
    project_code: str | None = None,
    reason: str = "",
    today: datetime.date,
) -> MovePlan:
    """Check a move of ``project`` to ``to_stage`` and return what to change."""
    given = {name: value for name, value in (dates or {}).items() if value}
    reason = (reason or "").strip()
    current = project.stage
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": f"未知的项目阶段“{to_stage}”。"})
    if to_stage == current:
        raise ValidationError({"to_stage": f"项目已处于“{stage_label(current)}”阶段。"})

    errors: dict[str, str] = {}
    for name in given:
        if name not in STAGE_DATE_FIELDS:
            errors[name] = f"未知的日期字段“{name}”。"
    if to_stage == Stage.TERMINATED:
        plan = _plan_terminate(project, given, reason, today, errors)
    elif current == Stage.TERMINATED:
        plan = _plan_reopen(project, to_stage, given, reason, errors)
    elif RANK[to_stage] > RANK[current]:
        plan = _plan_forward(project, to_stage, given, project_code, today, errors)
    else:
        plan = _plan_back(project, to_stage, given, reason, errors)
    if errors:
        raise ValidationError(errors)
    return plan


def _require_reason(reason: str, what: str, errors: dict[str, str]) -> None:
    if not reason:
        errors["reason"] = f"{what}必须填写原因。"


def _reject_dates(given: Mapping[str, object], allowed: set[str], why: str, errors: dict[str, str]) -> None:
    for name in given:
        if name in STAGE_DATE_FIELDS and name not in allowed:
            errors[name] = why


def _plan_forward(project, to_stage, given, project_code, today, errors) -> MovePlan:
    path = ORDER[RANK[project.stage] + 1 : RANK[to_stage] + 1]
    plan = MovePlan(project.stage, to_stage, MoveKind.FORWARD)
    path_fields = {DATE_FIELD[stage] for stage in path}
    _reject_dates(given, path_fields, "该日期不属于本次变更经过的阶段。", errors)
    for stage in path:
        name = DATE_FIELD[stage]
        value = given.get(name)
        if value is not None:
            plan.updates[name] = value
        elif stage == to_stage:
            errors[name] = f"请填写{date_label(name)}。"
        elif stage in REQUIRED_WHEN_SKIPPED:
            errors[name] = f"跳过“{stage_label(stage)}”阶段时须填写{date_label(name)}。"
    if Stage.FILED in path:
        _plan_project_code(project, project_code, plan, errors)
    plan.updates["stage"] = to_stage
    plan.step_date = plan.updates.get(DATE_FIELD[to_stage])
    _check_chronology(project, plan.updates, to_stage, today, errors)
    return plan


def _plan_project_code(project, project_code, plan, errors) -> None:
    code = normalise_project_code(project_code) or (project.project_code or "")
    if not code:
        errors["project_code"] = "进入“已备案”阶段须填写项目代码。"
        return
    try:
        validate_project_code(code)
    except ValidationError as exc:
        errors["project_code"] = exc.messages[0]
        return
    plan.updates["project_code"] = code


def _plan_back(project, to_stage, given, reason, errors) -> MovePlan:
    _require_reason(reason, "退回到之前的阶段", errors)
    _reject_dates(given, set(), "退回阶段时不填写日期：之后各阶段的日期将被清除（历史记录中保留）。", errors)
    plan = MovePlan(project.stage, to_stage, MoveKind.BACK)
    plan.updates = {"stage": to_stage, **_clear_after(to_stage)}
    return plan


def _plan_terminate(project, given, reason, today, errors) -> MovePlan:
    _require_reason(reason, "终止项目", errors)
    _reject_dates(given, {"terminated_on"}, "终止项目时只填写终止日期。", errors)
    when = given.get("terminated_on") or today
    plan = MovePlan(project.stage, Stage.TERMINATED, MoveKind.TERMINATE, step_date=when)
    plan.updates = {"stage": Stage.TERMINATED, "terminated_from": project.stage, "terminated_on": when}
    _check_chronology(project, {"terminated_on": when}, project.stage, today, errors, extra="terminated_on")
    return plan


def _plan_reopen(project, to_stage, given, reason, errors) -> MovePlan:
    base = project.terminated_from or Stage.PLANNING
    if RANK[to_stage] > RANK[base]:
        errors["to_stage"] = f"已终止的项目只能恢复到终止前的阶段（{stage_label(base)}）或更早的阶段。"
    _require_reason(reason, "恢复已终止的项目", errors)
    _reject_dates(given, set(), "恢复项目时不填写日期。", errors)
    plan = MovePlan(project.stage, to_stage, MoveKind.REOPEN)
    plan.updates = {
        "stage": to_stage,
        "terminated_from": "",
        "terminated_on": None,
        **(_clear_after(to_stage) if to_stage in RANK else {}),
    }
    return plan


def _clear_after(stage: str) -> dict[str, object]:
    """Dates of the stages after ``stage`` no longer hold; 入统 only holds for started projects."""
    updates: dict[str, object] = {DATE_FIELD[later]: None for later in ORDER[RANK[stage] + 1 :]}
    if RANK[stage] < RANK[Stage.STARTED]:
        updates.update({"in_statistics": False, "in_statistics_on": None})
    return updates


def check_recorded_dates(project: Project, *, today: datetime.date) -> dict[str, str]:
    """The stage dates a project carries as a record (an import, not a move): no date of a
    stage it has not reached, none in the future, each on or after the earlier ones."""
    errors: dict[str, str] = {}
    reached = project.reached_stage
    for stage in ORDER[RANK[reached] + 1 :]:
        name = DATE_FIELD[stage]
        if getattr(project, name, None):
            errors[name] = f"项目阶段为“{stage_label(project.stage)}”，不应填写{date_label(name)}。"
    if project.stage != Stage.TERMINATED and project.terminated_on:
        errors["terminated_on"] = "项目未终止，不应填写终止日期。"
    present = {name: getattr(project, name) for name in STAGE_DATE_FIELDS if getattr(project, name, None)}
    extra = "terminated_on" if project.stage == Stage.TERMINATED else None
    _check_chronology(project, present, reached, today, errors, extra=extra)
    return errors


def _check_chronology(project, new_dates, up_to_stage, today, errors, extra: str | None = None) -> None:
    """Dates run forward: each stage's date is on or after every earlier stage's, and none is in the future."""
    sequence = [DATE_FIELD[stage] for stage in ORDER[1 : RANK[up_to_stage] + 1]]
    if extra:
        sequence.append(extra)
    latest: tuple[str, datetime.date] | None = None
    for name in sequence:
        value = new_dates.get(name, getattr(project, name, None))
        if value is None:
            continue
        if name in new_dates and name not in errors:
            if value > today:
                errors[name] = f"{date_label(name)}（{value}）不能晚于今天（{today}）。"
            elif latest is not None and value < latest[1]:
                errors[name] = f"{date_label(name)}（{value}）不能早于{date_label(latest[0])}（{latest[1]}）。"
        if latest is None or value >= latest[1]:
            latest = (name, value)
