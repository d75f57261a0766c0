"""Figures of 三个一批 campaigns: per batch, the standard sentence, and the later follow-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from kaifaqu.core.money import as_decimal, format_wan, format_yi
from kaifaqu.dashboard.selectors import OVER_100M_WAN
from kaifaqu.projects import lifecycle
from kaifaqu.projects.industries import strategic_emerging_industry
from kaifaqu.projects.models import Project, Stage, reached
from kaifaqu.projects.selectors import Rate
from kaifaqu.regions.models import Region
from kaifaqu.regions.selectors import RegionAmbiguous, RegionNotFound, region_by_name
from kaifaqu.sheets.values import normal_name
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name

from .models import Batch, Campaign, CampaignEntry

# How the sentence names each batch's amount: a signing counts the signed amount.
AMOUNT_WORDS = {Batch.SIGN: "签约投资额", Batch.START: "总投资", Batch.PRODUCE: "总投资"}
# The follow-up the province tracks: of a batch's projects, how many have since reached the next step.
FOLLOW_UP = {
    Batch.SIGN: ("开工率", Stage.STARTED),
    Batch.START: ("投产率", Stage.PRODUCING),
    Batch.PRODUCE: ("达产率", Stage.AT_CAPACITY),
}


@dataclass
class BatchFigures:
    batch: str
    label: str
    count: int = 0
    investment: Decimal = field(default_factory=Decimal)
    over_100m: int = 0
    strategic_emerging: int = 0

    def as_json(self) -> dict:
        return {
            "count": self.count,
            "investment_wan": format_wan(self.investment),
            "over_100m": self.over_100m,
            "strategic_emerging": self.strategic_emerging,
        }


@dataclass
class CampaignFigures:
    batches: dict[str, BatchFigures]

    @property
    def count(self) -> int:
        return sum(figures.count for figures in self.batches.values())

    @property
    def investment(self) -> Decimal:
        return sum((figures.investment for figures in self.batches.values()), Decimal(0))

    @property
    def over_100m(self) -> int:
        return sum(figures.over_100m for figures in self.batches.values())

    @property
    def strategic_emerging(self) -> int:
        return sum(figures.strategic_emerging for figures in self.batches.values())

    @property
    def sentence(self) -> str:
        return campaign_sentence(self.batches)

    def as_json(self) -> dict:
        return {
            "batches": {batch: figures.as_json() for batch, figures in self.batches.items()},
            "count": self.count,
            "investment_wan": format_wan(self.investment),
            "over_100m": self.over_100m,
            "strategic_emerging": self.strategic_emerging,
            "sentence": self.sentence,
        }


def campaign_figures(entries: QuerySet[CampaignEntry]) -> CampaignFigures:
    """Counts and investment per batch, entries of 1亿元 or more, entries in strategic emerging
    industries. One grouped query; ``entries`` are already scoped (``visible_to``)."""
    batches = {batch: BatchFigures(batch, label) for batch, label in Batch.choices}
    rows = (
        entries.order_by()
        .values("batch", "project__industry")
        .annotate(n=Count("id"), amount=Sum("investment"), big=Count("id", filter=Q(investment__gte=OVER_100M_WAN)))
    )
    for row in rows:
        figures = batches[row["batch"]]
        figures.count += row["n"]
        figures.investment += as_decimal(row["amount"])
        figures.over_100m += row["big"]
        if strategic_emerging_industry(row["project__industry"]):
            figures.strategic_emerging += row["n"]
    return CampaignFigures(batches)


def campaign_sentence(batches: dict[str, BatchFigures]) -> str:
    """``签约项目12个，签约投资额24.07亿元；开工项目10个，总投资12.12亿元；投产项目10个，总投资11.78亿元。``"""
    parts = [
        f"{figures.label}项目{figures.count}个，{AMOUNT_WORDS[batch]}{_yi(figures.investment)}亿元"
        for batch, figures in batches.items()
        if figures.count
    ]
    return "；".join(parts) + "。" if parts else "暂无项目。"


def _yi(wan: Decimal) -> str:
    return format_yi(wan, strip_zeros=True)


def campaign_follow_up(entries: QuerySet[CampaignEntry]) -> dict[str, Rate]:
    """Of each batch's projects, how many have since taken the next step (a signed project
    started, a started one producing, a producing one at capacity), as of today's ledger."""
    rates = _follow_up_rates()
    for row in entries.order_by().values("batch", "project__stage", "project__terminated_from").annotate(n=Count("id")):
        _count_follow_up(rates, row)
    return rates


