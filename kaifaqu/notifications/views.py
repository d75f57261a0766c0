"""The inbox, and a unit's channels (group robots and mailboxes) with a test message."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kaifaqu.core.views import add_service_errors

from . import services
from .forms import ChannelForm
from .models import Channel, Delivery, InboxMessage
from .senders import DeliveryError


@login_required
def inbox(request):
    page = Paginator(request.user.inbox.all(), settings.KAIFAQU_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
def open_message(request, pk: int):
    """Mark read, then go where the message points (only within this site)."""
    message = get_object_or_404(InboxMessage, pk=pk, user=request.user)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    safe = url_has_allowed_host_and_scheme(message.link, allowed_hosts={request.get_host()})
    return redirect(message.link if message.link and safe else "notifications:inbox")


@require_POST
@login_required
def read_all(request):
    request.user.inbox.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:inbox")


@login_required
def channels(request):
    unit = _managed_unit_or_403(request.user)
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and _saved(form, request.user):
        messages.success(request, f"已添加“{form.instance.name}”。")
        return redirect("notifications:channels")
    context = {
        "unit": unit,
        "channels": unit.channels.all(),
        "form": form,
        "recent": Delivery.objects.filter(target__unit=unit).select_related("target")[:20],
    }
    return render(request, "notifications/channels.html", context, status=400 if form.errors else 200)


@login_required
def channel_edit(request, pk: int):
    channel = _own_channel(request.user, pk)
    form = ChannelForm(request.POST or None, instance=channel)
    if request.method == "POST" and _saved(form, request.user):
        messages.success(request, f"已保存“{form.instance.name}”。")
        return redirect("notifications:channels")
    context = {"unit": channel.unit, "channel": channel, "form": form}
    return render(request, "notifications/channel_edit.html", context, status=400 if form.errors else 200)


def _managed_unit_or_403(user):
    unit = services.managed_unit(user)
    if unit is None:
        raise PermissionDenied("只有本单位的系统管理员可以设置通知渠道。")
    return unit


def _own_channel(user, pk: int) -> Channel:
    unit = services.managed_unit(user)
    channel = Channel.objects.filter(pk=pk, unit=unit).select_related("unit").first() if unit else None
    if channel is None:  # another unit's channel, or none: not revealed either way
        raise Http404("未找到该通知渠道。")
    return channel


def _saved(form: ChannelForm, user) -> bool:
    if not form.is_valid():
        return False
    try:
        services.channel_save(user=user, channel=form.instance)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


@require_POST
@login_required
def channel_action(request, pk: int, action: str):
    channel = _own_channel(request.user, pk)
    if action == "delete":
        services.channel_delete(user=request.user, channel=channel)
        messages.success(request, f"已删除“{channel.name}”。")
    elif action in ("pause", "resume"):
        services.channel_pause(user=request.user, channel=channel, active=action == "resume")
        messages.success(request, f"已{'启用' if channel.active else '停用'}“{channel.name}”。")
    elif action == "test":
        try:
            services.channel_test(user=request.user, channel=channel)
        except DeliveryError as exc:
            messages.error(request, f"“{channel.name}”测试失败：{exc}")
        else:
            messages.success(request, f"测试消息已发到“{channel.name}”，请在群里查看。")
    else:
        raise Http404("没有这个操作。")
    return redirect("notifications:channels")
