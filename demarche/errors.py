"""French error pages (400, 403, 404, 405, 500…) with the request's correlation id, never a trace."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

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
}


def render_error(status: int, title: str | None = None, message: str | None = None):
    """Render the DSFR error page for a status, with the correlation id to quote to support."""
    default_title, default_message = MESSAGES.get(status, MESSAGES[500])
    html = render_template(
        "errors/error.html",
        status=status,
        title=title or default_title,
        message=message or default_message,
        correlation_id=g.get("correlation_id", ""),
    )
    return html, status


def register_error_handlers(app: Flask) -> None:
    """Map every HTTP error and any uncaught exception to a French page."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        log.warning("csrf rejected", extra={"context": {"reason": error.description}})
        return render_error(
            400,
            "Votre session a expiré",
            "Pour votre sécurité, le formulaire n’a pas été pris en compte. Revenez à la page précédente, "
            "rechargez-la puis recommencez.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("unhandled exception")
        return render_error(InternalServerError.code)
