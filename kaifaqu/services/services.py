"""Writes of the request ledger: filing, 交办, 催办, 督办, 办结, 退回重办, 评价.

Each step checks who may take it, changes the request, and records an event (who, when, what),
so the ledger can always say where a request stands and how it got there.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from kaifaqu.audit import trail
from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import Perm, scope_for
from kaifaqu.core.text import cn_date
from kaifaqu.core.uploads import validate_upload
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.projects.models import Project, local_today
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import zone_members_with

from .models import Category, RequestAttachment, RequestEvent, ServiceLevel, ServiceRequest, Urgency
from .rights import is_requester

Status = ServiceRequest.Status
Kind = RequestEvent.Kind
ATTACHMENT_KINDS = ("pdf", "docx", "xlsx", "xls", "jpg", "jpeg", "png")
UNSATISFIED = 2  # a rating of 1 or 2 of 5


def _ensure_open(request: ServiceRequest) -> None:
    if request.closed:
        raise ValidationError(f"诉求“{request.title}”已{request.get_status_display()}，不能再办理；如需重办请先退回。")


# --- filing ---------------------------------------------------------------------------------------------


def due_date(category: str, urgency: str, received_on: datetime.date) -> datetime.date:
    level = ServiceLevel.objects.filter(category=category).first()
    days = 15 if level is None else (level.urgent_days if urgency == Urgency.URGENT else level.days)
    return received_on + datetime.timedelta(days=days)


def request_file(
    *,
    user,
    enterprise: Enterprise | None,
    title: str,
    category: str,
    urgency: str = Urgency.NORMAL,
    description: str = "",
    zone: Zone | None = None,
    project: Project | None = None,
    received_on: datetime.date | None = None,
) -> ServiceRequest:
    """Staff file for an enterprise or project of their zone; an enterprise files for itself."""
    scope = scope_for(user)
    own = scope.enterprise_id is not None
    if own:
        enterprise = Enterprise.objects.get(pk=scope.enterprise_id)
        received_on = None  # an enterprise's request is received the day it is sent
    zone = enterprise.zone if enterprise is not None else (project.zone if project is not None else zone)
    errors = _filing_errors(title, category, urgency, zone, enterprise, project, received_on)
    if errors:
        raise ValidationError(errors)
    ensure(user, "request.file", zone)
    received_on = received_on or local_today()
    with transaction.atomic():
        request = ServiceRequest.objects.create(
            zone=zone,
            enterprise=enterprise,
            project=project,
            title=title.strip(),
            description=description.strip(),
            category=category,
            urgency=urgency,
            source=ServiceRequest.Source.ENTERPRISE if own else ServiceRequest.Source.STAFF,
            received_on=received_on,
            due_on=due_date(category, urgency, received_on),
            filed_by=user,
        )
        _event(request, Kind.FILE, user, f"{request.get_source_display()}，{request.get_category_display()}类")
        trail.record_create(user=user, instance=request)
        if own:  # staff file what they already know of; an enterprise's own request must reach someone
            notify(
                handlers(request),
                f"新诉求：{request.title}",
                f"{enterprise.name}提出{request.get_category_display()}类诉求，"
                f"办结时限{cn_date(request.due_on)}，请交办。",
                request,
            )
    return request


def _filing_errors(title, category, urgency, zone, enterprise, project, received_on) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请写明诉求事项。"
    if category not in Category.values:
        errors["category"] = "请选择诉求类别。"
    if urgency not in Urgency.values:
        errors["urgency"] = "请选择紧急程度。"
    if zone is None:
        errors["enterprise"] = "请选择提出诉求的企业或项目。"
    if project is not None and enterprise is not None and project.enterprise_id not in (None, enterprise.pk):
        errors["project"] = f"项目“{project.name}”不是“{enterprise.name}”的项目。"
    if received_on is not None and received_on > local_today():
        errors["received_on"] = "受理日期不能晚于今天。"
    return errors


# --- the steps ----------------------------------------------------------------------------------------------


def request_assign(
    *, user, request: ServiceRequest, department: str, assignee, due_on: datetime.date, note: str = ""
) -> ServiceRequest:
    """交办: to a department and/or a person, with the date they must finish by."""
    ensure(user, "request.handle", request, verb="交办")
    _ensure_open(request)
    errors = {}
    if not department.strip() and assignee is None:
        errors["department"] = "请填写承办部门或选择承办人。"
    if assignee is not None and not can(assignee, "request.handle", request):
        errors["assignee"] = f"{assignee.get_full_name() or assignee.username}不能办理该开发区的诉求。"
    if due_on < local_today():
        errors["due_on"] = "交办时限不能早于今天。"
    elif request.due_on >= local_today() and due_on > request.due_on:
        errors["due_on"] = f"交办时限不能晚于诉求的办结时限（{cn_date(request.due_on)}）。"
    if errors:
        raise ValidationError(errors)
    person = (assignee.get_full_name() or assignee.username) if assignee is not None else ""
    who = "、".join(part for part in (department.strip(), person) if part)
    if assignee is not None and assignee != user:
        notify([assignee], f"交办诉求：{request.title}", f"请于{cn_date(due_on)}前办结。{note}".strip(), request)
    return _step(
        request,
        user,
        Kind.ASSIGN,
        f"交办{who}，{cn_date(due_on)}前办结。{note}".strip(),
        status=Status.ASSIGNED,
        assignee_department=department.strip(),
        assignee=assignee,
        assigned_due_on=due_on,
        due_on_event=due_on,
    )


def request_remind(*, user, request: ServiceRequest, note: str = "") -> ServiceRequest:
    """催办: recorded, and the assignee gets it in the inbox at once (overdue ones are also sent daily by
    ``send_reminders``)."""
    ensure(user, "request.handle", request, verb="催办")
    _ensure_open(request)
    if request.status == Status.RECEIVED:
        raise ValidationError("该诉求还没有交办，请先交办。")
    text = note.strip() or "请抓紧办理。"
    if request.assignee is not None and request.assignee != user:
        notify([request.assignee], f"催办：{request.title}", f"{text}（办结时限{_deadline(request)}）", request)
    return _step(request, user, Kind.REMIND, text)


def request_escalate(*, user, request: ServiceRequest, leader: str, note: str = "") -> ServiceRequest:
    """督办: a leader takes the request over (usually when it is overdue or stuck)."""
    ensure(user, "request.handle", request, verb="督办")
    _ensure_open(request)
    if not leader.strip():
        raise ValidationError({"leader": "请填写督办领导。"})
    if request.status == Status.ESCALATED and leader.strip() == request.escalated_to:
        raise ValidationError({"leader": f"该诉求已由{request.escalated_to}督办，可催办或办结。"})
    text = f"提请{leader.strip()}督办。{note.strip()}".strip()
    return _step(request, user, Kind.ESCALATE, text, status=Status.ESCALATED, escalated_to=leader.strip())


def request_resolve(*, user, request: ServiceRequest, resolution: str, files=()) -> ServiceRequest:
    """办结: what was done, with any documents; the enterprise may then rate it or send it back."""
    ensure(user, "request.resolve", request)
    _ensure_open(request)
    if not resolution.strip():
        raise ValidationError({"resolution": "请写明办理结果。"})
    for upload in files:
        validate_upload(upload, allowed=ATTACHMENT_KINDS)
    with transaction.atomic():
        request = _step(
            request,
            user,
            Kind.RESOLVE,
            resolution.strip(),
            status=Status.RESOLVED,
            resolution=resolution.strip(),
            resolved_on=local_today(),
        )
        event = request.events.order_by("-at", "-id").first()
        for upload in files:
            RequestAttachment.objects.create(event=event, file=upload, name=upload.name[:200])
        notify(enterprise_users(request), f"诉求已办结：{request.title}", "请查看办理结果并评价。", request)
    return request


def request_reopen(*, user, request: ServiceRequest, reason: str) -> ServiceRequest:
    """退回重办: staff or the enterprise send a resolved request back, saying why."""
    ensure(user, "request.reopen", request)
    if request.status != Status.RESOLVED:
        raise ValidationError("只有已办结、尚未评价的诉求可以退回重办。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明退回重办的原因。"})
    status = Status.ASSIGNED if request.assignee_id or request.assignee_department else Status.RECEIVED
    # The assignee if there is one, else whoever handles the zone's requests (a department is not in the system).
    told = [request.assignee] if request.assignee is not None else handlers(request)
    notify([person for person in told if person != user], f"诉求被退回重办：{request.title}", reason.strip(), request)
    return _step(request, user, Kind.REOPEN, reason.strip(), status=status, resolved_on=None, resolution="")


def request_rate(*, user, request: ServiceRequest, satisfaction: int, comment: str = "") -> ServiceRequest:
    """评价: the enterprise's satisfaction (1–5); staff may record it for the enterprise (回访)."""
    ensure(user, "request.rate", request)
    if request.status != Status.RESOLVED:
        raise ValidationError("诉求办结后才能评价。")
    if satisfaction not in range(1, 6):
        raise ValidationError({"satisfaction": "满意度为 1 至 5 分。"})
    if len(comment) > 300:
        raise ValidationError({"comment": f"评价意见不能超过300个字（现有{len(comment)}个字）。"})
    who = "企业评价" if is_requester(user, request) else "回访代录"
    text = f"{who}：{satisfaction}分。{comment.strip()}".strip()
    if satisfaction <= UNSATISFIED:  # 不满意: those who handle the zone's requests should call back
        notify(handlers(request), f"企业不满意：{request.title}", text, request)
    return _step(request, user, Kind.RATE, text, status=Status.RATED, satisfaction=satisfaction, feedback=comment)


