import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand
from kaifaqu.land.models import MuJunScheme
from kaifaqu.land.mujun import GRADE_WORDS
from kaifaqu.land.selectors import grading_json
from kaifaqu.land.services import default_scheme, grade_year
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name


class Command(KaifaquCommand):
    help = (
        "亩均效益评价（mujun grade）：按开发区的评价方案（没有时按浙江“亩均论英雄”方法建立）评价一个年度，"
        "每户企业的亩均税收、亩均营业收入、单位能耗增加值、研发投入强度、综合得分和 A/B/C/D 等级。"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="grade")
        grade = actions.add_parser("grade", help="评价一个年度并保存结果（重新评价会替换该年度的结果）")
        grade.add_argument("--zone", required=True, help="开发区全称或简称")
        grade.add_argument("--year", required=True, type=int, help="评价年度，如 2025")
        grade.add_argument("--scheme", help="评价方案名称（默认本区最新的方案）")
        grade.add_argument("--json", action="store_true", help="以一个 JSON 对象输出，数字为字符串")

    def handle(self, *args, action: str, zone: str, year: int, scheme=None, json: bool = False, **options):
        try:
            found = zone_by_name(zone)
        except ZoneNotFound as exc:
            raise CommandError(str(exc)) from exc
        chosen = _scheme(found, scheme)
        try:
            grade_year(user=None, scheme=chosen, year=year)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        result = grading_json(chosen, year) | {"zone": found.name}
        if json:
            self.stdout.write(_json(result))
            return
        counts = "，".join(f"{grade}类（{GRADE_WORDS[grade]}）{count}户" for grade, count in result["grades"].items())
        self.stdout.write(
            f"{found.name}{year}年亩均效益评价（{chosen.name}）：{counts}；不参评 {result['excluded']} 户"
        )
        for row in result["enterprises"]:
            self.stdout.write(
                f"  {row['rank']}. {row['name']} {row['score']}分 {row['grade']}类"
                f"（亩均税收 {row['tax_per_mu_wan']} 万元/亩，亩均营收 {row['revenue_per_mu_wan']} 万元/亩）"
            )
        for row in result["not_graded"]:
            self.stdout.write(f"  不参评：{row['name']}，{row['reason']}")


def _scheme(zone, name: str | None) -> MuJunScheme:
    if not name:
        return default_scheme(user=None, zone=zone)
    found = MuJunScheme.objects.filter(zone=zone, name=name.strip()).first()
    if found is None:
        raise CommandError(f"{zone.name}没有名为“{name}”的亩均效益评价方案。")
    return found


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
