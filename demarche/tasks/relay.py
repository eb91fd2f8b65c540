"""The outbox relay: every minute, hand the queue again whatever is due and not yet done.

Work is enqueued right after its commit; this catches what that missed (broker stopped, process killed,
in-memory queue lost at a restart). Jobs are idempotent (each claims its row), so a second hand-over is harmless.
Pattern: https://microservices.io/patterns/data/transactional-outbox.html
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from huey import crontab

from demarche.models import utcnow
from demarche.tasks.handover import enqueue
from demarche.tasks.registry import RELAY_SOURCES, periodic

log = logging.getLogger("demarche.tasks")
GRACE_SECONDS = 60  # leave the after-commit hand-over and the queue's own delays this long first


@periodic(crontab(minute="*"), name="relay")
def every_minute() -> None:
    relay()


def relay(grace_seconds: float | None = None) -> int:
    """Enqueue every due item of every outbox; how many were handed over."""
    if grace_seconds is None:
        grace_seconds = current_app.config.get("TASKS_RELAY_GRACE_SECONDS", GRACE_SECONDS)
    cutoff = utcnow() - timedelta(seconds=grace_seconds)
    due = [item for source in RELAY_SOURCES for item in source(cutoff)]
    handed = sum(enqueue(name, ident) for name, ident in due)
    if due:
        log.info("relay", extra={"context": {"due": len(due), "handed_over": handed}})
    return handed
