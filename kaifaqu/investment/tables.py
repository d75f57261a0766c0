"""The 目标企业库's columns, declared once: the list page shows them and its export writes them.

Rows are targets annotated by ``selectors.targets_with_progress`` (``lead_count``,
``has_signed_lead``) and with ``last_activity_on`` (the latest 招商活动 that met them).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html

from kaifaqu.core.tables import Column, choice_rank, name_link

from .models import Target

STATUS_BADGES = {
    Target.Status.UNTOUCHED: "text-bg-light border",
    Target.Status.CONTACTED: "text-bg-info",
    Target.Status.NEGOTIATING: "text-bg-warning",
    Target.Status.LANDED: "text-bg-success",
    Target.Status.DROPPED: "text-bg-secondary",
}


def shown_status(target: Target) -> str:
    """The status as the office reads it: 已落地 as soon as one of its leads has signed."""
    if getattr(target, "has_signed_lead", False) and target.status != Target.Status.DROPPED:
        return Target.Status.LANDED
    return target.status


def _status(target: Target) -> str:
    status = shown_status(target)
    return format_html('<span class="badge {}">{}</span>', STATUS_BADGES[status], Target.Status(status).label)


def _day(target: Target) -> str:
    day = getattr(target, "last_activity_on", None)
    return day.strftime("%Y-%m-%d") if day else "—"


TARGET_COLUMNS = [
    Column(
        "name", "企业名称", lambda t: name_link(reverse("investment:target", args=[t.pk]), t.name), "name", "col-name"
    ),
    Column("zone", "开发区", lambda t: t.zone.display_name, "zone__name", "col-optional"),
    Column("industry", "招商产业", lambda t: t.industry.name if t.industry_id else "—", "industry__name"),
    Column("hq_region", "总部所在地", lambda t: t.hq_region or "—", "hq_region", "col-optional"),
    Column(
        "size",
        "企业规模",
        lambda t: t.get_size_display() or "—",
        choice_rank("size", Target.Size.values),
        "col-optional text-nowrap",
    ),
    Column("owner", "责任人", lambda t: t.owner or "—", "owner", "col-optional"),
    Column("status", "对接状态", _status, choice_rank("status", Target.Status.values), "text-nowrap"),
    Column("leads", "线索数", lambda t: format_html("{}", t.lead_count), "lead_count", "text-end"),
    Column("last_activity", "最近对接", _day, "last_activity_on", "text-nowrap col-optional"),
]
