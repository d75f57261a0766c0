"""Who may file and handle 企业诉求, run 全代办, and change the shared catalogues (docs/permissions.md)."""

from __future__ import annotations

from kaifaqu.core.rights import rule, zone_id_of, zones_with
from kaifaqu.core.scoping import Perm, scope_for
from kaifaqu.zones.selectors import office_region

CATALOGUE_EDITORS = frozenset({Perm.REQUEST_HANDLE, Perm.ZONE_CHANGE})


def is_requester(user, request) -> bool:
    """The enterprise the request is about, signed in as itself."""
    enterprise_id = scope_for(user).enterprise_id
    return enterprise_id is not None and enterprise_id == request.enterprise_id


def _handles(user, obj) -> bool:
    """Staff holding 办理企业诉求 for the zone of ``obj`` (a request or a zone; none: any zone)."""
    scope = scope_for(user)
    return scope.can_anywhere(Perm.REQUEST_HANDLE) if obj is None else scope.can(Perm.REQUEST_HANDLE, zone_id_of(obj))


def _is_assignee(user, request) -> bool:
    return request is not None and request.assignee_id is not None and request.assignee_id == user.pk


@rule(
    "request.file",
    refusal=lambda user, zone=None, **context: (
        f"您没有在“{zone.name}”登记企业诉求的权限。" if zone is not None else "您没有登记企业诉求的权限。"
    ),
    zones=lambda user: zones_with(user, Perm.REQUEST_HANDLE),
)
def may_file(user, zone=None, **context) -> bool:
    """An enterprise files for itself; staff for the enterprises and projects of the zones they handle."""
    return scope_for(user).enterprise_id is not None or _handles(user, zone)


@rule(
    "request.handle",
    refusal=lambda user, obj=None, *, verb="办理", **context: f"您没有{verb}该诉求的权限。",
    zones=lambda user: zones_with(user, Perm.REQUEST_HANDLE),
)
def may_handle(user, obj=None, **context) -> bool:
    """交办、催办、督办: the zone's request handlers (包联干部, 项目专员, administrators of the zone and offices)."""
    return _handles(user, obj)


@rule("request.resolve", refusal="只有承办人或有办理权限的工作人员可以办结该诉求。")
def may_resolve(user, request=None, **context) -> bool:
    return _handles(user, request) or _is_assignee(user, request)


@rule("request.reopen", refusal="您没有退回该诉求的权限。")
def may_reopen(user, request=None, **context) -> bool:
    """退回重办: the handlers, or the enterprise itself."""
    return _handles(user, request) or (request is not None and is_requester(user, request))


@rule("request.rate", refusal="您不能评价该诉求。")
def may_rate(user, request=None, **context) -> bool:
    """评价: the enterprise itself, or a handler recording it from a 回访."""
    return (request is not None and is_requester(user, request)) or _handles(user, request)


@rule(
    "agency.run",
    refusal=lambda user, project=None, **context: (
        f"您没有为“{project.name}”安排代办的权限。" if project is not None else "您没有安排全代办的权限。"
    ),
    zones=lambda user: zones_with(user, Perm.PROJECT_CHANGE),
)
def may_run_agency(user, project=None, **context) -> bool:
    """A project's 全代办 checklist: who keeps the zone's project ledger."""
    scope = scope_for(user)
    return (
        scope.can_anywhere(Perm.PROJECT_CHANGE) if project is None else scope.can(Perm.PROJECT_CHANGE, project.zone_id)
    )


@rule("agency.update", refusal="只有项目所在开发区的工作人员或该事项的代办员可以修改。")
def may_update_agency_item(user, item=None, **context) -> bool:
    """An item: the project's zone staff, or the agent it is given to."""
    if item is None:
        return may_run_agency(user)
    return may_run_agency(user, item.project) or (item.agent_id is not None and item.agent_id == user.pk)


@rule("catalogue.change", refusal="只有市、省主管部门中办理企业诉求或维护园区的人员（及系统运维）可以修改该目录。")
def may_change_catalogues(user, obj=None, **context) -> bool:
    """诉求办理时限 and 代办审批事项 are shared by every office: operators, and city or province staff
    holding 办理企业诉求 or 维护园区 (an office's 系统管理员)."""
    scope = scope_for(user)
    return scope.everything or (bool(scope.permissions & CATALOGUE_EDITORS) and office_region(user) is not None)
