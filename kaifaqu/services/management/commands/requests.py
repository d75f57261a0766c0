import json

from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand, parse_month
from kaifaqu.projects.models import local_today
from kaifaqu.services.models import ServiceRequest
from kaifaqu.services.selectors import request_stats
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name


class Command(KaifaquCommand):
    help = "企业诉求：一个开发区某月（或全部）的受理、办结、逾期、办结率、平均办理天数、满意率和分类统计。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="stats")
        stats = actions.add_parser("stats", help="诉求统计")
        stats.add_argument("--zone", required=True, help="开发区全称或简称，如 孝义经开区")
        stats.add_argument("--period", help="月份 YYYY-MM（不写则统计全部）")
        stats.add_argument("--json", action="store_true", help="以一个 JSON 对象输出")

    def handle(self, *args, action: str, **options):
        try:
            zone = zone_by_name(options["zone"])
        except ZoneNotFound as exc:
            raise CommandError(str(exc)) from exc
        period = parse_month(options["period"]) if options["period"] else None
        stats = request_stats(ServiceRequest.objects.filter(zone=zone), today=local_today(), period=period)
        if options["json"]:
            self.stdout.write(json.dumps(stats.as_json(), ensure_ascii=False, indent=2))
            return
        when = f"{period[0]}年{period[1]}月" if period else "全部"
        self.stdout.write(
            f"{zone.name} {when}：受理 {stats.received} 件，办结 {stats.resolved} 件，逾期未办结 {stats.overdue} 件；"
            f"办结率 {_pct(stats.resolution_rate_pct)}，平均办理 {_days(stats.avg_days_to_resolve)}，"
            f"满意率 {_pct(stats.satisfaction_rate_pct)}"
        )
        for label, row in stats.by_category.items():
            self.stdout.write(f"  {label}：受理 {row['received']}，办结 {row['resolved']}，逾期 {row['overdue']}")


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def _days(value) -> str:
    return "—" if value is None else f"{value} 天"
