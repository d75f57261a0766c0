"""Every write to the project ledger that has a rule. Pages, API and commands call these."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kaifaqu.audit import trail
from kaifaqu.core.bulk import new_instance
from kaifaqu.core.rights import ensure
from kaifaqu.core.scoping import scope_for
from kaifaqu.core.validation import ErrorBag, full_clean_into, lock_unless_changed

from . import lifecycle
from .models import Milestone, PlanCategory, ProgressReport, Project, Stage, StageChange, local_today
from .project_code import normalise_project_code

# Fields only a stage move may change (see ``project_move_stage``).
LIFECYCLE_FIELDS = frozenset({"stage", "terminated_from", *lifecycle.STAGE_DATE_FIELDS})
# Fields a user may not set at all.
SYSTEM_FIELDS = frozenset({"id", "created_by", "created_at", "updated_at"})


@transaction.atomic
def project_create(
    *,
    user,
    fields: dict[str, Any],
    stage: str = Stage.PLANNING,
    stage_dates: dict[str, datetime.date | None] | None = None,
    reason: str = "",
) -> Project:
    """Register a project, optionally already at a later stage (its step dates are then required)."""
    _reject_fields(fields, LIFECYCLE_FIELDS | SYSTEM_FIELDS, "请通过“阶段”和各阶段日期设置，不能直接填写。")
    project = Project(**fields, created_by=user)
    if project.zone_id is not None:  # a missing zone is reported as a field error below
        ensure(user, "project.create", project, to_stage=stage)
    project.project_code = normalise_project_code(project.project_code) or None
    bag = ErrorBag()
    plan = None
    if stage not in lifecycle.RANK:
        bag.add("stage", "新建项目的阶段只能是“谋划储备”至“已达产”之一。")
    elif stage != Stage.PLANNING:
        try:
            plan = lifecycle.plan_move(
                project,
                to_stage=stage,
                dates=stage_dates,
                project_code=project.project_code,
                reason=reason,
                today=local_today(),
            )
            _apply(project, plan.updates)
        except ValidationError as exc:
            bag.absorb(exc)
    _validate_project(project, bag)
    bag.raise_if_any()
    project.save()
    if plan is not None:
        _record_move(project, plan, user=user, reason=reason or "新建项目时登记的阶段")
    trail.record_create(user=user, instance=project)
    return project


@transaction.atomic
def project_update(*, user, project: Project, fields: dict[str, Any], expected_version: int | None = None) -> Project:
    """Change a project's ledger fields. The stage and its dates change only by a stage move.

    ``expected_version`` is the version the user's form or request was based on: when
    someone else saved in between, the change is refused with what they changed.
    """
    _reject_fields(fields, LIFECYCLE_FIELDS, "阶段及各阶段日期请通过“变更阶段”修改。")
    _reject_fields(fields, SYSTEM_FIELDS | {"version"}, "该字段由系统维护，不能修改。")
    ensure(user, "project.change", project)
    stored = _lock_current(project, expected_version)
    before = trail.snapshot(stored)
    _apply(stored, fields)
    if "zone" in fields:
        ensure(user, "project.change", stored)
    if "project_code" in fields:
        stored.project_code = normalise_project_code(stored.project_code) or None
    bag = ErrorBag()
    _validate_project(stored, bag, before=before)
    bag.raise_if_any()
    stored.version += 1
    stored.save()
    trail.record_update(user=user, instance=stored, before=before)
    _copy_fields(stored, into=project)
    return project


@transaction.atomic
def project_move_stage(
    *,
    user,
    project: Project,
    to_stage: str,
    dates: dict[str, datetime.date | None] | None = None,
    project_code: str | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> StageChange:
    """Move a project along its lifecycle (forward with dates; back or terminate with a reason)."""
    ensure(user, "project.change", project, to_stage=to_stage)
    locked = _lock_current(project, expected_version)
    before = trail.snapshot(locked)
    plan = lifecycle.plan_move(
        locked, to_stage=to_stage, dates=dates, project_code=project_code, reason=reason, today=local_today()
    )
    _apply(locked, plan.updates)
    bag = ErrorBag()
    _validate_project(locked, bag, before=before)
    bag.raise_if_any()
    locked.version += 1
    locked.save()
    _copy_fields(locked, into=project)
    trail.record_move(user=user, instance=locked, before=before, note=(reason or "").strip())
    return _record_move(locked, plan, user=user, reason=reason)


# What 补录 may fill besides the dates of the steps a project passed.
FILLABLE_FACT_DATES = ("completed_on", "in_statistics_on")


@transaction.atomic
def project_fill_gaps(
    *,
    user,
    project: Project,
    dates: dict[str, datetime.date | None],
    project_code: str | None = None,
    expected_version: int | None = None,
) -> Project:
    """补录: fill what history left missing (待补录) — the dates of steps the project passed,
    its 项目代码, its 竣工 and 入统 dates. Only empty values are filled (a recorded one is
    changed by a stage move or an edit); each date passes the usual order checks, through
    the lifecycle's history mode, the same rule the import uses."""
    ensure(user, "project.change", project)
    locked = _lock_current(project, expected_version)
    before = trail.snapshot(locked)
    given = {name: value for name, value in dates.items() if value}
    code = normalise_project_code(project_code)
    bag = ErrorBag()
    for name in [*given, *(["project_code"] if code else [])]:
        if getattr(locked, name, None):
            bag.add(name, f"{lifecycle.date_label(name) if name in given else '项目代码'}已有记录，无需补录。")
        elif name not in lifecycle.STAGE_DATE_FIELDS and name not in FILLABLE_FACT_DATES and name != "project_code":
            bag.add(name, f"“{name}”不是可补录的字段。")
    bag.raise_if_any()
    if not given and not code:
        raise ValidationError("请至少填写一项待补录的内容。")
    stage_dates = {name: value for name, value in given.items() if name in lifecycle.STAGE_DATE_FIELDS}
    try:
        plan = lifecycle.plan_move(
            locked, to_stage=locked.stage, dates=stage_dates, project_code=code, today=local_today(), history=True
        )
        _apply(locked, plan.updates)
    except ValidationError as exc:
        bag.absorb(exc)
    _apply(locked, {name: value for name, value in given.items() if name in FILLABLE_FACT_DATES})
    _validate_project(locked, bag, before=before)
    bag.raise_if_any()
    locked.version += 1
    locked.save()
    trail.record_update(user=user, instance=locked, before=before, note="补录")
    _copy_fields(locked, into=project)
    return project


