from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from kaifaqu.campaigns.models import Batch
from kaifaqu.campaigns.selectors import ProjectNotFound, campaign_by_name, campaign_project
from kaifaqu.campaigns.services import campaign_entry_add
from kaifaqu.core.commands import KaifaquCommand, refusal_message
from kaifaqu.core.money import format_wan


class Command(KaifaquCommand):
    help = "把一个项目列入“三个一批”活动的签约、开工或投产一批；项目的阶段和日期不符时拒绝并说明原因。"

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="活动名称")
        parser.add_argument(
            "--batch", required=True, choices=list(Batch.values), help="sign 签约 / start 开工 / produce 投产"
        )
        parser.add_argument("--project", required=True, help="项目名称（或项目代码）")
        parser.add_argument("--zone", default=None, help="项目所在开发区（同名项目在多个开发区时需要）")
        parser.add_argument("--investment-wan", default=None, help="计入的投资（万元）；省略时取项目总投资")

    def handle(self, *args, name: str, batch: str, project: str, zone: str | None, investment_wan, **options):
        campaign = campaign_by_name(name)
        if campaign is None:
            raise CommandError(f"未找到活动“{name}”。")
        try:
            found = campaign_project(campaign, project, zone_name=zone)
        except ProjectNotFound as exc:
            raise CommandError(str(exc)) from exc
        try:
            entry = campaign_entry_add(
                user=None, campaign=campaign, project=found, batch=batch, investment=parse_wan(investment_wan)
            )
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(refusal_message(exc)) from exc
        self.stdout.write(
            f"已将“{found.name}”（{found.zone.name}）列入{entry.get_batch_display()}一批，"
            f"计入投资 {format_wan(entry.investment)} 万元。"
        )


def parse_wan(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation as exc:
        raise CommandError(f"--investment-wan 的值“{text}”不是数字（单位：万元）。") from exc
    if not value.is_finite() or value < 0:
        raise CommandError(f"--investment-wan 的值“{text}”无效：应为不小于 0 的万元数。")
    return value
