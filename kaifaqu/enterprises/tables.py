from django.urls import reverse
from django.utils.html import format_html, format_html_join

from kaifaqu.core.tables import Column, name_link


def _flags(enterprise) -> str:
    return (
        format_html_join(
            " ",
            '<span class="badge text-bg-light border">{}</span>',
            ((label,) for label in enterprise.flag_labels),
        )
        or "—"
    )


ENTERPRISE_COLUMNS = [
    Column("name", "企业名称", lambda e: name_link(reverse("enterprises:detail", args=[e.pk]), e.name), "name"),
    Column("credit_code", "统一社会信用代码", lambda e: e.credit_code or "—", "credit_code", "font-monospace"),
    Column("zone", "开发区", lambda e: e.zone.display_name, "zone__name"),
    Column("industry", "所属行业", lambda e: e.industry or "—", "industry"),
    Column("flags", "企业类型", _flags),
    Column("projects", "项目数", lambda e: format_html("{}", e.project_count), "project_count", "text-end"),
]
