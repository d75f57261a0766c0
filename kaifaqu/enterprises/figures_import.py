"""Importing enterprises' figures (企业经营数据) from the table a zone's office keeps: a title, maybe
``单位：万元``, a header (企业名称, 统一社会信用代码, 工业总产值, 营业收入（亿元）, 实缴税金, 从业人员 …),
a row per enterprise and a 合计 row, as .xlsx, .xls or .csv.

Built on the import engine (``imports.engine.run_import``): the sheet reader, header matching, 合计
and title rows, the one transaction (nothing written when any row has an error) and the messages
``第N行 列名: 原因`` are the ledgers'. What is particular here: the year is given, not read; each row
must name an enterprise already in the zone's 企业库; each row is checked and written by
``figures.figures_check`` / ``figures.figures_save``, so the page, the portal form and the import
refuse the same figures in the same words. A blank cell (or ``—``, ``/``, ``无``: unknown) leaves
the figure as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from kaifaqu.core.rights import can, restrict
from kaifaqu.imports.engine import run_import
from kaifaqu.sheets.columns import Column
from kaifaqu.sheets.rows import (
    Action,
    ImportResult,
    RowError,
    RowOutcome,
    SourceRow,
    cell_error,
    value_error,
    year_from_titles,
)
from kaifaqu.sheets.values import CellError, compact, is_blank_mark, normal_name, parse_code, parse_text
from kaifaqu.zones.models import Zone

from .credit_code import normalise_credit_code, validate_credit_code
from .figures import figures_check, figures_save
from .models import Enterprise, EnterpriseFigures

MONEY = ("output_value", "revenue", "value_added", "tax", "rd_spend")
FIGURES = (*MONEY, "employees", "energy_tce", "land_mu", "floor_area")
COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", ("编号",)),
    Column("name", "企业名称", ("企业", "单位名称", "名称", "企业全称", "公司名称", "纳税人名称"), required=True),
    Column("credit_code", "统一社会信用代码", ("信用代码", "社会信用代码", "统一代码", "纳税人识别号")),
    Column("output_value", "产值", ("工业总产值", "总产值", "工业产值", "规上工业总产值", "现价产值"), money=True),
    Column("revenue", "营业收入", ("主营业务收入", "营收", "销售收入", "营业总收入"), money=True),
    Column("value_added", "增加值", ("工业增加值",), money=True),
    Column(
        "tax",
        "税收",
        ("实缴税金", "税收总额", "纳税额", "纳税总额", "实缴税收", "上缴税金", "入库税收", "税金"),
        money=True,
    ),
    Column("employees", "用工人数", ("从业人员", "用工", "职工人数", "从业人员数", "员工人数", "从业人员平均人数")),
    Column("energy_tce", "综合能耗", ("能耗", "综合能源消费量", "能源消费量")),
    Column("rd_spend", "研发投入", ("研发费用", "研发经费", "R&D经费", "研究与试验发展经费"), money=True),
    Column("land_mu", "用地面积", ("占地面积", "土地面积", "用地")),
    Column("floor_area", "建筑面积", ("厂房面积", "总建筑面积")),
)
LABELS = {column.key: column.label for column in COLUMNS}
CENT = Decimal("0.01")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
# The unit a header (or ``单位：…`` above the table) names, by kind of figure: → factor to the stored unit.
_MONEY_UNITS = (("亿元", Decimal(10000)), ("万元", Decimal(1)), ("千元", Decimal("0.1")), ("元", Decimal("0.0001")))
_UNITS = {
    **dict.fromkeys(MONEY, _MONEY_UNITS),
    "energy_tce": (("万吨", Decimal(10000)), ("吨", Decimal(1))),
    "land_mu": (
        ("万平方米", Decimal(15)),
        ("平方米", Decimal("0.0015")),
        ("㎡", Decimal("0.0015")),
        ("公顷", Decimal(15)),
        ("亩", Decimal(1)),
    ),
    "floor_area": (("万平方米", Decimal(10000)), ("万㎡", Decimal(10000)), ("平方米", Decimal(1)), ("㎡", Decimal(1))),
    "employees": (("万人", Decimal(10000)), ("人", Decimal(1))),
}
_CELL_MONEY_UNITS = (("亿元", Decimal(10000)), ("亿", Decimal(10000)), ("万元", Decimal(1)), ("万", Decimal(1)))
_CELL_SUFFIXES = ("吨标准煤", "吨标煤", "吨", "平方米", "㎡", "亩", "人")
_TITLE_UNIT = re.compile(r"单位[:：]\s*(亿元|万元|千元|元)")


def figures_import_zones(user):
    """The zones whose enterprises' figures the user may import: where the user keeps the 企业库."""
    return restrict(user, "enterprise.change", Zone.objects.all())


