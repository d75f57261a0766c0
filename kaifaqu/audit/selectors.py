"""Reads of the audit trail: a record's history, the scoped log, recent failed logins."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.utils import timezone

from kaifaqu.core.scoping import get_visible_or_404

from .models import AuditEntry

HISTORY_PAGE_SIZE = 20
# Records whose pages show a history, by the key prefix the trail writes.
RECORD_MODELS = ("projects.project", "enterprises.enterprise", "zones.zone", "land.parcel")


def visible_record(user, key: str):
    """The record named by ``key`` (``app.model:pk``) if the user may see it; otherwise 404."""
    label, _, pk = key.partition(":")
    if label not in RECORD_MODELS or not pk.isdigit():
        raise Http404("未找到该记录，或您无权查看。")
    return get_visible_or_404(apps.get_model(label), user, pk=int(pk))


def record_history(user, key: str, *, page: int | str | None = 1) -> Page:
    """One page of a record's history, newest first (the record must be visible: 404 otherwise)."""
    visible_record(user, key)
    entries = (
        AuditEntry.objects.visible_to(user)
        .for_record(key)
        .select_related("user__membership__unit")  # each row names the person and unit
        .order_by("-at", "-id")
    )
    return Paginator(entries, HISTORY_PAGE_SIZE).get_page(page)


def failed_logins(*, username: str, ip: str | None, since: datetime.timedelta) -> tuple[int, int]:
    """Failed logins in the last ``since``: (for this username, from this address)."""
    start = timezone.now() - since
    failures = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, at__gte=start)
    by_user = failures.filter(username=username).count() if username else 0
    by_ip = failures.filter(ip=ip).count() if ip else 0
    return by_user, by_ip


def changes_since(record, version: int) -> list[AuditEntry]:
    """The record's own changes that made versions after ``version``, oldest first."""
    key = f"{record._meta.label_lower}:{record.pk}"
    return list(
        AuditEntry.objects.filter(record_key=key, object_key=key, record_version__gt=version).order_by("at", "id")
    )


def describe_changes(entries: list[AuditEntry]) -> str:
    """``张三 于 11-22 21:33 修改（总投资（万元）：50000.00 → 60000.00）；…`` for a conflict message."""
    parts = []
    for entry in entries:
        fields = "，".join(f"{label}：{old or '（空）'} → {new or '（空）'}" for label, old, new in entry.change_rows)
        who = entry.username or "系统"
        parts.append(f"{who} 于 {entry.local_at:%m-%d %H:%M} {entry.get_action_display()}（{fields or '无字段变化'}）")
    return "；".join(parts) or "（修改内容未能列出）"
