"""考核 on the 驾驶舱: each zone scheme's latest published ranking the user may read — an office sees
the leading zones, a zone its own place (and the others' only where the scheme publishes them) —
with the movement against the period before."""

from __future__ import annotations

from dataclasses import dataclass

from kaifaqu.core.scoping import scope_for

from . import periods, selectors
from .models import Run, Scheme

SHOWN = 5  # the leading places an office sees on the card (the page lists all)


@dataclass
class RankingCard:
    scheme: Scheme
    run: Run
    period_label: str
    rows: list[selectors.Standing]  # the places shown
    count: int  # how many subjects the run ranked


def ranking_cards(user) -> list[RankingCard]:
    if scope_for(user).enterprise_id is not None:
        return []
    cards = []
    schemes = Scheme.objects.visible_to(user).filter(subject_kind=Scheme.SubjectKind.ZONE).select_related("region")
    for scheme in schemes:
        run = scheme.runs.filter(status=Run.Status.PUBLISHED).order_by("-period").first()
        if run is None:
            continue
        rows = selectors.standings(user, run)
        if not rows:
            continue
        label = periods.parse(run.period, scheme.period).label
        cards.append(RankingCard(scheme, run, label, rows[:SHOWN], run.scores.count()))
    return cards
