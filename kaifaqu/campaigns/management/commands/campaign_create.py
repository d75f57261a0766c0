from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from kaifaqu.campaigns.selectors import ScopeNotFound, campaign_scope, default_scope
from kaifaqu.campaigns.services import campaign_create
from kaifaqu.core.commands import KaifaquCommand, parse_day, refusal_message

LEVELS = {"省": "province", "市": "city", "县": "county", "province": "province", "city": "city", "county": "county"}


class Command(KaifaquCommand):
    help = "新建一次“三个一批”活动（名称、日期、级别、范围）。"

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="活动名称，如 吕梁市2025年第一季度“三个一批”活动")
        parser.add_argument("--date", required=True, help="活动日期 YYYY-MM-DD")
        parser.add_argument("--level", default="市", choices=["省", "市", "县"], help="活动级别（默认 市）")
        parser.add_argument("--scope", default=None, help="范围：省、市、县（市、区）或开发区名称；省略时取唯一的一个")
        parser.add_argument("--note", default="", help="备注")

    def handle(self, *args, name: str, date: str, level: str, scope: str | None, note: str, **options):
        held_on = parse_day(date)
        code = LEVELS[level]
        try:
            region, zone = campaign_scope(scope) if scope else default_scope(code)
        except ScopeNotFound as exc:
            raise CommandError(str(exc)) from exc
        try:
            campaign = campaign_create(
                user=None, name=name, held_on=held_on, level=code, region=region, zone=zone, note=note
            )
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(refusal_message(exc)) from exc
        self.stdout.write(
            f"已新建活动“{campaign.name}”：{campaign.get_level_display()}，{campaign.held_on:%Y年%-m月%-d日}，"
            f"范围 {campaign.scope_name}。"
        )
