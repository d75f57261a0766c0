"""The 招商 ledgers in Excel (目标企业清单, 招商台账): registered with the import app.

Each ledger declares its columns once, for the importer and the export, so an exported file
reads back unchanged. Every row is written through ``services`` (``target_save``,
``target_industry_save``, ``activity_save``): their rights, rules and audit apply to an import
as to a page. A row is written while it is planned, inside a savepoint, so the rules a
service enforces come back as that row's errors (``第N行 列名: 原因``) and later rows see the
earlier ones (a target created on row 3 is the one row 9 updates); the engine rolls the whole
import back when any row fails, and a dry run always.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kaifaqu.core.rights import can
from kaifaqu.enterprises.credit_code import normalise_credit_code, validate_credit_code
from kaifaqu.enterprises.ledger import industry_class as parse_industry_class
from kaifaqu.enterprises.ledger import person_name
from kaifaqu.sheets.columns import Column
from kaifaqu.sheets.ledger import UNITS, ledger_csv_bytes, write_ledger_xlsx
from kaifaqu.sheets.rows import Action, ImportResult, RowError, RowOutcome, SourceRow, cell_error, value_error
from kaifaqu.sheets.values import (
    CellError,
    compact,
    is_empty,
    normal_name,
    normal_text,
    parse_choice,
    parse_code,
    parse_date,
    parse_money,
    parse_text,
)
from kaifaqu.sheets.writer import DATE, MONEY, OutputColumn
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import ZoneLookup, ledger_title

from . import services
from .models import Activity, Target, TargetIndustry

TARGET_LEDGER = "investment_targets"
ACTIVITY_LEDGER = "investment_activities"
IMPORT_NOTE = "台账导入"
SUMMARY_MAX = 5000  # 成效与纪要 is a text field: a cell longer than this is a paste gone wrong

ZONE_COLUMN = Column("zone", "开发区", ("所在开发区", "所属开发区", "开发区名称"))

# ------------------------------------------------------------------ 目标企业清单

TARGET_COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", ("编号",)),
    Column(
        "name",
        "企业名称",
        ("目标企业", "目标企业名称", "企业", "企业全称", "公司名称", "公司", "单位名称", "名称", "招商目标企业"),
        required=True,
    ),
    Column("credit_code", "统一社会信用代码", ("信用代码", "社会信用代码", "统一代码")),
    ZONE_COLUMN,
    Column(
        "hq_region",
        "总部所在地",
        ("总部", "所在地", "注册地", "总部地址", "总部所在地区", "企业所在地", "所在省市", "所在地区", "总部所在城市"),
    ),
    Column(
        "industry",
        "招商产业",
        ("产业", "所属产业", "产业链", "招商产业链", "产业方向", "产业类别", "重点产业", "所属行业", "行业领域"),
    ),
    Column("industry_class", "国民经济行业", ("国民经济行业分类", "行业代码", "行业大类", "国民经济行业大类")),
    Column("size", "企业规模", ("规模", "企业类型", "企业类别", "企业层级")),
    Column("reason", "招引理由", ("理由", "招引原因", "推荐理由", "招商理由", "引进理由")),
    Column(
        "owner",
        "责任人",
        ("责任领导", "包联领导", "对接人", "对接责任人", "负责人", "包联人", "联系领导", "责任人员"),
    ),
    Column(
        "contact",
        "对方联系人及电话",
        ("对方联系人", "企业联系人", "联系人", "联系人及电话", "联系方式", "联系电话", "客商联系人"),
    ),
    Column("status", "对接状态", ("状态", "跟踪状态", "洽谈状态", "对接情况", "进展状态")),
    Column("note", "备注", ("其他", "其它")),
)
TARGET_TEXT = ("name", "hq_region", "reason", "owner", "contact", "note")


def _words(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {compact(word): code for code, words in groups.items() for word in words}


STATUS_WORDS = _words(
    {
        Target.Status.UNTOUCHED: ("未接触", "未对接", "待对接", "尚未接触", "尚未对接", "待接触"),
        Target.Status.CONTACTED: ("已接触", "已对接", "初步接触", "初步对接", "已联系", "接触"),
        Target.Status.NEGOTIATING: ("洽谈中", "在谈", "正在洽谈", "洽谈", "跟踪洽谈", "有意向", "意向洽谈", "深度洽谈"),
        Target.Status.LANDED: ("已落地", "落地", "已签约", "签约", "已入驻", "已投产", "已注册"),
        Target.Status.DROPPED: ("放弃", "已放弃", "终止", "无意向", "不再跟踪"),
    }
)
SIZE_WORDS = _words(
    {
        Target.Size.GLOBAL_500: ("世界500强", "世界五百强", "财富500强", "世界500强企业"),
        Target.Size.CHINA_500: ("中国500强", "中国五百强", "中国企业500强", "中国500强企业"),
        Target.Size.PRIVATE_500: ("民营500强", "民营五百强", "中国民营企业500强", "民企500强", "民营500强企业"),
        Target.Size.LISTED: ("上市公司", "上市企业", "上市"),
        Target.Size.LEADER: ("行业龙头", "龙头企业", "龙头", "行业龙头企业", "链主企业", "链主"),
        Target.Size.LARGE: ("大型", "大型企业", "大企业"),
        Target.Size.MEDIUM: ("中型", "中型企业"),
        Target.Size.SMALL: ("小型", "小型企业", "小微", "小微企业", "微型", "微型企业"),
    }
)


# ------------------------------------------------------------------ 招商台账

# The importer finds a table by its "name" column; an office's 招商台账 always has a date but
# often no 活动名称 (it is built from the type, region and companies), so the date is that column.
ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", ("编号",)),
    Column(
        "name",
        "日期",
        ("活动日期", "开始日期", "时间", "活动时间", "日期时间", "出发日期", "对接时间", "对接日期", "洽谈时间"),
        required=True,
    ),
    Column("end_on", "结束日期", ("返回日期", "结束时间", "截止日期")),
    ZONE_COLUMN,
    Column("kind", "活动类型", ("类型", "活动形式", "招商形式", "招商方式", "对接方式", "活动类别"), required=True),
    Column("title", "活动名称", ("名称", "活动", "活动主题", "主题", "事项", "招商活动")),
    Column(
        "region",
        "地区",
        ("目的地", "地点", "客商来源地", "外出地点", "考察地点", "外出地区", "来访地区", "所在地区", "来源地", "区域"),
    ),
    Column("leader", "带队领导", ("带队", "带队人", "领队", "带队县级领导", "带队领导姓名", "带队负责人")),
    Column("members", "参加人员", ("参加人", "随行人员", "参与人员", "参加领导", "人员", "参加人员名单")),
    Column(
        "targets",
        "对接企业",
        (
            "企业",
            "企业名称",
            "对接企业名称",
            "洽谈企业",
            "来访企业",
            "签约企业",
            "拜访企业",
            "考察企业",
            "客商",
            "对接客商",
        ),
    ),
    Column("depth", "洽谈深度", ("深度", "洽谈类型", "洽谈程度")),
    Column("agreement_kind", "协议类型", ("签约类型", "协议种类", "合作协议类型", "协议名称")),
    Column(
        "signed_amount",
        "签约金额",
        ("签约投资额", "签约额", "协议投资额", "签约总投资", "签约总投资额", "投资额", "总投资", "金额"),
        money=True,
    ),
    Column(
        "summary",
        "成效与纪要",
        (
            "成效",
            "纪要",
            "成效/纪要",
            "洽谈内容",
            "主要内容",
            "活动内容",
            "成果",
            "工作成效",
            "对接成效",
            "洽谈情况",
            "备注",
        ),
    ),
)
# A kind word → (kind, the depth of a talk it implies).
KIND_WORDS: dict[str, tuple[str, str]] = {
    compact(word): value
    for value, words in {
        (Activity.Kind.TRIP, ""): (
            "外出招商",
            "外出考察",
            "考察",
            "外出",
            "招商考察",
            "外出招商考察",
            "外出拜访",
            "拜访",
        ),
        (Activity.Kind.VISIT, ""): ("来访", "接待", "来访接待", "客商来访", "来访考察", "接待来访", "考察接待"),
        (Activity.Kind.TALK, Activity.Depth.FIRST): ("洽谈", "对接", "初次洽谈", "初步洽谈", "初次对接", "视频洽谈"),
        (Activity.Kind.TALK, Activity.Depth.DEEP): ("深度洽谈", "深入洽谈", "深度对接", "深谈"),
        (Activity.Kind.AGREEMENT, ""): ("签约", "签订协议", "签约活动", "协议签约", "合作签约", "签订合作协议"),
        (Activity.Kind.EVENT, ""): (
            "推介会/组团招商",
            "推介会",
            "组团招商",
            "招商推介",
            "招商推介会",
            "推介活动",
            "招商会",
            "招商活动",
            "展会",
        ),
    }.items()
    for word in words
}
KIND_SHOWN = "外出招商、来访接待、洽谈、深度洽谈、签约、推介会、组团招商"
DEPTH_WORDS = _words(
    {
        Activity.Depth.FIRST: ("初次", "初次洽谈", "初步", "初步洽谈", "首次", "首次洽谈", "初洽"),
        Activity.Depth.DEEP: ("深度", "深度洽谈", "深入", "深入洽谈", "深谈"),
    }
)
AGREEMENT_WORDS = _words(
    {
        Activity.AgreementKind.STRATEGIC: ("战略", "战略合作", "战略合作协议", "战略协议", "框架协议", "战略框架协议"),
        Activity.AgreementKind.PROJECT: (
            "项目",
            "项目合作协议",
            "项目协议",
            "投资协议",
            "项目投资协议",
            "合同",
            "投资合同",
        ),
    }
)
NAME_SEPARATORS = re.compile(r"[、，,;；/\n\r]+")
LEADER_MARK = "带队："


# ------------------------------------------------------------------ shared by the two importers


@dataclass
class _Context:
    user: Any
    zone: Zone | None
    file_name: str
    zones: ZoneLookup
    seen: dict[tuple, int] = field(default_factory=dict)
    targets: dict[int, dict[str, Target]] = field(default_factory=dict)  # zone id → normal name → target
    industries: dict[int, dict[str, TargetIndustry]] = field(default_factory=dict)
    members: dict[int, list] = field(default_factory=dict)
    new_industries: list[str] = field(default_factory=list)
    new_targets: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Refused(Exception):
    """A row that cannot be written; its errors are already in the list."""


class _LedgerBase(ABC):
    key = ""
    label = ""
    columns: tuple[Column, ...] = ()

    def start(self, *, user, zone, title_lines, commit, file_name, detail=True, expected_versions=None) -> _Context:
        return _Context(user=user, zone=zone, file_name=file_name, zones=ZoneLookup(user))

    def write(self, plans: list, context: _Context) -> None:
        """Nothing left: each row was written through the services as it was planned."""
        return None

    def finish(self, context: _Context, result: ImportResult) -> None:
        if context.new_industries:
            names = "、".join(dict.fromkeys(context.new_industries))
            result.extra["target_industries_created"] = len(set(context.new_industries))
            result.warnings.append(
                f"新增招商产业 {result.extra['target_industries_created']} 个（已加入招商产业目录）：{names}"
            )
        if context.new_targets:
            result.extra["targets_created"] = len(set(context.new_targets))
            result.warnings.append(
                f"对接企业中有 {result.extra['targets_created']} 家不在目标企业库，已登记为目标企业（已接触）："
                + "、".join(dict.fromkeys(context.new_targets))
            )
        result.warnings.extend(context.warnings)

    def plan(self, rows: list[SourceRow], context: _Context) -> list[tuple[RowOutcome, None]]:
        return [self._plan_row(row, context) for row in rows]

    @abstractmethod
    def _plan_row(self, row: SourceRow, context: _Context) -> tuple[RowOutcome, None]:
        """One row checked and written through the services (each ledger says how)."""

    def _label(self, key: str) -> str:
        return next((column.label for column in self.columns if column.key == key), key)

    def _zone(self, row: SourceRow, written: str, context: _Context, errors: list[RowError]) -> Zone:
        found = context.zones.for_row(written, context.zone)
        if isinstance(found, str):
            errors.append(cell_error(row, "zone", found, value=written, label="开发区"))
            raise _Refused
        if context.user is not None and not can(context.user, "investment.change", found):
            errors.append(
                cell_error(row, "zone", f"您没有维护{found.name}招商工作的权限", value=written, label="开发区")
            )
            raise _Refused
        return found

    def _once(self, row: SourceRow, key: tuple, column: str, context: _Context, errors: list[RowError]) -> None:
        first = context.seen.setdefault(key, row.number)
        if first != row.number:
            errors.append(cell_error(row, column, f"与第{first}行重复", label=self._label(column)))
            raise _Refused

    def _write(self, row: SourceRow, errors: list[RowError], write, fields_to_keys: dict[str, str]):
        """Run ``write`` (service calls) in a savepoint; its refusals become the row's errors."""
        try:
            with transaction.atomic():
                return write()
        except PermissionDenied as exc:
            errors.append(cell_error(row, "zone", str(exc), label="开发区"))
        except ValidationError as exc:
            for name, messages in _messages(exc).items():
                key = fields_to_keys.get(name, "name")
                for message in messages:
                    errors.append(cell_error(row, key, message.rstrip("。"), label=self._label(key)))
        raise _Refused

    def _targets_of(self, zone: Zone, context: _Context) -> dict[str, Target]:
        found = context.targets.get(zone.pk)
        if found is None:
            found = context.targets[zone.pk] = {
                normal_name(target.name): target for target in Target.objects.filter(zone=zone)
            }
        return found


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"__all__": exc.messages}