@transaction.atomic
def project_delete(*, user, project: Project) -> None:
    ensure(user, "project.change", project)
    campaigns = list(project.campaign_entries.values_list("campaign__name", flat=True).distinct()[:3])
    if campaigns:
        # A campaign's figures were reported upward: they must not change behind its back.
        names = "、".join(campaigns)
        raise ValidationError(f"该项目已列入“三个一批”活动（{names}），请先在活动中移出后再删除。")
    if project.service_requests.exists():
        raise ValidationError("该项目有企业诉求记录，不能删除；诉求台账需要保留项目信息。")
    trail.record_delete(user=user, instance=project)
    project.delete()


@transaction.atomic
def milestone_create(
    *,
    user,
    project: Project,
    name: str,
    planned_on: datetime.date,
    owner: str = "",
    note: str = "",
    actual_on: datetime.date | None = None,
) -> Milestone:
    ensure(user, "project.change", project)
    milestone = Milestone(
        project=project,
        name=(name or "").strip(),
        planned_on=planned_on,
        owner=owner,
        note=note,
        actual_on=actual_on,
    )
    _save_milestone(milestone)
    trail.record_create(user=user, instance=milestone)
    return milestone


@transaction.atomic
def milestone_update(*, user, milestone: Milestone, fields: dict[str, Any]) -> Milestone:
    ensure(user, "project.change", milestone.project)
    _reject_fields(fields, {"project", "id", "created_at"}, "不能修改节点所属的项目。")
    before = trail.stored_snapshot(milestone)
    _apply(milestone, fields)
    _save_milestone(milestone)
    trail.record_update(user=user, instance=milestone, before=before)
    return milestone


