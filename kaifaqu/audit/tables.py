from django.utils.html import format_html, format_html_join

from kaifaqu.core.people import person_html, person_label
from kaifaqu.core.tables import Column


def changes_html(entry) -> str:
    if not entry.changes:
        return entry.note or "—"
    lines = format_html_join(
        "",
        '<div><span class="text-muted">{}：</span>{} → {}</div>',
        ((label, old or "（空）", new or "（空）") for label, old, new in entry.change_rows),
    )
    note = format_html('<div class="text-muted small">说明：{}</div>', entry.note) if entry.note else ""
    return format_html("{}{}", lines, note)


AUDIT_COLUMNS = [
    Column("at", "时间", lambda e: e.local_at.strftime("%Y-%m-%d %H:%M:%S"), "at", "text-nowrap"),
    Column("username", "用户", lambda e: person_html(e.user, username=e.username), "username"),
    Column("action", "操作", lambda e: e.get_action_display(), "action", "text-nowrap"),
    Column("object", "对象", lambda e: f"{e.object_label} {e.object_repr}".strip() or "—", None),
    Column("changes", "变更内容", changes_html, None, "small"),
    Column("source", "来源", lambda e: e.get_source_display(), "source", "text-nowrap"),
    Column("ip", "IP 地址", lambda e: e.ip or "—", None, "text-nowrap"),
]

EXPORT_HEADERS = ["时间", "用户", "账号", "来源", "IP 地址", "操作", "对象类型", "对象", "字段", "原值", "新值", "说明"]


def export_rows(entries):
    """One row per changed field (an entry without field changes gives one row)."""
    for entry in entries:
        head = [
            entry.local_at,
            person_label(entry.user) if entry.user else entry.username,
            entry.username,
            entry.get_source_display(),
            entry.ip or "",
            entry.get_action_display(),
            entry.object_label,
            entry.object_repr,
        ]
        if not entry.changes:
            yield [*head, "", "", "", entry.note]
            continue
        for label, old, new in entry.change_rows:
            yield [*head, label, old or "", new or "", entry.note]
