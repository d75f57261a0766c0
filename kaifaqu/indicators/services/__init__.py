"""Writes of the monthly dispatch (月调度). Pages, API and commands call these, so they never disagree.

Who may do what is asked of ``core.rights`` (the rules are declared in ``rights.py``).
"""

from .figures import ImportOutcome, indicators_import, report_for, report_save_figures
from .setup import indicator_save, targets_save
from .workflow import deadline_set, reminders_send, report_approve, report_fill, report_return

__all__ = [
    "ImportOutcome",
    "deadline_set",
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
