"""月调度 pages. Every page works on the user's scope: zones and reports come through ``visible_to``."""

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