def _note(context: _Context, row: SourceRow) -> str:
    return f"{IMPORT_NOTE}：{context.file_name} 第{row.number}行"


# ------------------------------------------------------------------ the 目标企业清单 importer


class TargetLedger(_LedgerBase):
    key = TARGET_LEDGER
    label = "招商目标企业清单"
    columns = TARGET_COLUMNS

    def _plan_row(self, row: SourceRow, context: _Context) -> tuple[RowOutcome, None]:
        values, errors = _parse_target(row)
        name = values.get("name") or ""
        try:
            if errors:
                raise _Refused
            zone = self._zone(row, values.pop("zone", ""), context, errors)
            return self._save(row, values, zone, context, errors), None
        except _Refused:
            return RowOutcome(row.number, Action.ERROR, name, errors=errors), None

    def _save(self, row: SourceRow, values: dict, zone: Zone, context: _Context, errors: list) -> RowOutcome:
        code = values.get("credit_code") or ""
        name = values.get("name") or ""
        if "name" in values and not name:
            errors.append(cell_error(row, "name", "企业名称不能为空", label="企业名称"))
            raise _Refused
        names = self._targets_of(zone, context)
        key = ("code", zone.pk, code) if code else ("name", zone.pk, normal_name(name))
        self._once(row, key, "credit_code" if code else "name", context, errors)
        stored = Target.objects.filter(zone=zone, credit_code=code).first() if code else None
        if stored is None and name:
            stored = names.get(normal_name(name))
        old_name = stored.name if stored is not None else ""
        if stored is None and not name:
            errors.append(cell_error(row, "name", "企业名称不能为空", label="企业名称"))
            raise _Refused
        industry_name = values.pop("industry", None)
        if stored is not None and "status" in values and not values["status"]:
            values.pop("status")  # an empty 对接状态 keeps the present one
        fields = {key: value for key, value in values.items() if key != "status" or value}
        fields["zone"] = zone
        target = stored or Target(zone=zone)
        shown = {key: _target_shown(target, key) for key in (*values, "industry")} if stored else {}
        industry_changed = industry_name is not None and (
            (target.industry.name if target.industry_id else "") != industry_name
        )
        changed = [key for key, value in fields.items() if getattr(target, key) != value]
        if stored is not None and not changed and not industry_changed:
            return RowOutcome(row.number, Action.UNCHANGED, target.name)
        if stored is not None and "name" in changed and names.get(normal_name(name)) not in (None, stored):
            errors.append(cell_error(row, "name", f"{zone.name}已有名为“{name}”的目标企业", label="企业名称"))
            raise _Refused

        def write() -> tuple[Target, str]:
            created = ""
            if industry_name is not None:
                fields["industry"], created = self._industry(industry_name, zone, context)
            return services.target_save(user=context.user, target=target, fields=fields), created

        saved, created_industry = self._write(
            row, errors, write, {key: key for key in values} | {"industry": "industry"}
        )
        if created_industry:
            context.new_industries.append(created_industry)
            self._industries_of(zone, context)[compact(created_industry)] = saved.industry
        names.pop(normal_name(old_name), None)
        names[normal_name(saved.name)] = saved
        changes = {
            row.headers.get(key, self._label(key)): (shown.get(key, ""), _target_shown(saved, key))
            for key in (*values, *(["industry"] if industry_name is not None else []))
            if shown.get(key, "") != _target_shown(saved, key)
        }
        return RowOutcome(row.number, Action.UPDATE if stored else Action.CREATE, saved.name, changes=changes)

    def _industries_of(self, zone: Zone, context: _Context) -> dict[str, TargetIndustry]:
        found = context.industries.get(zone.pk)
        if found is None:
            found = context.industries[zone.pk] = {
                compact(industry.name): industry for industry in TargetIndustry.objects.filter(zone=zone)
            }
        return found

    def _industry(self, name: str, zone: Zone, context: _Context) -> tuple[TargetIndustry | None, str]:
        """The zone's 招商产业 of this name (None for an empty cell), added to its 目录 when missing."""
        if not name:
            return None, ""
        found = self._industries_of(zone, context).get(compact(name))
        if found is not None:
            return found, ""
        made = services.target_industry_save(
            user=context.user, industry=TargetIndustry(zone=zone), fields={"name": name}
        )
        return made, name


