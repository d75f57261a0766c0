"""Who may fill, review and import a month's figures, and whether a report can still change.

The rules are declared here and asked through ``core.rights`` (``can(user, "indicator.review", zone)`` …).
"""

from __future__ import annotations

from kaifaqu.core.rights import rule
from kaifaqu.core.scoping import Perm, scope_for
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Zone
from kaifaqu.zones.selectors import office_covers, office_region

from ..models import (
    IndicatorReport,
    IndicatorValue,
)
from ..selectors import Figure, in_units

FIELDS = ("value", "last_year", "growth_pct")


def owner_label(owner) -> str:
    return owner.short_name or owner.name if isinstance(owner, Zone) else owner.name


@rule("indicator.fill", refusal=lambda user, owner, **context: f"您没有填报“{owner_label(owner)}”月调度指标的权限。")
def may_fill(user, owner: Zone | Region) -> bool:
    """A zone's figures: its reporters, or an office above with either 月调度 code (代填, city tables).
    A region's own figures (全市、全省): reporters of that office or of one above it."""
    scope = scope_for(user)
    if isinstance(owner, Zone):
        return scope.can(Perm.INDICATOR_REPORT, owner.pk) or scope.can(Perm.INDICATOR_REVIEW, owner.pk)
    return scope.everything or (Perm.INDICATOR_REPORT in scope.permissions and office_covers(user, owner))


@rule("indicator.review", refusal=lambda user, owner, **context: f"您没有审核“{owner_label(owner)}”月报的权限。")
def may_review(user, owner: Zone | Region) -> bool:
    """Approving and returning: the reviewers of an office above the zone (or over the region)."""
    scope = scope_for(user)
    if isinstance(owner, Zone):
        return scope.can(Perm.INDICATOR_REVIEW, owner.pk)
    return scope.everything or (Perm.INDICATOR_REVIEW in scope.permissions and office_covers(user, owner))


@rule("indicator.import", refusal="导入月调度数据需要“填报月调度指标”或“审核月调度指标”的权限。")
def may_import(user, obj=None) -> bool:
    scope = scope_for(user)
    return scope.everything or bool(scope.permissions & {Perm.INDICATOR_REPORT, Perm.INDICATOR_REVIEW})


def _editable(user, report: IndicatorReport | None, owner: Zone | Region) -> bool:
    """Drafts and returned reports are the reporter's; submitted ones wait for review; approved ones are locked."""
    if not may_fill(user, owner):
        return False
    if report is None or report.status in (IndicatorReport.Status.DRAFT, IndicatorReport.Status.RETURNED):
        return True
    return report.status == IndicatorReport.Status.SUBMITTED and may_review(user, owner)


@rule("indicator.edit", refusal=lambda user, owner, *, report=None: why_not_editable(user, report, owner))
def may_edit(user, owner: Zone | Region, *, report: IndicatorReport | None = None) -> bool:
    """Asked as ``can(user, "indicator.edit", owner, report=report)``: may the user change this month's figures?"""
    return _editable(user, report, owner)


def why_not_editable(user, report: IndicatorReport | None, owner) -> str:
    if not may_fill(user, owner):
        return f"您没有填报“{owner_label(owner)}”月调度指标的权限。"
    if report is not None and report.locked:
        return f"{report}月报已审核，已锁定；如需修改，请联系审核单位退回。"
    return f"{report}月报已报送，正在等待审核；如需修改，请联系审核单位退回。"


@rule("indicator.catalogue", refusal="只有市、省主管部门的审核人员可以维护指标目录。")
def may_edit_catalogue(user, obj=None) -> bool:
    """The catalogue is shared by every office: its administrators (reviewers of a city or province)."""
    scope = scope_for(user)
    return scope.everything or (Perm.INDICATOR_REVIEW in scope.permissions and office_region(user) is not None)


def is_office_over(user, region: Region) -> bool:
    office = office_region(user)
    return office is not None and region.code.startswith(office.scope_prefix)


def unchanged_figures(report: IndicatorReport | None, figures: dict[int, dict]) -> set[int]:
    """Indicators whose figures are as already saved: an outlier once noted or approved is not asked again,
    and a table read back unchanged does not touch a locked report."""
    if report is None:
        return set()
    stored = {value.indicator_id: value for value in report.values.select_related("indicator")}
    return {
        pk
        for pk, given in figures.items()
        if (_same(stored[pk], given) if pk in stored else all(given.get(name) is None for name in FIELDS))
    }


def _same(stored: IndicatorValue, given: dict) -> bool:
    """The same value; 上年同期 and growth the same as given, or as the product shows them (rounded)."""
    if given.get("value") is not None and given["value"] != stored.value:
        return False
    shown = Figure.from_values(stored.value, stored.last_year, stored.growth_pct, None)
    last_year, growth = given.get("last_year"), given.get("growth_pct")
    if last_year is not None and last_year not in (stored.last_year, in_units(shown.base, stored.indicator)):
        return False
    return growth is None or growth in (stored.growth_pct, shown.growth_pct)
