"""企业经营数据 and 经营状态 (issue 22): writing an enterprise's year (or 1–N月) and its operating
state, and the reads built on them — the 经营状态 counts (吕梁: 47户未复工复产企业) and the 升规潜力
list (non-规上 enterprises nearing the threshold, with their trend)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from kaifaqu.audit import trail
from kaifaqu.core.rights import ensure
from kaifaqu.core.scoping import scope_for
from kaifaqu.core.validation import ErrorBag, full_clean_into
from kaifaqu.projects.models import local_today

from .models import Enterprise, EnterpriseFigures, OperatingStatus

# 规模以上工业企业: 年主营业务收入2000万元及以上 (国家统计局); 升规潜力 from 80% of it.
ABOVE_SCALE_REVENUE = Decimal(2000)
NEAR_SHARE = Decimal("0.8")
AMOUNTS = ("output_value", "revenue", "value_added", "tax", "energy_tce", "rd_spend", "land_mu", "floor_area")
NEEDS_REASON = frozenset(OperatingStatus.Status.values) - {OperatingStatus.Status.NORMAL}


@transaction.atomic
def figures_save(
    *,
    user,
    enterprise: Enterprise,
    year: int,
    month: int | None = None,
    fields: dict[str, Any],
    source: str | None = None,
) -> EnterpriseFigures:
    """Enter or correct an enterprise's figures of a year (or 1–``month``月). An empty figure stays
    empty (待补录); an amount below zero, or a land area of zero, is refused at its field.
    ``source``: 导入 for an imported table; by default who entered it (the enterprise or the zone)."""
    record = figures_check(user=user, enterprise=enterprise, year=year, month=month, fields=fields, source=source)
    return trail.save_recorded(user=user, instance=record)


def figures_check(
    *,
    user,
    enterprise: Enterprise,
    year: int,
    month: int | None = None,
    fields: dict[str, Any],
    source: str | None = None,
) -> EnterpriseFigures:
    """The record ``figures_save`` would write, checked but not saved (an import's preview checks
    every row with it); raises what ``figures_save`` raises."""
    ensure(user, "enterprise.figures", enterprise)
    refuse_unknown(fields)
    record = EnterpriseFigures.objects.filter(enterprise=enterprise, year=year, month=month).first()
    record = record or EnterpriseFigures(enterprise=enterprise, year=year, month=month)
    for name, value in fields.items():
        setattr(record, name, value)
    record.entered_by = user
    if source is not None and source not in EnterpriseFigures.Source.values:
        raise ValidationError(f"不认识的数据来源：{source}。")
    record.source = source or (
        EnterpriseFigures.Source.ENTERPRISE if scope_for(user).enterprise_id else EnterpriseFigures.Source.ZONE
    )
    bag = ErrorBag()
    full_clean_into(record, bag, exclude=["entered_by", "month"])  # the month is checked here, in words
    if month is not None and not 1 <= month <= 12:
        bag.add("month", f"月份“{month}”不对，应在 1 到 12 之间。")
    for name in AMOUNTS:
        value = getattr(record, name)
        if value is not None and value < 0:
            bag.add(name, f"{EnterpriseFigures._meta.get_field(name).verbose_name}不能为负数。")
    if record.land_mu is not None and record.land_mu == 0:
        bag.add("land_mu", "用地面积为 0：没有自有用地的请留空。")
    if not 2000 <= year <= 2100:
        bag.add("year", f"年度“{year}”不对，应在 2000 到 2100 之间。")
    bag.raise_if_any()
    return record


@transaction.atomic
def status_set(*, user, enterprise: Enterprise, status: str, since: datetime.date, reason: str = "") -> OperatingStatus:
    """Record the enterprise's operating state from ``since``: any state but 正常生产 needs its reason."""
    ensure(user, "enterprise.figures", enterprise)
    bag = ErrorBag()
    if status not in OperatingStatus.Status.values:
        bag.add("status", "请选择经营状态。")
    elif status in NEEDS_REASON and not reason.strip():
        bag.add("reason", f"“{OperatingStatus.Status(status).label}”须写明原因。")
    if since is not None and since > local_today():
        bag.add("since", f"起始日期（{since}）不能晚于今天：经营状态记录已经发生的情况。")
    bag.raise_if_any()
    record = OperatingStatus(enterprise=enterprise, status=status, since=since, reason=reason.strip(), recorded_by=user)
    return trail.save_recorded(user=user, instance=record)