def _parse_target(row: SourceRow) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for key, raw in row.cells.items():
        try:
            if key in TARGET_TEXT:
                values[key] = parse_text(raw, max_length=Target._meta.get_field(key).max_length)
            elif key == "credit_code":
                values[key] = parse_code(raw, normalise=normalise_credit_code, validate=validate_credit_code) or ""
            elif key == "zone":
                values[key] = normal_text(raw)
            elif key == "industry":
                values[key] = parse_text(raw, max_length=TargetIndustry._meta.get_field("name").max_length)
            elif key == "industry_class":
                values[key] = None if is_empty(raw) else parse_industry_class(raw)
            elif key == "size":
                values[key] = parse_choice(raw, SIZE_WORDS, what="企业规模") or ""
            elif key == "status":
                values[key] = parse_choice(raw, STATUS_WORDS, what="对接状态", shown=_labels(Target.Status)) or ""
        except CellError as exc:
            errors.append(value_error(row, key, exc))
    return values, errors


def _labels(choices) -> str:
    return "、".join(label for _, label in choices.choices)


def _target_shown(target: Target, key: str) -> str:
    if key == "industry":
        return target.industry.name if target.industry_id else ""
    if key in ("size", "status"):
        return getattr(target, f"get_{key}_display")() if getattr(target, key) else ""
    value = getattr(target, key, None)
    return "" if value is None else str(value)


