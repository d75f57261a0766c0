"""亩均效益评价: keeping a scheme and grading a year with it (``mujun.py`` holds the arithmetic).

Grading a year reads each covered enterprise's year figures (企业经营数据, ``month`` empty) and
replaces the year's grades under the scheme; other years stay, so an enterprise's grades over the
years are its history. An enterprise without the year's figures, or deregistered (注销) by the end
of the year, is kept in the list as not graded, with the reason — counted, never silently dropped.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kaifaqu.audit import trail
from kaifaqu.audit.models import AuditEntry
from kaifaqu.core.rights import ensure
from kaifaqu.core.validation import ErrorBag, full_clean_into
from kaifaqu.enterprises.figures import current_statuses
from kaifaqu.enterprises.models import Enterprise, EnterpriseFigures, OperatingStatus

from . import mujun
from .models import MuJunGrade, MuJunScheme

DEFAULT_NAME = "亩均效益综合评价"
TEMPLATE = "zhejiang"  # 浙江“亩均论英雄”: the model fields' defaults are its weights and bands


@transaction.atomic
def scheme_save(*, user, scheme: MuJunScheme, fields: dict[str, Any]) -> MuJunScheme:
    """Create or change a scheme: a zone's grades its own enterprises, a city's all its zones' together."""
    if scheme.pk is not None:
        ensure(user, "mujun.change", scheme)
    for name, value in fields.items():
        setattr(scheme, name, value)
    if scheme.zone_id is not None:
        scheme.region = scheme.zone.region
    ensure(user, "mujun.change", scheme)
    if scheme.pk is None and user is not None:
        scheme.created_by = user
    bag = ErrorBag()
    full_clean_into(scheme, bag, exclude=["created_by"])
    _check_scheme(scheme, bag)
    bag.raise_if_any()
    return trail.save_recorded(user=user, instance=scheme)


def _check_scheme(scheme: MuJunScheme, bag: ErrorBag) -> None:
    weights = (scheme.weight_tax, scheme.weight_revenue, scheme.weight_energy, scheme.weight_rd)
    if all(weight is not None for weight in weights) and not sum(weights):
        bag.add("weight_tax", "四项指标的权重不能都为 0。")
    bands = (scheme.band_a, scheme.band_b, scheme.band_c)
    if all(band is not None for band in bands) and not scheme.band_a > scheme.band_b > scheme.band_c:
        bag.add("band_b", "等级分数线须从高到低：A类最低分 > B类最低分 > C类最低分。")


def default_scheme(*, user, zone) -> MuJunScheme:
    """The zone's own scheme (the latest made), or a new one on 浙江's method when it has none."""
    found = MuJunScheme.objects.filter(zone=zone).order_by("-id").first()
    if found is not None:
        return found
    return scheme_save(
        user=user,
        scheme=MuJunScheme(zone=zone, template=TEMPLATE),
        fields={
            "name": DEFAULT_NAME,
            "description": "按浙江“亩均论英雄”方法：亩均税收40分、亩均营业收入25分、"
            "单位能耗增加值20分、研发投入强度15分，以本区平均水平为100分。",
        },
    )


def covered_enterprises(scheme: MuJunScheme):
    """The enterprises a scheme grades: its zone's, or every zone's in its city (province)."""
    if scheme.zone_id is not None:
        return Enterprise.objects.filter(zone_id=scheme.zone_id)
    return Enterprise.objects.filter(zone__region__code__startswith=scheme.region.scope_prefix)


@dataclass(frozen=True)
class YearGrading:
    scheme: MuJunScheme
    year: int
    grading: mujun.Grading
    unreported: list[tuple[int, str]]  # (enterprise id, reason): no year figures, or deregistered


@transaction.atomic
def grade_year(*, user, scheme: MuJunScheme, year: int) -> YearGrading:
    """Grade every covered enterprise's ``year`` and keep it as the year's grades (replacing an
    earlier grading of the same year)."""
    ensure(user, "mujun.change", scheme)
    if not 2000 <= year <= datetime.date.today().year:
        raise ValidationError({"year": f"年度“{year}”不对：只能评价已有数据的年度（2000 年至今年）。"})
    enterprises = covered_enterprises(scheme)
    if not enterprises.exists():
        raise ValidationError(f"“{scheme.scope_name}”的企业库中还没有企业，无法评价。")
    figures = {
        row.enterprise_id: row
        for row in EnterpriseFigures.objects.filter(enterprise__in=enterprises, year=year, month__isnull=True)
    }
    closed = {
        enterprise_id
        for enterprise_id, state in current_statuses(enterprises, on=datetime.date(year, 12, 31)).items()
        if state.status == OperatingStatus.Status.DEREGISTERED
    }
    unreported, measured = [], []
    for enterprise_id in enterprises.values_list("pk", flat=True):
        if enterprise_id in closed:
            unreported.append((enterprise_id, f"{year}年底前已注销，不参评"))
        elif enterprise_id not in figures:
            unreported.append((enterprise_id, f"未填报{year}年经营数据（待补录）"))
        else:
            measured.append(_figures(figures[enterprise_id]))
    grading = mujun.grade_all(measured, scheme.weighting())
    _keep(user, scheme, year, grading, unreported)
    counts = "，".join(f"{grade}类{count}户" for grade, count in grading.counts().items())
    trail.record_event(
        action=AuditEntry.Action.CREATE,
        user=user,
        instance=scheme,
        note=f"评价{year}年亩均效益：参评{len(grading.graded)}户（{counts}），"
        f"不参评{len(grading.excluded) + len(unreported)}户",
    )
    return YearGrading(scheme, year, grading, unreported)


def _figures(row: EnterpriseFigures) -> mujun.Figures:
    return mujun.Figures(
        key=str(row.enterprise_id),
        land_mu=row.land_mu,
        tax=row.tax,
        revenue=row.revenue,
        value_added=row.value_added,
        energy_tce=row.energy_tce,
        rd_spend=row.rd_spend,
    )


def _keep(user, scheme: MuJunScheme, year: int, grading: mujun.Grading, unreported) -> None:
    MuJunGrade.objects.filter(scheme=scheme, year=year).delete()
    levels = {
        name: None if level is None else str(level.quantize(mujun.CENT)) for name, level in grading.benchmarks.items()
    }
    rows = [
        MuJunGrade(
            scheme=scheme,
            enterprise_id=int(item.key),
            year=year,
            grade=item.grade,
            rank=item.rank,
            score=item.score,
            tax_per_mu=item.values["tax_per_mu"],
            revenue_per_mu=item.values["revenue_per_mu"],
            energy_productivity=item.values["energy_productivity"],
            rd_intensity_pct=item.values["rd_intensity_pct"],
            points={name: str(value) for name, value in item.points.items()},
            gaps="、".join(item.gaps),
            levels=levels,
            graded_by=user,
        )
        for item in grading.graded
    ]
    rows += [
        MuJunGrade(scheme=scheme, enterprise_id=int(key), year=year, excluded_reason=reason, graded_by=user)
        for key, reason in grading.excluded
    ]
    rows += [
        MuJunGrade(scheme=scheme, enterprise_id=enterprise_id, year=year, excluded_reason=reason, graded_by=user)
        for enterprise_id, reason in unreported
    ]
    MuJunGrade.objects.bulk_create(rows)
