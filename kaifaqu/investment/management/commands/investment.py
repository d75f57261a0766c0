import json
from pathlib import Path

from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand, parse_day
from kaifaqu.core.money import format_yi
from kaifaqu.imports.engine import ImportRefused, run_import
from kaifaqu.imports.management.commands.import_ledger import render_json, render_text
from kaifaqu.imports.registry import KINDS, ledger_kind
from kaifaqu.investment.ledgers import ACTIVITY_LEDGER, TARGET_LEDGER
from kaifaqu.investment.models import Activity
from kaifaqu.investment.selectors import investment_figures
from kaifaqu.projects.models import Project
from kaifaqu.sheets.readers import EXTENSIONS
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name

LEDGER_OF_KIND = {"targets": TARGET_LEDGER, "activities": ACTIVITY_LEDGER}


class Command(KaifaquCommand):
    help = (
        "招商引资：一个开发区某段时间的招商统计（investment stats），"
        "或导入目标企业清单、招商台账（investment import）。"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="stats|import")
        stats = actions.add_parser(
            "stats", help="外出招商、来访、洽谈、签约的次数与金额，各阶段线索，按招商方式，未带队外出的班子成员"
        )
        stats.add_argument("--zone", required=True, help="开发区全称或简称")
        stats.add_argument("--from", dest="date_from", help="起始日期 YYYY-MM-DD（默认当年1月1日）")
        stats.add_argument("--to", dest="date_to", help="截止日期 YYYY-MM-DD（默认今天）")
        stats.add_argument("--json", action="store_true", help="以一个 JSON 对象输出")
        load = actions.add_parser(
            "import", help="导入目标企业清单（targets）或招商台账（activities）；有错误则不写入任何数据"
        )
        load.add_argument("file", help=".xlsx、.xls 或 .csv 文件")
        load.add_argument("--zone", required=True, help="开发区全称或简称")
        load.add_argument(
            "--kind", choices=sorted(LEDGER_OF_KIND), default="targets", help="targets（默认）或 activities"
        )
        load.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
        load.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, action: str, **options):
        zone = self._zone(options["zone"])
        if action == "stats":
            self._stats(zone, options)
        else:
            self._import(zone, options)

    def _zone(self, name: str):
        try:
            return zone_by_name(name)
        except ZoneNotFound as exc:
            raise CommandError(str(exc)) from exc

    def _stats(self, zone, options) -> None:
        date_from = parse_day(options["date_from"]) if options["date_from"] else None
        date_to = parse_day(options["date_to"]) if options["date_to"] else None
        if date_from and date_to and date_from > date_to:
            raise CommandError(f"起始日期 {date_from} 晚于截止日期 {date_to}。")
        if date_from is None:
            date_from = (date_to or _today()).replace(month=1, day=1)
        figures = investment_figures(
            Activity.objects.filter(zone=zone),
            Project.objects.filter(zone=zone),
            zone_ids=[zone.pk],
            date_from=date_from,
            date_to=date_to or _today(),
        )
        if options["json"]:
            payload = {"zone": zone.name, **figures.as_json()}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write("\n".join(_text(zone, figures)))

    def _import(self, zone, options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件“{options['file']}”。")
        extension = path.suffix.lower().lstrip(".")
        if extension not in EXTENSIONS:
            raise CommandError(f"不支持的文件类型“{path.suffix}”，请使用 .xlsx、.xls 或 .csv 文件。")
        key = LEDGER_OF_KIND[options["kind"]]
        try:
            result = run_import(
                ledger_kind(key),
                path,
                extension=extension,
                zone=zone,
                commit=not options["dry_run"],
                keep_outcomes=False,
            )
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(render_json(result) if options["json"] else render_text(result, KINDS[key]))
        if result.errors:
            raise CommandError("试导入发现错误。" if options["dry_run"] else "有错误，未写入任何数据。")


def _today():
    from kaifaqu.projects.models import local_today

    return local_today()


def _text(zone, figures) -> list[str]:
    lines = [
        f"{zone.name} 招商统计（{figures.date_from} 至 {figures.date_to}）",
        f"  外出招商 {figures.trips} 次，接待来访 {figures.visits_received} 次，"
        f"洽谈 {figures.talks} 次（深度 {figures.deep_talks} 次），"
        f"推介会/组团招商 {figures.events} 次",
        f"  签约 {figures.agreements} 份（战略合作协议 {figures.strategic_agreements} 份），"
        f"签约投资额 {format_yi(figures.signed_investment, strip_zeros=True)} 亿元",
        "招商线索（当前）：",
    ]
    lines += [
        f"  {label}：{bucket.count} 个，{format_yi(bucket.investment, strip_zeros=True)} 亿元"
        for label, bucket in figures.leads_by_stage.items()
    ]
    lines.append("按招商方式：")
    lines += [
        f"  {name}：线索 {item.leads} 个，签约 {item.signed} 个，"
        f"{format_yi(item.signed_investment, strip_zeros=True)} 亿元"
        for name, item in figures.by_mode.items()
        if item.leads or item.signed
    ]
    lines.append("未带队外出招商的班子成员：")
    for month, names in figures.leaders_without_trip.items():
        lines.append(f"  {month}：{'、'.join(names) if names else '无'}")
    lines += ["", figures.sentence]
    return lines