# ------------------------------------------------------------------ the 招商台账 importer

ACTIVITY_FIELDS = {  # the model's field → the column that feeds it (for the services' messages)
    "start_on": "name",
    "end_on": "end_on",
    "kind": "kind",
    "title": "title",
    "region": "region",
    "leader": "leader",
    "members": "members",
    "depth": "depth",
    "agreement_kind": "agreement_kind",
    "signed_amount": "signed_amount",
    "summary": "summary",
    "targets": "targets",
    "zone": "zone",
}


class ActivityLedger(_LedgerBase):
    key = ACTIVITY_LEDGER
    label = "招商活动台账"
    columns = ACTIVITY_COLUMNS

    def _plan_row(self, row: SourceRow, context: _Context) -> tuple[RowOutcome, None]:
        values, errors, failed = _parse_activity(row)
        shown = values.get("title") or show_day(values.get("start_on"))
        try:
            for key, column in (("start_on", "name"), ("kind", "kind")):
                if not values.get(key) and column not in failed:
                    label = self._label(column)
                    errors.append(cell_error(row, column, f"{label}不能为空", label=label))
            if errors:
                raise _Refused
            zone = self._zone(row, values.pop("zone", ""), context, errors)
            return self._save(row, values, zone, context, errors), None
        except _Refused:
            return RowOutcome(row.number, Action.ERROR, shown, errors=errors), None

    def _save(self, row: SourceRow, values: dict, zone: Zone, context: _Context, errors: list) -> RowOutcome:
        kind, implied_depth = values.pop("kind")
        if not values.get("depth"):
            values["depth"] = implied_depth if kind == Activity.Kind.TALK else ""
        names = values.pop("targets", None)
        if "leader" in values:
            values["leader"] = self._leader(row, values, zone, context, errors)
        if not values.get("title"):
            values["title"] = _title(kind, values["depth"], values.get("region", ""), names or [])
        fields = {"zone": zone, "kind": kind, **values}
        self._once(row, (zone.pk, fields["start_on"], kind, fields["title"]), "title", context, errors)
        stored = Activity.objects.filter(
            zone=zone, start_on=fields["start_on"], kind=kind, title=fields["title"]
        ).first()
        activity = stored or Activity()
        known = self._targets_of(zone, context)
        met = [known[normal_name(name)] for name in names or [] if normal_name(name) in known]
        new_names = [name for name in names or [] if normal_name(name) not in known]
        if stored is not None:
            same_fields = all(getattr(stored, key) == value for key, value in fields.items())
            present = {target.pk for target in stored.targets.all()}
            if same_fields and (names is None or (not new_names and present == {target.pk for target in met})):
                return RowOutcome(row.number, Action.UNCHANGED, stored.title)

        def write() -> Activity:
            return services.activity_save(
                user=context.user,
                activity=activity,
                fields=fields,
                targets=met if names is not None else None,
                new_target_names=new_names,
            )

        saved = self._write(row, errors, write, ACTIVITY_FIELDS)
        if new_names:
            for target in saved.targets.all():
                known.setdefault(normal_name(target.name), target)
            context.new_targets.extend(new_names)
        return RowOutcome(row.number, Action.UPDATE if stored else Action.CREATE, saved.title)

    def _leader(self, row: SourceRow, values: dict, zone: Zone, context: _Context, errors: list):
        """The committee member the 带队领导 cell names; someone else is kept in 参加人员 (a warning)."""
        written = values["leader"]
        if not written:
            return None
        members = self._members(zone, context)
        named = [user for user in members if normal_text(user.username) == written] or [
            user for user in members if normal_text(user.get_full_name()) == written
        ]
        if len(named) > 1:
            usernames = "、".join(user.username for user in named[:5])
            errors.append(
                cell_error(row, "leader", f"“{written}”对应多人（{usernames}），请填写用户名", label="带队领导")
            )
            raise _Refused
        if named:
            return named[0]
        mark = f"{LEADER_MARK}{written}"
        members_text = values.get("members", "")
        if mark not in members_text:
            members_text = f"{mark}；{members_text}" if members_text else mark
        limit = Activity._meta.get_field("members").max_length
        if len(members_text) > limit:
            errors.append(
                cell_error(row, "members", f"加上带队领导后超过{limit}个字，请删减后再导入", label="参加人员")
            )
            raise _Refused
        values["members"] = members_text
        header = row.headers.get("leader", "带队领导")
        context.warnings.append(
            f"第{row.number}行 {header}: “{written}”不是{zone.display_name}管委会的成员，"
            f"已记入参加人员（{mark}），不计入班子带队外出招商"
        )
        return None

    def _members(self, zone: Zone, context: _Context) -> list:
        members = context.members.get(zone.pk)
        if members is None:
            users = get_user_model().objects.filter(membership__unit__zone=zone, is_active=True)
            members = context.members[zone.pk] = list(users.distinct().order_by("username"))
        return members


