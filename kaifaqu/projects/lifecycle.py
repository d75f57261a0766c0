"""The rules of the project lifecycle (DESIGN.md, "Project lifecycle"), as pure functions.

``plan_move`` checks a requested stage move against a project's current state and
returns the field updates to apply, or raises one ``ValidationError`` naming every
field that is wrong. It touches no database, so the rules are tested on their own
and the page, the API, the command line and the ledger import all go through it.

Two modes, one set of rules. A move made in the system today must carry the date of
each key step it passes (and the 项目代码 when it reaches 已备案). History read from an
office's ledger (``history=True``) says where a project stands with whatever dates the
office kept: the steps without a date are gaps (待补录, ``MovePlan.gaps``), counted and
filled later, never invented and never an error. Both modes refuse dates that run
backwards or lie in the future, with the same messages.
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
STAGES = frozenset(Stage.values)  # Django builds ``Stage.values`` anew on every use: an import asks per row

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
# The step dates a project at each stage may carry: those of the stages up to it.
DATES_UP_TO = {stage: frozenset(DATE_FIELD[step] for step in ORDER[1 : RANK[stage] + 1]) for stage in ORDER}

# Steps whose date must be given even when the move skips over them: these dates are
# what reports and rates are built on (签约、备案、开工、投产、达产). The lead stages
# before signing may be skipped without a date.
REQUIRED_WHEN_SKIPPED = frozenset({Stage.SIGNED, Stage.FILED, Stage.STARTED, Stage.PRODUCING, Stage.AT_CAPACITY})


class MoveKind:
    RECORD = "record"  # history only: the stage stays, its recorded dates are filled or corrected
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
    gaps: list[str] = field(default_factory=list)  # fields the move passed without a value (history only)

    @property
    def moves(self) -> bool:
        return self.kind != MoveKind.RECORD

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
    history: bool = False,
) -> MovePlan:
    """Check a move of ``project`` to ``to_stage`` and return what to change.

    ``history``: the stage and dates come from an office's ledger (an import), not a move
    made today: missing step dates and 项目代码 are gaps, the stage may stay as it is
    (the dates it carries are then filled in), and going back or terminating is refused
    (those need a reason, given on the project's page).
    """
    given = {name: value for name, value in (dates or {}).items() if value}
    reason = (reason or "").strip()
    current = project.stage
    if to_stage not in STAGES:
        raise ValidationError({"to_stage": f"未知的项目阶段“{to_stage}”。"})
    if to_stage == current and not history:
        raise ValidationError({"to_stage": f"项目已处于“{stage_label(current)}”阶段。"})

    errors: dict[str, str] = {}
    for name in given:
        if name not in STAGE_DATE_FIELDS:
            errors[name] = f"未知的日期字段“{name}”。"
    if history:
        plan = _plan_history(project, to_stage, given, project_code, today, errors)
    elif to_stage == Stage.TERMINATED:
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


def _plan_history(project, to_stage, given, project_code, today, errors) -> MovePlan:
    """Where a ledger says the project stands, with the dates it kept (see ``plan_move``)."""
    current = project.stage
    if current == Stage.TERMINATED and to_stage != current:
        errors["to_stage"] = "该项目已终止；恢复项目须在项目页面填写原因，不能通过导入恢复。"
        return MovePlan(current, to_stage, MoveKind.RECORD)
    if to_stage == Stage.TERMINATED and current != to_stage:
        errors["to_stage"] = "终止项目须在项目页面操作并填写原因，不能通过导入终止。"
        return MovePlan(current, to_stage, MoveKind.RECORD)
    reached_now = project.reached_stage
    if RANK[to_stage if to_stage != Stage.TERMINATED else reached_now] < RANK[reached_now]:
        errors["to_stage"] = (
            f"系统中该项目已处于“{stage_label(current)}”，导入不能退回到“{stage_label(to_stage)}”；"
            "如确需退回，请在项目页面操作并填写原因。"
        )
        return MovePlan(current, to_stage, MoveKind.RECORD)
    target = reached_now if to_stage == Stage.TERMINATED else to_stage
    kind = MoveKind.RECORD if to_stage == current else MoveKind.FORWARD
    plan = MovePlan(current, to_stage, kind)
    allowed = DATES_UP_TO[target] | ({"terminated_on"} if current == Stage.TERMINATED else set())
    for name in given:
        if name in STAGE_DATE_FIELDS and name not in allowed and name not in errors:
            errors[name] = f"项目阶段为“{stage_label(to_stage)}”，不应填写{date_label(name)}。"
    plan.updates = {name: value for name, value in given.items() if name in allowed}
    if plan.moves:
        plan.updates["stage"] = to_stage
        for stage in ORDER[RANK[current] + 1 : RANK[to_stage] + 1]:
            name = DATE_FIELD[stage]
            if stage in REQUIRED_WHEN_SKIPPED and name not in plan.updates and not getattr(project, name):
                plan.gaps.append(name)
        plan.step_date = plan.updates.get(DATE_FIELD[to_stage])
    if RANK[target] >= RANK[Stage.FILED]:
        _plan_project_code(project, project_code, plan, errors, required=False)
    extra = "terminated_on" if current == Stage.TERMINATED else None
    _check_chronology(project, plan.updates, target, today, errors, extra=extra)
    return plan


def stage_from_dates(dates: Mapping[str, datetime.date | None], *, today: datetime.date) -> str:
    """A ledger row that names no stage stands at the furthest step whose date it gives (and has passed)."""
    found = Stage.PLANNING
    for stage in ORDER[1:]:
        value = dates.get(DATE_FIELD[stage])
        if value is not None and value <= today:
            found = stage
    return found


def _plan_project_code(project, project_code, plan, errors, *, required: bool = True) -> None:
    code = normalise_project_code(project_code) or (project.project_code or "")
    if code and code == project.project_code:
        plan.updates["project_code"] = code  # the record's own code: its field's validator checks it on save
        return
    if not code:
        if required:
            errors["project_code"] = "进入“已备案”阶段须填写项目代码。"
        elif plan.moves:
            plan.gaps.append("project_code")
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
    """Dates of the stages after ``stage`` no longer hold; 竣工 and 入统 only hold for started projects."""
    updates: dict[str, object] = {DATE_FIELD[later]: None for later in ORDER[RANK[stage] + 1 :]}
    if RANK[stage] < RANK[Stage.STARTED]:
        updates.update({"in_statistics": False, "in_statistics_on": None, "completed": False, "completed_on": None})
    return updates


def _check_chronology(project, new_dates, up_to_stage, today, errors, extra: str | None = None) -> None:
    """Dates run forward: each stage's date is on or after every earlier stage's, and none is
    in the future. A new date is checked against the recorded ones on both sides: a move adds
    later steps, while history filled in (补录) may add an earlier one."""
    sequence = [DATE_FIELD[stage] for stage in ORDER[1 : RANK[up_to_stage] + 1]]
    if extra:
        sequence.append(extra)
    values = [(name, new_dates.get(name, getattr(project, name, None))) for name in sequence]
    latest: tuple[str, datetime.date] | None = None
    for index, (name, value) in enumerate(values):
        if value is None:
            continue
        if name in new_dates and name not in errors:
            later = next((item for item in values[index + 1 :] if _recorded_before(item, value, new_dates)), None)
            if value > today:
                errors[name] = f"{date_label(name)}（{value}）不能晚于今天（{today}）。"
            elif latest is not None and value < latest[1]:
                errors[name] = f"{date_label(name)}（{value}）不能早于{date_label(latest[0])}（{latest[1]}）。"
            elif later is not None:
                errors[name] = f"{date_label(name)}（{value}）不能晚于{date_label(later[0])}（{later[1]}）。"
        if latest is None or value >= latest[1]:
            latest = (name, value)


def _recorded_before(item: tuple[str, datetime.date | None], value: datetime.date, new_dates) -> bool:
    """A later step's date already on record (not given now) that lies before ``value``."""
    name, other = item
    return other is not None and name not in new_dates and other < value
