"""标准地 parcels (issue 22, parts 3–5): keeping a parcel and the 区域评估 it carries, checking a
buyer's promise (承诺) against its own figures after production, and recording the steps taken on
idle or inefficient land (低效闲置用地处置). Every write asks ``land.change`` and is audited."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from kaifaqu.audit import trail
from kaifaqu.core.rights import ensure
from kaifaqu.core.validation import ErrorBag, full_clean_into
from kaifaqu.enterprises.models import Enterprise, EnterpriseFigures
from kaifaqu.projects.models import ProgressReport, Project, local_today

from .models import Assessment, Disposal, Parcel

Status = Parcel.Status
# The statuses in order; a parcel at one has passed every one before it.
ORDER = list(Status.values)
SOLD_OR_LATER = frozenset(ORDER[ORDER.index(Status.SOLD) :])
IN_PRODUCTION = frozenset({Status.PRODUCING, Status.ACCEPTED})
# Each status's date, in the order the steps happen.
STATUS_DATES = {
    Status.LISTED: "listed_on",
    Status.SOLD: "sold_on",
    Status.STARTED: "started_on",
    Status.PRODUCING: "producing_on",
    Status.ACCEPTED: "accepted_on",
}
FIELDS = frozenset(
    {
        "zone",
        "park",
        "code",
        "location",
        "area_mu",
        "use",
        "is_standard",
        "invest_intensity",
        "plot_ratio",
        "tax_per_mu",
        "energy_per_unit",
        "environment_standard",
        "status",
        "enterprise",
        "project",
        "price",
        *STATUS_DATES.values(),
        "promised_invest_intensity",
        "promised_plot_ratio",
        "promised_tax_per_mu",
        "promised_energy_per_unit",
        "note",
    }
)
PROMISES = ("promised_invest_intensity", "promised_plot_ratio", "promised_tax_per_mu", "promised_energy_per_unit")
NON_NEGATIVE = (
    "invest_intensity",
    "plot_ratio",
    "tax_per_mu",
    "energy_per_unit",
    "price",
    *PROMISES,
)
SQUARE_METRES_PER_MU = Decimal("666.67")
MISSING = "待补录"


# ---------------------------------------------------------------- the parcel


@transaction.atomic
def parcel_save(*, user, parcel: Parcel, fields: dict[str, Any]) -> Parcel:
    """Create (``parcel.pk`` empty) or change a parcel. Every problem is named at its field, in
    Chinese: the 出让日期 from 已出让 on, dates in the order of the steps, a promise only on a 标准地,
    the park, buyer and project of the parcel's own zone."""
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValidationError(f"不认识的地块字段：{'、'.join(sorted(unknown))}。")
    if parcel.pk is not None:
        ensure(user, "land.change", parcel)  # the zone it is in now …
    for name, value in fields.items():
        setattr(parcel, name, value.strip() if isinstance(value, str) else value)
    bag = ErrorBag()
    if parcel.zone_id is None:
        bag.add("zone", "请选择开发区。")
        bag.raise_if_any()
    ensure(user, "land.change", parcel)  # … and the zone it goes to
    full_clean_into(parcel, bag)
    _check_links(parcel, bag)
    _check_dates(parcel, bag)
    _check_figures(parcel, bag)
    bag.raise_if_any()
    return trail.save_recorded(user=user, instance=parcel)


def _check_links(parcel: Parcel, bag: ErrorBag) -> None:
    if parcel.park_id is not None and parcel.park.zone_id != parcel.zone_id:
        bag.add("park", f"园区“{parcel.park}”不属于{parcel.zone}。")
    if parcel.enterprise_id is not None and parcel.enterprise.zone_id != parcel.zone_id:
        bag.add(
            "enterprise", f"受让企业“{parcel.enterprise}”不是{parcel.zone}的企业，请先在企业库中登记或选择本区企业。"
        )
    if parcel.project_id is not None:
        project = parcel.project
        if project.zone_id != parcel.zone_id:
            bag.add("project", f"项目“{project}”不是{parcel.zone}的项目。")
        elif parcel.enterprise_id and project.enterprise_id and project.enterprise_id != parcel.enterprise_id:
            bag.add("project", f"项目“{project}”的建设单位不是受让企业“{parcel.enterprise}”。")


