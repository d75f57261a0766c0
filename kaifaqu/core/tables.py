"""Table columns declared once per model and rendered by one template (``core/_table.html``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.http import QueryDict
from django.utils.html import format_html


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    render: Callable[[Any], Any]
    order_by: str | Any | None = None  # a field path or an expression; None: not sortable
    css: str = ""  # on the column's cells; layout classes: col-name, col-money, col-optional (app.css)


@dataclass
class HeaderCell:
    column: Column
    sort_url: str | None
    direction: str  # "asc", "desc" or ""


def choice_rank(field: str, values: list[str] | tuple[str, ...]) -> Case:
    """An ordering expression that sorts a choice field in its declared order, not alphabetically."""
    return Case(
        *[When(**{field: value}, then=Value(index)) for index, value in enumerate(values)],
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def apply_ordering(queryset, columns: list[Column], requested: str, default: list[str]):
    """Order by the requested column (``name`` or ``-name``); unknown keys fall back to the default."""
    key = requested.lstrip("-")
    column = next((column for column in columns if column.key == key and column.order_by is not None), None)
    if column is None:
        return queryset.order_by(*default), ""
    descending = requested.startswith("-")
    expression = column.order_by
    if isinstance(expression, str):
        ordered = queryset.order_by(f"-{expression}" if descending else expression, "-pk")
    else:
        ordered = queryset.order_by(expression.desc() if descending else expression.asc(), "-pk")
    return ordered, requested


def header_cells(columns: list[Column], params: QueryDict, current: str, param: str = "o") -> list[HeaderCell]:
    cells = []
    for column in columns:
        if column.order_by is None:
            cells.append(HeaderCell(column, None, ""))
            continue
        direction = "asc" if current == column.key else "desc" if current == f"-{column.key}" else ""
        query = params.copy()
        query.pop("page", None)
        query[param] = f"-{column.key}" if direction == "asc" else column.key
        cells.append(HeaderCell(column, "?" + query.urlencode(), direction))
    return cells


def link(url: str, text: Any) -> str:
    return format_html('<a href="{}">{}</a>', url, text)


def name_link(url: str, name: str) -> str:
    """A record's name as a link, cut to one line by CSS (``.clip``), whole in its title on hover."""
    return format_html('<a class="clip" href="{}" title="{}">{}</a>', url, name, name)
