"""The API Particulier v3 simulator: create_app() builds a WSGI app serving the official /v3/... paths.

Answers from personas (data/personas.json), checks service tokens and, through the FranceConnect
simulator's /checktoken, citizens' FranceConnect tokens. Settings (AP_SIM_*): docs/simulateurs.md.
"""

from __future__ import annotations

from demarche.sandbox.api_particulier.app import create_app

__all__ = ["create_app"]