@transaction.atomic
def milestone_complete(*, user, milestone: Milestone, actual_on: datetime.date | None) -> Milestone:
    """Mark a milestone done on ``actual_on`` (today when not given)."""
    return milestone_update(user=user, milestone=milestone, fields={"actual_on": actual_on or local_today()})


@transaction.atomic
def milestone_delete(*, user, milestone: Milestone) -> None:
    ensure(user, "project.change", milestone.project)
    trail.record_delete(user=user, instance=milestone)
    milestone.delete()


def _save_milestone(milestone: Milestone) -> None:
    bag = ErrorBag()
    full_clean_into(milestone, bag)
    if milestone.actual_on and milestone.actual_on > local_today():
        bag.add("actual_on", f"实际完成日期（{milestone.actual_on}）不能晚于今天。")
    bag.raise_if_any()
    milestone.save()


@transaction.atomic
def progress_create(
    *, user, project: Project, reported_on: datetime.date, text: str, investment: Decimal | None = None
) -> ProgressReport:
    """Record progress. Investment reported in the project's plan year adds to its 年度完成投资."""
    ensure(user, "project.change", project)
    report = ProgressReport(
        project=project,
        reported_on=reported_on,
        text=(text or "").strip(),
        investment=investment if investment is not None else Decimal("0"),
        created_by=user,
    )
    bag = ErrorBag()
    full_clean_into(report, bag, exclude=["created_by"])
    if reported_on and reported_on > local_today():
        bag.add("reported_on", f"进展日期（{reported_on}）不能晚于今天。")
    bag.raise_if_any()
    report.save()
    trail.record_create(user=user, instance=report)
    _add_year_investment(project, report, sign=1, user=user)
    return report


@transaction.atomic
def progress_delete(*, user, report: ProgressReport) -> None:
    ensure(user, "project.change", report.project)
    trail.record_delete(user=user, instance=report)
    _add_year_investment(report.project, report, sign=-1, user=user)
    report.delete()


def _add_year_investment(project: Project, report: ProgressReport, *, sign: int, user) -> None:
    if report.reported_on.year != project.plan_year or not report.investment:
        return
    locked = Project.objects.select_for_update().get(pk=project.pk)
    before = trail.snapshot(locked)
    locked.year_completed_investment = max(Decimal("0"), locked.year_completed_investment + sign * report.investment)
    locked.version += 1
    locked.save(update_fields=["year_completed_investment", "version", "updated_at"])
    trail.record_update(user=user, instance=locked, before=before, note="由进展中的本期完成投资累计")
    _copy_fields(locked, into=project)


def _lock_current(project: Project, expected_version: int | None) -> Project:
    """The stored row, locked for this transaction; refused if it moved past ``expected_version``."""
    return lock_unless_changed(project, expected_version, noun="项目")


def _copy_fields(source: Project, *, into: Project) -> None:
    """Make the caller's instance show what was saved."""
    if into is source:
        return
    for field in Project._meta.concrete_fields:
        setattr(into, field.attname, getattr(source, field.attname))


