"""What the feedback reads of the configuration, once, in `feedback.init_app`: the organisation the opinions are
for, and how many decided dossiers it takes before a processing time is shown."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

EXTENSION = "feedback"


@dataclass(frozen=True)
class FeedbackSettings:
    organisation_siret: str
    expectations_min_dossiers: int


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    app.extensions[EXTENSION] = FeedbackSettings(
        organisation_siret=settings.api_particulier_recipient,
        expectations_min_dossiers=settings.expectations_min_dossiers)


def settings() -> FeedbackSettings:
    """The current app's feedback settings."""
    return current_app.extensions[EXTENSION]
