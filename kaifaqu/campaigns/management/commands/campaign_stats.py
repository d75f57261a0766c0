import json

from django.core.management.base import CommandError

from kaifaqu.campaigns.models import Batch
from kaifaqu.campaigns.selectors import campaign_by_name, campaign_figures, campaign_follow_up
from kaifaqu.core.commands import KaifaquCommand
from kaifaqu.core.money import format_yi


class Command(KaifaquCommand):
    help = (
        "一次“三个一批”活动的统计：各批次项目数与投资、亿元以上项目、战略性新兴产业项目、标准表述和后续开工投产情况。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="活动名称")
        parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出")

    def handle(self, *args, name: str, json: bool = False, **options):
        campaign = campaign_by_name(name)
        if campaign is None:
            raise CommandError(f"未找到活动“{name}”。")
        entries = campaign.entries.all()
        figures = campaign_figures(entries)
        follow_up = campaign_follow_up(entries)
        if json:
            payload = {
                "campaign": campaign.name,
                "date": campaign.held_on.isoformat(),
                "level": campaign.get_level_display(),
                "scope": campaign.scope_name,
                **figures.as_json(),
                "follow_up": {batch: rate.as_json() for batch, rate in follow_up.items()},
            }
            self.stdout.write(_json_text(payload))
            return
        lines = [f"{campaign.name}（{campaign.get_level_display()}，{campaign.held_on}，范围 {campaign.scope_name}）"]
        for batch, item in figures.batches.items():
            lines.append(
                f"  {Batch(batch).label}一批：{item.count} 个，{format_yi(item.investment)} 亿元；"
                f"亿元以上 {item.over_100m} 个，战略性新兴产业 {item.strategic_emerging} 个"
            )
        lines.append(f"  合计：{figures.count} 个，{format_yi(figures.investment)} 亿元")
        lines.append("后续进展（按当前台账）：")
        lines += [
            f"  {rate.label}：{rate.numerator}/{rate.denominator} = {rate.display}" for rate in follow_up.values()
        ]
        lines += ["", figures.sentence]
        self.stdout.write("\n".join(lines))


def _json_text(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
