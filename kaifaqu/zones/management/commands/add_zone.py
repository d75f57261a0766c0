from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand, refusal_message
from kaifaqu.zones.models import Zone
from kaifaqu.zones.services import zone_create


class Command(KaifaquCommand):
    help = "在已有行政区划（GB/T 2260 代码）下新建开发区。"

    def add_arguments(self, parser):
        parser.add_argument("name", help="开发区全称，如 孝义经济开发区")
        parser.add_argument("--region", required=True, help="所在行政区划代码（六位），如 141181")
        parser.add_argument("--short", default=None, help="简称，如 孝义经开区")
        parser.add_argument(
            "--level",
            default=Zone.Level.PROVINCIAL,
            choices=Zone.Level.values,
            help="级别：national 或 provincial",
        )

    def handle(self, *args, name: str, region: str, short: str | None, level: str, **options):
        try:
            zone = zone_create(name=name, region_code=region, short_name=short, level=level)
        except ValidationError as exc:
            raise CommandError(refusal_message(exc)) from exc
        self.stdout.write(
            f"已创建开发区：{zone.name}（{zone.get_level_display()}，{zone.region.full_name}，编号 {zone.pk}）"
        )
