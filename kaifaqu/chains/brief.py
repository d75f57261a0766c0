"""A chain's one-page brief (.docx): its facts and its sentence (the projects by task), its links with
what sits on each, and what is sought for the missing links — as the user sees the chain."""

from __future__ import annotations

from django.utils import timezone

from kaifaqu.core.money import format_yi
from kaifaqu.reports.content import ReportContent, Section, Table

from .models import ChainLink, IndustryChain
from .selectors import ChainFigures, FiveLists, investment_total


def chain_brief(
    chain: IndustryChain, figures: ChainFigures, lists: FiveLists, counts: dict[int, dict[str, int]]
) -> ReportContent:
    today = timezone.localdate()
    leader = chain.leader_enterprise.name if chain.leader_enterprise_id else "未指定"
    facts = [
        f"范围：{chain.scope_name}；链长：{chain.chief or '未指定'}；链主企业：{leader}。",
        f"{figures.sentence}环节{figures.links['total']}个（已有{figures.links['existing']}个、"
        f"薄弱{figures.links['weak']}个、缺失{figures.links['missing']}个）；链上企业{figures.enterprises}家，"
        f"其中规上{figures.above_scale}家；链上项目总投资"
        f"{format_yi(investment_total(figures.projects_by_task), strip_zeros=True)}亿元。",
        f"缺失环节在谈招商线索{figures.leads_for_missing_links}个、目标企业{figures.targets_for_missing_links}家；"
        f"政策{len(lists.policies)}项；清单内企业未办结诉求{len(lists.requests)}件。",
    ]
    if chain.description:
        facts.append(chain.description)
    sections = [
        Section("一、基本情况", paragraphs=facts),
        Section("二、链条环节", tables=[_links_table(chain, counts)]),
        Section("三、缺失环节招商", paragraphs=_sought(chain, lists)),
    ]
    subtitle = f"{chain.scope_name} · {today:%Y年%-m月%-d日}"
    return ReportContent(title=f"{chain.name}产业链简报", subtitle=subtitle, sections=sections)


def _links_table(chain: IndustryChain, counts: dict[int, dict[str, int]]) -> Table:
    rows = []
    for link in chain.links.select_related("parent", "chain").in_chain_order():
        count = counts.get(link.pk, {})
        name = f"{link.parent.name} › {link.name}" if link.parent_id else link.name
        rows.append(
            [
                link.get_segment_display(),
                name,
                link.get_status_display(),
                link.get_task_display(),
                str(count.get("enterprises", 0)),
                str(count.get("projects", 0)),
                str(count.get("targets", 0)),
            ]
        )
    headers = ["链段", "环节", "现状", "链条任务", "企业（家）", "项目（个）", "招商目标（家）"]
    return Table("表1 链条环节", headers, rows)


def _sought(chain: IndustryChain, lists: FiveLists) -> list[str]:
    """Each missing link with the target companies and leads sought for it (or that none are)."""
    missing = list(chain.links.filter(status=ChainLink.Status.MISSING).in_chain_order())
    if not missing:
        return ["该产业链没有缺失环节。"]
    targets: dict[int, list[str]] = {}
    for placed in lists.targets:
        targets.setdefault(placed.link_id, []).append(placed.target.name)
    leads: dict[int, list[str]] = {}
    for placed in lists.leads:
        leads.setdefault(placed.link_id, []).append(placed.project.name)
    lines = []
    for link in missing:
        parts = []
        if targets.get(link.pk):
            parts.append(f"目标企业{len(targets[link.pk])}家（{'、'.join(targets[link.pk])}）")
        if leads.get(link.pk):
            parts.append(f"招商线索{len(leads[link.pk])}个（{'、'.join(leads[link.pk])}）")
        lines.append(f"{link.name}：{'；'.join(parts) if parts else '尚无目标企业和招商线索'}。")
    return lines