def _apply(instance, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(instance, name, value)


def _reject_fields(fields: dict[str, Any], forbidden: frozenset[str] | set[str], why: str) -> None:
    bad = sorted(set(fields) & set(forbidden))
    if bad:
        raise ValidationError({name: why for name in bad})


def _validate_project(project: Project, bag: ErrorBag, *, before: dict[str, Any] | None = None) -> None:
    """The model's checks plus the rules that tie a project's fields together; ``before``:
    the stored values an edit starts from (None for a new project)."""
    project.name = (project.name or "").strip()
    full_clean_into(project, bag, exclude=["created_by"])
    zone_id = project.zone_id
    if project.park_id and project.park.zone_id != zone_id:
        bag.add("park", "所选园区不属于该项目所在的开发区。")
    if project.enterprise_id and project.enterprise.zone_id != zone_id:
        bag.add("enterprise", "所选建设单位不属于该项目所在的开发区。")
    if (
        project.plan_category_id
        and zone_id
        and not PlanCategory.objects.for_zone(project.zone).filter(pk=project.plan_category_id).exists()
    ):
        bag.add("plan_category", "该年度分类不适用于此开发区。")
    check_ledger_rules(project, bag, before=before)


# Facts of a started project recorded as a flag with its date: (flag, date field, what it is).
STARTED_FACTS = (("completed", "completed_on", "竣工"), ("in_statistics", "in_statistics_on", "入统"))


def check_ledger_rules(
    project: Project, bag: ErrorBag, *, before: dict[str, Any] | None = None, history: bool = False
) -> None:
    """The rules tying a project's own fields together (no database needed: the importer uses them too).

    A fact entered now carries its date (or code); one that history left without it is a
    gap (待补录) that may stay while other fields change, and a recorded value may not be
    removed. ``before``: the stored values an edit starts from (None: a new project);
    ``history``: the record comes from an office's ledger, where gaps are allowed.
    """
    reached = lifecycle.RANK.get(project.reached_stage, 0)
    code_missing = reached >= lifecycle.RANK[Stage.FILED] and not project.project_code
    if code_missing and not bag.has("project_code") and not history and (before is None or before.get("project_code")):
        bag.add("project_code", "已备案的项目必须有项目代码。")
    for flag, date_field, what in STARTED_FACTS:
        _validate_started_fact(project, reached, bag, flag, date_field, what, before=before, history=history)


def _validate_started_fact(project, reached, bag, flag, date_field, what, *, before, history) -> None:
    when = getattr(project, date_field)
    if not getattr(project, flag):
        if when:
            bag.add(date_field, f"未{what}的项目不应填写{what}日期。")
        return
    if reached < lifecycle.RANK[Stage.STARTED]:
        bag.add(flag, f"只有已开工的项目才能{what}。")
        return
    if when is None:
        # Asked only of a fact entered now (or of a date removed now): history keeps its gap.
        entered_now = before is None or not before.get(flag) or before.get(date_field)
        if not history and entered_now:
            bag.add(date_field, f"请填写{what}日期。")
    elif when > local_today():
        bag.add(date_field, f"{what}日期（{when}）不能晚于今天。")
    elif project.started_on and when < project.started_on:
        bag.add(date_field, f"{what}日期（{when}）不能早于开工日期（{project.started_on}）。")


def _record_move(project: Project, plan: lifecycle.MovePlan, *, user, reason: str) -> StageChange:
    change = stage_change_for(project, plan, user=user, reason=reason)
    change.save()
    return change


def stage_change_for(project: Project, plan: lifecycle.MovePlan, *, user, reason: str) -> StageChange:
    """The history entry of a planned move, unsaved: a move on the page saves it at once,
    an import saves a chunk's entries together."""
    dates = plan.recorded_dates
    if "project_code" in plan.updates:
        dates["project_code"] = project.project_code
    if plan.gaps:
        dates["gaps"] = plan.gaps  # the steps passed without their date or code (待补录)
    change = new_instance(StageChange)  # an import builds thousands: Django's initialiser is the slow part
    change.project, change.from_stage, change.to_stage = project, plan.from_stage, plan.to_stage
    change.step_date, change.dates, change.reason = plan.step_date, dates, (reason or "").strip()
    change.user = user if getattr(user, "is_authenticated", False) else None
    return change


@transaction.atomic
def plan_category_create(*, user, name: str, order: int = 100) -> PlanCategory:
    """Add a plan category to the user's own unit's vocabulary (DESIGN: each unit can extend it)."""
    scope = scope_for(user)
    if scope.unit_id is None:
        raise ValidationError("只有归属某个单位的用户才能添加年度分类；默认分类请在管理后台维护。")
    ensure(user, "zone.change")
    name = (name or "").strip()
    category = PlanCategory(name=name, order=order, unit_id=scope.unit_id)
    bag = ErrorBag()
    full_clean_into(category, bag)
    if name and PlanCategory.objects.filter(unit__isnull=True, name=name).exists():
        bag.add("name", f"“{name}”已是默认分类，无需重复添加。")
    bag.raise_if_any()
    category.save()
    trail.record_create(user=user, instance=category)
    return category
