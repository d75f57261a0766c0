"""Scheme templates shipped as data (``shipped/*.json``): a city's monthly zone evaluation, a zone's
staff scheme (日常 + 年终) and the national comprehensive evaluation in its five groups. An office
copies one (``services.scheme_copy``) and adjusts the weights; the files stay as shipped."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

SHIPPED = Path(__file__).parent / "shipped"
ORDER = ("city_monthly", "zone_staff", "national")
DECIMALS = ("weight", "target", "cap", "step", "per_event")


@cache
def shipped_templates() -> dict[str, dict]:
    found = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in SHIPPED.glob("*.json")}
    return {key: found[key] for key in sorted(found, key=lambda key: ORDER.index(key) if key in ORDER else 99)}


def template(key: str) -> dict | None:
    return shipped_templates().get(key)


def template_items(data: dict) -> list[dict]:
    """The items of a template as ``Item`` fields; an indicator is named, and looked up in the catalogue."""
    from kaifaqu.indicators.models import Indicator

    indicators = {indicator.name: indicator for indicator in Indicator.objects.all()}
    rows = []
    for spec in data["items"]:
        row = {key: value for key, value in spec.items() if key != "indicator"}
        for name in DECIMALS:
            if name in row:
                row[name] = Decimal(row[name])
        if spec.get("indicator"):
            row["indicator"] = indicators.get(spec["indicator"])
        rows.append(row)
    return rows


def scheme_fields(data: dict) -> dict:
    """The scheme's own settings a copy starts from."""
    names = ("period", "subject_kind", "honor_rules", "results_public", "description")
    return {name: data[name] for name in names} | {"template": data["key"]}
