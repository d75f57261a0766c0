"""Where a change comes from (page, API, admin, import, command) and the client's address.

A request sets it in ``AuditContextMiddleware``; the ``kaifaqu`` console script sets
``command``; an importer wraps its work in ``audit_source("import")``. Services read it
when they write the trail, so they need no extra arguments.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    source: str = "system"
    ip: str | None = None


_DEFAULT = AuditContext()
_current: ContextVar[AuditContext | None] = ContextVar("kaifaqu_audit_context", default=None)


def current() -> AuditContext:
    return _current.get() or _DEFAULT


@contextmanager
def audit_source(source: str, ip: str | None = None):
    """Record the writes inside the block as coming from ``source`` (keeping the IP unless given)."""
    token = _current.set(AuditContext(source=source, ip=ip if ip is not None else current().ip))
    try:
        yield
    finally:
        _current.reset(token)


def set_default_source(source: str) -> None:
    """For a whole process (the console script): everything it does comes from ``source``."""
    _current.set(AuditContext(source=source))
