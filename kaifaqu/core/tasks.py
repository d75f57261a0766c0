"""Background work (imports now; reports and reminders later) on a queue that needs no server.

The default runs tasks on a small pool of threads inside the web process: nothing to install
or start, which suits a zone's single server on an intranet. A task keeps its state in the
database (its job row), so a page can show progress from any process. With
``KAIFAQU_TASKS_EAGER`` (the tests' unit level) a task runs at once, in the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

logger = logging.getLogger(__name__)
_pool: ThreadPoolExecutor | None = None


def enqueue(function: Callable, *args, **kwargs) -> Future | None:
    """Run ``function(*args, **kwargs)`` in the background (at once when eager)."""
    if getattr(settings, "KAIFAQU_TASKS_EAGER", False):
        function(*args, **kwargs)
        return None
    return _executor().submit(_run, function, args, kwargs)


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=settings.KAIFAQU_TASK_THREADS, thread_name_prefix="kaifaqu-task")
    return _pool


def _run(function: Callable, args, kwargs) -> None:
    close_old_connections()
    try:
        function(*args, **kwargs)
    except Exception:  # the task records its own failure; this only keeps the thread alive
        logger.exception("后台任务失败：%s", getattr(function, "__name__", function))
    finally:
        connections.close_all()


def fail_if_stale(job, *, seconds: int, error: str):
    """A job row (a report, an export: ``status``, ``error``, ``created_at``, ``running``) still
    running ``seconds`` after it was asked for was cut off by a restart: mark it failed, saying so,
    so its page stops waiting. Imports judge by their progress file instead (``imports.services``)."""
    if job.running and (timezone.now() - job.created_at).total_seconds() > seconds:
        type(job).objects.filter(pk=job.pk).update(status=type(job).Status.FAILED, error=error)
        job.refresh_from_db()
    return job
