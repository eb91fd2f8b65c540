"""Every error of /api/v1 as application/problem+json, in French (RFC 9457, https://www.rfc-editor.org/rfc/rfc9457).

`type` is about:blank (the status says it all, RFC 9457 section 4.2.1); when a program needs more, the
extension member `code` names the case (documented in docs/api.md).
"""

from __future__ import annotations

from flask import current_app, g, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

PREFIX = "/api/v1"
MEDIA_TYPE = "application/problem+json"
TITLES = {
    400: "Requête incorrecte", 401: "Authentification requise", 403: "Droits insuffisants",
    404: "Ressource introuvable", 405: "Méthode non autorisée", 406: "Format de réponse non disponible",
    409: "Conflit", 413: "Requête trop volumineuse", 415: "Type de contenu non pris en charge",
    422: "Données invalides", 429: "Trop de requêtes", 500: "Erreur inattendue",
    503: "Service momentanément indisponible",
}
DETAILS = {
    400: "La requête n’a pas pu être comprise.",
    401: "Envoyez un jeton valide dans l’en-tête « Authorization: Bearer <jeton> ».",
    403: "Ce jeton ne permet pas cette opération.",
    404: "Aucune ressource à cette adresse pour ce jeton.",
    405: "Cette méthode HTTP n’est pas acceptée à cette adresse.",
    406: "Cette API ne répond qu’en JSON.",
    413: "Le corps de la requête dépasse la taille autorisée (1 Mo).",
    415: "Le corps de la requête doit être du JSON (Content-Type: application/json).",
    422: "La requête contient des données invalides.",
    429: "Trop de requêtes pour ce jeton : attendez le délai indiqué par l’en-tête Retry-After.",
    500: "Le service a rencontré un problème. Vos données sont conservées ; réessayez plus tard.",
    503: "Le service ne peut pas répondre pour le moment ; réessayez dans quelques instants.",
}
# Pydantic's error types, said in French (https://docs.pydantic.dev/latest/errors/validation_errors/).
MESSAGES = {
    "missing": "champ obligatoire", "extra_forbidden": "champ inconnu", "literal_error": "valeur non autorisée",
    "enum": "valeur non autorisée", "string_too_long": "texte trop long", "string_too_short": "texte trop court",
    "string_type": "texte attendu", "string_unicode": "caractère qui n’est pas du texte",
    "string_pattern_mismatch": "format incorrect",
    "int_parsing": "nombre entier attendu", "int_type": "nombre entier attendu",
    "greater_than_equal": "valeur trop petite", "less_than_equal": "valeur trop grande",
    "date_parsing": "date attendue (AAAA-MM-JJ)", "date_from_datetime_parsing": "date attendue (AAAA-MM-JJ)",
    "datetime_parsing": "date et heure attendues (ISO 8601)", "datetime_from_date_parsing": "date et heure attendues",
    "model_type": "objet JSON attendu", "model_attributes_type": "objet JSON attendu",
    "dict_type": "objet JSON attendu",
    "json_invalid": "JSON invalide", "value_error": "valeur invalide",
}


def is_api_request() -> bool:
    """True for any path of the API, even one that matches no route (its 404 is a problem too)."""
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def problem(status: int, detail: str | None = None, *, code: str | None = None, headers: dict | None = None,
            **extra) -> tuple:
    """A problem+json response: (body, status, headers), ready to return from a view or a handler."""
    body = {"type": "about:blank", "title": TITLES.get(status, TITLES[500]), "status": status,
            "detail": detail or DETAILS.get(status, DETAILS[500]), "instance": request.path}
    if code:
        body["code"] = code
    if g.get("correlation_id"):
        body["correlation_id"] = g.correlation_id  # to quote to support; the logs carry it
    body.update(extra)
    response = current_app.response_class(current_app.json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def from_http_exception(error: HTTPException):
    """Werkzeug's errors (404, 405, 413, 429…) as problems, keeping their headers (Allow, Retry-After)."""
    if error.response is not None:  # already a problem (the rate limiter's, demarche/api/limits.py)
        return error.response
    status = error.code or 500
    headers = {k: v for k, v in error.get_headers() if k.lower() in ("allow", "retry-after", "www-authenticate")}
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return problem(status, headers=headers)


def validation_error(error: ValidationError):
    """flask-openapi3's callback for a request its pydantic models reject: 422, each error in French."""
    errors = [{"location": ".".join(str(part) for part in e["loc"]) or "corps",
               "message": e["msg"] if e["type"] == "free_text" else MESSAGES.get(e["type"], "valeur invalide")}
              for e in error.errors(include_url=False)]  # free_text: the free-text rule's own French message
    return problem(422, "La requête contient des données invalides : voir « errors ».", code="validation",
                   errors=errors)
