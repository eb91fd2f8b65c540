"""The JSON API for the administrations' software, under /api/v1, described by OpenAPI 3.1 (docs/api.md).

flask-openapi3 generates the document from the pydantic models and validates requests and answers
against them; the service's app is its OpenAPI class (a Flask subclass), see openapi_options().
"""

from __future__ import annotations

from flask import Flask

from demarche.config import Settings


def openapi_options() -> dict:
    """The arguments the app factory gives flask-openapi3's OpenAPI class (a Flask subclass)."""
    from flask_openapi3 import Info

    from demarche.api import problems

    return {
        "info": Info(title="API Démarche", version="1.0.0",
                     description="Les dossiers déposés auprès de votre organisation, pour votre logiciel métier. "
                                 "Guide : docs/api.md. Erreurs au format application/problem+json (RFC 9457)."),
        "security_schemes": {"bearer": {"type": "http", "scheme": "bearer",
                                        "description": "Jeton créé par `flask api-tokens create`"}},
        "doc_ui": False,  # no Swagger UI: it would need inline scripts the CSP forbids
        "validation_error_status": 422,
        "validation_error_callback": problems.validation_error,
        "validate_response": True,  # every answer is checked against its model before it leaves
    }


def init_app(app: Flask, settings: Settings) -> None:
    """Routes, token CLI, rate limit. No CSRF token: authority comes only from the Authorization header,
    which a cross-site form cannot send."""
    from demarche.api import cli, limits, views
    from demarche.extensions import csrf

    app.register_api(views.bp)
    csrf.exempt(views.bp)
    limits.init_app(app, settings, views.bp)
    app.cli.add_command(cli.api_tokens)
