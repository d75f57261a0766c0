"""Reads of 考核: finding a scheme, the results a user may see, rankings with movement, the gap report."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from kaifaqu.core.rights import can
from kaifaqu.core.scoping import scope_for

from . import periods
from .models import HonorList, Run, Scheme, Score


class SchemeNotFound(LookupError):
    pass


def scheme_by_name(name: str, *, schemes: QuerySet[Scheme] | None = None) -> Scheme:
    """The scheme of that name; several offices may use one name, and then the message lists them."""
    schemes = (schemes if schemes is not None else Scheme.objects.all()).select_related("zone", "region")
    found = list(schemes.filter(name=name.strip()))
    if not found:
        raise SchemeNotFound(f"没有名为“{name.strip()}”的考核方案。")
    if len(found) > 1:
        owners = "、".join(scheme.scope_name for scheme in found)
        raise SchemeNotFound(f"有{len(found)}个名为“{name.strip()}”的考核方案（{owners}），请用 --scope 指明考核单位。")
    return found[0]


def sees_all_scores(user, scheme: Scheme) -> bool:
    """The office that evaluates sees every subject's score; the evaluated see every score only
    where the scheme makes results public."""
    return user is None or can(user, "evaluation.change", scheme) or scheme.results_public


def visible_runs(user, scheme: Scheme) -> QuerySet[Run]:
    """The runs a user may open: all of them for the office that keeps the scheme, published ones
    (and superseded versions) for the others."""
    runs = scheme.runs.all()
    if user is None or can(user, "evaluation.change", scheme):
        return runs
    return runs.filter(status__in=(Run.Status.PUBLISHED, Run.Status.SUPERSEDED))


def visible_scores(user, run: Run) -> QuerySet[Score]:
    """A subject sees its own line (a zone its zone's, a person their own score sheet) unless the
    scheme publishes every result."""
    scores = run.scores.select_related("zone", "person")
    if sees_all_scores(user, run.scheme):
        return scores
    scope = scope_for(user)
    if run.scheme.subject_kind == Scheme.SubjectKind.STAFF:
        return scores.filter(person=user)
    return scores.filter(zone_id__in=sorted(scope.zone_ids))


def owns_subject(user, record) -> bool:
    """Is ``record`` (a score, a hand-entered value) about the user's own zone, or the user?"""
    if record.person_id is not None:
        return record.person_id == user.pk
    return record.zone_id in scope_for(user).zone_ids


def visible_honor_lists(user, scheme: Scheme) -> QuerySet[HonorList]:
    lists = scheme.honor_lists.all()
    if user is None or can(user, "evaluation.change", scheme):
        return lists
    return lists.filter(status=HonorList.Status.PUBLISHED)


def current_run(scheme: Scheme, period: str) -> Run | None:
    """The run people read for a period: the published one, else (for the office) the newest."""
    runs = scheme.runs.filter(period=period)
    return runs.filter(status=Run.Status.PUBLISHED).first() or runs.order_by("-version").first()


def published_run(scheme: Scheme, period: str) -> Run | None:
    return scheme.runs.filter(period=period, status=Run.Status.PUBLISHED).first()


@dataclass
class Standing:
    score: Score
    previous_rank: int | None

    @property
    def movement(self) -> int | None:
        """Places gained since the last period (positive: up), None when it was not ranked then."""
        if self.previous_rank is None:
            return None
        return self.previous_rank - self.score.rank

    @property
    def movement_text(self) -> str:
        moved = self.movement
        if moved is None:
            return "—"
        if moved == 0:
            return "持平"
        return f"↑{moved}" if moved > 0 else f"↓{-moved}"


def standings(user, run: Run) -> list[Standing]:
    """The run's places with the movement against the last period's published result."""
    scheme = run.scheme
    before = published_run(scheme, periods.parse(run.period, scheme.period).previous().key)
    earlier: dict[str, int] = {}
    if before is not None:
        for score in before.scores.all():
            earlier[_key(score)] = score.rank
    return [Standing(score, earlier.get(_key(score))) for score in visible_scores(user, run)]


def _key(score: Score) -> str:
    return f"person:{score.person_id}" if score.person_id else f"zone:{score.zone_id}"


@dataclass
class Gap:
    item: dict  # the run's item snapshot
    score: Decimal
    best: Decimal
    best_subject: str

    @property
    def lost(self) -> Decimal:
        return self.best - self.score


def gap_report(run: Run, score: Score) -> list[Gap]:
    """For one subject: each item's points against the best subject's on that item, the costliest first."""
    scores = list(run.scores.all())
    gaps = []
    for item in run.items:
        key = str(item["id"])
        if item["kind"] == "veto":
            continue
        best = max(scores, key=lambda other: Decimal(other.items.get(key, {}).get("score", "0")))
        best_points = Decimal(best.items.get(key, {}).get("score", "0"))
        own = Decimal(score.items.get(key, {}).get("score", "0"))
        gaps.append(Gap(item, own, best_points, best.subject_name if best_points > 0 else ""))
    return sorted(gaps, key=lambda gap: (-gap.lost, gap.item["name"]))


def run_json(run: Run, scores) -> dict:
    """The result as the command line prints it: numbers as strings."""
    names = {str(item["id"]): item["name"] for item in run.items}
    return {
        "scheme": run.scheme.name,
        "period": run.period,
        "version": str(run.version),
        "status": run.get_status_display(),
        "subjects": [
            {
                "subject": score.subject_name,
                "total": str(score.total),
                "rank": str(score.rank),
                "vetoed": score.vetoed,
                "items": {
                    names[key]: {"value": found["value"], "score": found["score"], "max": found["max"]}
                    for key, found in score.items.items()
                    if key in names
                },
            }
            for score in scores
        ],
    }


def grouped_items(run: Run) -> list[tuple[str, list[dict]]]:
    """The run's items by group, in the scheme's order, with each group's full marks."""
    groups: dict[str, list[dict]] = {}
    for item in run.items:
        groups.setdefault(item["group"], []).append(item)
    return list(groups.items())


INDICATOR_METRICS = frozenset({"indicator_growth", "indicator_value", "indicator_completion"})
HONOR_METRICS = frozenset({"honor_red", "honor_black"})


def run_warnings(run: Run, *, today, scores: QuerySet[Score] | None = None) -> list[str]:
    """What a reader of the result should know before trusting it: zones whose 月报 of the period is
    not yet approved (their 月调度 items scored as 无数据), and a 红黑榜 not yet generated or published."""
    metrics = {item["metric"] for item in run.items}
    period = periods.parse(run.period, run.scheme.period)
    warnings = []
    if metrics & INDICATOR_METRICS and run.scheme.subject_kind == Scheme.SubjectKind.ZONE:
        warnings += _report_warnings(run.scores.all() if scores is None else scores, period, today)
    if metrics & HONOR_METRICS:
        lists = {found.period: found for found in run.scheme.honor_lists.filter(period__in=period.months)}
        for month in period.months:
            label = periods.parse(month, "month").label
            if month not in lists:
                warnings.append(f"{label}的红黑榜还没有生成：上榜次数均按0计。")
            elif lists[month].status != HonorList.Status.PUBLISHED:
                warnings.append(f"{label}的红黑榜还没有公示：上榜次数按待审核的名单计。")
    return warnings


def _report_warnings(scores: QuerySet[Score], period: periods.Period, today) -> list[str]:
    from kaifaqu.indicators.models import IndicatorReport
    from kaifaqu.indicators.reporting import due_on
    from kaifaqu.regions.models import Region

    scores = list(scores.select_related("zone__region").exclude(zone=None))
    approved = set(
        IndicatorReport.objects.filter(
            zone_id__in=[score.zone_id for score in scores],
            year=period.year,
            month=period.last_month,
            status=IndicatorReport.Status.APPROVED,
        ).values_list("zone_id", flat=True)
    )
    missing = [score for score in scores if score.zone_id not in approved]
    if not missing:
        return []
    names = "、".join(score.subject_name for score in missing)
    city = Region.objects.get(code=missing[0].zone.region.code[:4] + "00")
    due = due_on(city, period.year, period.last_month)
    pending = f"（报送截止{due.month}月{due.day}日，尚未截止）" if today <= due else ""
    return [
        f"{len(missing)}个开发区（{names}）{period.last_month}月月报尚未审核通过{pending}："
        "月调度指标各项按无数据计0分，月报审核通过后可重新计算。"
    ]
