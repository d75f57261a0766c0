from pathlib import Path

from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand
from kaifaqu.imports.registry import KINDS, ledger
from kaifaqu.sheets.ledger import UNITS
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name


class Command(KaifaquCommand):
    help = "按办公室的台账格式导出项目台账或企业台账（.xlsx；文件名以 .csv 结尾时导出 CSV）。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), help="projects（项目台账）或 enterprises（企业台账）")
        parser.add_argument("--zone", help="只导出该开发区（全称或简称）")
        parser.add_argument("--unit", choices=sorted(UNITS), default="万元", help="金额单位：万元（默认）或 亿元")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.xlsx 或 .csv）")

    def handle(self, *args, kind, zone=None, unit="万元", output, **options):
        path = Path(output)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError(f"输出文件应以 .xlsx 或 .csv 结尾：“{output}”。")
        if not path.parent.exists():
            raise CommandError(f"目录“{path.parent}”不存在。")
        chosen = ledger(kind)
        queryset = chosen.model().objects.all()
        if zone:
            try:
                queryset = queryset.filter(zone=zone_by_name(zone))
            except ZoneNotFound as exc:
                raise CommandError(str(exc)) from exc
        if path.suffix.lower() == ".csv":
            path.write_bytes(chosen.export_csv(queryset, unit=unit))
            count = queryset.count()
        else:
            with path.open("wb") as handle:
                count = chosen.export_xlsx(handle, queryset, unit=unit)
        self.stdout.write(f"已导出 {count} 条{KINDS[kind].removesuffix('台账')}记录到 {path}")
