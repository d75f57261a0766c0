"""The default roles (docs/permissions.md is their matrix).

Roles are rows of ``zones.Role``: an installation may add its own. These defaults are
created by a migration and put back by ``ensure_default_roles`` (the browser tests'
flushed database needs them too).
"""

from __future__ import annotations

from typing import NamedTuple


class RoleSpec(NamedTuple):
    code: str
    name: str
    permissions: tuple[str, ...]
    unit_kinds: tuple[str, ...]
    description: str


OFFICES = ("province", "city", "zone")
ALL = (
    "project.change",
    "project.pipeline",
    "enterprise.change",
    "zone.change",
    "audit.view",
    "indicator.report",
    "indicator.review",
    "request.handle",
    "evaluation.manage",
)

ADMIN = "admin"
LEADER = "leader"
PROJECT_OFFICER = "project_officer"
INVESTMENT_OFFICER = "investment_officer"
LIAISON_OFFICER = "liaison_officer"
STATISTICIAN = "statistician"
ENTERPRISE_USER = "enterprise_user"

DEFAULT_ROLES = (
    RoleSpec(ADMIN, "系统管理员", ALL, OFFICES, "本单位辖区内的全部维护权限，可查看和导出操作记录"),
    RoleSpec(LEADER, "领导", ("audit.view",), OFFICES, "只读：查看辖区内的全部数据和操作记录"),
    RoleSpec(
        PROJECT_OFFICER,
        "项目专员",
        ("project.change", "enterprise.change", "zone.change", "request.handle"),
        ("zone",),
        "维护本开发区的项目台账、节点、进展、企业、园区和年度分类，办理企业诉求",
    ),
    RoleSpec(
        INVESTMENT_OFFICER,
        "招商专员",
        ("project.pipeline", "enterprise.change"),
        ("zone",),
        "维护本开发区备案前（谋划储备至签约）的招商项目和企业",
    ),
    RoleSpec(
        LIAISON_OFFICER,
        "包联干部",
        ("enterprise.change", "request.handle"),
        ("zone",),
        "维护本开发区的企业信息，登记和办理企业诉求，查看项目",
    ),
    RoleSpec(
        STATISTICIAN,
        "统计员",
        ("indicator.report", "indicator.review"),
        OFFICES,
        "开发区：填报本区月调度指标；市、省：填报全市（全省）数据，审核辖区开发区的月报",
    ),
    RoleSpec(ENTERPRISE_USER, "企业用户", (), ("enterprise",), "只读：查看本企业的信息和项目"),
)


# Codes added after a role was first created: existing rows (possibly edited) get them once.
ADDED_LATER = {
    ADMIN: ("indicator.report", "indicator.review", "request.handle", "evaluation.manage"),
    PROJECT_OFFICER: ("request.handle",),
    LIAISON_OFFICER: ("request.handle",),
}


def ensure_default_roles(role_model) -> None:
    """Create the default roles that are missing (existing rows, possibly edited, are left alone)."""
    for order, spec in enumerate(DEFAULT_ROLES, start=1):
        role_model.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "permissions": list(spec.permissions),
                "unit_kinds": list(spec.unit_kinds),
                "description": spec.description,
                "order": order * 10,
            },
        )


def grant_added_codes(role_model) -> None:
    """Give existing default roles the codes added after they were created (idempotent)."""
    for code, added in ADDED_LATER.items():
        role = role_model.objects.filter(code=code).first()
        if role is not None:
            role.permissions = [*role.permissions, *(perm for perm in added if perm not in role.permissions)]
            role.save(update_fields=["permissions"])
