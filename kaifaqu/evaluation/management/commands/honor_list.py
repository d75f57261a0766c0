import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand
from kaifaqu.evaluation.management.commands.evaluation import find_scheme, refusal
from kaifaqu.evaluation.services import honor_generate


class Command(KaifaquCommand):
    help = "红黑榜：按考核方案的规则生成一个月的红榜和黑榜（已公示的照原样输出），每条写明理由。"

    def add_arguments(self, parser):
        parser.add_argument("--scheme", required=True, help="考核方案名称")
        parser.add_argument("--period", required=True, help="月份，如 2026-10")
        parser.add_argument("--scope", help="考核单位（方案重名时用）")
        parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出")

    def handle(self, *args, scheme: str, period: str, scope=None, json: bool = False, **options):
        found = find_scheme(scheme, scope)
        try:
            honor_list = honor_generate(user=None, scheme=found, period=period)
        except ValidationError as error:
            raise CommandError(refusal(error)) from error
        entries = list(honor_list.entries.filter(removed=False))
        sides = {
            side: [{"subject": entry.subject_name, "reason": entry.reason} for entry in entries if entry.side == side]
            for side in ("red", "black")
        }
        if json:
            data = {"scheme": found.name, "period": honor_list.period, "status": honor_list.get_status_display()}
            self.stdout.write(_json(data | sides))
            return
        self.stdout.write(f"{honor_list}（{honor_list.get_status_display()}）")
        for side, word in (("red", "红榜"), ("black", "黑榜")):
            self.stdout.write(f"{word}（{len(sides[side])}）：")
            for entry in sides[side]:
                self.stdout.write(f"  {entry['subject']}：{entry['reason']}")


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
