from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand, refusal_message
from kaifaqu.enterprises.figures_import import figures_import, summary_line
from kaifaqu.imports.engine import ImportRefused
from kaifaqu.sheets.readers import EXTENSIONS
from kaifaqu.sheets.rows import ImportResult
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name


class Command(KaifaquCommand):
    help = (
        "企业经营数据：从开发区常用的经营指标表（.xlsx、.xls、.csv）导入一年的企业经营数据"
        "（enterprise_figures import）。先检查全部行，有任何错误则不写入任何数据；--dry-run 只检查不写入。"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="import")
        load = actions.add_parser(
            "import",
            help="按统一社会信用代码或企业名称对应开发区企业库中的企业，导入产值、营业收入、税收、用工、能耗、用地等",
        )
        load.add_argument("file", help=".xlsx、.xls 或 .csv 文件（CSV 可为 UTF-8 或 GBK 编码）")
        load.add_argument("--zone", required=True, help="开发区全称或简称")
        load.add_argument("--year", required=True, type=int, help="数据年度，如 2025")
        load.add_argument("--dry-run", action="store_true", help="只检查并报告将要导入的内容，不写入")

    def handle(self, *args, action: str, file: str, zone: str, year: int, dry_run: bool = False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件“{file}”。")
        extension = path.suffix.lower().lstrip(".")
        if extension not in EXTENSIONS:
            raise CommandError(f"不支持的文件类型“{path.suffix}”，请使用 .xlsx、.xls 或 .csv 文件。")
        try:
            found = zone_by_name(zone)
        except ZoneNotFound as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = figures_import(
                user=None,
                zone=found,
                year=year,
                path=path,
                extension=extension,
                commit=not dry_run,
                keep_outcomes=dry_run,
            )
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(refusal_message(exc)) from exc
        self.stdout.write("\n".join(render(result, year, found.name, verbose=dry_run)))
        if result.errors:
            raise CommandError("试导入发现错误，请改正后重新导入。" if dry_run else "有错误，未写入任何数据。")


def render(result: ImportResult, year: int, zone_name: str, *, verbose: bool) -> list[str]:
    where = "" if result.file_name.lower().endswith(".csv") else f"工作表“{result.sheet_name}”，"
    lines = [f"{zone_name} 企业经营数据：{result.file_name}（{where}表头在第{result.header_row}行）"]
    lines.append(summary_line(result, year))
    if result.unmapped:
        lines.append(f"未导入的列（列名未能识别）：{'、'.join(result.unmapped)}")
    if verbose:  # a dry run says what each row would do
        for outcome in result.outcomes:
            if outcome.changes and not outcome.errors:
                action = "新增" if outcome.action == "create" else "更新"
                changes = "，".join(
                    f"{header} {old} → {new}" if old else f"{header} {new}"
                    for header, (old, new) in outcome.changes.items()
                )
                lines.append(f"  第{outcome.row}行 {outcome.label}：{action}（{changes}）")
    if result.gaps and not result.errors:
        lines.append("仍待补录：" + "，".join(f"{label} {count} 户" for label, count in result.gaps.items()))
    lines += [error.message for error in result.errors]
    lines += [f"提示：{warning}" for warning in result.warnings]
    if result.committed:
        lines.append("已写入。")
    elif not result.errors:
        lines.append("试导入：未写入任何数据。")
    return lines
