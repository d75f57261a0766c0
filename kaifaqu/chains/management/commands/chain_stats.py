import json

from django.core.management.base import CommandError

from kaifaqu.chains.models import ChainEnterprise, ChainProject, ChainTarget
from kaifaqu.chains.selectors import chain_figures, chains_for_zone
from kaifaqu.core.commands import KaifaquCommand
from kaifaqu.core.money import format_yi
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name


class Command(KaifaquCommand):
    help = (
        "一个开发区的产业链：环节现状（已有、薄弱、缺失）、链上企业和规上企业、按强链补链延链建链的项目、"
        "缺失环节的招商线索；市、省的产业链只计该开发区的记录。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, help="开发区全称或简称")
        parser.add_argument("--chain", help="产业链名称（默认全部）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出（产业链的列表）")

    def handle(self, *args, zone: str, chain: str | None = None, json: bool = False, **options):
        try:
            found = zone_by_name(zone)
        except ZoneNotFound as exc:
            raise CommandError(str(exc)) from exc
        chains = chains_for_zone(found).select_related("zone", "region", "leader_enterprise")
        if chain:
            chains = chains.filter(name=chain)
            if not chains.exists():
                raise CommandError(f"未找到{found.name}的“{chain}”产业链。")
        figures = [
            chain_figures(
                item,
                enterprises=ChainEnterprise.objects.filter(enterprise__zone=found),
                projects=ChainProject.objects.filter(project__zone=found),
                targets=ChainTarget.objects.filter(target__zone=found),
            )
            for item in chains
        ]
        if json:
            self.stdout.write(_json([item.as_json() for item in figures]))
            return
        if not figures:
            self.stdout.write(f"{found.name}尚未登记产业链。")
            return
        for item in figures:
            leader = item.chain.leader_enterprise
            links = item.links
            self.stdout.write(
                f"{item.chain.name}（{item.chain.scope_name}；链主：{leader.name if leader else '未定'}）\n"
                f"  环节 {links['total']} 个：已有 {links['existing']}，薄弱 {links['weak']}，缺失 {links['missing']}\n"
                f"  链上企业 {item.enterprises} 家，其中规上 {item.above_scale} 家\n"
                + "".join(
                    f"  {label}项目 {bucket.count} 个，{format_yi(bucket.investment, strip_zeros=True)} 亿元\n"
                    for label, bucket in item.projects_by_task.items()
                )
                + f"  缺失环节的招商线索 {item.leads_for_missing_links} 个，"
                f"目标企业 {item.targets_for_missing_links} 家\n"
                f"  {item.sentence}"
            )


def _json(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
