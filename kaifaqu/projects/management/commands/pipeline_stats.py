import json

from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand
from kaifaqu.core.money import format_wan, format_yi
from kaifaqu.projects.models import Project
from kaifaqu.projects.selectors import PipelineStats, pipeline_stats
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name


class Command(KaifaquCommand):
    help = "按阶段、年度分类和重点级别统计一个开发区的项目数与总投资，给出各项比率和标准表述。"

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, help="开发区全称或简称")
        parser.add_argument("--year", default=None, help="只统计该年度（YYYY）的项目")
        parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出")

    def handle(self, *args, zone: str, year: str | None, json: bool = False, **options):
        try:
            found = zone_by_name(zone)
        except ZoneNotFound as exc:
            raise CommandError(str(exc)) from exc
        projects = Project.objects.filter(zone=found)
        if year is not None:
            projects = projects.filter(plan_year=parse_year(year, found.name, projects))
        stats = pipeline_stats(projects)
        if json:
            self.stdout.write(render_json(found.name, year, stats))
        else:
            self.stdout.write(render_text(found.name, year, stats))


def parse_year(text: str, zone_name: str, projects) -> int:
    value = text.strip()
    if not (value.isdigit() and len(value) == 4 and 2000 <= int(value) <= 2100):
        raise CommandError(f"年度“{text}”无效：应为四位年份，如 2025。")
    if not projects.filter(plan_year=int(value)).exists():
        raise CommandError(f"{zone_name}没有 {value} 年度的项目。")
    return int(value)


def render_json(zone_name: str, year: str | None, stats: PipelineStats) -> str:
    payload = {"zone": zone_name, "year": int(year) if year else None, **stats.as_json()}
    return json.dumps(payload, ensure_ascii=False, indent=2)


def render_text(zone_name: str, year: str | None, stats: PipelineStats) -> str:
    period = f"{year}年度" if year else "全部年度"
    lines = [
        f"{zone_name} 项目统计（{period}）",
        f"项目 {stats.projects} 个，总投资 {format_yi(stats.total_investment)} 亿元"
        f"（{format_wan(stats.total_investment)} 万元）",
        "",
    ]
    for title, buckets in (
        ("按项目阶段", {label: bucket for _, label, bucket in stats.stage_rows()}),
        ("按年度分类", stats.by_plan_category),
        ("按重点项目级别", stats.by_priority),
    ):
        lines.append(f"{title}：")
        lines += [
            f"  {label}：{bucket.count} 个，{format_yi(bucket.investment)} 亿元" for label, bucket in buckets.items()
        ]
        lines.append("")
    lines.append("比率：")
    lines += [f"  {rate.label}：{rate.numerator}/{rate.denominator} = {rate.display}" for rate in stats.rates.values()]
    lines += ["", stats.sentence]
    return "\n".join(lines)
