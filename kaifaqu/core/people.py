"""How a person is named on pages and in exports: “姓名（单位）”, the login id kept for hover.

Offices know each other by name and unit, not by login ids such as ``zone-xiaoyi``; every
record of who did what (修改记录, 操作记录, 诉求 steps, 月报 versions, import jobs) names
people through this one helper. Callers fetch ``membership__unit`` with the user.
"""

from __future__ import annotations

from django.utils.html import format_html


def unit_name(user) -> str:
    membership = getattr(user, "membership", None) if hasattr(user, "membership") else None
    return membership.unit.name if membership is not None else ""


def person_label(user, *, unit: str | None = None) -> str:
    """``李娜（孝义经济技术开发区管委会）``; the unit is left out when the name already says it."""
    name = user.get_full_name() or user.username
    unit = unit_name(user) if unit is None else unit
    if not unit or unit in name:
        return name
    return f"{name}（{unit}）"


def person_html(user, *, fallback: str = "—", username: str = "") -> str:
    """The label with the login id in ``title``; ``username`` names a deleted user, ``fallback`` nobody."""
    if user is None:
        return format_html('<span title="账号：{}">{}</span>', username, username) if username else fallback
    return format_html('<span title="{}">{}</span>', f"账号：{user.username}", person_label(user))
