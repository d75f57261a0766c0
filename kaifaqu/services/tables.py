from django.urls import reverse
from django.utils.html import format_html

from kaifaqu.core.tables import Column, name_link
from kaifaqu.projects.models import local_today


def _status(request) -> str:
    if request.overdue_on(local_today()):
        return format_html('{} <span class="badge text-bg-danger">逾期</span>', request.get_status_display())
    return request.get_status_display()


def _who(request) -> str:
    person = (request.assignee.get_full_name() or request.assignee.username) if request.assignee else ""
    return "、".join(part for part in (request.assignee_department, person) if part) or "—"


REQUEST_COLUMNS = [
    Column("received_on", "受理日期", lambda r: r.received_on, "received_on"),
    Column("title", "诉求事项", lambda r: name_link(reverse("services:detail", args=[r.pk]), r.title), "title"),
    Column("enterprise", "企业", lambda r: r.enterprise.name if r.enterprise else "—", "enterprise__name"),
    Column("zone", "开发区", lambda r: r.zone.display_name, "zone__name"),
    Column("category", "类别", lambda r: r.get_category_display(), "category"),
    Column("assignee", "承办", _who),
    Column("due_on", "办结时限", lambda r: r.due_on, "due_on"),
    Column("status", "状态", _status, "status"),
    Column("satisfaction", "满意度", lambda r: r.satisfaction or "—", "satisfaction", "text-end"),
]
