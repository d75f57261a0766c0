"""Reads of 揭榜挂帅 boards: the 擂台 ranking per bounty and per board, the figures of a scope
(``bounty_stats``), and the metric 考核 reads per person and per unit (``bounty_metric``).

Ranking (擂台比武): a claim verified 通过 comes first; then the share of the goal reached (the
verified value once verified, else the latest reported one); then the earliest completion (the
first day the reported value reached the goal); then the earliest claim.

Score (考核): a claim verified 通过 earns 100 × its share of the goal, capped at 150 (重奖 for more
than the goal, within reason). Claims not verified, or verified 未通过, earn nothing: only 验收
counts in 绩效考核 (孝义, seed 000: 完成情况纳入绩效考核，对有积极贡献的给予重奖).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from kaifaqu.regions.selectors import regions_holding

from .models import Bounty, BountyBoard, BountyClaim

SCORE_CAP = Decimal("1.5")
HUNDRED = Decimal("100")
LATE = datetime.date.max


def share(claim: BountyClaim) -> Decimal:
    """The share of the goal reached: the verified value once verified, else the latest report."""
    value = claim.achieved if claim.verified and claim.achieved is not None else claim.reached
    goal = claim.bounty.goal
    return (value or Decimal("0")) / goal if goal else Decimal("0")


def passed(claim: BountyClaim) -> bool:
    return claim.result == BountyClaim.Result.PASSED


def score(claim: BountyClaim) -> Decimal:
    if not passed(claim):
        return Decimal("0")
    return (HUNDRED * min(share(claim), SCORE_CAP)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _rank_key(claim: BountyClaim):
    return (not passed(claim), -share(claim), claim.completed_on or LATE, claim.claimed_on, claim.pk)


@dataclass
class Standing:
    rank: int
    claim: BountyClaim

    @property
    def percent(self) -> Decimal:
        return (share(self.claim) * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def score(self) -> Decimal:
        return score(self.claim)

    @property
    def state(self) -> str:
        claim = self.claim
        if claim.verified:
            return f"验收{claim.get_result_display()}"
        return "已达标" if claim.completed_on else "进行中"


def bounty_standings(claims) -> list[Standing]:
    """The 擂台 ranking of one bounty's claims (ties share nothing: the earlier claim ranks first)."""
    ordered = sorted(claims, key=_rank_key)
    return [Standing(rank, claim) for rank, claim in enumerate(ordered, start=1)]


def with_related(claims: QuerySet[BountyClaim]) -> QuerySet[BountyClaim]:
    return claims.select_related("bounty__board", "claimant", "unit__zone", "verified_by")


# ---------------------------------------------------------------- per claimant (a board, a scope)


@dataclass
class ClaimantRow:
    """One claimant (a person for a unit and team) over several bounties."""

    name: str
    unit: str
    team: str
    claimed: int = 0
    completed: int = 0
    verified: int = 0  # verified 通过
    score: Decimal = Decimal("0")
    first_completion: datetime.date = LATE
    rank: int = 0

    def as_json(self) -> dict:
        return {
            "rank": self.rank,
            "claimant": self.name,
            "unit": self.unit,
            "team": self.team,
            "claimed": self.claimed,
            "completed": self.completed,
            "verified": self.verified,
            "score": str(self.score),
        }


def claimant_standings(claims) -> list[ClaimantRow]:
    """The board's (or a scope's) ranking per claimant: verified bounties, then score, then the
    earliest completion."""
    rows: dict[tuple, ClaimantRow] = {}
    for claim in claims:
        key = (claim.claimant_id, claim.unit_id, claim.team)
        row = rows.get(key) or ClaimantRow(claim.claimant_name, claim.unit.name, claim.team)
        rows[key] = row
        _count(row, claim)
    ordered = sorted(rows.values(), key=lambda row: (-row.verified, -row.score, row.first_completion, row.name))
    for rank, row in enumerate(ordered, start=1):
        row.rank = rank
    return ordered


def _count(row, claim: BountyClaim) -> None:
    row.claimed += 1
    if claim.completed_on:
        row.completed += 1
        row.first_completion = min(row.first_completion, claim.completed_on)
    if passed(claim):
        row.verified += 1
        row.score += score(claim)


@dataclass
class BoardView:
    """A board with its bounties, each with its 擂台 ranking, and the ranking per claimant."""

    board: BountyBoard
    bounties: list[tuple[Bounty, list[Standing]]] = field(default_factory=list)
    claimants: list[ClaimantRow] = field(default_factory=list)


def board_view(board: BountyBoard) -> BoardView:
    bounties = list(board.bounties.select_related("project", "target", "link__chain"))
    claims = list(with_related(BountyClaim.objects.filter(bounty__board=board)))
    by_bounty: dict[int, list[BountyClaim]] = {}
    for claim in claims:
        by_bounty.setdefault(claim.bounty_id, []).append(claim)
    return BoardView(
        board=board,
        bounties=[(bounty, bounty_standings(by_bounty.get(bounty.pk, []))) for bounty in bounties],
        claimants=claimant_standings(claims),
    )


# ---------------------------------------------------------------- a scope's figures (the command)


