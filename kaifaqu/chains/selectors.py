"""Reads of chains: each chain's figures (links by status, enterprises, 规上, projects by task, leads
for the missing links) and the sentence offices write (吕梁: 延链项目3个、补链项目3个、强链项目3个).

The placements passed in are already scoped (``visible_to``): a zone looking at its city's chain
counts only its own records on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from kaifaqu.core.money import format_wan, format_yi
from kaifaqu.projects.models import Stage
from kaifaqu.projects.selectors import Bucket

from .models import ChainEnterprise, ChainLink, ChainProject, ChainTarget, IndustryChain, Task

LEAD_STAGES = (Stage.CONTACT, Stage.INTENT, Stage.READY, Stage.SIGNED)
# The order offices name the tasks in (吕梁, seed 004), 建链 last.
TASK_ORDER = (Task.EXTEND, Task.FILL, Task.STRENGTHEN, Task.BUILD)


@dataclass
class ChainFigures:
    chain: IndustryChain
    links: dict[str, int] = field(default_factory=dict)  # total, existing, weak, missing
    enterprises: int = 0
    above_scale: int = 0
    projects_by_task: dict[str, Bucket] = field(default_factory=dict)  # label → Bucket
    leads_for_missing_links: int = 0
    targets_for_missing_links: int = 0

    @property
    def sentence(self) -> str:
        """``氢能产业链：延链项目3个，总投资12亿元；补链项目3个，…。`` (tasks with no project left out)."""
        parts = [
            f"{label}项目{bucket.count}个，总投资{format_yi(bucket.investment, strip_zeros=True)}亿元"
            for label, bucket in self.projects_by_task.items()
            if bucket.count
        ]
        body = "；".join(parts) if parts else "暂无链上项目"
        return f"{self.chain.name}产业链：{body}。"

    def as_json(self) -> dict:
        leader = self.chain.leader_enterprise
        return {
            "chain": self.chain.name,
            "scope": self.chain.scope_name,
            "leader_enterprise": leader.name if leader else None,
            "links": self.links,
            "enterprises": self.enterprises,
            "above_scale": self.above_scale,
            "projects_by_task": {
                label: {"count": bucket.count, "investment_wan": format_wan(bucket.investment)}
                for label, bucket in self.projects_by_task.items()
            },
            "leads_for_missing_links": self.leads_for_missing_links,
            "targets_for_missing_links": self.targets_for_missing_links,
            "sentence": self.sentence,
        }


def chain_figures(
    chain: IndustryChain,
    *,
    enterprises: QuerySet[ChainEnterprise],
    projects: QuerySet[ChainProject],
    targets: QuerySet[ChainTarget],
) -> ChainFigures:
    figures = ChainFigures(chain)
    statuses = dict(chain.links.order_by().values_list("status").annotate(n=Count("id")))
    figures.links = {
        "total": sum(statuses.values()),
        **{status: statuses.get(status, 0) for status in ChainLink.Status.values},
    }
    on_chain = enterprises.filter(link__chain=chain)
    figures.enterprises = on_chain.values("enterprise_id").distinct().count()
    figures.above_scale = on_chain.filter(enterprise__is_above_scale=True).values("enterprise_id").distinct().count()
    figures.projects_by_task = {Task(task).label: Bucket() for task in TASK_ORDER}
    placed = projects.filter(link__chain=chain).exclude(project__stage=Stage.TERMINATED)
    for row in placed.order_by().values("task").annotate(n=Count("id"), investment=Sum("project__total_investment")):
        figures.projects_by_task[Task(row["task"]).label].add(row["n"], row["investment"])
    missing = ChainLink.Status.MISSING
    figures.leads_for_missing_links = placed.filter(link__status=missing, project__stage__in=LEAD_STAGES).count()
    figures.targets_for_missing_links = targets.filter(link__chain=chain, link__status=missing).count()
    return figures


def chains_for_zone(zone) -> QuerySet[IndustryChain]:
    """The zone's own chains and those of its city and province (a city chain spans its zones)."""
    from django.db.models import Q

    from kaifaqu.regions.selectors import regions_holding

    codes = regions_holding([zone.region_id])
    return IndustryChain.objects.filter(Q(zone=zone) | Q(zone__isnull=True, region_id__in=sorted(codes)))


def investment_total(buckets: dict[str, Bucket]) -> Decimal:
    return sum((bucket.investment for bucket in buckets.values()), Decimal("0"))
