"""What the journey reads of the configuration, once, in `journey.init_app`: the API Particulier modality and
recipient recorded with each consent, whether the DGFiP is reached, the commune on the attestation, and how
long an account left empty is kept, how long a citizen waits for their data."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

EXTENSION = "journey"


@dataclass(frozen=True)
class JourneySettings:
    modality: str  # france_connect | identite
    recipient: str  # SIRET
    impot_particulier: bool
    commune_name: str
    inactive_account_days: int | None
    prefill_patience: int  # seconds a citizen waits for their data at most (PREFILL_PATIENCE_SECONDS)


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    app.extensions[EXTENSION] = JourneySettings(
        modality=settings.api_particulier_modality,
        recipient=settings.api_particulier_recipient,
        impot_particulier=settings.impot_particulier,
        commune_name=settings.commune_name,
        inactive_account_days=settings.retention_days.get("inactive_account"),
        prefill_patience=settings.prefill_patience)


def settings() -> JourneySettings:
    """The current app's journey settings."""
    return current_app.extensions[EXTENSION]
