import json
from pathlib import Path

from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand, find_city, parse_month
from kaifaqu.indicators.models import IndicatorReport
from kaifaqu.indicators.selectors import city_summary, in_units, of_record, province_summary
from kaifaqu.indicators.services import indicators_import
from kaifaqu.indicators.template import template_title, template_xlsx
from kaifaqu.regions.selectors import RegionNotFound, region_by_name
from kaifaqu.sheets.readers import ReadError
from kaifaqu.zones.models import Zone


class Command(KaifaquCommand):
    help = "月调度指标：导入各开发区的月度数据（indicators import），或汇总一个市某月的指标（indicators summary）。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="import|template|summary")
        load = actions.add_parser("import", help="导入指标表（本产品的模板或市里的常用汇总表）")
        load.add_argument("file", help=".xlsx、.xls 或 .csv 文件")
        load.add_argument("--period", help="月份 YYYY-MM（表格标题中没有写明时需要）")
        load.add_argument("--city", help="所属地市，如 吕梁市（表中有“全市”行，或按简称识别开发区时需要）")
        load.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        blank = actions.add_parser("template", help="导出某市某月的填报模板（填好后用 indicators import 导入）")
        blank.add_argument("--city", required=True, help="地市，如 吕梁市")
        blank.add_argument("--period", required=True, help="月份 YYYY-MM")
        blank.add_argument("-o", "--output", required=True, help="输出 .xlsx 文件")
        summary = actions.add_parser("summary", help="一个市（或一个省）某月各开发区的指标、增速、排名和标准表述")
        where = summary.add_mutually_exclusive_group(required=True)
        where.add_argument("--city", help="地市，如 吕梁市")
        where.add_argument("--province", help="省，如 山西省（各市汇总、全省排名）")
        summary.add_argument("--period", required=True, help="月份 YYYY-MM")
        summary.add_argument("--json", action="store_true", help="以一个 JSON 对象输出")

    def handle(self, *args, action: str, **options):
        if action == "import":
            self._import(options)
        elif action == "template":
            self._template(options)
        elif options["province"]:
            self._province_summary(options)
        else:
            self._summary(options)

    def _template(self, options) -> None:
        city = find_city(options["city"])
        year, month = parse_month(options["period"])
        output = Path(options["output"])
        if output.suffix.lower() != ".xlsx":
            raise CommandError(f"输出文件“{output}”应以 .xlsx 结尾。")
        output.write_bytes(
            template_xlsx(city, Zone.objects.all(), IndicatorReport.objects.all(), year=year, month=month)
        )
        self.stdout.write(f"已导出“{template_title(city, year, month)}”：{output}")

    def _import(self, options) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"文件“{path}”不存在。")
        city = find_city(options["city"]) if options["city"] else None
        period = parse_month(options["period"]) if options["period"] else None
        try:
            outcome = indicators_import(
                path, extension=path.suffix, city=city, period=period, commit=not options["dry_run"]
            )
        except ReadError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"读取 {outcome.rows} 行（跳过合计等 {outcome.skipped} 行）；"
            f"新建月报 {outcome.created} 份，更新 {outcome.updated} 份。"
        )
        for warning in outcome.warnings:
            self.stdout.write(f"提示：{warning}")
        if outcome.errors:
            for error in outcome.errors:
                self.stderr.write(error)
            raise CommandError(f"有 {len(outcome.errors)} 处错误，未写入任何数据。")
        if options["dry_run"]:
            self.stdout.write("试导入：未写入数据。")

    def _summary(self, options) -> None:
        city = find_city(options["city"])
        year, month = parse_month(options["period"])
        summary = city_summary(
            city, year=year, month=month, zones=Zone.objects.all(), reports=of_record(IndicatorReport.objects.all())
        )
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{city.name}开发区 {year}年1-{month}月主要经济指标（时间进度 {summary.time_progress_pct}%）")
        for indicator in summary.indicators:
            total = summary.zones_total[indicator.pk]
            if total.value is None:
                continue
            self.stdout.write(f"\n{indicator.name}（{indicator.unit}）")
            for zone in summary.zones:
                figure = summary.by_zone[zone.pk][indicator.pk]
                if figure.value is None:
                    continue
                self.stdout.write(
                    f"  {zone.display_name}：{in_units(figure.value, indicator)}，同比 {_pct(figure.growth_pct)}，"
                    f"比{summary.region_word} {_pp(figure.pp_vs_region)}，"
                    f"目标完成 {_pct(figure.target_completion_pct)}，第 {figure.rank or '—'} 名"
                )
        self.stdout.write("")
        for sentence in summary.sentences:
            self.stdout.write(sentence)

    def _province_summary(self, options) -> None:
        try:
            province = region_by_name(options["province"], levels=("province",))
        except RegionNotFound as exc:
            raise CommandError(f"未找到省份“{options['province']}”。") from exc
        year, month = parse_month(options["period"])
        summary = province_summary(
            province, year=year, month=month, zones=Zone.objects.all(), reports=of_record(IndicatorReport.objects.all())
        )
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{province.name}开发区 {year}年1-{month}月主要经济指标（时间进度 {summary.time_progress_pct}%）"
        )
        for indicator in summary.indicators:
            total = summary.zones_total[indicator.pk]
            if total.value is not None:
                self.stdout.write(f"\n{indicator.name}（{indicator.unit}）")
                self._province_lines(summary, indicator)
        self.stdout.write("")
        for sentence in summary.sentences:
            self.stdout.write(sentence)

    def _province_lines(self, summary, indicator) -> None:
        """Each city's zones added up (beside its 全市), then its zones ranked in the city and the province."""
        for roll in summary.cities:
            figures = [(zone, summary.by_zone[zone.pk][indicator.pk]) for zone in roll.zones]
            figures = [(zone, figure) for zone, figure in figures if figure.value is not None]
            total, office = roll.zones_total[indicator.pk], roll.region[indicator.pk]
            line = f"  {roll.city.name}"
            if total.value is not None:
                line += f" {len(figures)}个开发区：{_figure_text(total, indicator)}"
            if office.value is not None:
                line += f"（全市 {in_units(office.value, indicator)}，同比 {_pct(office.growth_pct)}）"
            self.stdout.write(line)
            for zone, figure in figures:
                ranks = f"市内第 {figure.rank or '—'} 名，全省第 {figure.province_rank or '—'} 名"
                completion = f"目标完成 {_pct(figure.target_completion_pct)}"
                self.stdout.write(f"    {zone.display_name}：{_figure_text(figure, indicator)}，{completion}，{ranks}")


def _figure_text(figure, indicator) -> str:
    growth = f"同比 {_pct(figure.growth_pct)}，比全省 {_pp(figure.pp_vs_region)}"
    return f"{in_units(figure.value, indicator)}，{growth}"


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def _pp(value) -> str:
    return "—" if value is None else f"{value:+} 个百分点"
