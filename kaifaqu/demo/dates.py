"""The demo's calendar: the dates in ``data`` are written as of ``data.DEMO_MONTH`` (the last month
they report) with ``data.DEMO_YEAR`` as the plan year; loading moves them to the day the demo is
loaded, so a newcomer's first dashboard is this year's whatever day that is.

Plan years move to the loading day's year. Milestones and progress move by whole months so the
written last month becomes the month before the loading day's: the latest progress is always
last month's, overdue milestones are a few weeks late, and a 月底 stays a 月底. Planned dates stay
plans whatever they become; a fact that would still lie ahead (done after the loading day,
reported in its month) is left out, as what has not happened yet is not recorded.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from . import data


@dataclass(frozen=True)
class DemoCalendar:
    today: datetime.date

    @property
    def year(self) -> int:
        """The demo's current year: the loading day's."""
        return self.today.year

    @property
    def month_start(self) -> datetime.date:
        return self.today.replace(day=1)

    def plan_year(self, written: int) -> int:
        return written + self.year - data.DEMO_YEAR

    def moved(self, written: str) -> datetime.date:
        day = datetime.date.fromisoformat(written)
        written_year, written_month = data.DEMO_MONTH
        shift = (self.today.year * 12 + self.today.month - 1) - (written_year * 12 + written_month)
        year, month = divmod(day.year * 12 + day.month - 1 + shift, 12)
        last = calendar.monthrange(year, month + 1)[1]
        month_end = day.day == calendar.monthrange(day.year, day.month)[1]
        return datetime.date(year, month + 1, last if month_end else min(day.day, last))

    def happened(self, written: str | None) -> datetime.date | None:
        """A fact's date, or None when it falls after the loading day."""
        day = self.moved(written) if written else None
        return day if day is not None and day <= self.today else None

    def reported(self, written: str) -> datetime.date | None:
        """A progress report's date, or None when it falls in the loading day's month or later."""
        day = self.moved(written)
        return day if day < self.month_start else None

    def months_reported(self, plan_year: int) -> int:
        """How many months of ``plan_year`` have been reported (up to last month)."""
        if plan_year < self.year:
            return 12
        return self.today.month - 1 if plan_year == self.year else 0
