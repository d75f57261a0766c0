"""Reads of chains: each chain's figures (links by status, enterprises, 规上, projects by task, leads
for the missing links) and the sentence offices write (吕梁: 延链项目3个、补链项目3个、强链项目3个).

The placements passed in are already scoped (``visible_to``): a zone looking at its city's chain
counts only its own records on it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from kaifaqu.core.money import format_wan, format_yi
from kaifaqu.core.tables import choice_rank
from kaifaqu.investment.models import Target
from kaifaqu.projects.models import Stage
from kaifaqu.projects.selectors import Bucket

from .models import ChainEnterprise, ChainLink, ChainPolicy, ChainProject, ChainTarget, IndustryChain, Policy, Task

# A lead for a link: a project on it still being sought, up to signed-but-not-filed.
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
    # Companies still sought (not 放弃), each once however many missing links list it.
    sought = targets.filter(link__chain=chain, link__status=missing).exclude(target__status=Target.Status.DROPPED)
    figures.targets_for_missing_links = sought.values("target_id").distinct().count()
    return figures


def policies_for_chain(chain: IndustryChain) -> QuerySet[Policy]:
    """The policies that may serve the chain: of its zone or the regions holding it, or (an office's
    chain) of the zones and regions within it and those holding it."""
    from django.db.models import Q

    from kaifaqu.regions.selectors import regions_holding

    if chain.zone_id is not None:
        holding = regions_holding([chain.zone.region_id])
        return Policy.objects.filter(Q(zone_id=chain.zone_id) | Q(zone__isnull=True, region_id__in=sorted(holding)))
    prefix = chain.region.scope_prefix
    holding = regions_holding([chain.region_id])
    return Policy.objects.filter(
        Q(zone__region__code__startswith=prefix)
        | Q(zone__isnull=True, region__code__startswith=prefix)
        | Q(zone__isnull=True, region_id__in=sorted(holding))
    )


STATUS_COLOURS = {  # the map's colours: Bootstrap's success / warning / danger, as on the badges
    ChainLink.Status.EXISTING: "#198754",
    ChainLink.Status.WEAK: "#ffc107",
    ChainLink.Status.MISSING: "#dc3545",
}


def chain_map(chain: IndustryChain, links: list[ChainLink], counts: dict[int, dict[str, int]]) -> dict:
    """一图: the chain as a tree for ECharts (chain › 上游/中游/下游 › links, nested), each link coloured
    by its status and sized by the enterprises the user sees on it."""
    children: dict[int | None, list[ChainLink]] = {}
    for link in links:
        children.setdefault(link.parent_id, []).append(link)

    def node(link: ChainLink) -> dict:
        count = counts.get(link.pk, {})
        enterprises = count.get("enterprises", 0)
        return {
            "name": link.name,
            "id": link.pk,
            "status": link.get_status_display(),
            "task": link.get_task_display(),
            "enterprises": enterprises,
            "projects": count.get("projects", 0),
            "targets": count.get("targets", 0),
            "symbolSize": round(10 + min(enterprises, 16) ** 0.5 * 6),  # 1 → 16, 4 → 22, 16 and more → 34
            "itemStyle": {"color": STATUS_COLOURS[link.status], "borderColor": STATUS_COLOURS[link.status]},
            "children": [node(child) for child in children.get(link.pk, [])],
        }

    segments = [
        {
            "name": label,
            "symbolSize": 12,
            "itemStyle": {"color": "#6c757d"},
            "children": [node(link) for link in children.get(None, []) if link.segment == value],
        }
        for value, label in ChainLink.Segment.choices
    ]
    return {
        "name": f"{chain.name}产业链",
        "symbolSize": 16,
        "itemStyle": {"color": "#0d6efd"},
        "children": [segment for segment in segments if segment["children"]],
    }


def chains_for_zone(zone) -> QuerySet[IndustryChain]:
    """The zone's own chains and those of its city and province (a city chain spans its zones)."""
    from django.db.models import Q

    from kaifaqu.regions.selectors import regions_holding

    codes = regions_holding([zone.region_id])
    return IndustryChain.objects.filter(Q(zone=zone) | Q(zone__isnull=True, region_id__in=sorted(codes)))


def investment_total(buckets: dict[str, Bucket]) -> Decimal:
    return sum((bucket.investment for bucket in buckets.values()), Decimal("0"))


# ---------------------------------------------------------------- 五清单


@dataclass
class FiveLists:
    """A chain's or a link's 五清单 (a link's include those of the links under it), as the user sees them.
    招商清单 is the target companies and the leads (``LEAD_STAGES``); 问题清单 the open requests of
    the listed enterprises."""

    policies: list[Policy]  # each once; ``served``: the names of its links here, ``places`` its ChainPolicy rows
    enterprises: list[ChainEnterprise]
    projects: list[ChainProject]
    targets: list[ChainTarget]
    leads: list[ChainProject]
    requests: list

    # The headings count companies, not rows: an enterprise on three links is one enterprise.
    @property
    def enterprise_count(self) -> int:
        return len({placed.enterprise_id for placed in self.enterprises})

    @property
    def target_count(self) -> int:
        return len({placed.target_id for placed in self.targets})


def link_with_descendants(chain: IndustryChain, link: ChainLink) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in chain.links.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, queue = [], [link.pk]
    while queue:
        pk = queue.pop()
        found.append(pk)
        queue.extend(children.get(pk, []))
    return found


def five_lists(user, chain: IndustryChain, link: ChainLink | None = None) -> FiveLists:
    from kaifaqu.services.models import ServiceRequest

    where = {"link__chain": chain} if link is None else {"link_id__in": link_with_descendants(chain, link)}
    ordered = (choice_rank("link__segment", ChainLink.Segment.values), "link__order", "link_id", "id")

    def placed(model, *related):
        return list(model.objects.visible_to(user).filter(**where).select_related("link", *related).order_by(*ordered))

    enterprises = placed(ChainEnterprise, "enterprise__zone")
    projects = placed(ChainProject, "project__zone", "project__enterprise")
    requests = (
        ServiceRequest.objects.visible_to(user)
        .open()
        .filter(enterprise_id__in={item.enterprise_id for item in enterprises})
        .select_related("enterprise")
        .order_by("due_on", "id")
    )
    return FiveLists(
        policies=_policies(placed(ChainPolicy, "policy__zone", "policy__region")),
        enterprises=enterprises,
        projects=projects,
        targets=placed(ChainTarget, "target__zone"),
        leads=[item for item in projects if item.project.stage in LEAD_STAGES],
        requests=list(requests),
    )


def _policies(places: list[ChainPolicy]) -> list[Policy]:
    policies: dict[int, Policy] = {}
    for place in places:
        policy = policies.setdefault(place.policy_id, place.policy)
        policy.served = [*getattr(policy, "served", []), place.link.name]
        policy.places = [*getattr(policy, "places", []), place]
    # Newest first; those with no date yet (待补录) last.
    return sorted(policies.values(), key=lambda policy: policy.issued_on or datetime.date.min, reverse=True)
