"""Demo requests (诉求) at every step: waiting, assigned, overdue, escalated, resolved and rated."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kaifaqu.enterprises.models import Enterprise
from kaifaqu.projects.models import local_today
from kaifaqu.services import services
from kaifaqu.services.models import RequestEvent, ServiceRequest

# (days before the loading day, category, urgency, title, how far it got, satisfaction): the last
# three months, so the monthly counts show more than one month whatever day the demo is loaded.
REQUESTS = (
    (80, "utilities", "normal", "厂区门前道路未硬化，雨天重车无法通行", "rated", 5),
    (55, "land", "normal", "二期项目用地指标尚未落实", "resolved", None),
    (30, "funding", "urgent", "技改项目贴息资金申报材料退回，需指导", "rated", 4),
    (25, "labour", "normal", "焊工、电工等技术工人招聘困难", "escalated", None),
    (20, "approval", "normal", "危化品仓库扩建环评批复进度慢", "assigned", None),
    (12, "utilities", "urgent", "10千伏专线接入时间需提前", "assigned", None),
    (6, "environment", "normal", "焦炉煤气放散口整改标准咨询", "received", None),
    (2, "other", "normal", "员工子女入学协调", "received", None),
)


def demo_requests(*, admin, today: datetime.date) -> int:
    # Spread over the zones (one enterprise of each), 鹏飞 first: its demo user sees its own.
    enterprises = list({e.zone_id: e for e in Enterprise.objects.order_by("-pk")}.values())[-3:]
    for index, (ago, category, urgency, title, reached, satisfaction) in enumerate(REQUESTS):
        received = today - datetime.timedelta(days=ago)
        request = services.request_file(
            user=admin,
            enterprise=enterprises[index % len(enterprises)],
            title=title,
            category=category,
            urgency=urgency,
            received_on=received,
        )
        due = _advance(request, admin, reached, satisfaction, received, today)
        _backdate(request, reached, received, today, due)
    return len(REQUESTS)


def _advance(request, admin, reached, satisfaction, received, today: datetime.date) -> datetime.date | None:
    """Take the request to the step it reached; returns the 交办时限 it was given."""
    if reached == "received":
        return None
    due = max(today, received + datetime.timedelta(days=7))
    if request.due_on >= today:
        due = min(due, request.due_on)  # an assignee is not given longer than the request has
    # The service refuses a 交办时限 before the clock's today: a demo dated to a past day
    # (tests pin one) assigns with a valid date and _backdate writes its own.
    given = max(due, local_today())
    services.request_assign(user=admin, request=request, department="经济发展局", assignee=None, due_on=given)
    if reached == "escalated":
        services.request_escalate(user=admin, request=request, leader="王建军", note="逾期未办结")
    if reached in ("resolved", "rated"):
        services.request_resolve(user=admin, request=request, resolution="已协调有关部门办理完毕，企业已确认。")
    if reached == "rated":
        services.request_rate(user=admin, request=request, satisfaction=satisfaction, comment="回访：满意")
    return due


def _backdate(request, reached: str, received: datetime.date, today: datetime.date, due) -> None:
    """The steps happened a day apart from filing on, not all at loading time."""
    if due is not None:
        ServiceRequest.objects.filter(pk=request.pk).update(assigned_due_on=due)
        RequestEvent.objects.filter(request=request, kind=RequestEvent.Kind.ASSIGN).update(due_on=due)
    if reached in ("resolved", "rated"):
        done = min(today, received + datetime.timedelta(days=9))
        ServiceRequest.objects.filter(pk=request.pk).update(resolved_on=done)
    for offset, event in enumerate(RequestEvent.objects.filter(request=request).order_by("at", "pk")):
        day = received + datetime.timedelta(days=min(offset, (today - received).days))
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
        RequestEvent.objects.filter(pk=event.pk).update(at=moment)
