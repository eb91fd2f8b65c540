"""Simulator of the DGFiP's API Impôt particulier, FranceConnect modality: the APIM gateway's /token, the
IR resources under /impotparticulier/1.0, households matched on FranceConnect's checktoken identity.

A WSGI app of its own (demo port 5005; serve it with server.RequestHandler) that imports nothing of the service; see
docs/simulateur-impot-particulier.md. Entry point: demarche_sandbox.impot_particulier:create_app.
"""

from demarche_sandbox.impot_particulier.app import create_app
from demarche_sandbox.impot_particulier.server import RequestHandler

__all__ = ["RequestHandler", "create_app"]
