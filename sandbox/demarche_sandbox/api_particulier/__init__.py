"""The API Particulier v3 simulator's entry point: create_app() serves the official /v3/... paths."""

from __future__ import annotations

from demarche_sandbox.api_particulier.app import create_app

__all__ = ["create_app"]
