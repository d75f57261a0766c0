import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand
from kaifaqu.evaluation.models import Scheme
from kaifaqu.evaluation.selectors import SchemeNotFound, run_json, run_warnings, scheme_by_name
from kaifaqu.evaluation.services import run_scheme
from kaifaqu.projects.models import local_today


def find_scheme(name: str, scope: str | None) -> Scheme:
    schemes = Scheme.objects.all()
    if scope:
        schemes = [
            scheme.pk for scheme in schemes.select_related("zone", "region") if scope.strip() in scheme.scope_name
        ]
        schemes = Scheme.objects.filter(pk__in=schemes)
    try:
        return scheme_by_name(name, schemes=schemes)
    except SchemeNotFound as exc:
        raise CommandError(str(exc)) from exc


def refusal(error: ValidationError) -> str:
    return "；".join(error.messages)


class Command(KaifaquCommand):
    help = "考核：按考核方案计算一个考核期的得分（evaluation run），结果存为草稿（已发布的保留，另存新版本）。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="run")
        run = actions.add_parser("run", help="计算每个考核对象的各项得分、总分和名次")
        run.add_argument("--scheme", required=True, help="考核方案名称")
        run.add_argument(
            "--period", required=True, help="考核期：月度 2026-10；季度 2026-Q3；年度 2026（也可写其中一个月）"
        )
        run.add_argument("--scope", help="考核单位（方案重名时用，如 吕梁市，或开发区名称）")
        run.add_argument("--json", action="store_true", help="以一个 JSON 对象输出")

    def handle(self, *args, action: str, scheme: str, period: str, scope=None, json: bool = False, **options):
        found = find_scheme(scheme, scope)
        try:
            result = run_scheme(user=None, scheme=found, period=period)
        except ValidationError as error:
            raise CommandError(refusal(error)) from error
        scores = list(result.scores.all())
        warnings = run_warnings(result, today=local_today())
        if json:
            self.stdout.write(_json(run_json(result, scores) | {"warnings": warnings}))
            return
        self.stdout.write(
            f"{found.scope_name}“{found.name}”{result.period} 第{result.version}版（{result.get_status_display()}）"
        )
        for score in scores:
            veto = "（一票否决）" if score.vetoed else ""
            self.stdout.write(f"  {score.rank}. {score.subject_name} {score.total} 分{veto}")
        for warning in warnings:
            self.stdout.write(f"注意：{warning}")


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
