"""Who may change a project: the 项目台账 permission covers every project of the zone; the
招商 permission covers the projects still in the 招商 stages, and moves that keep them there
or terminate them (docs/permissions.md)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kaifaqu.core.rights import rule, zones_with
from kaifaqu.core.scoping import Perm, scope_for

from . import lifecycle
from .models import Project, Stage

# The investment-promotion stages (招商): a 招商专员 keeps a project until it is filed (备案).
PIPELINE_STAGES = frozenset(lifecycle.ORDER[: lifecycle.RANK[Stage.FILED]])


def _ledger_zones(user) -> frozenset[int] | None:
    return zones_with(user, Perm.PROJECT_CHANGE, Perm.PIPELINE_CHANGE)


def _pipeline_only(user, projects: QuerySet) -> QuerySet:
    """In zones where the user holds only the 招商 permission, only the projects before 备案."""
    ids = zones_with(user, Perm.PROJECT_CHANGE)
    if ids is None:
        return projects
    in_pipeline = Q(stage__in=PIPELINE_STAGES) | Q(stage=Stage.TERMINATED, terminated_from__in=PIPELINE_STAGES)
    return projects.filter(Q(zone_id__in=sorted(ids)) | in_pipeline)


def _refusal(user, project: Project | None = None, **context) -> str:
    if project is not None and scope_for(user).can(Perm.PIPELINE_CHANGE, project.zone_id):
        return "招商专员只能维护备案前（谋划储备至签约）的项目；备案及以后的阶段由项目专员维护。"
    return "您没有维护该项目台账的权限，或该项目不在您的管辖范围内。"


@rule("project.change", refusal=_refusal, zones=_ledger_zones, narrow=_pipeline_only)
def may_change(user, project: Project | None = None, *, to_stage: str | None = None) -> bool:
    """May ``user`` change ``project`` (and, for a stage move, move it to ``to_stage``)?
    Asked of no project: does the user keep any zone's ledger?"""
    scope = scope_for(user)
    if project is None:
        return scope.can_anywhere(Perm.PROJECT_CHANGE) or scope.can_anywhere(Perm.PIPELINE_CHANGE)
    if scope.can(Perm.PROJECT_CHANGE, project.zone_id):
        return True
    if not scope.can(Perm.PIPELINE_CHANGE, project.zone_id):
        return False
    current = project.terminated_from if project.stage == Stage.TERMINATED else project.stage
    target_ok = to_stage is None or to_stage in PIPELINE_STAGES or to_stage == Stage.TERMINATED
    return current in PIPELINE_STAGES and target_ok


@rule("project.create", refusal=_refusal, zones=_ledger_zones)
def may_create(user, project: Project | None = None, *, to_stage: str | None = None) -> bool:
    """Registering a project (at ``to_stage``) is changing that zone's ledger."""
    return may_change(user, project, to_stage=to_stage)


def reachable_stages(user, project: Project) -> list[str]:
    """The stages the user may move ``project`` to (the stage dialog offers only these)."""
    return [stage for stage in Stage.values if stage != project.stage and may_change(user, project, to_stage=stage)]
