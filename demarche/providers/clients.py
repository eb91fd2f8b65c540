"""The app's provider clients, built once by `providers.init_app` from the settings, each handed its guard
(quota, bulkhead, circuit breaker: demarche/resilience); the journey asks for them here, never builds them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from demarche import resilience
from demarche.providers.api_particulier import ApiParticulierClient
from demarche.providers.http import redact_query_strings
from demarche.providers.impot_particulier import ImpotParticulierClient

EXTENSION = "providers"


@dataclass(frozen=True)
class Clients:
    """One client per provider, thread-safe; the DGFiP's is None when the service does not reach it."""

    api_particulier: ApiParticulierClient
    impot_particulier: ImpotParticulierClient | None


def init_app(app: Flask) -> None:
    """Build this app's clients (after resilience.init_app: each gets its provider's guard)."""
    settings, guards = app.config["SETTINGS"], resilience.guards(app)
    redact_query_strings()
    budget = settings.api_particulier_timeout * 2.5
    api_particulier = ApiParticulierClient(
        settings.api_particulier_url, settings.api_particulier_recipient, token=settings.api_particulier_token,
        timeout=settings.api_particulier_timeout, total_budget=budget, guard=guards.get("api_particulier"))
    impot_particulier = None
    if settings.impot_particulier:
        impot_particulier = ImpotParticulierClient(
            settings.impot_particulier_url, settings.impot_particulier_client_id,
            settings.impot_particulier_client_secret, settings.impot_particulier_id_teleservice,
            timeout=settings.api_particulier_timeout, total_budget=budget, guard=guards.get("impot_particulier"))
    app.extensions[EXTENSION] = Clients(api_particulier, impot_particulier)


def clients() -> Clients:
    """The current app's clients."""
    return current_app.extensions[EXTENSION]