def follow_up_table(campaigns: list[Campaign], entries: QuerySet[CampaignEntry]) -> list[dict]:
    """Campaigns with their later 开工率 / 投产率 / 达产率: one query for all of them."""
    by_campaign: dict[int, dict[str, Rate]] = {campaign.pk: _follow_up_rates() for campaign in campaigns}
    rows = (
        entries.filter(campaign__in=[campaign.pk for campaign in campaigns])
        .order_by()
        .values("campaign_id", "batch", "project__stage", "project__terminated_from")
        .annotate(n=Count("id"))
    )
    for row in rows:
        _count_follow_up(by_campaign[row["campaign_id"]], row)
    return [{"campaign": campaign, "rates": by_campaign[campaign.pk]} for campaign in campaigns]


def _follow_up_rates() -> dict[str, Rate]:
    return {batch: Rate(batch, label) for batch, (label, _) in FOLLOW_UP.items()}


def _count_follow_up(rates: dict[str, Rate], row: dict) -> None:
    rate = rates[row["batch"]]
    rate.denominator += row["n"]
    stage = reached(row["project__stage"], row["project__terminated_from"])
    if lifecycle.RANK[stage] >= lifecycle.RANK[FOLLOW_UP[row["batch"]][1]]:
        rate.numerator += row["n"]


class ScopeNotFound(ValueError):
    pass


def campaign_scope(name: str) -> tuple[Region, Zone | None]:
    """A campaign's scope from a name people write: a province, city or county (山西省, 吕梁,
    孝义市) or a zone (孝义经开区)."""
    text = "".join((name or "").split())
    if not text:
        raise ScopeNotFound("请指定活动范围（省、市、县或开发区名称）。")
    try:
        return region_by_name(text), None
    except RegionAmbiguous as exc:
        raise ScopeNotFound(f"范围{exc}") from exc
    except RegionNotFound:
        pass  # not a region: perhaps a zone
    try:
        zone = zone_by_name(text)
    except ZoneNotFound as exc:
        raise ScopeNotFound(f"未找到名为“{text}”的行政区划或开发区。") from exc
    return zone.region, zone


LEVEL_WIDTHS = {"province": 2, "city": 4, "county": 6}  # GB/T 2260: 省 XX0000, 市 XXXX00, 县 XXXXXX
LEVEL_WORDS = {"province": "省", "city": "市", "county": "县（市、区）"}


def default_scope(level: str) -> tuple[Region, None]:
    """With no scope named: the one province, city or county all zones lie in."""
    codes = set(Zone.objects.values_list("region__code", flat=True))
    if not codes:
        raise ScopeNotFound("还没有开发区，请先添加开发区，或用 --scope 指定范围。")
    width = LEVEL_WIDTHS[level]
    prefixes = {code[:width] for code in codes}
    if len(prefixes) != 1:
        raise ScopeNotFound(f"开发区分布在 {len(prefixes)} 个{LEVEL_WORDS[level]}，请用 --scope 指定活动范围。")
    return Region.objects.get(code=prefixes.pop().ljust(6, "0")), None


class ProjectNotFound(ValueError):
    pass


def campaign_by_name(name: str) -> Campaign | None:
    return Campaign.objects.select_related("region", "zone").filter(name=" ".join((name or "").split())).first()


def campaign_project(campaign: Campaign, written: str, *, zone_name: str | None = None) -> Project:
    """The project a command names, by 项目代码 or by name (spaces and full-width ignored),
    among the campaign's zones (or the zone named)."""
    from .services import campaign_zones

    zones = campaign_zones(campaign)
    if zone_name:
        try:
            zones = zones.filter(pk=zone_by_name(zone_name).pk)
        except ZoneNotFound as exc:
            raise ProjectNotFound(str(exc)) from exc
    projects = Project.objects.filter(zone__in=zones).select_related("zone")
    wanted = normal_name(written)
    by_code = list(projects.filter(project_code=written.strip())[:2])
    if len(by_code) == 1:
        return by_code[0]
    ids = [pk for pk, name in projects.values_list("pk", "name") if normal_name(name) == wanted]
    matches = list(projects.filter(pk__in=ids))
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = "、".join(project.zone.name for project in matches[:5])
        raise ProjectNotFound(f"有 {len(matches)} 个名为“{written}”的项目（{names}），请用 --zone 指定开发区。")
    where = zone_name or campaign.scope_name
    raise ProjectNotFound(f"在{where}未找到项目“{written}”。")