def boards_for_zone(zone) -> QuerySet[BountyBoard]:
    """The boards covering a zone: its own and those of its city and province."""
    codes = regions_holding([zone.region_id])
    return BountyBoard.objects.filter(Q(zone=zone) | Q(zone__isnull=True, region_id__in=sorted(codes)))


def boards_for_region(region) -> QuerySet[BountyBoard]:
    """The boards an office's region holds: its own, its zones' and sub-regions', and those above it."""
    prefix = region.scope_prefix
    above = regions_holding([region.code])
    return BountyBoard.objects.filter(
        Q(zone__region__code__startswith=prefix)
        | Q(zone__isnull=True, region__code__startswith=prefix)
        | Q(zone__isnull=True, region_id__in=sorted(above))
    )


@dataclass
class ScopeFigures:
    scope: str
    boards: int = 0
    targets: int = 0  # bounties on the boards
    claimed: int = 0
    completed: int = 0
    verified: int = 0  # verified 通过
    standings: list[ClaimantRow] = field(default_factory=list)
    details: list[BoardView] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "scope": self.scope,
            "boards": self.boards,
            "targets": self.targets,
            "claimed": self.claimed,
            "completed": self.completed,
            "verified": self.verified,
            "standings": [row.as_json() for row in self.standings],
            "board_list": [_board_json(view) for view in self.details],
        }


def scope_figures(name: str, boards: QuerySet[BountyBoard], claims: QuerySet[BountyClaim]) -> ScopeFigures:
    """The figures of ``boards`` counting only ``claims`` (a zone counts its own units' claims)."""
    boards = boards.exclude(status=BountyBoard.Status.DRAFT).select_related("zone", "region")
    claims = list(with_related(claims.filter(bounty__board__in=boards)))
    figures = ScopeFigures(scope=name, boards=boards.count())
    figures.targets = Bounty.objects.filter(board__in=boards).count()
    figures.claimed = len(claims)
    figures.completed = sum(1 for claim in claims if claim.completed_on)
    figures.verified = sum(1 for claim in claims if passed(claim))
    figures.standings = claimant_standings(claims)
    wanted = {claim.pk for claim in claims}
    for board in boards:
        view = board_view(board)
        view.bounties = [
            (bounty, bounty_standings([item.claim for item in standings if item.claim.pk in wanted]))
            for bounty, standings in view.bounties
        ]
        figures.details.append(view)
    return figures


def _board_json(view: BoardView) -> dict:
    board = view.board
    return {
        "board": board.title,
        "scope": board.scope_name,
        "status": board.get_status_display(),
        "deadline": board.deadline.isoformat(),
        "bounties": [
            {
                "bounty": bounty.title,
                "kind": bounty.get_kind_display(),
                "goal_wan": str(bounty.goal),
                "standings": [
                    {
                        "rank": item.rank,
                        "claimant": item.claim.claimant_name,
                        "unit": item.claim.unit.name,
                        "team": item.claim.team,
                        "percent": str(item.percent),
                        "state": item.state,
                    }
                    for item in standings
                ],
            }
            for bounty, standings in view.bounties
        ],
    }


# ---------------------------------------------------------------- 考核 (issue 21)


@dataclass
class BountyMetric:
    """One person's or one unit's 揭榜挂帅 record in a period."""

    key: int  # the user's or the unit's id
    name: str
    claimed: int = 0  # claims made in the period
    completed: int = 0  # claims that reached their goal in the period
    verified: int = 0  # claims verified 通过 in the period
    score: Decimal = Decimal("0")  # the score of those verified 通过 in the period


def bounty_metric(
    claims: QuerySet[BountyClaim], *, start: datetime.date, end: datetime.date, per: str = "person"
) -> list[BountyMetric]:
    """The 考核 metric of 揭榜挂帅, per person (``per="person"``, keyed by user id) or per unit
    (``per="unit"``, keyed by ``zones.Unit`` id), for the period ``start``–``end`` (inclusive).

    ``claims`` is already scoped: pass ``BountyClaim.objects.visible_to(user)`` for what a user may
    see, or ``BountyClaim.objects.all()`` from the command line. Each event counts in the period it
    happened: a claim by its 揭榜日期, a completion by its 达标日期, a 通过 (and its score, see the
    module's docstring) by its 验收日期. Rows come sorted by score, then verified, then claimed;
    people or units with no event in the period are left out."""
    if per not in ("person", "unit"):
        raise ValueError("per 只能是 person 或 unit。")
    in_period = (
        Q(claimed_on__range=(start, end)) | Q(completed_on__range=(start, end)) | Q(verified_on__range=(start, end))
    )
    rows: dict[int, BountyMetric] = {}
    for claim in with_related(claims.filter(in_period)):
        key, name = (claim.claimant_id, claim.claimant_name) if per == "person" else (claim.unit_id, claim.unit.name)
        row = rows.setdefault(key, BountyMetric(key, name))
        row.claimed += start <= claim.claimed_on <= end
        row.completed += bool(claim.completed_on and start <= claim.completed_on <= end)
        if passed(claim) and start <= claim.verified_on <= end:
            row.verified += 1
            row.score += score(claim)
    return sorted(rows.values(), key=lambda row: (-row.score, -row.verified, -row.claimed, row.name))
