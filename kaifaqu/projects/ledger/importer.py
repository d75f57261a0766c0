"""Importing rows of an office's project ledger into projects.

A row updates the project with its 项目代码 when it has one, else the project of the
same zone with the same name (spaces, full-width characters and case ignored), else it
creates one. Only the columns present in the file are compared and written, so a ledger
with fewer columns never blanks the others. A row describes the state a project is in,
not a move: a new project is registered at the stage the file gives with the dates it
gives; an existing one may move forward (recorded as a stage change), never back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from kaifaqu.audit import trail
from kaifaqu.core.bulk import insert_many, new_instance
from kaifaqu.core.rights import can
from kaifaqu.core.scoping import Perm, scope_for
from kaifaqu.core.validation import ErrorBag
from kaifaqu.enterprises.credit_code import normalise_credit_code, validate_credit_code
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.sheets.columns import normal_header
from kaifaqu.sheets.layout import section_word
from kaifaqu.sheets.rows import (
    Action,
    CellCache,
    ImportResult,
    RowError,
    RowOutcome,
    SourceRow,
    cell_error,
    value_error,
    year_from_titles,
)
from kaifaqu.sheets.values import (
    compact,
    is_empty,
    normal_name,
    parse_area,
    parse_bool,
    parse_choice,
    parse_code,
    parse_date,
    parse_money,
    parse_text,
    parse_year,
)
from kaifaqu.zones.models import Park, Zone
from kaifaqu.zones.selectors import ZoneLookup

from .. import completeness, lifecycle, services
from ..models import Milestone, PlanCategory, PriorityLevel, Project, Stage, local_today
from ..project_code import normalise_project_code, validate_project_code
from .columns import (
    ACTUAL_TO_PLANNED,
    COLUMN_BY_KEY,
    COLUMNS,
    DATE_FIELDS,
    IMPORT_NOTE,
    KEPT_WHEN_BLANK,
    MONEY_FIELDS,
    PLANNED_MILESTONES,
    PRIORITY_WORDS,
    SHOWN_FIELDS,
    STAGE_CELL_WORDS,
    TEXT_FIELDS,
    YES_LEVEL,
    StageCell,
    parse_priority_flag,
    parse_stage_cell,
)


@dataclass
class _Plan:
    outcome: RowOutcome
    project: Project
    create: bool
    before: dict[str, Any] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    move: lifecycle.MovePlan | None = None  # when the stage moves
    milestones: list[tuple[str, datetime.date | None, Milestone | None]] = field(default_factory=list)
    row: int = 0


@dataclass
class _Context:
    detail: bool
    user: Any
    zone: Zone | None
    default_year: int
    commit: bool
    file_name: str
    today: datetime.date
    zones: ZoneLookup
    parks: dict[int, dict[str, Park]] = field(default_factory=dict)
    enterprises: dict[int, dict[str, Enterprise]] = field(default_factory=dict)
    enterprise_codes: dict[str, Enterprise] = field(default_factory=dict)
    categories: dict[int, dict[str, PlanCategory]] = field(default_factory=dict)
    names: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    stems: dict[int, dict[str, str]] = field(default_factory=dict)  # zone → name stem → a name on record
    warnings: list[str] = field(default_factory=list)
    codes: dict[str, tuple[int, int]] = field(default_factory=dict)  # code → (project id, zone id)
    seen: dict[tuple, int] = field(default_factory=dict)  # identity → first row
    new_enterprises: set[int] = field(default_factory=set)
    moved: int = 0
    gaps: dict[str, int] = field(default_factory=dict)  # what the imported projects still lack (待补录)
    unstated_levels: int = 0  # rows whose 是否重点 said 是 without a level
    # Versions of the matched projects: kept from a preview, checked again at commit.
    versions: dict[int, int] = field(default_factory=dict)
    expected_versions: dict[str, int] | None = None
    cells: CellCache = field(default_factory=CellCache)
    _readers: dict[str, Any] | None = None

    def readers(self, factors: dict[str, Decimal | None]) -> dict[str, Any]:
        """Each column's cell reader, with the column's unit (the same for every row)."""
        if self._readers is None:
            self._readers = {
                key: partial(parser, factor=factors.get(key) or ONE) for key, parser in CELL_PARSERS.items()
            }
        return self._readers


class ProjectLedger:
    key = "projects"
    label = "项目"
    columns = COLUMNS

    # ---- context

    def start(self, *, user, zone, title_lines, commit, file_name, detail=True, expected_versions=None) -> _Context:
        return _Context(
            expected_versions=expected_versions,
            detail=detail,
            user=user,
            zone=zone,
            default_year=year_from_titles(title_lines) or local_today().year,
            commit=commit,
            file_name=file_name,
            today=local_today(),
            zones=ZoneLookup(user),
        )

    def finish(self, context: _Context, result: ImportResult) -> None:
        if context.new_enterprises:
            result.extra["enterprises_created"] = len(context.new_enterprises)
        if context.moved:
            result.extra["stage_moves"] = context.moved
        result.gaps = {label: context.gaps[label] for label in completeness.GAP_LABELS if context.gaps.get(label)}
        if context.unstated_levels:
            result.warnings.append(
                f"{context.unstated_levels} 行的“是否重点”为“是”但未写明级别，已按县重点登记；"
                "如为省、市重点，请在“重点项目级别”列写明。"
            )
        result.versions = {str(pk): version for pk, version in context.versions.items()}
        result.warnings.extend(context.warnings)

    # ---- planning

    def plan(self, rows: list[SourceRow], context: _Context) -> list[tuple[RowOutcome, _Plan | None]]:
        parsed = [_Row(row) for row in rows]
        for item in parsed:
            item.parse(context)
        self._load_codes(parsed, context)
        existing = self._load_existing(parsed, context)
        planned = [item.finish(existing, context) for item in parsed]
        for _, plan in planned:
            enterprise = plan.project.enterprise if plan is not None else None
            if enterprise is not None and (enterprise.pk is None or id(enterprise) in context.new_enterprises):
                context.new_enterprises.add(id(enterprise))  # registered by this file (counted once)
        return planned

    def _load_codes(self, parsed: list[_Row], context: _Context) -> None:
        codes = {item.values["project_code"] for item in parsed if item.values.get("project_code")}
        missing = codes - context.codes.keys()
        if missing:
            for pk, code, zone_id in Project.objects.filter(project_code__in=missing).values_list(
                "pk", "project_code", "zone_id"
            ):
                context.codes[code] = (pk, zone_id)
        credit = {item.enterprise_code for item in parsed if item.enterprise_code} - context.enterprise_codes.keys()
        if credit:
            for enterprise in Enterprise.objects.filter(credit_code__in=credit):
                context.enterprise_codes[enterprise.credit_code] = enterprise
        for item in parsed:
            item.identify(context)

    def _load_existing(self, parsed: list[_Row], context: _Context) -> dict[int, Project]:
        ids = {item.existing_id for item in parsed if item.existing_id}
        if not ids:
            return {}
        queryset = Project.objects.filter(pk__in=ids)
        if context.commit:
            queryset = queryset.select_for_update()
        projects = {project.pk: project for project in queryset}
        _attach_related(list(projects.values()))
        milestones = Milestone.objects.filter(project_id__in=ids, name__in=PLANNED_MILESTONES.values()).order_by("id")
        for milestone in milestones:
            # The first one of each name is the one the export writes and the import compares.
            projects[milestone.project_id].__dict__.setdefault("_planned", {}).setdefault(milestone.name, milestone)
        return projects

    # ---- writing

    def write(self, plans: list[_Plan], context: _Context) -> None:
        user = context.user if getattr(context.user, "is_authenticated", False) else None
        self._save_new_enterprises(plans, context, user)
        creates = [plan for plan in plans if plan.create]
        updates = [plan for plan in plans if not plan.create]
        if creates:
            insert_many([plan.project for plan in creates])
            for plan in creates:
                trail.record_create(user=context.user, instance=plan.project, note=self._note(context, plan))
        now = timezone.now()
        for plan in updates:
            plan.project.version += 1
            plan.project.updated_at = now
        if updates:
            fields = sorted(set().union(*(plan.changed for plan in updates)) | {"version", "updated_at"})
            Project.objects.bulk_update([plan.project for plan in updates], fields)
            for plan in updates:
                record = trail.record_move if plan.move else trail.record_update
                record(user=context.user, instance=plan.project, before=plan.before, note=self._note(context, plan))
        self._save_moves(plans, context, user)
        self._save_milestones(plans, context)

    def _note(self, context: _Context, plan: _Plan) -> str:
        return f"{IMPORT_NOTE}：{context.file_name} 第{plan.row}行"

    def _save_new_enterprises(self, plans: list[_Plan], context: _Context, user) -> None:
        pending = {
            id(plan.project.enterprise): plan.project.enterprise
            for plan in plans
            if plan.project.enterprise is not None and plan.project.enterprise.pk is None
        }
        if not pending:
            return
        created = list(pending.values())
        insert_many(created)
        trail.record_bulk_create(user=context.user, instances=created, note=f"{IMPORT_NOTE}：由项目台账的建设单位新建")
        for plan in plans:
            if plan.project.enterprise is not None:
                plan.project.enterprise = plan.project.enterprise  # take the new primary key

    def _save_moves(self, plans: list[_Plan], context: _Context, user) -> None:
        moves = [
            services.stage_change_for(plan.project, plan.move, user=user, reason=self._note(context, plan))
            for plan in plans
            if plan.move is not None
        ]
        insert_many(moves)
        context.moved += sum(1 for plan in plans if plan.move and not plan.create)

    def _save_milestones(self, plans: list[_Plan], context: _Context) -> None:
        new, changed = [], []
        for plan in plans:
            for name, planned_on, milestone in plan.milestones:
                if milestone is None:
                    milestone = new_instance(Milestone)
                    milestone.project, milestone.name, milestone.planned_on = plan.project, name, planned_on
                    milestone.note = IMPORT_NOTE
                    new.append(milestone)
                    continue
                before = trail.snapshot(milestone)
                milestone.planned_on = planned_on
                changed.append((milestone, before, plan))
        if new:
            insert_many(new)
            for milestone in new:
                trail.record_create(user=context.user, instance=milestone, note=IMPORT_NOTE)
        if changed:
            Milestone.objects.bulk_update([item[0] for item in changed], ["planned_on"])
            for milestone, before, _ in changed:
                trail.record_update(user=context.user, instance=milestone, before=before, note=IMPORT_NOTE)


# ------------------------------------------------------------------ one row


class _Row:
    """One data row on its way to a plan: parsed cells, then identity, then the outcome."""

    def __init__(self, row: SourceRow):
        self.row = row
        self.values: dict[str, Any] = {}
        self.errors: list[RowError] = []
        self.zone: Zone | None = None
        self.enterprise_code = ""
        self.existing_id: int | None = None
        self.progress_note = ""
        self.denied_levels: set[str] = set()  # levels a 否 under 是否省重点 … rules out

    @property
    def present(self) -> set[str]:
        return set(self.row.cells)

    def error(self, key: str, reason: str, **kwargs) -> None:
        self.errors.append(cell_error(self.row, key, reason, label=_label(key), **kwargs))

    # ---- cells

    def parse(self, context: _Context) -> None:
        readers, cache = context.readers(self.row.factors), context.cells
        for key, raw in self.row.cells.items():
            reader = readers.get(key)
            if reader is None:
                continue  # 序号 and the like
            value, error = cache.parse(key, reader, raw)
            if error is not None:
                if key == "stage" and normal_header(self.row.headers.get(key)) in PROGRESS_HEADERS:
                    self.progress_note = parse_text(raw, max_length=100_000, single_line=False)
                    continue  # a progress note, not a stage word: kept with the remarks
                self.errors.append(value_error(self.row, key, error))
                continue
            if key == "enterprise_code":
                self.enterprise_code = value
            else:
                self.values[key] = value
        self.zone = self._resolve_zone(context)
        self._section(context)
        self._stage_cell(self.values.pop("stage", None))
        self._priority_flags(context)
        if self.progress_note:
            remark = self.values.get("remark") or ""
            self.values["remark"] = f"{remark}；进展情况：{self.progress_note}" if remark else self.progress_note

    def _section(self, context: _Context) -> None:
        """A section row above (``一、尽快开工项目（36个）``) gives the plan category or the stage."""
        section = self.row.section
        if section is None:
            return
        word = section_word(section.text)
        if not self.values.get("plan_category") and self._is_category(word, context):
            self.values["plan_category"] = word
        elif self.values.get("stage") is None:
            self.values["stage"] = STAGE_CELL_WORDS.get(compact(word))  # None: only a heading

    def _stage_cell(self, cell: StageCell | None) -> None:
        """The stage column's word: a stage, 竣工 (started, construction completed), or a year category."""
        if cell is None:
            return
        if cell.stage:
            self.values["stage"] = cell.stage
        if cell.completed and self.values.get("completed") is None:
            self.values["completed"] = True
        if cell.category and not self.values.get("plan_category"):
            self.values["plan_category"] = cell.category

    def _priority_flags(self, context: _Context) -> None:
        """是否省重点 / 是否市重点 / 是否重点 columns → 重点项目级别 (a level column, when present, wins)."""
        flags = {key: self.values.pop(key) for key in PRIORITY_FLAGS if key in self.values}
        if not flags or self.values.get("priority_level") is not None:
            return
        levels = [value for value in flags.values() if isinstance(value, str)]
        if YES_LEVEL in levels:
            context.unstated_levels += 1
            levels = [PriorityLevel.COUNTY if value == YES_LEVEL else value for value in levels]
        if levels:
            self.values["priority_level"] = min(levels, key=LEVEL_ORDER.index)
            return
        for key, value in flags.items():
            if value is False:
                self.denied_levels |= PRIORITY_FLAGS[key]

    def _resolve_zone(self, context: _Context) -> Zone | None:
        written = self.values.pop("zone", "")
        found = context.zones.for_row(written, context.zone)
        if isinstance(found, str):
            self.error("zone", found, value=written)
            return None
        return found

    # ---- identity

    def identify(self, context: _Context) -> None:
        name = self.values.get("name")
        if "name" not in self.values or not name:
            self.error("name", "项目名称不能为空")
            return
        if self.zone is None:
            return
        code = self.values.get("project_code")
        key = ("code", code) if code else ("name", self.zone.pk, normal_name(name))
        first = context.seen.setdefault(key, self.row.number)
        if first != self.row.number:
            what = f"项目代码“{code}”" if code else f"项目“{name}”"
            self.error("project_code" if code else "name", f"{what}与第{first}行重复")
            return
        if code and code in context.codes:
            pk, zone_id = context.codes[code]
            if zone_id != self.zone.pk:
                self.error("project_code", f"项目代码“{code}”已被其他开发区的项目使用")
                return
            self.existing_id = pk
            return
        matches = _names(context, self.zone).get(normal_name(name), [])
        if len(matches) > 1:
            self.error("name", f"{self.zone.name}有 {len(matches)} 个名为“{name}”的项目，请填写项目代码以区分")
        elif matches:
            self.existing_id = matches[0]
        else:
            alike = context.stems[self.zone.pk].get(_stem(name))
            if alike is not None:
                context.warnings.append(
                    f"第{self.row.number}行 项目名称: “{name}”将作为新项目登记；{self.zone.name}已有相近的项目"
                    f"“{alike}”，如为同一项目，请改用系统中的名称或填写项目代码。"
                )

    # ---- outcome

    def finish(self, existing: dict[int, Project], context: _Context) -> tuple[RowOutcome, _Plan | None]:
        label = str(self.values.get("name") or "")
        if self.errors or self.zone is None:
            return RowOutcome(self.row.number, Action.ERROR, label, errors=self.errors), None
        stored = existing.get(self.existing_id) if self.existing_id else None
        if self.existing_id and stored is None:
            self.error("name", "该项目正被删除或不可访问")
        plan = self._plan_update(stored, context) if stored else self._plan_create(context)
        if self.errors or plan is None:
            return RowOutcome(self.row.number, Action.ERROR, label, errors=self.errors), None
        _count_gaps(context, plan.project)
        if not plan.create and not plan.changed and not plan.milestones:
            return RowOutcome(self.row.number, Action.UNCHANGED, label), None
        plan.outcome.label = label
        return plan.outcome, plan

    def _plan_create(self, context: _Context) -> _Plan | None:
        project = new_instance(Project)
        project.zone, project.plan_year, project.created_by = self.zone, context.default_year, _user(context)
        if "total_investment" not in self.row.cells:
            self.error("total_investment", "表中没有“总投资”列，新项目必须填写总投资（也可写作概算投资、计划总投资）")
        elif self.values.get("total_investment") is None:
            self.error("total_investment", "总投资不能为空")
        stage = self._target(project, self.values.pop("stage", None), context)
        fields = self._fields(project, context)
        if fields is None:
            return None
        for name, value in fields.items():
            setattr(project, name, value)
        move = self._place(project, stage, context)
        if move is None:
            return None
        self._check(project, context)
        if self.errors:
            return None
        outcome = RowOutcome(self.row.number, Action.CREATE, project.name)
        plan = _Plan(outcome, project, create=True, row=self.row.number, move=move if move.moves else None)
        plan.milestones = [(name, date, None) for name, date in self._milestones().values() if date]
        if context.detail:
            written = sorted({*fields, *move.updates})
            shown = [name for name in written if name in SHOWN_FIELDS and _shown(project, name)]
            plan.outcome.changes = {self._change_label(name): ("", _shown(project, name)) for name in shown}
            for key, (_name, date) in self._milestones().items():
                if date:
                    plan.outcome.changes[self._change_label(key)] = ("", date.isoformat())
        return plan

    def _change_label(self, name: str) -> str:
        """How the preview names a changed field: amounts always in 万元, whatever the file's unit."""
        if name in MONEY_FIELDS:
            return f"{_label(name)}（万元）"
        return self.row.headers.get(name) or _label(name)

    def _target(self, project: Project, stage: str | None, context: _Context) -> str:
        """The stage the row puts the project at: as written; else, for a new project, the
        furthest step whose date has passed; else where it stands. Dates of steps it has not
        reached are plans (``_planned_from_actual``)."""
        if stage is None:
            dates = {name: self.values.get(name) for name in lifecycle.STAGE_DATE_FIELDS}
            stage = project.stage if project.pk else lifecycle.stage_from_dates(dates, today=context.today)
        reached = project.reached_stage if stage == Stage.TERMINATED else stage
        self._planned_from_actual(lifecycle.RANK[reached], context)
        return stage

    def _place(self, project: Project, stage: str, context: _Context) -> lifecycle.MovePlan | None:
        """Where the row says the project stands, planned by the lifecycle as history from a
        ledger: the steps it passed without a date or 项目代码 are gaps (待补录), not errors;
        dates still run forward, and going back or terminating is left to the project's page."""
        dates = {name: self.values[name] for name in lifecycle.STAGE_DATE_FIELDS if self.values.get(name)}
        try:
            plan = lifecycle.plan_move(
                project,
                to_stage=stage,
                dates=dates,
                project_code=project.project_code,
                today=context.today,
                history=True,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.error("stage" if name == "to_stage" else name, message.rstrip("。"))
            return None
        for name, value in plan.updates.items():
            setattr(project, name, value)
        return plan

    def _plan_update(self, stored: Project, context: _Context) -> _Plan | None:
        context.versions[stored.pk] = stored.version
        expected = context.expected_versions
        if expected is not None and expected.get(str(stored.pk)) != stored.version:
            self.error("name", "该项目在试导入之后已被修改或新登记，请重新试导入后再确认")
            return None
        before = trail.snapshot(stored)
        shown_before = {name: _shown(stored, name) for name in SHOWN_FIELDS} if context.detail else {}
        stage = self._target(stored, self.values.pop("stage", None), context)
        fields = self._fields(stored, context)
        if fields is None:
            return None
        for name, value in fields.items():
            setattr(stored, name, value)
        placed = self._place(stored, stage, context)
        if placed is None:
            return None
        move = placed if placed.moves else None
        self._check(stored, context)
        if self.errors:
            return None
        changed = {_field_name(attname) for attname, value in before.items() if getattr(stored, attname) != value}
        plan = _Plan(
            RowOutcome(self.row.number, Action.UPDATE, stored.name),
            stored,
            create=False,
            before=before,
            changed=changed,
            move=move,
            row=self.row.number,
        )
        if context.detail:
            plan.outcome.changes = {
                self._change_label(name): (shown_before.get(name, ""), _shown(stored, name))
                for name in sorted(changed)
                if name in SHOWN_FIELDS
            }
        planned = getattr(stored, "_planned", {})
        for key, (name, date) in self._milestones().items():
            milestone = planned.get(name)
            if date is None or (milestone is not None and milestone.planned_on == date):
                continue
            plan.milestones.append((name, date, milestone))
            plan.outcome.changes[self._change_label(key)] = (
                milestone.planned_on.isoformat() if milestone else "",
                date.isoformat(),
            )
        return plan

    def _fields(self, project: Project, context: _Context) -> dict[str, Any] | None:
        """The model fields this row sets, with related records resolved."""
        fields: dict[str, Any] = {}
        for key, value in self.values.items():
            if key == "name" and project.pk and normal_name(value) == normal_name(project.name):
                continue  # matched by name: keep the spelling on record
            if key in KEPT_WHEN_BLANK and (value is None or value == ""):
                continue  # the ledger lacks it: what is on record stays (see KEPT_WHEN_BLANK)
            if key in lifecycle.STAGE_DATE_FIELDS:
                continue  # placed by the lifecycle (``_place``)
            if key in TEXT_FIELDS:
                fields[key] = value or ""
            elif key in PLAIN_FIELDS or (key == "plan_year" and value is not None):
                fields[key] = value
            elif key == "priority_level":
                fields[key] = value or ""
            elif key in ("in_statistics", "completed"):
                fields[key] = bool(value)
        if self.denied_levels and project.priority_level in self.denied_levels:
            fields["priority_level"] = ""
        if "year_completed_investment" in fields and fields["year_completed_investment"] is None:
            fields["year_completed_investment"] = Decimal(0)
        if "park" in self.values:
            fields["park"] = self._park(context)
        if self.values.get("enterprise") or self.enterprise_code:
            fields["enterprise"] = self._enterprise(context)
        if "plan_category" in self.values:
            fields["plan_category"] = self._category(context)
        return None if self.errors else fields

    def _park(self, context: _Context) -> Park | None:
        written = self.values["park"]
        if not written:
            return None
        parks = context.parks.get(self.zone.pk)
        if parks is None:
            parks = context.parks[self.zone.pk] = {normal_name(park.name): park for park in self.zone.parks.all()}
        found = parks.get(normal_name(written))
        if found is None:
            known = "、".join(park.name for park in parks.values()) or "无"
            self.error("park", f"“{written}”不是{self.zone.name}的园区（现有园区：{known}）", value=written)
        return found

    def _enterprise(self, context: _Context) -> Enterprise | None:
        written = self.values.get("enterprise", "")
        code = self.enterprise_code
        if code:
            found = context.enterprise_codes.get(code)
            if found is not None:
                if found.zone_id != self.zone.pk:
                    self.error("enterprise_code", "该统一社会信用代码的企业不在本开发区", value=code)
                    return None
                return found
        if not written:
            if code:
                self.error("enterprise_code", "未找到该统一社会信用代码的企业，请同时填写建设单位名称", value=code)
            return None
        known = _enterprises(context, self.zone)
        found = known.get(normal_name(written))
        if found is not None:
            if code and found.credit_code and found.credit_code != code:
                self.error("enterprise_code", f"与系统中“{found.name}”的统一社会信用代码不一致", value=code)
            return found
        if context.user is not None and not can(context.user, "enterprise.change", self.zone):
            self.error("enterprise", f"建设单位“{written}”尚未登记，您没有登记企业的权限", value=written)
            return None
        if len(written) > Enterprise._meta.get_field("name").max_length:
            self.error("enterprise", "建设单位名称过长", value=written)
            return None
        created = Enterprise(name=written, zone=self.zone, credit_code=code or None, created_by=_user(context))
        known[normal_name(written)] = created
        return created

    def _is_category(self, word: str, context: _Context) -> bool:
        if self.zone is None:
            return compact(word) in {compact(name) for name in PlanCategory.DEFAULTS}
        return compact(word) in _categories(context, self.zone)

    def _category(self, context: _Context) -> PlanCategory | None:
        written = self.values["plan_category"]
        if not written:
            return None
        categories = _categories(context, self.zone)
        word = compact(section_word(written))
        found = categories.get(compact(written)) or categories.get(word)
        if found is None:
            known = "、".join(category.name for category in categories.values())
            self.error("plan_category", f"“{written}”不是可用的年度分类（可用：{known}）", value=written)
        return found

    def _planned_from_actual(self, reached: int, context: _Context) -> None:
        """开工时间 of a project not yet started is when it is to start: a planned milestone;
        so is a 竣工时间 not yet passed, or of a project not yet started."""
        for name, (planned_key, at_stage) in ACTUAL_TO_PLANNED.items():
            if self.values.get(name) is None or reached >= lifecycle.RANK[at_stage]:
                continue
            self.values.pop(name)
            self._to_planned(name, planned_key)
        completed_on = self.values.get("completed_on")
        if completed_on is not None:
            if reached < lifecycle.RANK[Stage.STARTED] or completed_on > context.today:
                self.values.pop("completed_on")
                self._to_planned("completed_on", "planned_completion")
            elif self.values.get("completed") is None:
                self.values["completed"] = True  # a past 竣工日期 of a started project says it is completed

    def _to_planned(self, name: str, planned_key: str) -> None:
        if self.values.get(planned_key) is None:
            # Read again as a plan: "2025年3月" means by the end of March.
            self.values[planned_key] = parse_date(self.row.cells[name], month_end=True)

    def _milestones(self) -> dict[str, tuple[str, datetime.date | None]]:
        """Column key → (milestone name, planned date) for the planned dates this row gives."""
        return {key: (name, self.values[key]) for key, name in PLANNED_MILESTONES.items() if key in self.values}

    def _check(self, project: Project, context: _Context) -> None:
        bag = ErrorBag()
        services.check_ledger_rules(project, bag, history=True)
        if project.plan_year and not 2000 <= project.plan_year <= 2100:
            bag.add("plan_year", "年度应在 2000 至 2100 之间")
        for name, messages in bag.errors.items():
            for message in messages:
                self.error(name, message.rstrip("。"))
        if context.user is not None and not can(context.user, "project.change", project, to_stage=project.stage):
            # Which message: the 招商专员 is told about the stages, anyone else about the zone.
            if scope_for(context.user).can(Perm.PIPELINE_CHANGE, self.zone.pk):
                self.error("stage", "招商专员只能维护备案前（谋划储备至签约）的项目；备案及以后的阶段由项目专员维护")
            else:
                self.error("zone", f"您没有维护{self.zone.name}项目台账的权限")


ONE = Decimal(1)


def _text_parser(key: str):
    max_length = Project._meta.get_field(key).max_length
    limit, single_line = max_length or 100_000, max_length is not None
    return lambda raw, factor: parse_text(raw, max_length=limit, single_line=single_line)


def _name_of_record(raw, factor) -> str:
    return "" if is_empty(raw) else " ".join(str(raw).split())


# How each column's cell is read (the cell, the column's unit factor) → the value.
CELL_PARSERS = {
    **{key: _text_parser(key) for key in TEXT_FIELDS},
    **dict.fromkeys(MONEY_FIELDS, lambda raw, factor: parse_money(raw, factor=factor)),
    **dict.fromkeys(DATE_FIELDS, lambda raw, factor: parse_date(raw)),
    **dict.fromkeys(PLANNED_MILESTONES, lambda raw, factor: parse_date(raw, month_end=True)),
    **dict.fromkeys(("zone", "park", "enterprise", "plan_category"), _name_of_record),
    "land_area_mu": lambda raw, factor: parse_area(raw),
    "plan_year": lambda raw, factor: parse_year(raw),
    "in_statistics": lambda raw, factor: parse_bool(raw),
    "stage": lambda raw, factor: parse_stage_cell(raw),
    "completed": lambda raw, factor: parse_bool(raw),
    "priority_province": lambda raw, factor: parse_priority_flag(raw, level=PriorityLevel.PROVINCE),
    "priority_city": lambda raw, factor: parse_priority_flag(raw, level=PriorityLevel.CITY),
    "priority_flag": lambda raw, factor: parse_priority_flag(raw, level=None),
    "priority_level": lambda raw, factor: parse_choice(
        raw, PRIORITY_WORDS, what="重点项目级别", shown="省重点、市重点、县重点"
    ),
    "project_code": lambda raw, factor: parse_code(
        raw, normalise=normalise_project_code, validate=validate_project_code
    ),
    "enterprise_code": lambda raw, factor: (
        parse_code(raw, normalise=normalise_credit_code, validate=validate_credit_code) or ""
    ),
}
PLAIN_FIELDS = frozenset({*MONEY_FIELDS, *DATE_FIELDS, "land_area_mu", "project_code"})


# The yes/no priority columns, and the levels a 否 in each rules out.
PRIORITY_FLAGS = {
    "priority_province": {PriorityLevel.PROVINCE},
    "priority_city": {PriorityLevel.CITY},
    "priority_flag": {PriorityLevel.PROVINCE, PriorityLevel.CITY, PriorityLevel.COUNTY},
}
LEVEL_ORDER = [PriorityLevel.PROVINCE, PriorityLevel.CITY, PriorityLevel.COUNTY]
# Headers of a stage column that offices also fill with progress notes.
PROGRESS_HEADERS = frozenset({"进展情况", "项目进展"})


def _count_gaps(context: _Context, project: Project) -> None:
    for gap in completeness.project_gaps(project):
        context.gaps[gap.label] = context.gaps.get(gap.label, 0) + 1


def _attach_related(projects: list[Project]) -> None:
    """Each project's zone, park, enterprise and category, one query per kind: a join would
    build the same zone and the same few enterprises again for every project."""
    for name in ("zone", "park", "enterprise", "plan_category"):
        field = Project._meta.get_field(name)
        ids = {project.__dict__[field.attname] for project in projects} - {None}
        found = field.related_model.objects.in_bulk(ids) if ids else {}
        for project in projects:
            field.set_cached_value(project, found.get(project.__dict__[field.attname]))


def _categories(context: _Context, zone: Zone) -> dict[str, PlanCategory]:
    categories = context.categories.get(zone.pk)
    if categories is None:
        categories = context.categories[zone.pk] = {
            compact(category.name): category for category in PlanCategory.objects.for_zone(zone)
        }
    return categories


def _names(context: _Context, zone: Zone) -> dict[str, list[int]]:
    names = context.names.get(zone.pk)
    if names is None:
        names = context.names[zone.pk] = {}
        stems = context.stems[zone.pk] = {}
        for pk, name in Project.objects.filter(zone=zone).values_list("pk", "name"):
            names.setdefault(normal_name(name), []).append(pk)
            stems.setdefault(_stem(name), name)
    return names


def _stem(name: str) -> str:
    """A name without the words offices add or drop at will: 焦化项目 and 焦化 are alike."""
    stem = normal_name(name)
    for suffix in ("建设项目", "项目", "工程"):
        stem = stem.removesuffix(suffix)
    return stem


def _enterprises(context: _Context, zone: Zone) -> dict[str, Enterprise]:
    known = context.enterprises.get(zone.pk)
    if known is None:
        known = context.enterprises[zone.pk] = {
            normal_name(enterprise.name): enterprise
            for enterprise in Enterprise.objects.filter(zone=zone).only("id", "name", "credit_code", "zone_id")
        }
    return known


def _user(context: _Context):
    return context.user if getattr(context.user, "is_authenticated", False) else None


def _label(key: str) -> str:
    if key in COLUMN_BY_KEY:
        return COLUMN_BY_KEY[key].label
    try:
        return str(Project._meta.get_field(key).verbose_name)
    except Exception:
        return key


def _field_name(attname: str) -> str:
    return _FIELD_BY_ATTNAME[attname]


_FIELD_BY_ATTNAME = {field.attname: field.name for field in Project._meta.concrete_fields}


def _shown(project: Project, name: str) -> str:
    value = getattr(project, name)
    if value is None or value == "":
        return ""
    field = Project._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
