"""全代办: the zone's agents handle a project's approvals. A checklist is generated from the project's
kind (新建, 改扩建, 技术改造); each item moves 未启动 → 办理中 (due by its standard days) → 已办结,
or is marked 无需办理 with the reason."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from kaifaqu.audit import trail
from kaifaqu.core.rights import can, ensure
from kaifaqu.projects.models import Project, local_today

from .models import AgencyItem, ApprovalType, ConstructionKind

Status = AgencyItem.Status


def checklist_create(*, user, project: Project, kind: str, agent=None, commitment: bool = False) -> list[AgencyItem]:
    """The approvals a project of this kind needs, added where missing (existing items are kept)."""
    ensure(user, "agency.run", project)
    if kind not in ConstructionKind.values:
        raise ValidationError({"kind": "请选择项目类型。"})
    if agent is not None and not can(agent, "agency.run", project):
        raise ValidationError({"agent": f"{agent.get_full_name() or agent.username}不能办理该开发区的项目。"})
    present = set(project.agency_items.values_list("approval_type_id", flat=True))
    wanted = [t for t in ApprovalType.objects.filter(active=True) if kind in t.kinds and t.pk not in present]
    with transaction.atomic():
        items = [
            AgencyItem.objects.create(project=project, approval_type=approval, agent=agent, commitment=commitment)
            for approval in wanted
        ]
        with trail.batch():
            for item in items:
                trail.record_create(user=user, instance=item, note=f"生成代办清单（{ConstructionKind(kind).label}）")
    return items


def item_update(
    *,
    user,
    item: AgencyItem,
    status: str,
    agent=None,
    started_on: datetime.date | None = None,
    finished_on: datetime.date | None = None,
    commitment: bool = False,
    note: str = "",
) -> AgencyItem:
    ensure(user, "agency.update", item)
    today = local_today()
    errors = _problems(status, started_on, finished_on, note, today)
    if agent is not None and not can(agent, "agency.run", item.project):
        errors["agent"] = f"{agent.get_full_name() or agent.username}不能办理该开发区的项目。"
    if errors:
        raise ValidationError(errors)
    before = trail.snapshot(item)
    item.status, item.agent, item.commitment, item.note = status, agent, commitment, note.strip()
    # 未启动 and 无需办理 have no dates; a start typed with them is not kept.
    item.started_on = None if status in (Status.PENDING, Status.NOT_NEEDED) else (started_on or today)
    item.finished_on = (finished_on or today) if status == Status.DONE else None
    if item.started_on is None:
        item.due_on = None
    elif item.started_on != before["started_on"] or item.due_on is None:
        # The due date is set when the item starts, by the catalogue's days then: a later change
        # to the catalogue applies to items started afterwards, not to this one on its next save.
        item.due_on = item.started_on + datetime.timedelta(days=item.approval_type.standard_days)
    with transaction.atomic():
        item.save()
        trail.record_update(user=user, instance=item, before=before)
    return item


def _problems(status, started_on, finished_on, note, today) -> dict[str, str]:
    errors = {}
    if status not in Status.values:
        errors["status"] = "请选择状态。"
    if started_on and started_on > today:
        errors["started_on"] = "启动日期不能晚于今天。"
    if finished_on and finished_on > today:
        errors["finished_on"] = "办结日期不能晚于今天。"
    if status == Status.DONE and started_on and finished_on and finished_on < started_on:
        errors["finished_on"] = "办结日期不能早于启动日期。"
    if status == Status.NOT_NEEDED and not note.strip():
        errors["note"] = "标为“无需办理”时请在备注中写明原因。"
    return errors
