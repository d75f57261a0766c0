"""工作年度: the one year the dashboard, the project list, the wall chart and the report forms show.

It is chosen on the dashboard (or the wall chart), travels between these pages as ``?year=``
in their links, and is remembered in the session, so that going back to the dashboard keeps
it. Without a choice it is the current year — never "the latest year a project was registered
for", which let one project entered for next year switch a whole city's dashboard.
"""

from __future__ import annotations

from kaifaqu.projects.models import local_today

SESSION_KEY = "kaifaqu_working_year"
YEARS_BACK = 7  # the dashboard offers next year and the seven before this one


def year_choices() -> list[int]:
    """The years a user can work in, newest first: next year (plans are made ahead) back seven years."""
    this_year = local_today().year
    return list(range(this_year + 1, this_year - YEARS_BACK - 1, -1))


def parse_year(value) -> int | None:
    """``value`` as a working year, or None when it is empty, not a number or out of range."""
    try:
        year = int(str(value or "").strip())
    except ValueError:
        return None
    return year if year in year_choices() else None


def working_year(request) -> int:
    """The year asked for in the address, else the one remembered, else the current year."""
    asked = parse_year(request.GET.get("year"))
    if asked is not None:
        return asked
    return parse_year(request.session.get(SESSION_KEY)) or local_today().year


def remember(request, year: int | None) -> None:
    """Keep ``year`` as the session's working year (a year out of range is not kept)."""
    if parse_year(year) is not None:
        request.session[SESSION_KEY] = year