def _check_dates(parcel: Parcel, bag: ErrorBag) -> None:
    status = parcel.status if parcel.status in ORDER else Status.RESERVE
    label = Status(status).label
    if status in SOLD_OR_LATER and parcel.sold_on is None:
        bag.add("sold_on", f"状态为“{label}”的地块须填写出让日期。")
    reached = ORDER.index(status)
    previous: tuple[str, datetime.date] | None = None
    for step, name in STATUS_DATES.items():
        day = getattr(parcel, name)
        if day is None:
            continue
        verbose = Parcel._meta.get_field(name).verbose_name
        if ORDER.index(step) > reached:
            bag.add(name, f"状态为“{label}”，还不应有{verbose}；请先把状态改为“{Status(step).label}”。")
        elif previous is not None and day < previous[1]:
            before = Parcel._meta.get_field(previous[0]).verbose_name
            bag.add(name, f"{verbose}（{day}）不能早于{before}（{previous[1]}）。")
        previous = (name, day)


def _check_figures(parcel: Parcel, bag: ErrorBag) -> None:
    if parcel.area_mu is not None and parcel.area_mu <= 0 and not bag.has("area_mu"):
        bag.add("area_mu", "面积须大于 0 亩。")
    for name in NON_NEGATIVE:
        value = getattr(parcel, name)
        if value is not None and value < 0 and not bag.has(name):
            bag.add(name, f"{Parcel._meta.get_field(name).verbose_name}不能为负数。")
    if not parcel.is_standard:
        for name in PROMISES:
            if getattr(parcel, name) is not None:
                bag.add(name, "只有以“标准地”出让的地块才有承诺指标；非标准地请留空。")
        return
    for key in CONTROLS:
        control, promised = getattr(parcel, key), getattr(parcel, f"promised_{key}")
        if control is None or promised is None or bag.has(f"promised_{key}"):
            continue
        lower = key == "energy_per_unit"
        if (promised > control) if lower else (promised < control):
            word = "高于" if lower else "低于"
            label = Parcel._meta.get_field(f"promised_{key}").verbose_name
            bag.add(f"promised_{key}", f"{label}（{_two(promised)}）不能{word}控制指标（{_two(control)}）。")


# ---------------------------------------------------------------- 区域评估


@transaction.atomic
def assessment_save(
    *,
    user,
    parcel: Parcel,
    kind: str,
    conclusion: str = "",
    reference: str = "",
    done_on: datetime.date | None = None,
) -> Assessment:
    """Add the parcel's 区域评估 result of ``kind``, or replace the one it carries."""
    ensure(user, "land.change", parcel)
    bag = ErrorBag()
    if kind not in Assessment.Kind.values:
        bag.add("kind", "请选择评估事项。")
    if done_on is not None and done_on > local_today():
        bag.add("done_on", "完成日期不能晚于今天。")
    bag.raise_if_any()
    record = Assessment.objects.filter(parcel=parcel, kind=kind).first() or Assessment(parcel=parcel, kind=kind)
    record.conclusion, record.reference, record.done_on = conclusion.strip(), reference.strip(), done_on
    full_clean_into(record, bag, exclude=["parcel"])
    bag.raise_if_any()
    return trail.save_recorded(user=user, instance=record)


@transaction.atomic
def assessment_delete(*, user, assessment: Assessment) -> None:
    ensure(user, "land.change", assessment.parcel)
    trail.record_delete(user=user, instance=assessment)
    assessment.delete()


# ---------------------------------------------------------------- the promise and its check


@dataclass(frozen=True)
class Item:
    """One promised indicator against the buyer's actual figure of the year."""

    key: str
    label: str
    unit: str
    promised: Decimal
    actual: Decimal | None
    lower_is_better: bool = False
    missing: str = ""  # why the actual figure is not known (待补录)
    basis: str = "承诺"  # what ``promised`` is: the buyer's 承诺, or the parcel's 控制指标 where none was promised

    @property
    def met(self) -> bool | None:
        if self.actual is None:
            return None
        return self.actual <= self.promised if self.lower_is_better else self.actual >= self.promised

    @property
    def gap(self) -> Decimal | None:
        if self.actual is None:
            return None
        return abs(self.actual - self.promised)

    def words(self) -> str:
        if self.actual is None:
            return f"{self.label} {MISSING}（{self.missing}），{self.basis} {_two(self.promised)}"
        unit = f"{self.unit}" if self.unit else ""
        relation = "超" if self.lower_is_better else "差"
        return (
            f"{self.label} {_two(self.actual)}{unit}，{self.basis} {_two(self.promised)}，{relation} {_two(self.gap)}"
        )


