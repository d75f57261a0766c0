"""The 签约项目转化 (cohort) and 当年入统投资 cards that the zone page and the dashboard both show.

Every figure carries the address of the project list filtered to exactly the projects it
counts: the card's scope (a zone, a city, or all the viewer may see) plus the figure's own
filters — never the page's plan year, which neither figure is about.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse

from kaifaqu.core.forms import DateInput
from kaifaqu.core.money import format_yi

from .models import Project, Stage, local_today
from .selectors import Rate, cohort, in_statistics_investment

PERIOD_KEYS = ("signed_from", "signed_to")


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last four calendar years, this one included (灵石 reports 2022年~2025年 in 2025)."""
    return datetime.date(today.year - 3, 1, 1), datetime.date(today.year, 12, 31)


class CohortPeriodForm(forms.Form):
    """The cohort's period; a date left out takes the default's."""

    signed_from = forms.DateField(label="签约日期自", required=False, widget=DateInput())
    signed_to = forms.DateField(label="至", required=False, widget=DateInput())

    def __init__(self, data: QueryDict, *, today: datetime.date):
        super().__init__(data)
        self.default = default_period(today)

    def clean(self) -> dict:
        data = super().clean()
        start = data.get("signed_from") or self.default[0]
        end = data.get("signed_to") or self.default[1]
        if start > end:
            raise forms.ValidationError(f"签约起始日期（{start}）不能晚于截止日期（{end}）。")
        data.update(signed_from=start, signed_to=end)
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The chosen period, or the default when the choice is not a valid one."""
        if self.is_valid():
            return self.cleaned_data["signed_from"], self.cleaned_data["signed_to"]
        return self.default


def list_url(**filters) -> str:
    return f"{reverse('projects:list')}?{urlencode(filters)}"


def cohort_card(params: QueryDict, projects: QuerySet[Project], *, link_scope: dict) -> dict:
    """The cohort of ``projects`` (scoped) for the period in ``params``, with a link per figure.

    ``link_scope``: the list filters that give ``projects`` (``{"zone": 3}``, ``{"city": "141100"}``
    or nothing); the picker keeps the page's other parameters as they are."""
    form = CohortPeriodForm(params, today=local_today())
    start, end = form.period()
    period = {**link_scope, "signed_from": start.isoformat(), "signed_to": end.isoformat()}
    return {
        "figures": cohort(projects, signed_from=start, signed_to=end),
        "signed_from": start,
        "signed_to": end,
        "errors": [message for messages in form.errors.values() for message in messages],
        "keep": [(key, value) for key, values in params.lists() if key not in PERIOD_KEYS for value in values],
        "links": {
            "signed": list_url(**period),
            "started": list_url(**period, reached=Stage.STARTED),
            "producing": list_url(**period, reached=Stage.PRODUCING),
            "undated": list_url(**link_scope, gap="signed_on"),
        },
    }


def in_statistics_card(projects: QuerySet[Project], *, year: int, rate: Rate, rate_of: str, link_scope: dict) -> dict:
    """当年入统投资 of ``projects`` (scoped) in ``year``, shown beside the page's 入统率 ``rate``
    (which the page counts over its own projects, named by ``rate_of``)."""
    totals = in_statistics_investment(projects, year=year)
    return {
        "year": year,
        "count": totals.count,
        "investment_yi": format_yi(totals.total_investment, grouped=True),
        "rate": rate,
        "rate_of": rate_of,
        "link": list_url(**link_scope, in_statistics_year=year),
    }