def figures_import(
    *,
    user,
    zone: Zone,
    year: int,
    path: str | Path,
    extension: str,
    file_name: str = "",
    commit: bool = False,
    keep_outcomes: bool = True,
) -> ImportResult:
    """Import the year's figures of ``zone``'s enterprises from the table at ``path``: every row is
    checked; nothing is written unless ``commit`` and no row has an error. ``user`` None: the
    operator at the command line. Raises ``imports.engine.ImportRefused`` for a file that cannot
    be read as a table, ``PermissionDenied`` for a zone the user does not keep."""
    if user is not None and not can(user, "enterprise.change", zone):
        raise PermissionDenied(f"您不能导入{zone.name}的企业经营数据（需有该开发区“维护企业信息”的权限）。")
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": f"年度“{year}”不对，应在 2000 到 2100 之间。"})
    return run_import(
        FiguresLedger(year=year),
        path,
        extension=extension,
        file_name=file_name,
        user=user,
        zone=zone,
        commit=commit,
        keep_outcomes=keep_outcomes,
    )


def summary_line(result: ImportResult, year: int) -> str:
    """``将导入 3 户企业 2025 年经营数据：新增 2，更新 1，跳过合计行 1`` (and what else the rows hold)."""
    line = (
        f"将导入 {result.created + result.updated} 户企业 {year} 年经营数据：新增 {result.created}，"
        f"更新 {result.updated}，跳过合计行 {result.skipped}"
    )
    if result.unchanged:
        line += f"，无变化 {result.unchanged}"
    if result.error_rows:
        line += f"，有错误 {result.error_rows} 行"
    return line


@dataclass
class _Context:
    user: Any
    zone: Zone
    year: int
    title_factor: str | None  # 单位：元 / 千元 / 万元 / 亿元 above the table
    title_year: int | None
    by_code: dict[str, Enterprise] = field(default_factory=dict)
    by_name: dict[str, Enterprise] = field(default_factory=dict)
    stored: dict[int, EnterpriseFigures] = field(default_factory=dict)  # enterprise id → the year's record
    seen: dict[int, int] = field(default_factory=dict)  # enterprise id → the row that named it first
    gaps: dict[str, int] = field(default_factory=dict)
    factors: dict[tuple[str, str], Decimal] = field(default_factory=dict)


@dataclass
class _Plan:
    enterprise: Enterprise
    fields: dict[str, Any]


