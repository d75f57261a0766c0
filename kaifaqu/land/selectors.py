"""Reads of 亩均效益评价: a year's grades under a scheme, the distribution, the moves against the
year before, an enterprise's history, and the per-mu level of zones (the sums divided)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from kaifaqu.enterprises.models import EnterpriseFigures

from .models import MuJunGrade, MuJunScheme
from .mujun import CENT, GRADE_WORDS
from .services import covered_enterprises

ORDER = "ABCD"  # better first: a move to a later letter is a move down


class SchemeNotFound(Exception):
    pass


def schemes_for_zone(zone) -> QuerySet[MuJunScheme]:
    return MuJunScheme.objects.filter(zone=zone).order_by("-id")


def grades_of(scheme: MuJunScheme, year: int, *, user=None) -> QuerySet[MuJunGrade]:
    """The year's grades (the graded by place, then the not graded), as the user may see them."""
    rows = MuJunGrade.objects.visible_to(user) if user is not None else MuJunGrade.objects.all()
    return (
        rows.filter(scheme=scheme, year=year)
        .select_related("enterprise", "enterprise__zone")
        .order_by(F("rank").asc(nulls_last=True), "enterprise__name")
    )


def graded_years(scheme: MuJunScheme) -> list[int]:
    return list(MuJunGrade.objects.filter(scheme=scheme).values_list("year", flat=True).distinct().order_by("-year"))


def changed_since_graded(scheme: MuJunScheme, year: int, rows) -> int:
    """How many covered enterprises' figures of the year were entered or corrected after the grading:
    the grades no longer read what the enterprises reported, and the page says to grade again."""
    graded_at = min((row.graded_at for row in rows), default=None)
    if graded_at is None:
        return 0
    return (
        EnterpriseFigures.objects.filter(
            enterprise__in=covered_enterprises(scheme), year=year, month__isnull=True, updated_at__gt=graded_at
        )
        .values("enterprise")
        .distinct()
        .count()
    )


def distribution(rows) -> dict[str, int]:
    """户 per grade (every grade listed) of the year's rows; the not graded apart, as 不参评."""
    counts = dict.fromkeys(GRADE_WORDS, 0)
    counts["不参评"] = 0
    for row in rows:
        counts[row.grade or "不参评"] += 1
    return counts


@dataclass(frozen=True)
class Move:
    grade: MuJunGrade
    before: str  # last year's grade ("" when not graded then)

    @property
    def word(self) -> str:
        if not self.before or not self.grade.grade:
            return "新参评" if self.grade.grade else ""
        step = ORDER.index(self.grade.grade) - ORDER.index(self.before)
        return (
            "持平"
            if step == 0
            else (f"↓{self.before}→{self.grade.grade}" if step > 0 else f"↑{self.before}→{self.grade.grade}")
        )

    @property
    def down(self) -> bool:
        return bool(self.before and self.grade.grade) and ORDER.index(self.grade.grade) > ORDER.index(self.before)


def with_moves(scheme: MuJunScheme, year: int, rows) -> list[Move]:
    """Each row with the enterprise's grade of the year before under the same scheme."""
    before = dict(
        MuJunGrade.objects.filter(scheme=scheme, year=year - 1).exclude(grade="").values_list("enterprise_id", "grade")
    )
    return [Move(row, before.get(row.enterprise_id, "")) for row in rows]


def moved_down(moves: list[Move]) -> list[Move]:
    return [move for move in moves if move.down]


def history(enterprise, *, user) -> QuerySet[MuJunGrade]:
    """An enterprise's grades over the years, under every scheme it was graded by."""
    return (
        MuJunGrade.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("scheme", "scheme__zone", "scheme__region")
        .order_by("-year", "scheme__name")
    )


def grading_json(scheme: MuJunScheme, year: int) -> dict:
    """The command line's answer (``kaifaqu mujun grade --json``): numbers as strings."""
    rows = list(grades_of(scheme, year))

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value.quantize(CENT))

    counts = distribution(rows)
    return {
        "zone": scheme.scope_name,
        "scheme": scheme.name,
        "year": year,
        "excluded": counts.pop("不参评"),
        "grades": counts,
        "enterprises": [
            {
                "name": row.enterprise.name,
                "credit_code": row.enterprise.credit_code or "",
                "rank": row.rank,
                "score": text(row.score),
                "grade": row.grade,
                "tax_per_mu_wan": text(row.tax_per_mu),
                "revenue_per_mu_wan": text(row.revenue_per_mu),
                "energy_productivity": text(row.energy_productivity),
                "rd_intensity_pct": text(row.rd_intensity_pct),
            }
            for row in rows
            if row.grade
        ],
        "not_graded": [
            {
                "name": row.enterprise.name,
                "credit_code": row.enterprise.credit_code or "",
                "reason": row.excluded_reason,
            }
            for row in rows
            if not row.grade
        ],
    }


@dataclass(frozen=True)
class ZoneLevel:
    zone_id: int
    enterprises: int  # with land and tax reported
    land_mu: Decimal
    tax_per_mu: Decimal | None
    revenue_per_mu: Decimal | None


def zone_levels(enterprises, *, year: int, by: str = "enterprise__zone") -> dict[int, ZoneLevel]:
    """亩均税收 and 亩均营业收入 per zone (or per ``by`` key) for a year: the sums divided, over the
    enterprises that reported both their land and their tax (and their revenue, for the second)."""
    with_revenue = Q(revenue__isnull=False)
    rows = (
        EnterpriseFigures.objects.filter(
            enterprise__in=enterprises, year=year, month__isnull=True, land_mu__gt=0, tax__isnull=False
        )
        .values(by)
        .annotate(
            count=Count("enterprise", distinct=True),
            total_land=Sum("land_mu"),
            total_tax=Sum("tax"),
            total_revenue=Sum("revenue", filter=with_revenue),
            revenue_land=Sum("land_mu", filter=with_revenue),
        )
    )
    return {
        row[by]: ZoneLevel(
            zone_id=row[by],
            enterprises=row["count"],
            land_mu=row["total_land"],
            tax_per_mu=(row["total_tax"] / row["total_land"]).quantize(CENT),
            revenue_per_mu=(row["total_revenue"] / row["revenue_land"]).quantize(CENT) if row["revenue_land"] else None,
        )
        for row in rows
    }
