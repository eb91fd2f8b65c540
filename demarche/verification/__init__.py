"""The verifiable attestation de dépôt: signed codes, the QR code on the PDF, the public page /verifier,
and tombstones of purged references."""

from __future__ import annotations

from flask import Flask

from demarche import ratelimit
from demarche.verification import service, views  # noqa: F401 - service keeps the purged dossiers' tombstones


def init_app(app: Flask) -> None:
    """The public page, rate-limited per address (after ratelimit.init_app)."""
    app.register_blueprint(views.bp)
    ratelimit.limit_blueprint(app, views.bp, views.RATE)
