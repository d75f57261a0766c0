import datetime
import json
from dataclasses import dataclass

from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand
from kaifaqu.core.money import format_wan, format_yi
from kaifaqu.projects.completeness import data_gaps, gaps_sentence
from kaifaqu.projects.models import Project, local_today
from kaifaqu.projects.selectors import (
    Cohort,
    PipelineStats,
    Totals,
    cohort,
    in_statistics_investment,
    pipeline_stats,
)
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name


class Command(KaifaquCommand):
    help = (
        "按阶段、年度分类和重点级别统计一个开发区的项目数与总投资，给出各项比率、待补录项和标准表述；"
        "当年入统投资和签约期间统计（--signed-from/--signed-to）按该开发区的全部项目计，不受 --year 限制。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, help="开发区全称或简称")
        parser.add_argument(
            "--year",
            default=None,
            help="只统计该年度（YYYY）的项目；当年入统投资取入统日期在该年的项目（默认今年），不论项目年度",
        )
        parser.add_argument(
            "--signed-from", default=None, help="签约期间起始日期（YYYY-MM-DD，含当天），须与 --signed-to 同时给出"
        )
        parser.add_argument("--signed-to", default=None, help="签约期间截止日期（YYYY-MM-DD，含当天）")
        parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出")

    def handle(
        self,
        *args,
        zone: str,
        year: str | None,
        signed_from: str | None = None,
        signed_to: str | None = None,
        json: bool = False,
        **options,
    ):
        try:
            found = zone_by_name(zone)
        except ZoneNotFound as exc:
            raise CommandError(str(exc)) from exc
        period = parse_period(signed_from, signed_to)
        zone_projects = Project.objects.filter(zone=found)
        plan_year = None if year is None else parse_year(year, found.name, zone_projects)
        projects = zone_projects if plan_year is None else zone_projects.filter(plan_year=plan_year)
        statistics_year = plan_year or local_today().year
        report = Report(
            zone_name=found.name,
            year=year,
            stats=pipeline_stats(projects),
            gaps=data_gaps(projects),
            statistics_year=statistics_year,
            in_statistics=in_statistics_investment(zone_projects, year=statistics_year),
            cohort=cohort(zone_projects, signed_from=period[0], signed_to=period[1]) if period else None,
        )
        self.stdout.write(render_json(report) if json else render_text(report))


@dataclass
class Report:
    """What the command prints, in either form."""

    zone_name: str
    year: str | None
    stats: PipelineStats
    gaps: dict[str, int]  # 待补录, over the same projects as ``stats``
    statistics_year: int
    in_statistics: Totals  # 当年入统投资: the zone's projects, whatever their plan year
    cohort: Cohort | None  # only when a signing period is given


def parse_year(text: str, zone_name: str, projects) -> int:
    value = text.strip()
    if not (value.isdigit() and len(value) == 4 and 2000 <= int(value) <= 2100):
        raise CommandError(f"年度“{text}”无效：应为四位年份，如 2025。")
    if not projects.filter(plan_year=int(value)).exists():
        raise CommandError(f"{zone_name}没有 {value} 年度的项目。")
    return int(value)


def parse_period(start: str | None, end: str | None) -> tuple[datetime.date, datetime.date] | None:
    """The signing period of ``--signed-from``/``--signed-to`` (both or neither), days included."""
    if start is None and end is None:
        return None
    if start is None or end is None:
        raise CommandError("--signed-from 和 --signed-to 须同时给出。")
    first, last = parse_date(start, "--signed-from"), parse_date(end, "--signed-to")
    if first > last:
        raise CommandError(f"签约期间起始日期（{first}）不能晚于截止日期（{last}）。")
    return first, last


def parse_date(text: str, flag: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"{flag} 的日期“{text}”无效：应为 YYYY-MM-DD，如 2022-01-01。") from None


def render_json(report: Report) -> str:
    payload = {
        "zone": report.zone_name,
        "year": int(report.year) if report.year else None,
        **report.stats.as_json(),
        "data_gaps": report.gaps,
        "in_statistics_year": report.statistics_year,
        "in_statistics_investment_wan": format_wan(report.in_statistics.total_investment),
    }
    if report.cohort is not None:
        payload |= report.cohort.as_json()
    return json.dumps(payload, ensure_ascii=False, indent=2)


def render_text(report: Report) -> str:
    stats = report.stats
    period = f"{report.year}年度" if report.year else "全部年度"
    lines = [
        f"{report.zone_name} 项目统计（{period}）",
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
    entered = report.in_statistics
    lines += [
        "",
        f"{report.statistics_year}年入统投资（开发区全部项目中入统日期在该年的）：{entered.count} 个，"
        f"{format_yi(entered.total_investment)} 亿元（{format_wan(entered.total_investment)} 万元）",
        f"待补录：{gaps_sentence(report.gaps) or '无'}",
        "",
        stats.sentence,
    ]
    if report.cohort is not None:
        lines.append(report.cohort.sentence)
    return "\n".join(lines)
