"""挂图作战: a zone's projects and their milestones on a year's timeline, planned against actual.

The chart is drawn on the server as SVG (positions are SVG attributes, which the Content
Security Policy allows where inline styles are not), so it needs no script, prints as it
shows, and every marker carries its own tooltip (``<title>``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet

from kaifaqu.projects.models import Milestone, Project

LABEL_WIDTH = 300
TIMELINE_WIDTH = 960
ROW_HEIGHT = 30
HEADER_HEIGHT = 34
MAX_ROWS = 300  # a wall chart beyond this is unreadable: the page asks to narrow the filter


@dataclass
class Marker:
    x: float
    y: float
    kind: str  # "planned" (a diamond), "actual" (a dot)
    state: str  # "done", "late", "overdue", "upcoming"
    tip: str

    @property
    def points(self) -> str:
        """The diamond of a planned date."""
        x, y, r = self.x, self.y, 6
        return f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"


@dataclass
class Link:
    x1: float
    x2: float
    state: str


@dataclass
class GanttRow:
    project: Project
    y: float
    markers: list[Marker] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    span: tuple[float, float] | None = None  # first to last milestone
    overdue: int = 0

    @property
    def text_y(self) -> float:
        return self.y + 4


@dataclass
class Gantt:
    year: int
    today: datetime.date
    rows: list[GanttRow]
    months: list[tuple[float, str]]  # x of each month's start, its label
    today_x: float | None
    width: int
    height: int
    truncated: int  # projects left out beyond MAX_ROWS
    outside: int  # milestones outside the year, not drawn
    without: int  # projects with no milestone in the year (no row: a wall chart shows schedules)

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH


def milestone_state(milestone: Milestone, today: datetime.date) -> str:
    if milestone.actual_on is not None:
        return "done" if milestone.actual_on <= milestone.planned_on else "late"
    return "overdue" if milestone.planned_on < today else "upcoming"


STATE_WORDS = {"done": "按期完成", "late": "逾期完成", "overdue": "已逾期", "upcoming": "未到期"}


def gantt(projects: QuerySet[Project], *, year: int, today: datetime.date) -> Gantt:
    """The chart for ``projects`` (scoped and filtered) over ``year``: one row per project with milestones."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = (end - start).days + 1

    def x_of(day: datetime.date) -> float:
        """The x of ``day``; a day outside the year sits on the year's edge."""
        day = min(max(day, start), end)
        return LABEL_WIDTH + TIMELINE_WIDTH * (day - start).days / days

    total = projects.count()
    chosen = list(projects.select_related("zone").order_by("zone__name", "name")[:MAX_ROWS])
    milestones: dict[int, list[Milestone]] = {}
    for milestone in Milestone.objects.filter(project__in=[p.pk for p in chosen]).order_by("planned_on", "pk"):
        milestones.setdefault(milestone.project_id, []).append(milestone)
    rows, outside, without = [], 0, 0
    for project in chosen:
        row = GanttRow(project=project, y=HEADER_HEIGHT + len(rows) * ROW_HEIGHT + ROW_HEIGHT / 2)
        shown = []
        for milestone in milestones.get(project.pk, []):
            dates = [milestone.planned_on, *([milestone.actual_on] if milestone.actual_on else [])]
            if not any(start <= day <= end for day in dates):
                outside += 1
                continue
            state = milestone_state(milestone, today)
            row.overdue += state == "overdue"
            planned_x = x_of(milestone.planned_on)
            tip = f"{milestone.name}：计划 {milestone.planned_on}"
            if milestone.actual_on:
                actual_x = x_of(milestone.actual_on)
                row.links.append(Link(planned_x, actual_x, state))
                done = f"{tip}，实际 {milestone.actual_on}（{STATE_WORDS[state]}）"
                row.markers.append(Marker(actual_x, row.y, "actual", state, done))
            row.markers.append(Marker(planned_x, row.y, "planned", state, f"{tip}（{STATE_WORDS[state]}）"))
            shown.append(planned_x)
        if not shown:
            without += 1
            continue
        row.span = (min(shown), max(shown))
        rows.append(row)
    months = [(x_of(datetime.date(year, month, 1)), f"{month}月") for month in range(1, 13)]  # labels sit 4px right
    return Gantt(
        year=year,
        today=today,
        rows=rows,
        months=months,
        today_x=x_of(today) if start <= today <= end else None,
        width=LABEL_WIDTH + TIMELINE_WIDTH + 10,
        height=HEADER_HEIGHT + max(len(rows), 1) * ROW_HEIGHT + 10,
        truncated=max(total - len(chosen), 0),
        outside=outside,
        without=without,
    )