def _parse_activity(row: SourceRow) -> tuple[dict[str, Any], list[RowError], set[str]]:
    """The row's values by field, its errors, and the columns that could not be read."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    failed: set[str] = set()
    for key, raw in row.cells.items():
        try:
            if key == "name":
                values["start_on"] = parse_date(raw)
            elif key == "end_on":
                values[key] = parse_date(raw)
            elif key == "zone":
                values[key] = normal_text(raw)
            elif key == "kind":
                values[key] = parse_choice(raw, KIND_WORDS, what="活动类型", shown=KIND_SHOWN)
            elif key == "depth":
                values[key] = parse_choice(raw, DEPTH_WORDS, what="洽谈深度", shown="初次洽谈、深度洽谈") or ""
            elif key == "agreement_kind":
                shown = "战略合作协议、项目合作协议"
                values[key] = parse_choice(raw, AGREEMENT_WORDS, what="协议类型", shown=shown) or ""
            elif key in ("title", "region", "members"):
                values[key] = parse_text(raw, max_length=Activity._meta.get_field(key).max_length)
            elif key == "leader":
                values[key] = normal_text(parse_text(raw, max_length=301))
            elif key == "targets":
                values[key] = split_names(raw)
            elif key == "signed_amount":
                values[key] = parse_money(raw, factor=row.factors.get(key) or Decimal(1))
            elif key == "summary":
                values[key] = parse_text(raw, max_length=SUMMARY_MAX, single_line=False)
        except CellError as exc:
            errors.append(value_error(row, key, exc))
            failed.add(key)
    return values, errors, failed


def split_names(raw) -> list[str]:
    """``比亚迪、宁德时代；隆基绿能`` → the names, in order, each once."""
    if is_empty(raw):
        return []
    names = (" ".join(part.split()) for part in NAME_SEPARATORS.split(str(raw)))
    limit = Target._meta.get_field("name").max_length
    found = list(dict.fromkeys(name for name in names if name))
    too_long = [name for name in found if len(name) > limit]
    if too_long:
        raise CellError(f"企业名称“{too_long[0][:20]}…”超过{limit}个字；多家企业请用顿号分隔")
    return found


def _title(kind: str, depth: str, region: str, names: list[str]) -> str:
    """A blank 活动名称: ``外出招商（广东省深圳市）：比亚迪、宁德时代``."""
    title = Activity.Depth(depth).label if kind == Activity.Kind.TALK and depth else Activity.Kind(kind).label
    if region:
        title += f"（{region}）"
    if names:
        title += "：" + "、".join(names[:3]) + ("等" if len(names) > 3 else "")
    limit = Activity._meta.get_field("title").max_length
    return title if len(title) <= limit else title[: limit - 1] + "…"


def show_day(day) -> str:
    return day.isoformat() if day else ""


# ------------------------------------------------------------------ export

TARGET_EXPORT = (
    OutputColumn("企业名称", width=30),
    OutputColumn("统一社会信用代码", width=22),
    OutputColumn("开发区", width=20),
    OutputColumn("总部所在地", width=16),
    OutputColumn("招商产业", width=14),
    OutputColumn("国民经济行业", width=26),
    OutputColumn("企业规模", width=11),
    OutputColumn("招引理由", width=30),
    OutputColumn("责任人", width=10),
    OutputColumn("对方联系人及电话", width=20),
    OutputColumn("对接状态", width=9),
    OutputColumn("备注", width=24),
)
ACTIVITY_EXPORT = (
    OutputColumn("日期", DATE, width=11),
    OutputColumn("结束日期", DATE, width=11),
    OutputColumn("开发区", width=20),
    OutputColumn("活动类型", width=10),
    OutputColumn("活动名称", width=30),
    OutputColumn("地区", width=14),
    OutputColumn("带队领导", width=10),
    OutputColumn("参加人员", width=20),
    OutputColumn("对接企业", width=30),
    OutputColumn("洽谈深度", width=10),
    OutputColumn("协议类型", width=13),
    OutputColumn("签约金额", MONEY, width=14, total=True),
    OutputColumn("成效与纪要", width=40),
)


def target_rows(queryset) -> Iterator[list]:
    related = queryset.select_related("zone", "industry", "industry_class", "industry_class__parent")
    for target in related.order_by("zone_id", "name", "id").iterator(chunk_size=2000):
        yield [
            target.name,
            target.credit_code,
            target.zone.name,
            target.hq_region,
            target.industry.name if target.industry_id else "",
            str(target.industry_class) if target.industry_class_id else "",
            target.get_size_display() if target.size else "",
            target.reason,
            target.owner,
            target.contact,
            target.get_status_display(),
            target.note,
        ]


def activity_rows(queryset, *, unit: str = "万元") -> Iterator[list]:
    divisor = UNITS[unit]
    related = queryset.select_related("zone", "leader").prefetch_related("targets")
    for activity in related.order_by("start_on", "id").iterator(chunk_size=2000):
        amount = activity.signed_amount
        yield [
            activity.start_on,
            activity.end_on,
            activity.zone.name,
            activity.get_kind_display(),
            activity.title,
            activity.region,
            person_name(activity.leader) if activity.leader_id else "",
            activity.members,
            "、".join(target.name for target in sorted(activity.targets.all(), key=lambda target: target.pk)),
            activity.get_depth_display() if activity.depth else "",
            activity.get_agreement_kind_display() if activity.agreement_kind else "",
            None if amount is None else amount / divisor,
            activity.summary,
        ]


def export_targets_xlsx(handle, queryset, *, scope_name: str = "") -> int:
    return write_ledger_xlsx(
        handle,
        title=ledger_title(queryset, what="招商目标企业清单", scope_name=scope_name),
        sheet_name="目标企业清单",
        columns=TARGET_EXPORT,
        rows=target_rows(queryset),
        unit="万元",
    )


def export_targets_csv(queryset) -> bytes:
    return ledger_csv_bytes(columns=TARGET_EXPORT, rows=target_rows(queryset), unit="万元")


def export_activities_xlsx(handle, queryset, *, unit: str = "万元", scope_name: str = "") -> int:
    return write_ledger_xlsx(
        handle,
        title=ledger_title(queryset, what="招商活动台账", scope_name=scope_name),
        sheet_name="招商台账",
        columns=ACTIVITY_EXPORT,
        rows=activity_rows(queryset, unit=unit),
        unit=unit,
    )


def export_activities_csv(queryset, *, unit: str = "万元") -> bytes:
    return ledger_csv_bytes(columns=ACTIVITY_EXPORT, rows=activity_rows(queryset, unit=unit), unit=unit)


def register_ledgers() -> None:
    """Make both ledgers known to the import app (its page, jobs, exports and commands)."""
    from kaifaqu.imports.registry import Ledger, register

    from .filters import ActivityFilter, TargetFilter

    register(
        Ledger(
            key=TARGET_LEDGER,
            label=TargetLedger.label,
            importer=TargetLedger,
            model=lambda: Target,
            filterset=lambda: TargetFilter,
            export_xlsx=lambda handle, queryset, *, unit, scope_name="": export_targets_xlsx(
                handle, queryset, scope_name=scope_name
            ),
            export_csv=lambda queryset, *, unit: export_targets_csv(queryset),
            list_url="investment:targets",
            right="investment.change",
        )
    )
    register(
        Ledger(
            key=ACTIVITY_LEDGER,
            label=ActivityLedger.label,
            importer=ActivityLedger,
            model=lambda: Activity,
            filterset=lambda: ActivityFilter,
            export_xlsx=lambda handle, queryset, *, unit, scope_name="": export_activities_xlsx(
                handle, queryset, unit=unit, scope_name=scope_name
            ),
            export_csv=lambda queryset, *, unit: export_activities_csv(queryset, unit=unit),
            list_url="investment:activities",
            right="investment.change",
            has_unit=True,
        )
    )
