"""月调度 pages. Every page works on the user's scope: zones and reports come through ``visible_to``."""

from .common import not_for_enterprise_users
from .round import fill, remind, review, submissions
from .setup import catalogue, indicator_edit, targets, upload
from .tables import behind, export, matrix, rankings, zone_detail

__all__ = [
    "behind",
    "catalogue",
    "export",
    "fill",
    "indicator_edit",
    "matrix",
    "rankings",
    "remind",
    "review",
    "submissions",
    "targets",
    "upload",
    "zone_detail",
]

# Every 月调度 page refuses enterprise users, in this one place (a new page is listed above anyway).
for _name in __all__:
    globals()[_name] = not_for_enterprise_users(globals()[_name])
