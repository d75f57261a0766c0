import datetime
from pathlib import Path

from django.core.management.base import CommandError

from kaifaqu.campaigns.models import Campaign
from kaifaqu.core.commands import KaifaquCommand, find_city, parse_day, parse_month
from kaifaqu.indicators.models import IndicatorReport
from kaifaqu.investment.models import Activity
from kaifaqu.projects.models import Project, local_today
from kaifaqu.reports.analysis import indicators_report
from kaifaqu.reports.builders import monthly_report, weekly_report
from kaifaqu.reports.docx import write_docx
from kaifaqu.reports.xlsx import write_report_xlsx
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name

WRITERS = {".docx": write_docx, ".xlsx": write_report_xlsx}


class Command(KaifaquCommand):
    help = "生成周调度（一个开发区）、月度项目建设情况或月调度分析（一个地市）报告，写成 .docx（或 .xlsx）文件。"

    def add_arguments(self, parser):
        parser.add_argument(
            "kind",
            choices=["weekly", "monthly", "indicators"],
            help="weekly 周调度 / monthly 月度项目建设情况 / indicators 月调度分析（主要经济指标）",
        )
        parser.add_argument("--zone", help="开发区全称或简称（周调度）")
        parser.add_argument("--date", help="周调度截至日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--year", type=int, help="周调度的项目年度（默认截至日期所在的年度）")
        parser.add_argument("--city", help="地市名称，如 吕梁市（月度报告、月调度分析）")
        parser.add_argument("--month", help="月份 YYYY-MM（月度报告、月调度分析）")
        parser.add_argument("-o", "--output", required=True, help="输出文件 .docx 或 .xlsx")

    def handle(self, *args, kind: str, output: str, **options):
        path = Path(output)
        writer = WRITERS.get(path.suffix.lower())
        if writer is None:
            raise CommandError(f"输出文件“{output}”应以 .docx 或 .xlsx 结尾。")
        build = {"weekly": self._weekly, "monthly": self._monthly, "indicators": self._indicators}[kind]
        content = build(options)
        path.write_bytes(writer(content))
        self.stdout.write(f"已生成“{content.title}”{content.subtitle}：{path}")

    def _weekly(self, options):
        if not options["zone"]:
            raise CommandError("周调度需要 --zone（开发区名称）。")
        try:
            zone = zone_by_name(options["zone"])
        except ZoneNotFound as exc:
            raise CommandError(str(exc)) from exc
        as_of = parse_day(options["date"]) if options["date"] else local_today()
        projects = Project.objects.all()
        year = options["year"] or as_of.year  # as the page does: the year of the day, not the latest project's
        return weekly_report(zone, projects, as_of=as_of, year=year, activities=Activity.objects.all())

    def _monthly(self, options):
        if not options["city"] or not options["month"]:
            raise CommandError("月度报告需要 --city（地市）和 --month（YYYY-MM）。")
        city = find_city(options["city"])
        year, month = parse_month(options["month"])
        if datetime.date(year, month, 1) > local_today():
            raise CommandError(f"{year}年{month}月还没有开始，不能生成月度报告。")
        return monthly_report(
            city,
            Project.objects.all(),
            Campaign.objects.all(),
            year=year,
            month=month,
            today=local_today(),
            activities=Activity.objects.all(),
        )

    def _indicators(self, options):
        if not options["city"] or not options["month"]:
            raise CommandError("月调度分析需要 --city（地市）和 --month（YYYY-MM）。")
        city = find_city(options["city"])
        year, month = parse_month(options["month"])
        if datetime.date(year, month, 1) > local_today():
            raise CommandError(f"{year}年{month}月还没有开始，不能生成月调度分析。")
        return indicators_report(city, Zone.objects.all(), IndicatorReport.objects.all(), year=year, month=month)
