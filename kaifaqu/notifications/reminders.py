"""What is due today, and sending it: once per item and period, recorded, failures retried.

Items and their periods (a reminder is sent once per period, whatever the number of runs):
- an overdue 诉求: every day it stays overdue, to its assignee (or the zone's handlers) and the zone's robots;
- an overdue 代办事项: every day, to its agent (or the zone's project staff) and the zone's robots;
- an overdue 节点 (milestone): once a week, to the zone's robots;
- a zone's overdue 月报: once per reporting month, to the zone's reporters and robots;
- a city's or province's office: one digest a day for its robots, each zone's overdue counts, when any.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kaifaqu.core.scoping import Perm
from kaifaqu.core.text import cn_date
from kaifaqu.indicators.models import IndicatorReport
from kaifaqu.indicators.reporting import WAITING, due_on, month_before
from kaifaqu.projects.models import Milestone
from kaifaqu.regions.models import Region
from kaifaqu.services.models import AgencyItem, ServiceRequest
from kaifaqu.zones.models import Unit, Zone
from kaifaqu.zones.selectors import zone_members_with

from .models import Channel, Delivery, InboxMessage
from .senders import DeliveryError, send_email, send_webhook

INBOX, EMAIL = "inbox", "email"
CHANNEL_LABELS = {INBOX: "站内消息", EMAIL: "电子邮件", **dict(Channel.Kind.choices)}


@dataclass
class Reminder:
    key: str
    zone: Zone | None  # the zone whose robots get it; None for an office's digest
    subject: str
    body: str
    link: str = ""
    users: list = field(default_factory=list)  # people reached in the inbox and by email
    office: Unit | None = None  # the city or province office whose robots get the digest

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]


@dataclass
class Line:
    channel: str
    recipient: str
    subject: str
    status: str  # sent, failed, would-send

    def __str__(self) -> str:
        return f"{CHANNEL_LABELS.get(self.channel, self.channel)}\t{self.recipient}\t{self.subject}"


def due_reminders(today: datetime.date) -> list[Reminder]:
    for_zones = [
        *_overdue_requests(today),
        *_overdue_agency_items(today),
        *_overdue_milestones(today),
        *_overdue_reports(today),
    ]
    return [*for_zones, *_office_digests(today, for_zones)]


DIGEST_PARTS = (  # reminder kind → how the digest counts it
    ("request", "诉求逾期{}件"),
    ("agency", "代办逾期{}项"),
    ("milestone", "节点逾期{}个"),
    ("indicator-report", "月报逾期未报"),
)


def _office_digests(today: datetime.date, reminders: list[Reminder]):
    """A city's or province's robots get one message a day naming each zone under it with overdue work,
    rather than every item: the office follows the zones, the zones follow the items."""
    offices = (
        Unit.objects.filter(kind__in=[Unit.Kind.CITY, Unit.Kind.PROVINCE], channels__active=True)
        .select_related("region")
        .distinct()
    )
    for office in offices:
        prefix = office.region.scope_prefix
        counts: dict[Zone, dict[str, int]] = {}
        for reminder in reminders:
            if reminder.zone is not None and reminder.zone.region.code.startswith(prefix):
                per_zone = counts.setdefault(reminder.zone, {})
                per_zone[reminder.kind] = per_zone.get(reminder.kind, 0) + 1
        if not counts:
            continue
        lines = [
            f"{zone.display_name}："
            + "、".join(text.format(found[kind]) for kind, text in DIGEST_PARTS if kind in found)
            for zone, found in sorted(counts.items(), key=lambda pair: (pair[0].region.code, pair[0].name))
        ]
        yield Reminder(
            key=f"office-digest:{office.pk}:{today.isoformat()}",
            zone=None,
            office=office,
            subject=f"逾期事项汇总：{office.region.name}{today.month}月{today.day}日",
            body=f"截至{cn_date(today)}，{len(counts)}个开发区有逾期事项：\n" + "\n".join(lines),
            link="/requests/?overdue=true",
        )


def _overdue_agency_items(today: datetime.date):
    items = AgencyItem.objects.overdue(today).select_related("project__zone__region", "approval_type", "agent")
    for item in items:
        project = item.project
        yield Reminder(
            key=f"agency:{item.pk}:{today.isoformat()}",
            zone=project.zone,
            subject=f"代办逾期：{project.name} {item.approval_type.name}",
            body=f"{project.zone.display_name}项目“{project.name}”的{item.approval_type.name}应于"
            f"{cn_date(item.due_on)}办结，目前仍在办理中。",
            link=f"/agency/projects/{project.pk}/",
            users=[item.agent] if item.agent else _zone_users(project.zone, Perm.PROJECT_CHANGE),
        )


def _overdue_requests(today: datetime.date):
    for request in ServiceRequest.objects.overdue(today).select_related("zone__region", "enterprise", "assignee"):
        users = [request.assignee] if request.assignee else _zone_users(request.zone, Perm.REQUEST_HANDLE)
        who = f"（{request.enterprise.name}）" if request.enterprise else ""
        yield Reminder(
            key=f"request:{request.pk}:{today.isoformat()}",
            zone=request.zone,
            subject=f"诉求逾期：{request.title}",
            body=f"{request.zone.display_name}企业诉求“{request.title}”{who}办结时限为{cn_date(request.due_on)}，"
            f"目前{request.get_status_display()}，请抓紧办理。",
            link=f"/requests/{request.pk}/",
            users=users,
        )


def _overdue_milestones(today: datetime.date):
    year, week, _ = today.isocalendar()
    for milestone in Milestone.objects.overdue(today).select_related("project__zone__region"):
        project = milestone.project
        yield Reminder(
            key=f"milestone:{milestone.pk}:{year}-W{week:02d}",
            zone=project.zone,
            subject=f"节点逾期：{project.name} {milestone.name}",
            body=f"{project.zone.display_name}项目“{project.name}”的节点“{milestone.name}”计划{cn_date(milestone.planned_on)}"
            f"完成，尚未完成{f'（责任人：{milestone.owner}）' if milestone.owner else ''}。",
            link=f"/projects/{project.pk}/",
        )


def _overdue_reports(today: datetime.date):
    year, month = month_before(today.year, today.month)
    reported = {
        zone_id
        for zone_id, status in IndicatorReport.objects.filter(year=year, month=month, zone__isnull=False).values_list(
            "zone_id", "status"
        )
        if status not in WAITING
    }
    cities = {region.code: region for region in Region.objects.filter(level=Region.Level.CITY)}
    for zone in Zone.objects.select_related("region").exclude(pk__in=reported):
        city = cities.get(zone.region.code[:4] + "00")
        if city is None or today <= due_on(city, year, month):
            continue
        yield Reminder(
            key=f"indicator-report:{zone.pk}:{year}-{month:02d}",
            zone=zone,
            subject=f"月报逾期：{zone.display_name}{year}年1-{month}月",
            body=f"{zone.display_name}{year}年1-{month}月主要经济指标月报已过报送截止日期"
            f"（{cn_date(due_on(city, year, month))}），请尽快填报。",
            link=f"/indicators/fill/?zone={zone.pk}&period={year}-{month:02d}",
            users=_zone_users(zone, Perm.INDICATOR_REPORT),
        )


def _zone_users(zone: Zone, perm: str) -> list:
    return list(zone_members_with(zone, perm))


def send_reminders(*, today: datetime.date, dry_run: bool = False) -> list[Line]:
    """Send what is due and not yet sent (or failed before, up to the attempts allowed)."""
    lines = []
    channels = _active_channels()
    for reminder in due_reminders(today):
        unit = ("unit", reminder.office.pk) if reminder.office else ("zone", reminder.zone.pk)
        for channel, recipient, target, send in _targets(reminder, channels.get(unit, [])):
            lines.extend(_deliver(reminder, channel, recipient, target, send, dry_run))
    return lines


def _active_channels() -> dict[tuple[str, int], list[Channel]]:
    """A zone unit's channels under ("zone", zone id); an office's under ("unit", unit id)."""
    found: dict[tuple[str, int], list[Channel]] = {}
    for channel in Channel.objects.filter(active=True).select_related("unit"):
        unit = channel.unit
        if unit.kind == Unit.Kind.ZONE:
            found.setdefault(("zone", unit.zone_id), []).append(channel)
        elif unit.kind in (Unit.Kind.CITY, Unit.Kind.PROVINCE):
            found.setdefault(("unit", unit.pk), []).append(channel)
    return found


def _targets(reminder: Reminder, channels: list[Channel]):
    """(channel, recipient, the unit's Channel or None, how to send) for each person and each of the unit's channels."""
    text = f"【开发区调度平台】{reminder.subject}\n{reminder.body}"
    for user in reminder.users:
        yield INBOX, user.username, None, lambda user=user: _to_inbox(user, reminder)
        if user.email:
            yield EMAIL, user.email, None, lambda user=user: send_email(user.email, reminder.subject, reminder.body)
    for channel in channels:
        if channel.kind == Channel.Kind.EMAIL:
            yield EMAIL, channel.address, channel, partial(send_email, channel.address, reminder.subject, text)
        else:
            yield (
                channel.kind,
                channel.name,
                channel,
                partial(send_webhook, channel.kind, channel.address, channel.secret, text),
            )


def _to_inbox(user, reminder: Reminder) -> None:
    InboxMessage.objects.create(user=user, subject=reminder.subject, body=reminder.body, link=reminder.link)


def _deliver(reminder: Reminder, channel: str, recipient: str, target, send, dry_run: bool) -> list[Line]:
    delivery = Delivery.objects.filter(key=reminder.key, channel=channel, recipient=recipient).first()
    if delivery is not None and (
        delivery.status == Delivery.Status.SENT or delivery.attempts >= settings.KAIFAQU_DELIVERY_ATTEMPTS
    ):
        return []
    if dry_run:
        return [Line(channel, recipient, reminder.subject, "would-send")]
    delivery = delivery or Delivery(
        key=reminder.key, channel=channel, recipient=recipient, target=target, subject=reminder.subject
    )
    delivery.attempts += 1
    try:
        with transaction.atomic():
            send()
    except DeliveryError as exc:
        delivery.status, delivery.error = Delivery.Status.FAILED, str(exc)[:300]
    else:
        delivery.status, delivery.error, delivery.sent_at = Delivery.Status.SENT, "", timezone.now()
    delivery.save()
    return [Line(channel, recipient, reminder.subject, delivery.status)]
