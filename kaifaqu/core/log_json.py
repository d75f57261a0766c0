"""Log lines as one JSON object each (``KAIFAQU_LOG_JSON=1``), for the collectors a province's
operators run (Loki, ELK, 日志易 …): time, level, logger, message, and what Django attaches to a
request's record (status, method, path) — Chinese kept as written, a traceback as one field."""

from __future__ import annotations

import datetime
import json
import logging


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"], entry["path"] = getattr(request, "method", ""), request.path
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, level: str, json_lines: bool) -> dict:
    """The ``LOGGING`` setting: the console, refusals without their traceback, JSON lines if asked."""
    handler = {"class": "logging.StreamHandler", "filters": ["refusals"]}
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"refusals": {"()": "kaifaqu.core.log_filters.RefusalsWithoutTraceback"}},
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
    }
    if json_lines:
        config["formatters"] = {"json": {"()": "kaifaqu.core.log_json.JsonFormatter"}}
        handler["formatter"] = "json"
    return config