class FiguresLedger:
    """A ``sheets.rows.LedgerKind`` for one year's figures of one zone."""

    key = "enterprise_figures"
    label = "企业经营数据"
    columns = COLUMNS

    def __init__(self, *, year: int):
        self.year = year

    def start(self, *, user, zone, title_lines, commit, file_name, detail=True, expected_versions=None) -> _Context:
        unit = next((m.group(1) for line in title_lines if (m := _TITLE_UNIT.search("".join(line.split())))), None)
        context = _Context(
            user=user, zone=zone, year=self.year, title_factor=unit, title_year=year_from_titles(title_lines)
        )
        for enterprise in Enterprise.objects.filter(zone=zone).order_by("pk"):
            if enterprise.credit_code:
                context.by_code[enterprise.credit_code] = enterprise
            context.by_name.setdefault(enterprise.name, enterprise)
            context.by_name.setdefault(normal_name(enterprise.name), enterprise)
        stored = EnterpriseFigures.objects.filter(enterprise__zone=zone, year=self.year, month__isnull=True)
        context.stored = {record.enterprise_id: record for record in stored}
        return context

    def plan(self, rows: list[SourceRow], context: _Context) -> list[tuple[RowOutcome, _Plan | None]]:
        return [_plan_row(row, context) for row in rows]

    def write(self, plans: list[_Plan], context: _Context) -> None:
        for plan in plans:
            figures_save(
                user=context.user,
                enterprise=plan.enterprise,
                year=context.year,
                fields=plan.fields,
                source=EnterpriseFigures.Source.IMPORT,
            )

    def finish(self, context: _Context, result: ImportResult) -> None:
        result.gaps = {LABELS[key]: context.gaps[key] for key in FIGURES if context.gaps.get(key)}
        if context.title_year is not None and context.title_year != context.year:
            result.warnings.append(f"表格标题写的是{context.title_year}年，本次按{context.year}年导入，请核对年度。")


def _plan_row(row: SourceRow, context: _Context) -> tuple[RowOutcome, _Plan | None]:
    errors: list[RowError] = []
    name = _text(row, "name", errors)
    code = _code(row, errors)
    fields = {}
    for key in FIGURES:
        if key in row.cells:
            try:
                value = _figure(key, row.cells[key], _factor(key, row.headers.get(key, ""), context))
            except CellError as exc:
                errors.append(value_error(row, key, exc))
                continue
            if value is not None:
                fields[key] = value
    label = name or code or ""
    if not name and not code:
        errors.append(cell_error(row, "name", "企业名称不能为空", label="企业名称"))
        return RowOutcome(row.number, Action.ERROR, label, errors=errors), None
    enterprise = _enterprise(row, name, code, context, errors)
    if enterprise is not None:
        label = enterprise.name
        first = context.seen.setdefault(enterprise.pk, row.number)
        if first != row.number:
            errors.append(cell_error(row, "name", f"与第{first}行是同一企业（{enterprise.name}）", label="企业名称"))
    if enterprise is None:
        return RowOutcome(row.number, Action.ERROR, label, errors=errors), None
    outcome, plan = _plan_figures(row, enterprise, fields, context)
    if errors:
        # The figures that could be read are checked too: every error of the row in one round.
        return RowOutcome(row.number, Action.ERROR, label, errors=errors + list(outcome.errors or [])), None
    return outcome, plan


def _plan_figures(row: SourceRow, enterprise: Enterprise, fields: dict, context: _Context):
    before = context.stored.get(enterprise.pk)
    try:
        record = figures_check(
            user=context.user,
            enterprise=enterprise,
            year=context.year,
            fields=fields,
            source=EnterpriseFigures.Source.IMPORT,
        )
    except PermissionDenied as exc:
        error = cell_error(row, "name", str(exc), label="企业名称")
        return RowOutcome(row.number, Action.ERROR, enterprise.name, errors=[error]), None
    except ValidationError as exc:
        errors = [_service_error(row, key, message) for key, messages in _messages(exc) for message in messages]
        return RowOutcome(row.number, Action.ERROR, enterprise.name, errors=errors), None
    for key in FIGURES:
        if getattr(record, key) is None:
            context.gaps[key] = context.gaps.get(key, 0) + 1
    changes = {
        # Named with the stored unit (营业收入（万元）): the values shown are converted already.
        str(EnterpriseFigures._meta.get_field(key).verbose_name): (_shown(getattr(before, key, None)), _shown(value))
        for key, value in fields.items()
        if before is None or getattr(before, key) != value
    }
    if before is not None and not changes:
        return RowOutcome(row.number, Action.UNCHANGED, enterprise.name), None
    action = Action.CREATE if before is None else Action.UPDATE
    return RowOutcome(row.number, action, enterprise.name, changes=changes), _Plan(enterprise, fields)