def _step(request: ServiceRequest, user, kind: str, note: str, due_on_event=None, **changes) -> ServiceRequest:
    with transaction.atomic():
        before = trail.snapshot(request)
        for name, value in changes.items():
            setattr(request, name, value)
        request.save()
        _event(request, kind, user, note, due_on_event)
        trail.record_update(user=user, instance=request, before=before, note=RequestEvent.Kind(kind).label)
    return request


def _event(request: ServiceRequest, kind: str, user, note: str, due_on=None) -> RequestEvent:
    actor = user if getattr(user, "is_authenticated", False) else None
    return RequestEvent.objects.create(request=request, kind=kind, user=actor, note=note, due_on=due_on)


def handlers(request: ServiceRequest) -> list:
    """Who hears of a request nobody holds yet: the enterprise's 包联干部 if it has one, else the
    zone's members who handle requests."""
    if request.enterprise is not None and request.enterprise.liaison is not None:
        return [request.enterprise.liaison]
    return list(zone_members_with(request.zone, Perm.REQUEST_HANDLE))


def _deadline(request: ServiceRequest) -> str:
    day = min(day for day in (request.due_on, request.assigned_due_on) if day is not None)
    return f"{cn_date(day)}"


def enterprise_users(request: ServiceRequest) -> list:
    """The enterprise's own accounts, who follow and rate its requests."""
    if request.enterprise_id is None:
        return []
    users = get_user_model().objects.filter(membership__unit__enterprise_id=request.enterprise_id, is_active=True)
    return list(users)


def notify(users, subject: str, body: str, request: ServiceRequest) -> None:
    """A message in each person's inbox, linking to the request (reminders of overdue ones come from send_reminders)."""
    from kaifaqu.notifications.models import InboxMessage

    InboxMessage.objects.bulk_create(
        InboxMessage(user=user, subject=subject, body=body, link=f"/requests/{request.pk}/") for user in users
    )