@dataclass
class Comparison:
    """The promise of a parcel against the buyer's actual figures of ``year``."""

    year: int
    items: list[Item] = field(default_factory=list)

    @property
    def below(self) -> list[Item]:
        return [item for item in self.items if item.met is False]

    @property
    def missing(self) -> list[Item]:
        return [item for item in self.items if item.actual is None]

    @property
    def result(self) -> str:
        """未达标 as soon as one figure falls short; 达标 only when every figure is known and met;
        otherwise not yet checked (待补录)."""
        if self.below:
            return Parcel.Check.BELOW
        if self.missing or not self.items:
            return Parcel.Check.NONE
        return Parcel.Check.MET

    def gap_lines(self) -> list[str]:
        return [item.words() for item in self.below] + [item.words() for item in self.missing]


def compare_promise(parcel: Parcel, year: int) -> Comparison:
    """The parcel's promised indicators against its buyer's year figures (month empty):
    投资强度 = the project's 累计完成投资 ÷ area; 容积率 = 建筑面积 ÷ (area × 666.67 m²);
    亩均税收 = 税收 ÷ area; 单位能耗 = 能耗 ÷ 增加值 (lower is better)."""
    figures = None
    if parcel.enterprise_id is not None:
        figures = EnterpriseFigures.objects.filter(enterprise_id=parcel.enterprise_id, year=year, month=None).first()
    area = parcel.area_mu
    no_figures = "受让企业未填报该年度经营数据" if parcel.enterprise_id else "地块未登记受让企业"

    def figure(name: str) -> tuple[Decimal | None, str]:
        if figures is None:
            return None, no_figures
        value = getattr(figures, name)
        label = EnterpriseFigures._meta.get_field(name).verbose_name.split("（")[0]
        return value, ("" if value is not None else f"未填报{label}")

    comparison = Comparison(year=year)
    target = {key: _target(parcel, key) for key in CONTROLS}
    if target["invest_intensity"][0] is not None:
        invested, why = project_investment(parcel.project)
        actual = _ratio(invested, area)
        promised, basis = target["invest_intensity"]
        comparison.items.append(
            Item("invest_intensity", "投资强度", "万元/亩", promised, actual, missing=why, basis=basis)
        )
    if target["plot_ratio"][0] is not None:
        floor, why = figure("floor_area")
        actual = _ratio(floor, area * SQUARE_METRES_PER_MU if area else None)
        promised, basis = target["plot_ratio"]
        comparison.items.append(Item("plot_ratio", "容积率", "", promised, actual, missing=why, basis=basis))
    if target["tax_per_mu"][0] is not None:
        tax, why = figure("tax")
        promised, basis = target["tax_per_mu"]
        comparison.items.append(
            Item("tax_per_mu", "亩均税收", "万元/亩", promised, _ratio(tax, area), missing=why, basis=basis)
        )
    if target["energy_per_unit"][0] is not None:
        energy, why = figure("energy_tce")
        added, why_added = figure("value_added")
        actual = _ratio(energy, added)
        if energy is not None and added is not None and not added:
            why_added = "增加值为 0，无法计算"
        comparison.items.append(
            Item(
                "energy_per_unit",
                "单位能耗",
                "吨标准煤/万元",
                target["energy_per_unit"][0],
                actual,
                lower_is_better=True,
                missing=why or why_added,
                basis=target["energy_per_unit"][1],
            )
        )
    return comparison


CONTROLS = ("invest_intensity", "plot_ratio", "tax_per_mu", "energy_per_unit")


def _target(parcel: Parcel, key: str) -> tuple[Decimal | None, str]:
    """What the parcel is checked against: the buyer's promise, else the 标准地's own 控制指标 (a
    control indicator binds the buyer whether or not it wrote a promise)."""
    promised = getattr(parcel, f"promised_{key}")
    if promised is not None:
        return promised, "承诺"
    return getattr(parcel, key), "控制指标"


