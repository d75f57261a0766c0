"""The enterprise ledger in Excel: its columns (declared once for import and export) and
the import of rows into enterprises.

A row updates the enterprise with its 统一社会信用代码, else the one of the same zone with
the same name, else creates one. Only the columns present in the file are written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from kaifaqu.audit import trail
from kaifaqu.core.bulk import insert_many
from kaifaqu.core.rights import can
from kaifaqu.sheets.columns import Column
from kaifaqu.sheets.ledger import ledger_csv_bytes, write_ledger_xlsx
from kaifaqu.sheets.rows import (
    Action,
    ImportResult,
    RowOutcome,
    SourceRow,
    cell_error,
    value_error,
)
from kaifaqu.sheets.values import (
    CellError,
    compact,
    is_empty,
    normal_name,
    normal_text,
    parse_bool,
    parse_choice,
    parse_code,
    parse_text,
)
from kaifaqu.sheets.writer import OutputColumn
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import ZoneLookup, ledger_title

from .credit_code import normalise_credit_code, validate_credit_code
from .models import Enterprise, IndustryClass

COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", ("编号",)),
    Column("name", "企业名称", ("企业", "单位名称", "名称", "企业全称", "公司名称"), required=True),
    Column("credit_code", "统一社会信用代码", ("信用代码", "社会信用代码", "统一代码")),
    Column("zone", "开发区", ("所在开发区", "开发区名称", "所属开发区")),
    Column("industry", "所属行业", ("行业", "产业", "产业类别", "行业类别", "所属产业", "行业分类")),
    Column("address", "地址", ("企业地址", "注册地址", "详细地址", "生产经营地址", "经营地址")),
    Column("contact_person", "联系人", ("企业联系人", "负责人", "联系人姓名")),
    Column("contact_phone", "联系电话", ("电话", "手机", "联系方式", "手机号码", "联系人电话")),
    Column("is_above_scale", "规上企业", ("规上", "是否规上", "规模以上", "是否规上企业", "规模以上企业")),
    Column("is_four_above", "四上企业", ("四上", "是否四上", "是否四上企业")),
    Column("is_high_tech", "高新技术企业", ("高新技术", "高企", "是否高新", "是否高新技术企业", "国家高新技术企业")),
    Column("specialised", "专精特新", ("专精特新企业", "专精特新级别", "是否专精特新")),
    Column("is_chain_leader", "链主企业", ("链主", "是否链主", "是否链主企业")),
    Column("is_listed", "上市企业", ("上市", "是否上市", "是否上市企业")),
    Column("liaison_leader", "包联领导", ("包联县级领导", "联系领导", "包联领导姓名")),
    Column("liaison", "包联干部", ("包联人", "包联人员", "包联干部姓名", "联系干部")),
    Column("industry_class", "国民经济行业", ("国民经济行业分类", "行业代码", "行业大类", "国民经济行业大类")),
)
TEXT_FIELDS = ("name", "industry", "address", "contact_person", "contact_phone", "liaison_leader")
FLAG_FIELDS = ("is_above_scale", "is_four_above", "is_high_tech", "is_chain_leader", "is_listed")
SHOWN_FIELDS = frozenset(
    {*TEXT_FIELDS, *FLAG_FIELDS, "credit_code", "specialised", "zone", "industry_class", "liaison"}
)
FIELD_NAMES = {field.attname: field.name for field in Enterprise._meta.concrete_fields}  # liaison_id → liaison
PERSON_NAME_MAX = 301  # a full name: first_name and last_name (150 each) with a space
INDUSTRY_CODE = re.compile(r"^[A-Ta-t]?(\d{2})")
SPECIALISED_WORDS = {
    compact(word): code
    for code, words in {
        Enterprise.Specialised.PROVINCIAL: ("省级专精特新", "省级", "省专精特新", "专精特新", "是", "省级专精特新企业"),
        Enterprise.Specialised.NATIONAL: (
            "国家级专精特新“小巨人”",
            "国家级专精特新小巨人",
            "小巨人",
            "国家级",
            "国家级小巨人",
        ),
        Enterprise.Specialised.NONE: ("否", "无", "-", "/"),
    }.items()
    for word in words
}
IMPORT_NOTE = "台账导入"


def export_row(enterprise: Enterprise) -> list:
    """One enterprise as the export writes it, in ``COLUMNS`` order after 序号."""
    return [
        enterprise.name,
        enterprise.credit_code or "",
        enterprise.zone.name,
        enterprise.industry,
        enterprise.address,
        enterprise.contact_person,
        enterprise.contact_phone,
        *("是" if getattr(enterprise, name) else "否" for name in ("is_above_scale", "is_four_above", "is_high_tech")),
        enterprise.get_specialised_display() if enterprise.specialised else "否",
        "是" if enterprise.is_chain_leader else "否",
        "是" if enterprise.is_listed else "否",
        enterprise.liaison_leader,
        person_name(enterprise.liaison) if enterprise.liaison else "",
        str(enterprise.industry_class) if enterprise.industry_class else "",
    ]


def person_name(user) -> str:
    """A user as the ledger writes them (包联干部): the full name, else the username."""
    return user.get_full_name() or user.username


@dataclass
class _Context:
    user: Any
    zone: Zone | None
    file_name: str
    zones: ZoneLookup
    by_code: dict[str, Enterprise] = field(default_factory=dict)
    names: dict[int, dict[str, Enterprise]] = field(default_factory=dict)
    seen: dict[tuple, int] = field(default_factory=dict)
    members: dict[int, list] = field(default_factory=dict)  # zone id → its committee's active members


@dataclass
class _Plan:
    enterprise: Enterprise
    create: bool
    row: int
    before: dict[str, Any] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)


class EnterpriseLedger:
    key = "enterprises"
    label = "企业"
    columns = COLUMNS

    def start(self, *, user, zone, title_lines, commit, file_name, detail=True, expected_versions=None) -> _Context:
        return _Context(user=user, zone=zone, file_name=file_name, zones=ZoneLookup(user))

    def finish(self, context: _Context, result: ImportResult) -> None:
        pass

    def plan(self, rows: list[SourceRow], context: _Context) -> list[tuple[RowOutcome, _Plan | None]]:
        parsed = [_parse(row, context) for row in rows]
        codes = {values.get("credit_code") for _, values, _ in parsed if values.get("credit_code")}
        missing = codes - context.by_code.keys()
        if missing:
            for enterprise in Enterprise.objects.filter(credit_code__in=missing).select_related("zone", "liaison"):
                context.by_code[enterprise.credit_code] = enterprise
        return [_plan_row(row, values, errors, context) for row, values, errors in parsed]

    def write(self, plans: list[_Plan], context: _Context) -> None:
        creates = [plan.enterprise for plan in plans if plan.create]
        if creates:
            insert_many(creates)
            for plan in plans:
                if plan.create:
                    trail.record_create(user=context.user, instance=plan.enterprise, note=_note(context, plan))
        updates = [plan for plan in plans if not plan.create]
        if updates:
            now = timezone.now()
            for plan in updates:
                plan.enterprise.updated_at = now
            fields = sorted(set().union(*(plan.changed for plan in updates)) | {"updated_at"})
            Enterprise.objects.bulk_update([plan.enterprise for plan in updates], fields)
            for plan in updates:
                trail.record_update(
                    user=context.user, instance=plan.enterprise, before=plan.before, note=_note(context, plan)
                )


def _note(context: _Context, plan: _Plan) -> str:
    return f"{IMPORT_NOTE}：{context.file_name} 第{plan.row}行"


def _parse(row: SourceRow, context: _Context):
    values: dict[str, Any] = {}
    errors = []
    for key, raw in row.cells.items():
        try:
            if key in TEXT_FIELDS:
                values[key] = parse_text(raw, max_length=Enterprise._meta.get_field(key).max_length)
            elif key in FLAG_FIELDS:
                values[key] = bool(parse_bool(raw))
            elif key == "specialised":
                values[key] = parse_choice(raw, SPECIALISED_WORDS, what="专精特新级别") or ""
            elif key == "credit_code":
                values[key] = parse_code(raw, normalise=normalise_credit_code, validate=validate_credit_code)
            elif key == "zone":
                values[key] = "" if is_empty(raw) else str(raw).strip()
            elif key == "industry_class":
                values[key] = None if is_empty(raw) else industry_class(raw)
            elif key == "liaison":
                # A person of the row's zone, found once the zone is known; parse_text drops the
                # quote a CSV export puts before a name starting with "-".
                values[key] = normal_text(parse_text(raw, max_length=PERSON_NAME_MAX))
        except CellError as exc:
            errors.append(value_error(row, key, exc))
    return row, values, errors


def industry_class(raw) -> IndustryClass:
    """A 大类 written as the export writes it (C25 石油、…), as its code (25) or as its name."""
    text = normal_text(raw)
    match = INDUSTRY_CODE.match(text)
    found = IndustryClass.objects.filter(parent__isnull=False)
    found = found.filter(code=match.group(1)) if match else found.filter(name=text)
    first = found.first()
    if first is None:
        raise CellError(f"“{text}”不是国民经济行业（GB/T 4754-2017）的大类，请写大类代码或名称，如 C25 或 26")
    return first


def _plan_row(row: SourceRow, values: dict, errors: list, context: _Context) -> tuple[RowOutcome, _Plan | None]:
    name = values.get("name") or ""

    def fail(key: str, reason: str, **kwargs):
        errors.append(cell_error(row, key, reason, label=_label(key), **kwargs))

    zone = _zone(values.pop("zone", ""), context, fail)
    if not name:
        fail("name", "企业名称不能为空")
    if errors or zone is None:
        return RowOutcome(row.number, Action.ERROR, name, errors=errors), None
    if context.user is not None and not can(context.user, "enterprise.change", zone):
        fail("zone", f"您没有维护{zone.name}企业台账的权限")
        return RowOutcome(row.number, Action.ERROR, name, errors=errors), None
    code = values.get("credit_code")
    key = ("code", code) if code else ("name", zone.pk, normal_name(name))
    first = context.seen.setdefault(key, row.number)
    if first != row.number:
        fail("credit_code" if code else "name", f"与第{first}行重复")
        return RowOutcome(row.number, Action.ERROR, name, errors=errors), None
    stored = context.by_code.get(code) if code else None
    if stored is not None and stored.zone_id != zone.pk:
        fail("credit_code", "该统一社会信用代码的企业已在其他开发区登记")
        return RowOutcome(row.number, Action.ERROR, name, errors=errors), None
    if stored is None:
        stored = _names(context, zone).get(normal_name(name))
    if "liaison" in values:
        found = _liaison(values["liaison"], zone, stored, context)
        if isinstance(found, str):
            fail("liaison", found)
            return RowOutcome(row.number, Action.ERROR, name, errors=errors), None
        values["liaison"] = found
    if stored is None:
        return _plan_create(row, values, zone, context)
    return _plan_update(row, values, stored, context)


def _plan_create(row: SourceRow, values: dict, zone: Zone, context: _Context):
    user = context.user if getattr(context.user, "is_authenticated", False) else None
    enterprise = Enterprise(zone=zone, created_by=user, **values)
    _names(context, zone)[normal_name(enterprise.name)] = enterprise
    changes = {row.headers.get(key, _label(key)): ("", _shown(enterprise, key)) for key in sorted(values)}
    outcome = RowOutcome(row.number, Action.CREATE, enterprise.name, changes=changes)
    return outcome, _Plan(enterprise, create=True, row=row.number)


def _plan_update(row: SourceRow, values: dict, stored: Enterprise, context: _Context):
    if stored.pk is None:  # created by an earlier row of this file under another spelling
        errors = [cell_error(row, "name", "与前面一行是同一企业", label="企业名称")]
        return RowOutcome(row.number, Action.ERROR, stored.name, errors=errors), None
    before = trail.snapshot(stored)
    shown = {key: _shown(stored, key) for key in SHOWN_FIELDS}
    for key, value in values.items():
        setattr(stored, key, value)
    changed = {FIELD_NAMES[attname] for attname, value in before.items() if getattr(stored, attname) != value}
    same_name = _names(context, stored.zone).get(normal_name(stored.name))
    if "name" in changed and same_name is not None and same_name is not stored:
        errors = [cell_error(row, "name", f"{stored.zone.name}已有名为“{stored.name}”的企业", label="企业名称")]
        return RowOutcome(row.number, Action.ERROR, stored.name, errors=errors), None
    if not changed:
        return RowOutcome(row.number, Action.UNCHANGED, stored.name), None
    changes = {row.headers.get(key, _label(key)): (shown.get(key, ""), _shown(stored, key)) for key in sorted(changed)}
    outcome = RowOutcome(row.number, Action.UPDATE, stored.name, changes=changes)
    return outcome, _Plan(stored, create=False, row=row.number, before=before, changed=changed)


def _zone(written: str, context: _Context, fail) -> Zone | None:
    found = context.zones.for_row(written, context.zone)
    if isinstance(found, str):
        fail("zone", found, value=written)
        return None
    return found


def _names(context: _Context, zone: Zone) -> dict[str, Enterprise]:
    names = context.names.get(zone.pk)
    if names is None:
        names = context.names[zone.pk] = {
            normal_name(enterprise.name): enterprise
            for enterprise in Enterprise.objects.filter(zone=zone).select_related("liaison")
        }
    return names


def _liaison(written: str, zone: Zone, stored: Enterprise | None, context: _Context):
    """The 包联干部 a cell names, None for an empty cell, or the reason (a ``str``) it names nobody.

    The cell is read as the export writes it: a full name, else a username. Anyone newly named
    must be an active member of the zone's committee, as on the enterprise form. The enterprise's
    present 包联干部 so written is kept without that search, so an exported ledger reads back
    unchanged even when two members share the name or the person has since left.
    """
    # An empty cell clears the field, as an empty 包联领导 or 国民经济行业 does: only a column
    # left out of the file leaves it as it is.
    if not written:
        return None
    current = stored.liaison if stored is not None else None
    if current is not None and written in (normal_text(current.username), normal_text(person_name(current))):
        return current
    members = _members(context, zone)
    named = [user for user in members if normal_text(user.username) == written] or [
        user for user in members if normal_text(user.get_full_name()) == written
    ]
    if not named:
        return f"“{written}”不是{zone.display_name}的成员"
    if len(named) > 1:
        usernames = "、".join(user.username for user in named[:5])
        return f"“{written}”对应多人（{usernames}），请填写用户名"
    return named[0]


def _members(context: _Context, zone: Zone) -> list:
    members = context.members.get(zone.pk)
    if members is None:
        users = get_user_model().objects.filter(membership__unit__zone=zone, is_active=True)
        members = context.members[zone.pk] = list(users.distinct().order_by("username"))
    return members


def _label(key: str) -> str:
    for column in COLUMNS:
        if column.key == key:
            return column.label
    return key


def _shown(enterprise: Enterprise, key: str) -> str:
    value = getattr(enterprise, key, None)
    if key == "specialised":
        return enterprise.get_specialised_display() if value else "否"
    if key == "liaison":
        return person_name(value) if value else ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else str(value)


# ------------------------------------------------------------------ export

EXPORT_COLUMNS = (
    OutputColumn("企业名称", width=32),
    OutputColumn("统一社会信用代码", width=22),
    OutputColumn("开发区", width=20),
    OutputColumn("所属行业", width=16),
    OutputColumn("地址", width=30),
    OutputColumn("联系人", width=10),
    OutputColumn("联系电话", width=14),
    OutputColumn("规上企业", width=9),
    OutputColumn("四上企业", width=9),
    OutputColumn("高新技术企业", width=9),
    OutputColumn("专精特新", width=16),
    OutputColumn("链主企业", width=9),
    OutputColumn("上市企业", width=9),
    OutputColumn("包联领导", width=10),
    OutputColumn("包联干部", width=10),
    OutputColumn("国民经济行业", width=30),
)


def enterprise_rows(queryset) -> Iterator[list]:
    related = queryset.select_related("zone", "liaison", "industry_class", "industry_class__parent")
    for enterprise in related.order_by("zone_id", "name").iterator(chunk_size=2000):
        yield export_row(enterprise)


def export_enterprises_xlsx(handle, queryset, *, scope_name: str = "") -> int:
    return write_ledger_xlsx(
        handle,
        title=ledger_title(queryset, what="企业台账", scope_name=scope_name),
        sheet_name="企业台账",
        columns=EXPORT_COLUMNS,
        rows=enterprise_rows(queryset),
        unit="万元",
    )


def export_enterprises_csv(queryset) -> bytes:
    return ledger_csv_bytes(columns=EXPORT_COLUMNS, rows=enterprise_rows(queryset), unit="万元")
