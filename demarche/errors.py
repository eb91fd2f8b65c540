"""French error pages (400, 403, 404, 405, 500…) with the request's correlation id, never a trace."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template, request, session
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from demarche.api import problems

log = logging.getLogger("demarche.errors")

MESSAGES = {
    400: ("Requête incorrecte", "La demande envoyée par votre navigateur n’a pas pu être comprise."),
    403: ("Accès refusé", "Vous n’avez pas l’autorisation d’accéder à cette page."),
    404: ("Page non trouvée", "La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée."),
    405: ("Action non autorisée", "Cette page ne peut pas être utilisée de cette manière."),
    413: ("Envoi trop volumineux", "Les données envoyées dépassent la taille autorisée."),
    429: ("Trop de demandes", "Vous avez fait trop de demandes en peu de temps. Réessayez dans une minute."),
    500: ("Erreur inattendue",
          "Désolés, le service rencontre un problème. Vos données déjà enregistrées sont conservées."),
    503: ("Service momentanément indisponible",
          "Le service ne peut pas répondre pour le moment. Réessayez dans quelques instants : votre démarche "
          "en cours et vos dossiers déposés sont conservés."),
}
# Served even while the database is down: load balancers' liveness probe and the pages' styles.
WITHOUT_DATABASE = ("pages.healthz", "static", "dsfr.dsfr_file")


def render_error(status: int, title: str | None = None, message: str | None = None,
                 link: tuple[str, str] | None = None):
    """Render the DSFR error page for a status, with the correlation id to quote to support; `link` (URL,
    label): the way on, beside the home page's.

    Under /api/v1 the same error is application/problem+json instead (demarche/api/problems.py).
    """
    if problems.is_api_request():
        return problems.problem(status)
    default_title, default_message = MESSAGES.get(status, MESSAGES[500])
    html = render_template(
        "errors/error.html",
        status=status,
        title=title or default_title,
        message=message or default_message,
        correlation_id=g.get("correlation_id", ""),
        link=link,
    )
    return html, status


def register_error_handlers(app: Flask) -> None:
    """Map every HTTP error and any uncaught exception to a French page."""

    @app.before_request
    def database_unavailable():
        """The session could not be read (sessions.py): say so, rather than show the page logged out."""
        if getattr(session, "unavailable", False) and request.endpoint not in WITHOUT_DATABASE:
            return render_error(503)
        return None

    @app.errorhandler(OperationalError)
    def database_error(error: OperationalError):
        log.warning("database unavailable", extra={"context": {"error": type(error.orig).__name__}})
        return render_error(503)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if getattr(session, "unavailable", False):  # CSRF is checked first; its secret is in the session
            return render_error(503)
        log.warning("csrf rejected", extra={"context": {"reason": error.description}})
        return render_error(
            400,
            "Votre session a expiré",
            "Pour votre sécurité, le formulaire n’a pas été pris en compte. Revenez à la page précédente, "
            "rechargez-la puis recommencez.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if isinstance(getattr(error, "original_exception", None), OperationalError):
            return render_error(503)  # the database failed after the view (saving the session)
        if problems.is_api_request():
            return problems.from_http_exception(error)
        if error.code == 429:
            return too_many_requests()
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("unhandled exception")
        return render_error(InternalServerError.code)


def too_many_requests():
    """A page limit (/verifier, opinions): when to come back, rather than « in a minute » for an hourly limit."""
    from demarche import ratelimit
    from demarche.dates import display

    refusal = ratelimit.page_refusal()
    if refusal is None:
        return render_error(429)
    return render_error(429, message=f"Vous avez fait beaucoup de demandes en peu de temps. Pour protéger le "
                                     f"service, vous pourrez recommencer à partir du {display(refusal.at)}.")