def current_statuses(enterprises: QuerySet[Enterprise], *, on: datetime.date) -> dict[int, OperatingStatus]:
    """Each enterprise's state on ``on`` (the latest recorded from that day or before); none: not recorded."""
    found: dict[int, OperatingStatus] = {}
    rows = OperatingStatus.objects.filter(enterprise__in=enterprises, since__lte=on).order_by("-since", "-id")
    for record in rows:
        found.setdefault(record.enterprise_id, record)
    return found


def status_counts(enterprises: QuerySet[Enterprise], *, on: datetime.date) -> dict[str, int]:
    """户 per operating state on ``on`` (未复工复产 N户), every state listed, 未登记 for the rest."""
    counts = {label: 0 for label in OperatingStatus.Status.labels}
    states = current_statuses(enterprises, on=on)
    for record in states.values():
        counts[record.get_status_display()] += 1
    counts["未登记"] = enterprises.count() - len(states)
    return counts


@dataclass(frozen=True)
class Candidate:
    enterprise: Enterprise
    revenue: Decimal
    last_year: Decimal | None
    growth_pct: Decimal | None
    gap: Decimal  # 万元 still to go to the threshold (0 once reached)


def upgrade_candidates(
    enterprises: QuerySet[Enterprise], *, year: int, threshold: Decimal = ABOVE_SCALE_REVENUE
) -> list[Candidate]:
    """升规潜力: enterprises not yet 规上 whose year's 营业收入 reached 80% of the threshold, nearest
    first, with last year's figure and the growth (灵石: 对有升规潜力的企业进行实时跟踪)."""
    rows = EnterpriseFigures.objects.filter(
        enterprise__in=enterprises.filter(is_above_scale=False), month__isnull=True, year__in=(year, year - 1)
    ).select_related("enterprise")
    this, before = {}, {}
    for row in rows:
        (this if row.year == year else before)[row.enterprise_id] = row
    found = []
    for enterprise_id, row in this.items():
        if row.revenue is None or row.revenue < threshold * NEAR_SHARE:
            continue
        last = before.get(enterprise_id)
        last_revenue = last.revenue if last is not None else None
        growth = None
        if last_revenue:
            growth = ((row.revenue / last_revenue - 1) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
        gap = max(threshold - row.revenue, Decimal(0))
        found.append(Candidate(row.enterprise, row.revenue, last_revenue, growth, gap))
    return sorted(found, key=lambda candidate: (candidate.gap, candidate.enterprise.name))


# A figure ten times last year's (or a tenth of it) is most often a unit slip (元 for 万元): asked, not refused.
JUMP = Decimal(10)
MOST_EMPLOYEES = 200_000


def figures_doubts(fields: dict[str, Any], *, last_year: EnterpriseFigures | None) -> list[str]:
    """What looks mistyped in ``fields`` against last year's figures, in words, for the person to confirm."""
    doubts = []
    for name in AMOUNTS:
        value, before = fields.get(name), getattr(last_year, name, None) if last_year is not None else None
        if not value or not before or before <= 0 or value <= 0:
            continue
        if value >= before * JUMP or value * JUMP <= before:
            verbose = str(EnterpriseFigures._meta.get_field(name).verbose_name)
            label, unit = verbose.split("（")[0], verbose.split("（")[1].rstrip("）")
            doubts.append(
                f"{label} {value:,.2f} {unit}，是上年（{before:,.2f}）的 {value / before:.2f} 倍，请核对单位和数位。"
            )
    employees = fields.get("employees")
    if employees is not None and employees > MOST_EMPLOYEES:
        doubts.append(f"用工 {employees:,} 人，超过 {MOST_EMPLOYEES:,} 人，请核对。")
    return doubts


def refuse_unknown(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(AMOUNTS) - {"employees"}
    if unknown:
        raise ValidationError(f"不认识的经营数据项：{'、'.join(sorted(unknown))}。")
