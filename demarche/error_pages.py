"""The French error page (400, 403, 404, 405, 500…) with the request's correlation id, and a feature's own way to
answer its requests' errors (the API: application/problem+json) through `answer_errors_of`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, g, render_template
from werkzeug.exceptions import HTTPException

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
EXTENSION = "error_answers"


@dataclass(frozen=True)
class ErrorAnswers:
    """How a feature answers the errors of its own requests: `applies()` says whether this request is one."""

    applies: Callable[[], bool]
    status: Callable[[int], object]  # an error status → the response
    http_exception: Callable[[HTTPException], object]


def answer_errors_of(app: Flask, answers: ErrorAnswers) -> None:
    """Called by a feature's init_app (the API's): its requests' errors are answered its way."""
    app.extensions.setdefault(EXTENSION, []).append(answers)


def answers_for_request() -> ErrorAnswers | None:
    """The answers of the feature this request belongs to, if it has its own."""
    return next((a for a in current_app.extensions.get(EXTENSION, ()) if a.applies()), None)


def render_error(status: int, title: str | None = None, message: str | None = None,
                 link: tuple[str, str] | None = None):
    """Render the DSFR error page for a status, with the correlation id to quote to support; `link` (URL,
    label): the way on, beside the home page's.

    Under /api/v1 the same error is application/problem+json instead (demarche/api/problems.py).
    """
    answers = answers_for_request()
    if answers is not None:
        return answers.status(status)
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
