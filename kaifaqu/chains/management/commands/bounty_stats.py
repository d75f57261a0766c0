import json

from django.core.management.base import CommandError
from django.db.models import Q

from kaifaqu.chains.bounty_selectors import boards_for_region, boards_for_zone, scope_figures
from kaifaqu.chains.models import BountyClaim
from kaifaqu.core.commands import KaifaquCommand
from kaifaqu.regions.selectors import RegionAmbiguous, RegionNotFound, region_by_name
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name


class Command(KaifaquCommand):
    help = (
        "揭榜挂帅：一个开发区或一个市、省的榜单、榜（重点招引目标）、揭榜、达标、验收通过的数量，"
        "以及按揭榜团队的擂台排名。开发区只计本区揭榜的记录。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--scope", required=True, help="开发区名称（全称或简称），或市、省的名称")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, scope: str, json: bool = False, **options):
        name, boards, claims = _scope(scope)
        figures = scope_figures(name, boards, claims)
        if json:
            self.stdout.write(_json(figures.as_json()))
            return
        self.stdout.write(
            f"{figures.scope}揭榜挂帅：榜单 {figures.boards} 个，榜 {figures.targets} 个；"
            f"揭榜 {figures.claimed} 次，达标 {figures.completed} 次，验收通过 {figures.verified} 次。"
        )
        if figures.standings:
            self.stdout.write("擂台排名（按揭榜团队）：")
        for row in figures.standings:
            team = f"（{row.team}）" if row.team else ""
            self.stdout.write(
                f"  {row.rank}. {row.name}，{row.unit}{team}：揭榜 {row.claimed}，达标 {row.completed}，"
                f"验收通过 {row.verified}，得分 {row.score}"
            )
        for view in figures.details:
            self.stdout.write(f"榜单“{view.board.title}”（{view.board.scope_name}，{view.board.get_status_display()}）")
            for bounty, standings in view.bounties:
                ranks = "；".join(
                    f"{item.rank}. {item.claim.team or item.claim.unit.name} {item.percent}% {item.state}"
                    for item in standings
                )
                heading = f"{bounty.title}（{bounty.get_kind_display()}，{bounty.goal} 万元）"
                self.stdout.write(f"  {heading}：{ranks or '无人揭榜'}")


def _scope(text: str):
    """A zone by its full or short name (孝义经开区); else a city or the province (吕梁, 山西省) —
    “吕梁” is the city, not 吕梁经开区; else a zone by part of its name."""
    zones = list(Zone.objects.by_name(text.strip())[:2])
    if len(zones) == 1:
        return _zone_scope(zones[0])
    try:
        region = region_by_name(text, levels=("city", "province"))
    except RegionAmbiguous as exc:
        raise CommandError(f"范围名称{exc}") from exc
    except RegionNotFound:
        try:
            return _zone_scope(zone_by_name(text))
        except ZoneNotFound as exc:
            hint = "请检查名称（可写全称或简称，如 孝义经开区、吕梁市）"
            raise CommandError(f"未找到开发区或市、省“{text}”，{hint}。") from exc
    prefix = region.scope_prefix
    claims = BountyClaim.objects.filter(
        Q(unit__zone__region__code__startswith=prefix) | Q(unit__region__code__startswith=prefix)
    )
    return region.name, boards_for_region(region), claims


def _zone_scope(zone):
    return zone.name, boards_for_zone(zone), BountyClaim.objects.filter(unit__zone=zone)


def _json(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
