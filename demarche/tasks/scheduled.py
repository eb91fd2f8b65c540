"""The scheduled jobs besides the relay: the nightly retention purge (what `flask purge` does) and the daily
renewal invitations (demarche/renewal/invitations.py)."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app

log = logging.getLogger("demarche.tasks")


def purge() -> None:
    """Delete what the retention rules say has expired (demarche/retention.py), then log the counts."""
    from demarche import retention

    settings = current_app.config["SETTINGS"]
    counts = retention.purge(settings.retention_days, timedelta(minutes=settings.session_idle_minutes))
    log.info("scheduled purge", extra={"context": {"counts": counts}})


def renewal_invitations() -> None:
    """Every morning (UTC): invite the families due to renew; idempotent, so a missed or doubled run is harmless."""
    from demarche.renewal import invitations

    invitations.send_due()