def _messages(error: ValidationError):
    return error.message_dict.items() if hasattr(error, "error_dict") else [("name", error.messages)]


def _service_error(row: SourceRow, key: str, message: str) -> RowError:
    """A refusal of ``figures_check`` at the column that holds the figure (the year's at the name)."""
    column = key if key in row.headers else "name"
    return cell_error(row, column, message.rstrip("。"), label=LABELS.get(column, "企业名称"))


def _enterprise(row: SourceRow, name: str, code: str | None, context: _Context, errors: list) -> Enterprise | None:
    """The zone's enterprise the row names: by its code when given, else by its name as written, else
    by its name without spaces and with brackets of either width."""
    by_name = (context.by_name.get(name) or context.by_name.get(normal_name(name))) if name else None
    if code:
        found = context.by_code.get(code)
        if found is not None:
            return found
        if by_name is not None and not by_name.credit_code:
            return by_name  # registered without its code: the name is enough
        where = f"（企业库中“{by_name.name}”的代码为 {by_name.credit_code}）" if by_name is not None else ""
        what = f"“{name}”（统一社会信用代码 {code}）" if name else f"统一社会信用代码为 {code} 的企业"
        errors.append(cell_error(row, "credit_code", f"开发区企业库中没有{what}{where}，请先登记企业"))
        return None
    if by_name is None:
        errors.append(cell_error(row, "name", f"开发区企业库中没有“{name}”，请先登记企业", label="企业名称"))
    return by_name


def _text(row: SourceRow, key: str, errors: list) -> str:
    raw = row.cells.get(key)
    if is_blank_mark(raw):
        return ""
    try:
        return parse_text(raw, max_length=200)
    except CellError as exc:
        errors.append(value_error(row, key, exc))
        return ""


def _code(row: SourceRow, errors: list) -> str | None:
    raw = row.cells.get("credit_code")
    if is_blank_mark(raw):
        return None
    try:
        return parse_code(raw, normalise=normalise_credit_code, validate=validate_credit_code)
    except CellError as exc:
        errors.append(value_error(row, "credit_code", exc))
        return None


def _factor(key: str, header: str, context: _Context) -> Decimal:
    """What one unit of the column is in the stored unit: from the header's own unit, else (amounts)
    from ``单位：…`` above the table, else the stored unit itself."""
    found = context.factors.get((key, header))
    if found is None:
        text = compact(header)
        found = next((factor for unit, factor in _UNITS[key] if unit in text), None)
        if found is None and key in MONEY and context.title_factor:
            found = dict(_MONEY_UNITS)[context.title_factor]
        context.factors[(key, header)] = found = found or Decimal(1)
    return found


def _figure(key: str, raw, factor: Decimal):
    """The cell as the stored figure (None: blank or unknown, leave as it was). Signs pass through:
    the service says why a negative figure is refused, as it does on the form."""
    if is_blank_mark(raw):
        return None
    if isinstance(raw, bool):
        raise CellError("不是数字")
    if isinstance(raw, int | float):
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    else:
        text = compact(raw).replace(",", "")
        if key in MONEY:
            for unit, unit_factor in _CELL_MONEY_UNITS:
                if text.endswith(unit):
                    text, factor = text[: -len(unit)], unit_factor
                    break
        for suffix in _CELL_SUFFIXES:
            text = text.removesuffix(suffix)
        if not _NUMBER.match(text):
            raise CellError("不是数字" + ("（金额可带“万元”“亿元”）" if key in MONEY else ""))
        number = Decimal(text)
    try:
        value = number * factor
        if key == "employees":
            if value != value.to_integral_value():
                raise CellError("人数应为整数")
            return int(value)
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise CellError("不是有效的数字") from exc


def _shown(value) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
