"""Logging filters for the server's console."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A 403 or 404 is an answer, not a fault: keep its one line (who asked for what), drop the traceback
    that would otherwise bury real errors in the operators' log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
