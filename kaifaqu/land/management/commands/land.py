import json

from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand, parse_day
from kaifaqu.land.parcel_selectors import land_stats
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name


class Command(KaifaquCommand):
    help = "标准地：一个开发区的地块数、期间工业用地出让宗数、以标准地出让宗数和出让率、待核验和未达标地块数。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="stats")
        stats = actions.add_parser("stats", help="标准地统计")
        stats.add_argument("--zone", required=True, help="开发区全称或简称，如 灵石经开区")
        stats.add_argument("--from", dest="date_from", help="出让日期起 YYYY-MM-DD（不写则不限）")
        stats.add_argument("--to", dest="date_to", help="出让日期止 YYYY-MM-DD（不写则不限）")
        stats.add_argument("--json", action="store_true", help="以一个 JSON 对象输出（数字为字符串）")

    def handle(self, *args, action: str, zone: str, date_from=None, date_to=None, json: bool = False, **options):
        try:
            found = zone_by_name(zone)
        except ZoneNotFound as exc:
            raise CommandError(str(exc)) from exc
        start = parse_day(date_from) if date_from else None
        end = parse_day(date_to) if date_to else None
        if start and end and start > end:
            raise CommandError(f"起始日期 {start} 晚于截止日期 {end}。")
        stats = land_stats(Zone.objects.filter(pk=found.pk), start, end)
        if json:
            self.stdout.write(_json({"zone": found.name, **stats.as_json()}))
            return
        period = f"{start or '不限'} 至 {end or '不限'}"
        self.stdout.write(f"{found.name} 标准地统计（出让日期 {period}）")
        self.stdout.write(f"  地块：{stats.parcels} 宗")
        self.stdout.write(f"  工业用地出让：{stats.sold} 宗，其中以标准地出让 {stats.sold_standard} 宗")
        self.stdout.write(f"  标准地出让率：{stats.rate_text}")
        self.stdout.write(f"  待核验承诺（{stats.check_year}年）：{stats.awaiting_check} 宗")
        self.stdout.write(f"  核验未达标：{stats.below_promise} 宗")


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
