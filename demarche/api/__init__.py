"""The JSON API for the administrations' software, under /api/v1, described by OpenAPI 3.1 (docs/api.md).

flask-openapi3's APIBlueprint validates requests and answers against the pydantic models and the document
is generated from the same models. The service's app stays a plain Flask: flask-openapi3's OpenAPI class
would change what app.get() and app.post() mean for every other module.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Routes, token CLI, rate limit. No CSRF token: authority comes only from the Authorization header,
    which a cross-site form cannot send."""
    from flask_openapi3.utils import run_validate_response

    from demarche import error_pages
    from demarche.api import cli, idempotency, limits, problems, views  # noqa: F401 - idempotency: its purge
    from demarche.extensions import csrf

    # flask-openapi3 reads these two from current_app (its OpenAPI class defines them): a rejected
    # request becomes a French problem+json, and answers are checked against their models.
    app.validation_error_callback = problems.validation_error
    app.validate_response_callback = run_validate_response
    # Every error under /api/v1, an unknown path's 404 included, is a problem+json (RFC 9457).
    error_pages.answer_errors_of(app, error_pages.ErrorAnswers(problems.is_api_request, problems.problem,
                                                               problems.from_http_exception))
    app.register_blueprint(views.bp)
    csrf.exempt(views.bp)
    limits.init_app(app, app.config["SETTINGS"], views.bp)
    app.cli.add_command(cli.api_tokens)
