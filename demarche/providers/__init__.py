"""The data providers' connectors: calls, timeouts, HTTP-status → exception mapping and typed results,
without business rules, database or Flask request. http.py is shared; one package per provider."""

from demarche.providers.clients import clients, init_app
from demarche.providers.results import FailureKind, SourceResult

__all__ = ["FailureKind", "SourceResult", "clients", "init_app"]