def project_investment(project: Project | None) -> tuple[Decimal | None, str]:
    """The project's 累计完成投资 (万元): its 年度完成投资 of the plan year plus the investment of its
    progress reports dated in other years. Nothing recorded at all is a gap, not a zero."""
    if project is None:
        return None, "地块未关联项目"
    earlier = ProgressReport.objects.filter(project=project).exclude(reported_on__year=project.plan_year)
    other_years = earlier.aggregate(total=Sum("investment"))["total"] or Decimal(0)
    total = (project.year_completed_investment or Decimal(0)) + other_years
    if not total:
        return None, "项目未填报完成投资"
    return total, ""


@transaction.atomic
def check_promise(user, parcel: Parcel, year: int, *, today: datetime.date | None = None) -> Comparison:
    """事后监管: compare a 标准地 parcel in production with its promise for ``year`` and store the
    result (达标 / 未达标 with the gaps in words; figures not reported are named 待补录 and leave
    the parcel 未核验 unless another figure already falls short)."""
    ensure(user, "land.change", parcel)
    bag = ErrorBag()
    if not parcel.is_standard:
        bag.add("is_standard", "只有以“标准地”出让的地块才核验承诺。")
    elif not any(_target(parcel, key)[0] is not None for key in CONTROLS):
        bag.add("promised_tax_per_mu", "该地块没有登记控制指标或承诺指标，请先在地块信息中填写。")
    if parcel.status not in IN_PRODUCTION:
        bag.add("status", f"地块状态为“{parcel.get_status_display()}”，投产后才核验承诺。")
    today = today or local_today()
    if not 2000 <= year <= today.year:
        bag.add("year", f"核验年度“{year}”不对，应在 2000 年到 {today.year} 年之间。")
    bag.raise_if_any()
    comparison = compare_promise(parcel, year)
    before = trail.stored_snapshot(parcel)
    parcel.check_result = comparison.result
    parcel.check_year = year
    parcel.checked_on = today
    parcel.check_gaps = "\n".join(comparison.gap_lines())
    parcel.save(update_fields=["check_result", "check_year", "checked_on", "check_gaps", "updated_at"])
    trail.record_update(user=user, instance=parcel, before=before, note=f"核验{year}年承诺指标")
    return comparison


# ---------------------------------------------------------------- 低效闲置用地处置


@transaction.atomic
def disposal_record(
    *,
    user,
    step: str,
    done_on: datetime.date | None,
    note: str,
    parcel: Parcel | None = None,
    enterprise: Enterprise | None = None,
) -> Disposal:
    """Record a step (约谈, 限期整改, 收回, 再开发 …) on an idle parcel or an inefficient enterprise."""
    owner = parcel if parcel is not None else enterprise
    if owner is None:
        raise ValidationError({"parcel": "请指明处置的地块或企业。"})
    ensure(user, "land.change", owner)
    bag = ErrorBag()
    if step not in Disposal.Step.values:
        bag.add("step", "请选择处置措施。")
    if done_on is None:
        bag.add("done_on", "请填写处置日期。")
    elif done_on > local_today():
        bag.add("done_on", "处置日期不能晚于今天（计划中的措施请写在情况说明里）。")
    if not (note or "").strip():
        bag.add("note", "请写明处置情况。")
    if parcel is not None and enterprise is not None and parcel.enterprise_id not in (None, enterprise.pk):
        bag.add("enterprise", f"企业“{enterprise}”不是地块“{parcel}”的受让企业。")
    bag.raise_if_any()
    if enterprise is None and parcel is not None:
        enterprise = parcel.enterprise
    record = Disposal(
        zone_id=owner.zone_id,
        parcel=parcel,
        enterprise=enterprise,
        step=step,
        done_on=done_on,
        note=note.strip(),
        recorded_by=user,
    )
    return trail.save_recorded(user=user, instance=record)


# ---------------------------------------------------------------- helpers


def _ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    # Two decimals, as the figures are read and promised: the gap said is the gap shown.
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _two(value: Decimal | None) -> str:
    return "—" if value is None else str(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP))
