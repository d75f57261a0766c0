"""Writes of the monthly dispatch (月调度). Pages, API and commands call these, so they never disagree."""

from .figures import ImportOutcome, indicators_import, report_for, report_save_figures
from .rights import can_edit_catalogue, can_fill, can_import, can_review, editable
from .setup import indicator_save, targets_save
from .workflow import deadline_set, reminders_send, report_approve, report_fill, report_return

__all__ = [
    "ImportOutcome",
    "can_edit_catalogue",
    "can_fill",
    "can_import",
    "can_review",
    "deadline_set",
    "editable",
    "indicator_save",
    "indicators_import",
    "reminders_send",
    "report_approve",
    "report_fill",
    "report_for",
    "report_return",
    "report_save_figures",
    "targets_save",
]
