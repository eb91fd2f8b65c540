"""Error answers of the simulated DGFiP gateway: status, `codeapp` and the JSON body {"erreur": {...}}.

Statuses and codeapp values are those of the official OpenAPI (docs/specs/api-impot-particulier-openapi.json):
400 "Requete mal formée" (4001 spi, 4002 année), 403 "Accès refusé" (4031), 410 (4101 "La requête avec le spi
et l'année ne renvoie aucun résultat", 4102 "Le spi envoyé ne correspond à aucun usager"), 500 "Erreur
technique". The OpenAPI gives no error body: the {"erreur": {"codeapp", "message"}} shape is inferred from
public client code (API Particulier's backend read `erreur.message`), see docs/simulateur-impot-particulier.md.
"""

from __future__ import annotations

from flask import Response, jsonify

MALFORMED = "Requete mal formée"  # verbatim, as the OpenAPI writes it
DENIED = "Accès refusé"
TEXTS = {
    4002: "mauvais format d'année (annrev)",
    4031: "L'utilisateur n'a pas accès à la ressource",
    4101: "La requête avec le spi et l'année ne renvoie aucun résultat",
    4102: "Le spi envoyé ne correspond à aucun usager",
}


class DgfipError(Exception):
    """An error answer, raised anywhere in a view."""

    def __init__(self, status: int, message: str = "", codeapp: int | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(f"{status} {codeapp or ''}".strip())
        self.status, self.codeapp, self.headers = status, codeapp, headers or {}
        self.message = message or TEXTS.get(codeapp or 0, "")

    def response(self) -> tuple[Response, int, dict[str, str]]:
        body: dict = {"message": self.message}
        if self.codeapp is not None:
            body = {"codeapp": self.codeapp, **body}
        return jsonify({"erreur": body}), self.status, self.headers


def malformed(detail: str, codeapp: int | None = None) -> DgfipError:
    """400: a required header or a path parameter is missing or malformed."""
    return DgfipError(400, f"{MALFORMED} : {detail}", codeapp)


def denied(detail: str, codeapp: int | None = None, headers: dict[str, str] | None = None) -> DgfipError:
    """403: the caller (gateway token, ID_Teleservice or FranceConnect rights) may not have this answer."""
    return DgfipError(403, f"{DENIED} : {detail}", codeapp, headers)


class OAuthError(Exception):
    """An error of POST /token, answered as RFC 6749 section 5.2 JSON {error, error_description}."""

    def __init__(self, error: str, description: str, status: int = 400, headers: dict[str, str] | None = None):
        super().__init__(description)
        self.error, self.description, self.status, self.headers = error, description, status, headers or {}

    def response(self) -> tuple[Response, int, dict[str, str]]:
        body = jsonify(error=self.error, error_description=self.description)
        return body, self.status, {"Cache-Control": "no-store", **self.headers}
