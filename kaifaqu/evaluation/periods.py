"""考核期: a month (``2026-10``), a quarter (``2026-Q3``) or a year (``2026``), as a scheme's period says."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

QUARTER_WORDS = "一二三四"
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter" or "year" (Scheme.Period)
    year: int
    number: int  # the month, the quarter, or 1 for a year

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.number}月"
        if self.kind == "quarter":
            return f"{self.year}年第{QUARTER_WORDS[self.number - 1]}季度"
        return f"{self.year}年"

    @property
    def first_month(self) -> int:
        return {"month": self.number, "quarter": self.number * 3 - 2}.get(self.kind, 1)

    @property
    def last_month(self) -> int:
        """The month whose 1–N月 cumulative figures the period reads (月调度 figures are cumulative)."""
        return {"month": self.number, "quarter": self.number * 3}.get(self.kind, 12)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def months(self) -> list[str]:
        """The months in the period as ``2026-10`` (the request ledger filters by month)."""
        return [f"{self.year}-{month:02d}" for month in range(self.first_month, self.last_month + 1)]

    def previous(self) -> Period:
        if self.kind == "year" or self.number == 1:
            last = {"month": 12, "quarter": 4}.get(self.kind, 1)
            return Period(self.kind, self.year - 1, last)
        return Period(self.kind, self.year, self.number - 1)


def parse(text: str, kind: str) -> Period:
    """The period of a ``kind`` scheme named by ``text``. A month names the quarter or year that holds
    it (``2026-08`` of a quarterly scheme is 2026-Q3), so one command line serves every scheme."""
    text = (text or "").strip()
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"考核期“{text}”的月份应在 1 到 12 之间。")
        number = {"month": month, "quarter": (month + 2) // 3}.get(kind, 1)
        return Period(kind, year, number)
    if (match := _QUARTER.match(text)) and kind in ("quarter", "year"):
        return Period(kind, int(match[1]), int(match[2]) if kind == "quarter" else 1)
    if (match := _YEAR.match(text)) and kind == "year":
        return Period(kind, int(match[1]), 1)
    raise PeriodError(f"考核期“{text}”格式不对：{KIND_WORDS.get(kind, '月度')}考核方案的考核期应写作 {hint(kind)}。")


KIND_WORDS = {"month": "月度", "quarter": "季度", "year": "年度"}


def hint(kind: str) -> str:
    """How a period of a ``kind`` scheme is written (the run form's help, the error above)."""
    return {"month": "2026-10", "quarter": "2026-Q3（或其中一个月，如 2026-08）", "year": "2026（或其中一个月）"}.get(
        kind, "2026-10"
    )


def last_complete(kind: str, today: datetime.date) -> Period:
    """The last period wholly past on ``today`` (the demo publishes it; the run form proposes it)."""
    first_of_month = today.replace(day=1)
    last_month_day = first_of_month - datetime.timedelta(days=1)
    period = parse(f"{last_month_day.year}-{last_month_day.month:02d}", kind)
    return period if period.end < today else period.previous()
