"""Every write of 考核: schemes and their items, hand-entered values, runs (compute → 审核 → 发布)
and 红黑榜 (generate → review → 公示). Each checks ``evaluation.change`` and writes its audit entry."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kaifaqu.audit import trail
from kaifaqu.audit.models import AuditEntry
from kaifaqu.core.rights import ensure
from kaifaqu.core.uploads import validate_upload
from kaifaqu.core.validation import ErrorBag, full_clean_into
from kaifaqu.projects.models import local_today

from . import honor, periods, scoring
from .compute import compute
from .metrics import METRICS
from .models import HonorEntry, HonorList, Item, ManualValue, Run, Scheme, Score
from .subjects import key_of, scheme_subjects, subject_fields, subject_of

EVIDENCE_KINDS = ("pdf", "docx", "xlsx", "xls", "jpg", "jpeg", "png")


# ---------------------------------------------------------------- schemes and items


def _period(text: str, scheme: Scheme) -> periods.Period:
    try:
        return periods.parse(text, scheme.period)
    except periods.PeriodError as error:
        raise ValidationError({"period": str(error)}) from error


@transaction.atomic
def scheme_save(*, user, scheme: Scheme, fields: dict[str, Any]) -> Scheme:
    """Create or change a scheme. A zone's scheme scores its staff; an office's, its zones."""
    if scheme.pk is not None:
        ensure(user, "evaluation.change", scheme)
    for name, value in fields.items():
        setattr(scheme, name, value)
    if scheme.zone_id is not None:
        scheme.region = scheme.zone.region
    ensure(user, "evaluation.change", scheme)
    if scheme.pk is None and user is not None:
        scheme.created_by = user
    bag = ErrorBag()
    full_clean_into(scheme, bag, exclude=["created_by"])
    _check_scheme(scheme, bag)
    bag.raise_if_any()
    return trail.save_recorded(user=user, instance=scheme)


def _check_scheme(scheme: Scheme, bag: ErrorBag) -> None:
    staff = scheme.subject_kind == Scheme.SubjectKind.STAFF
    if staff and scheme.zone_id is None:
        bag.add("subject_kind", "考核工作人员的方案须属于一个开发区（请选择开发区）。")
    if not staff and scheme.zone_id is not None:
        bag.add("subject_kind", "开发区的考核方案只能考核本区工作人员；考核开发区的方案由市、省主管部门制定。")
    if scheme.honor_rules == Scheme.HonorRules.LIAISON and not staff:
        bag.add("honor_rules", "包联服务企业红黑榜按包联干部排列，只能用于考核工作人员的方案。")
    if scheme.honor_rules and scheme.period != Scheme.Period.MONTH:
        bag.add("honor_rules", "红黑榜每月公示，只能用于月度考核方案。")
    if scheme.pk is not None:
        for item in scheme.items.all():
            if scheme.subject_kind not in METRICS[item.metric].subject_kinds:
                bag.add(
                    "subject_kind", f"考核项目“{item.name}”的数据来源不适用于考核{scheme.get_subject_kind_display()}。"
                )


@transaction.atomic
def item_save(*, user, item: Item, fields: dict[str, Any]) -> Item:
    scheme = item.scheme
    ensure(user, "evaluation.change", scheme)
    for name, value in fields.items():
        setattr(item, name, value)
    bag = ErrorBag()
    full_clean_into(item, bag)
    _check_item(item, bag)
    bag.raise_if_any()
    return trail.save_recorded(user=user, instance=item)


def _check_item(item: Item, bag: ErrorBag) -> None:
    metric = METRICS.get(item.metric)
    if metric is None:
        bag.add("metric", "请选择数据来源。")
        return
    if item.scheme.subject_kind not in metric.subject_kinds:
        bag.add("metric", f"“{metric.label}”不适用于考核{item.scheme.get_subject_kind_display()}。")
    if metric.needs_indicator and item.indicator_id is None:
        bag.add("indicator", f"“{metric.label}”须选择一个月调度指标。")
    rule, kind = item.rule, item.kind
    if item.metric == "manual" and rule == Item.Rule.RANK:
        bag.add("rule", "手工录入的项目不能按排名计分。")
    if item.metric != "manual" and rule == Item.Rule.DIRECT:
        bag.add("rule", f"“{metric.label}”由系统计算，不能直接计分；直接计分只用于手工录入的项目。")
    if rule == Item.Rule.RATIO and (item.target is None or item.target <= 0):
        bag.add("target", "按完成比例计分须填写大于 0 的目标值。")
    if rule == Item.Rule.RANK and (item.step is None or item.step < 0):
        bag.add("step", "按排名计分须填写每名递减的分值（可以为 0）。")
    if rule == Item.Rule.BANDS:
        try:
            steps = scoring.parse_bands(item.bands)
        except ValueError as error:
            bag.add("bands", str(error))
        else:
            if any(points > item.weight for _, points in steps):
                bag.add("bands", f"分档的得分不能高于本项分值 {item.weight} 分。")
    if rule == Item.Rule.DEDUCTION and (item.per_event is None or item.per_event <= 0):
        bag.add("per_event", "按次扣分须填写大于 0 的每次扣分。")
    if kind == Item.Kind.VETO and not metric.counts_events and item.metric != "manual":
        bag.add("kind", "一票否决项的数据来源须是计次的（如上黑榜次数、月报迟报次数），或手工录入。")


@transaction.atomic
def item_delete(*, user, item: Item) -> None:
    ensure(user, "evaluation.change", item.scheme)
    trail.record_delete(user=user, instance=item)
    item.delete()


@transaction.atomic
def scheme_copy(*, user, source: Scheme | dict, fields: dict[str, Any]) -> Scheme:
    """A new scheme from a shipped template (a dict, see ``templates``) or from another scheme, whose
    items it copies; the office then adjusts the weights."""
    from .templates import template_items

    scheme = scheme_save(user=user, scheme=Scheme(), fields=fields)
    rows = template_items(source) if isinstance(source, dict) else [_item_fields(item) for item in source.items.all()]
    bag = ErrorBag()
    for order, row in enumerate(rows, start=1):
        item = Item(scheme=scheme, order=order * 10, **row)
        full_clean_into(item, bag)
        _check_item(item, bag)
        if bag.errors:
            reasons = "；".join(message for messages in bag.errors.values() for message in messages)
            raise ValidationError(f"模板的考核项目“{item.name}”不适用：{reasons}")
        trail.save_recorded(user=user, instance=item)
    return scheme


def _item_fields(item: Item) -> dict:
    names = ("group", "name", "kind", "weight", "metric", "indicator", "unit", "rule", "target", "cap", "step", "bands")
    return {name: getattr(item, name) for name in (*names, "per_event", "lower_is_better")}


# ---------------------------------------------------------------- hand-entered values


@transaction.atomic
def manual_value_save(
    *, user, item: Item, period: str, subject_key: str, value: Decimal, note: str = "", evidence=None
) -> ManualValue:
    """Enter (or correct) a value the system does not hold, with its evidence; locked once published."""
    scheme = item.scheme
    ensure(user, "evaluation.change", scheme)
    if item.metric != "manual":
        raise ValidationError(f"“{item.name}”的数据来自系统记录，不能手工录入。")
    when = _period(period, scheme)  # a published result keeps the values it was computed with
    subject = subject_of(scheme, subject_key)
    if subject is None:
        raise ValidationError({"subject": "请选择本方案的考核对象。"})
    bag = ErrorBag()
    if value is None:
        bag.add("value", "请填写数值。")
    elif value < 0:
        bag.add("value", "数值不能为负数。")
    elif item.rule == Item.Rule.DIRECT and item.kind != Item.Kind.VETO and value > item.weight:
        bag.add("value", f"“{item.name}”直接计分，最高{scoring.points(item.weight)}分，不能填{value}分。")
    if evidence is not None:
        try:
            validate_upload(evidence, allowed=EVIDENCE_KINDS)
        except ValidationError as error:
            bag.add("evidence", "；".join(error.messages))
    bag.raise_if_any()
    found = ManualValue.objects.filter(item=item, period=when.key, **subject_fields(subject)).first()
    record = found or ManualValue(item=item, period=when.key, **subject_fields(subject))
    record.value, record.note, record.entered_by = value, note, user
    if evidence is not None:
        record.evidence, record.evidence_name = evidence, evidence.name[:200]
    if not record.evidence:
        raise ValidationError({"evidence": f"请上传“{item.name}”的佐证材料（PDF、Word、Excel 或图片）。"})
    record.save()
    trail.record_event(
        action=AuditEntry.Action.UPDATE if found else AuditEntry.Action.CREATE,
        user=user,
        instance=scheme,
        note=f"{when.label}“{item.name}”{subject.name}：{value}",
    )
    return record


# ---------------------------------------------------------------- runs


@transaction.atomic
def run_scheme(*, user, scheme: Scheme, period: str, today: datetime.date | None = None) -> Run:
    """Compute every subject's score for the period. A draft or reviewed run of the period is
    replaced; after a published one, the result is a new version (the published one stays)."""
    ensure(user, "evaluation.change", scheme)
    today = today or local_today()
    when = _period(period, scheme)
    if when.end >= today:
        raise ValidationError({"period": f"{when.label}还没有结束，考核期结束后才能计算。"})
    if not scheme.items.exists():
        raise ValidationError(f"考核方案“{scheme.name}”还没有考核项目，请先添加。")
    subjects = scheme_subjects(scheme)
    if not subjects:
        raise ValidationError(f"考核方案“{scheme.name}”没有考核对象（{scheme.scope_name}没有开发区或工作人员）。")
    runs = Run.objects.select_for_update().filter(scheme=scheme, period=when.key)
    open_run = runs.filter(status__in=(Run.Status.DRAFT, Run.Status.REVIEWED)).first()
    version = open_run.version if open_run else (runs.aggregate(v=Max("version"))["v"] or 0) + 1
    if open_run:
        open_run.delete()
    computed = compute(scheme, when, subjects=subjects, today=today)
    run = Run.objects.create(
        scheme=scheme,
        period=when.key,
        version=version,
        items=computed.items,
        computed_at=timezone.now(),
        computed_by=user,
    )
    Score.objects.bulk_create(
        Score(
            run=run,
            subject_name=result.subject.name,
            total=result.total,
            rank=result.rank,
            vetoed=result.vetoed,
            items=result.items,
            **subject_fields(result.subject),
        )
        for result in computed.results
    )
    trail.record_event(
        action=AuditEntry.Action.CREATE,
        user=user,
        instance=scheme,
        note=f"计算{when.label}考核结果第{version}版（{len(subjects)}个对象）",
    )
    return run


@transaction.atomic
def run_review(*, user, run: Run) -> Run:
    ensure(user, "evaluation.change", run.scheme)
    if run.status != Run.Status.DRAFT:
        raise ValidationError(f"{run}{run.get_status_display()}，只有草稿可以审核。")
    run.status, run.reviewed_at, run.reviewed_by = Run.Status.REVIEWED, timezone.now(), user
    run.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    trail.record_event(action=AuditEntry.Action.UPDATE, user=user, instance=run.scheme, note=f"审核{run}")
    return run


@transaction.atomic
def run_publish(*, user, run: Run) -> Run:
    """Publish a reviewed run: it is locked; an earlier published version of the period is kept as superseded."""
    ensure(user, "evaluation.change", run.scheme)
    if run.status != Run.Status.REVIEWED:
        raise ValidationError(f"{run}{run.get_status_display()}，须先审核再发布。")
    Run.objects.filter(scheme=run.scheme, period=run.period, status=Run.Status.PUBLISHED).update(
        status=Run.Status.SUPERSEDED
    )
    run.status, run.published_at, run.published_by = Run.Status.PUBLISHED, timezone.now(), user
    run.save(update_fields=["status", "published_at", "published_by"])
    trail.record_event(action=AuditEntry.Action.UPDATE, user=user, instance=run.scheme, note=f"发布{run}")
    return run


# ---------------------------------------------------------------- 红黑榜


@transaction.atomic
def honor_generate(*, user, scheme: Scheme, period: str, today: datetime.date | None = None) -> HonorList:
    """Generate (or regenerate, while not yet published) the month's 红黑榜 by the scheme's rules.
    Entries added by hand stay; removals of generated entries are kept with their notes."""
    ensure(user, "evaluation.change", scheme)
    if not scheme.honor_rules:
        raise ValidationError(f"考核方案“{scheme.name}”没有设置红黑榜规则。")
    today = today or local_today()
    when = _period(period, scheme)
    if when.end >= today:
        raise ValidationError({"period": f"{when.label}还没有结束，月末之后再生成红黑榜。"})
    honor_list, _ = HonorList.objects.select_for_update().get_or_create(
        scheme=scheme, period=when.key, defaults={"rules": scheme.honor_rules, "generated_at": timezone.now()}
    )
    if honor_list.status == HonorList.Status.PUBLISHED:
        return honor_list
    removed = {
        (entry.side, key_of(entry)): entry.note for entry in honor_list.entries.filter(by_rule=True, removed=True)
    }
    honor_list.entries.filter(by_rule=True).delete()
    subjects = scheme_subjects(scheme)
    for found in honor.generate(scheme.honor_rules, when, subjects=subjects, today=today):
        note = removed.get((found.side, found.subject.key))
        HonorEntry.objects.create(
            honor_list=honor_list,
            side=found.side,
            subject_name=found.subject.name,
            reason=found.reason[:300],
            removed=note is not None,
            note=note or "",
            **subject_fields(found.subject),
        )
    honor_list.rules, honor_list.generated_at = scheme.honor_rules, timezone.now()
    honor_list.save(update_fields=["rules", "generated_at"])
    trail.record_event(action=AuditEntry.Action.CREATE, user=user, instance=scheme, note=f"生成{honor_list}")
    return honor_list


def _refuse_public(honor_list: HonorList) -> None:
    if honor_list.status == HonorList.Status.PUBLISHED:
        raise ValidationError(f"{honor_list}已公示，不能再修改。")


@transaction.atomic
def honor_add(*, user, honor_list: HonorList, side: str, subject_key: str, reason: str) -> HonorEntry:
    ensure(user, "evaluation.change", honor_list.scheme)
    _refuse_public(honor_list)
    bag = ErrorBag()
    subject = subject_of(honor_list.scheme, subject_key)
    if subject is None:
        bag.add("subject", "请选择本方案的考核对象。")
    if side not in HonorEntry.Side.values:
        bag.add("side", "请选择红榜或黑榜。")
    if not (reason or "").strip():
        bag.add("reason", "请填写上榜理由。")
    if subject is not None and side in HonorEntry.Side.values:
        on_list = honor_list.entries.filter(side=side, removed=False, **subject_fields(subject)).first()
        if on_list is not None:
            bag.add("subject", f"{subject.name}已在{on_list.get_side_display()}上（{on_list.reason}）。")
    bag.raise_if_any()
    entry = HonorEntry(
        honor_list=honor_list,
        side=side,
        subject_name=subject.name,
        reason=reason.strip()[:300],
        by_rule=False,
        **subject_fields(subject),
    )
    entry.save()
    trail.record_event(
        action=AuditEntry.Action.CREATE,
        user=user,
        instance=honor_list.scheme,
        note=f"{honor_list}增加{entry.get_side_display()}：{entry.subject_name}（{entry.reason}）",
    )
    return entry


@transaction.atomic
def honor_remove(*, user, entry: HonorEntry, note: str) -> HonorEntry:
    """Take an entry off the list, saying why (kept, struck through, for the record)."""
    honor_list = entry.honor_list
    ensure(user, "evaluation.change", honor_list.scheme)
    _refuse_public(honor_list)
    if not (note or "").strip():
        raise ValidationError({"note": "移出红黑榜须填写说明。"})
    entry.removed, entry.note = True, note.strip()[:300]
    entry.save(update_fields=["removed", "note"])
    trail.record_event(
        action=AuditEntry.Action.UPDATE,
        user=user,
        instance=honor_list.scheme,
        note=f"{honor_list}移出{entry.get_side_display()}：{entry.subject_name}（{entry.note}）",
    )
    return entry


@transaction.atomic
def honor_publish(*, user, honor_list: HonorList) -> HonorList:
    ensure(user, "evaluation.change", honor_list.scheme)
    _refuse_public(honor_list)
    honor_list.status, honor_list.published_at, honor_list.published_by = (
        HonorList.Status.PUBLISHED,
        timezone.now(),
        user,
    )
    honor_list.save(update_fields=["status", "published_at", "published_by"])
    trail.record_event(action=AuditEntry.Action.UPDATE, user=user, instance=honor_list.scheme, note=f"公示{honor_list}")
    return honor_list
