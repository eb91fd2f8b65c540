"""What the dossier reads of the configuration, once, in `dossiers.init_app`: the organisation that receives
the dossiers (API_PARTICULIER_RECIPIENT), the retention of each status (RETENTION_DAYS_*), the public URL and the
commune named in the e-mails, and the renewal invitations' date."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

EXTENSION = "dossiers"


@dataclass(frozen=True)
class DossierSettings:
    organisation_siret: str
    retention_days: dict[str, int | None]
    public_url: str
    commune_name: str
    renewal_invitation_date: str  # MM-DD


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    app.extensions[EXTENSION] = DossierSettings(
        organisation_siret=settings.api_particulier_recipient, retention_days=settings.retention_days,
        public_url=settings.public_url, commune_name=settings.commune_name,
        renewal_invitation_date=settings.renewal_invitation_date)


def settings() -> DossierSettings:
    """The current app's dossier settings."""
    return current_app.extensions[EXTENSION]
