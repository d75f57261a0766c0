"""A scratch database for a benchmark, so a run never touches real data.

On PostgreSQL (``DATABASE_URL`` points at a server) a fresh database is created beside the
one named and dropped afterwards; on SQLite the caller's temporary data directory holds one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def scratch_database(name: str) -> Iterator[str | None]:
    """The ``DATABASE_URL`` of a new, empty PostgreSQL database ``name``; None on SQLite."""
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith("postgres"):
        yield None
        return
    base = admin_url.rsplit("/", 1)[0]
    psql(base, f"DROP DATABASE IF EXISTS {name}")
    psql(base, f"CREATE DATABASE {name}")
    try:
        yield f"{base}/{name}"
    finally:
        if "django.db" in sys.modules:  # this process used it: let go before dropping it
            from django.db import connections

            connections.close_all()
        psql(base, f"DROP DATABASE IF EXISTS {name}")


def psql(base_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        conn.execute(sql)
