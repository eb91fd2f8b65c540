"""What the webhooks read of the configuration, once, in `webhooks.init_app`: whether a receiver may be on a
loopback address (the demo and the tests only), and the links and commune of the agents' e-mails."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

EXTENSION = "webhooks"


@dataclass(frozen=True)
class WebhookSettings:
    allow_loopback: bool
    public_url: str
    commune_name: str


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    app.extensions[EXTENSION] = WebhookSettings(
        allow_loopback=settings.mode in ("demo", "test"),
        public_url=settings.public_url,
        commune_name=settings.commune_name)


def settings() -> WebhookSettings:
    """The current app's webhook settings."""
    return current_app.extensions[EXTENSION]
