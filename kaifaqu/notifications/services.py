"""A unit's channels, kept by its administrators; a test message shows a robot is set up right."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from kaifaqu.audit import trail
from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import scope_for
from kaifaqu.zones.models import Unit

from .models import Channel
from .senders import send_email, send_webhook, webhook_address_problem

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def managed_unit(user) -> Unit | None:
    """The unit whose channels the user keeps: its administrators (维护园区与年度分类 or above)."""
    if not can(user, "channel.change"):
        return None
    return Unit.objects.get(pk=scope_for(user).unit_id)


def channel_save(*, user, channel: Channel) -> Channel:
    ensure(user, "channel.change", channel)
    channel.unit = unit = managed_unit(user)
    errors = {}
    if channel.kind == Channel.Kind.EMAIL:
        if not EMAIL.match(channel.address):
            errors["address"] = "请填写邮箱地址。"
    elif not channel.address.startswith(("http://", "https://")):
        errors["address"] = f"请填写{channel.get_kind_display()}的 Webhook 地址（以 https:// 开头）。"
    elif problem := webhook_address_problem(channel.kind, channel.address):
        errors["address"] = problem
    if Channel.objects.filter(unit=unit, name=channel.name.strip()).exclude(pk=channel.pk).exists():
        errors["name"] = f"本单位已有名为“{channel.name.strip()}”的通知渠道，请换一个名称。"
    if errors:
        raise ValidationError(errors)
    channel.name = channel.name.strip()
    return trail.save_recorded(user=user, instance=channel)


def channel_pause(*, user, channel: Channel, active: bool) -> Channel:
    """停用 keeps the robot's address and key for later; reminders skip it until it is 启用 again."""
    ensure(user, "channel.change", channel, verb="停用或启用")
    channel.active = active
    # No address check: a robot set up before a rule changed can still be paused.
    return trail.save_recorded(user=user, instance=channel)


def channel_delete(*, user, channel: Channel) -> None:
    ensure(user, "channel.change", channel, verb="删除")
    trail.record_delete(user=user, instance=channel)
    channel.delete()


def channel_test(*, user, channel: Channel) -> None:
    """Send a test message now; raises ``DeliveryError`` with the robot's answer when it fails."""
    ensure(user, "channel.change", channel, verb="测试")
    unit = channel.unit
    text = f"【开发区调度平台】测试消息：{unit.name}的“{channel.name}”已接通，逾期诉求、节点和月报的提醒将发到这里。"
    if channel.kind == Channel.Kind.EMAIL:
        send_email(channel.address, "开发区调度平台测试消息", text)
    else:
        send_webhook(channel.kind, channel.address, channel.secret, text)


def mark_read(user, link: str) -> None:
    """Opening the page a message points to reads it: the bell should not keep counting it."""
    from django.utils import timezone

    from .models import InboxMessage

    InboxMessage.objects.filter(user=user, link=link, read_at__isnull=True).update(read_at=timezone.now())
