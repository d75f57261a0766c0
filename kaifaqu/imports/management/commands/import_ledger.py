import json
from pathlib import Path

from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand
from kaifaqu.imports.engine import ImportRefused, run_import
from kaifaqu.imports.registry import KINDS, ledger_kind
from kaifaqu.sheets.readers import EXTENSIONS
from kaifaqu.sheets.rows import ImportResult
from kaifaqu.zones.selectors import ZoneNotFound, zone_by_name


class Command(KaifaquCommand):
    help = (
        "导入项目台账或企业台账（.xlsx、.xls、.csv）。先检查全部行，有任何错误则不写入任何数据"
        "（--keep-valid 只导入无误的行）；--dry-run 只检查不写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), help="projects（项目台账）或 enterprises（企业台账）")
        parser.add_argument("file", help="台账文件路径")
        parser.add_argument("--zone", help="开发区全称或简称（表中有“开发区”列时可省略）")
        parser.add_argument("--sheet", help="工作表名称（默认第一个工作表）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
        parser.add_argument("--keep-valid", action="store_true", help="有错误时仍导入无误的行")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, kind, file, zone=None, sheet=None, dry_run=False, keep_valid=False, json=False, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件“{file}”。")
        extension = path.suffix.lower().lstrip(".")
        if extension not in EXTENSIONS:
            raise CommandError(f"不支持的文件类型“{path.suffix}”，请使用 .xlsx、.xls 或 .csv 文件。")
        found = None
        if zone:
            try:
                found = zone_by_name(zone)
            except ZoneNotFound as exc:
                raise CommandError(str(exc)) from exc
        try:
            result = run_import(
                ledger_kind(kind),
                path,
                extension=extension,
                zone=found,
                sheet=sheet,
                commit=not dry_run,
                keep_valid=keep_valid,
                keep_outcomes=False,
            )
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(render_json(result) if json else render_text(result, KINDS[kind]))
        if result.errors:
            if result.committed:
                raise CommandError(f"已导入无误的行；{result.error_rows} 行有错误，未导入。")
            raise CommandError("试导入发现错误。" if dry_run else "有错误，未写入任何数据。")


def render_text(result: ImportResult, what: str) -> str:
    where = "" if result.file_name.lower().endswith(".csv") else f"工作表“{result.sheet_name}”，"
    counts = (
        f"读取 {result.rows_read} 行：新增 {result.created}，更新 {result.updated}，无变化 {result.unchanged}，"
        f"有错误 {result.error_rows}；跳过 {result.skipped} 行（合计、小计、分组标题）"
    )
    if result.gaps:
        # History arrives with gaps: say what the imported records still lack, to be filled later.
        counts += "；待补录：" + "，".join(f"{label} {count}" for label, count in result.gaps.items())
    lines = [f"{what}：{result.file_name}（{where}表头在第{result.header_row}行）", counts]
    if result.unmapped:
        lines.append(f"未导入的列（列名未能识别）：{'、'.join(result.unmapped)}")
    if result.extra.get("enterprises_created"):
        lines.append(f"新登记建设单位 {result.extra['enterprises_created']} 家")
    lines += [error.message for error in result.errors]
    lines += [f"提示：{warning}" for warning in result.warnings]
    if result.committed:
        lines.append("已写入。" if not result.errors else f"已写入无误的行，{result.error_rows} 行有错误未导入。")
    elif result.dry_run and not result.errors:
        lines.append("试导入：未写入任何数据。")
    return "\n".join(lines)


def render_json(result: ImportResult) -> str:
    payload = result.summary()
    payload |= payload.pop("extra")  # e.g. enterprises_created at the top level
    return json.dumps(payload, ensure_ascii=False, indent=2)
