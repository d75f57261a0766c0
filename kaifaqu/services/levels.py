"""The shipped service levels: days a category's requests may take (an office may change them)."""

from __future__ import annotations

DEFAULT_DAYS = {  # category → (days, days when urgent)
    "land": (30, 15),
    "funding": (20, 10),
    "approval": (15, 7),
    "utilities": (10, 5),
    "labour": (15, 7),
    "environment": (20, 10),
    "other": (15, 7),
}


def ensure_service_levels(level_model) -> None:
    for category, (days, urgent_days) in DEFAULT_DAYS.items():
        level_model.objects.get_or_create(category=category, defaults={"days": days, "urgent_days": urgent_days})
