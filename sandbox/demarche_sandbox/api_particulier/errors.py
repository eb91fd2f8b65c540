"""Error payloads of the API Particulier simulator, {"errors": [...]} with the official codes and French texts
(v3 OpenAPI examples, else the v2 OpenAPI and https://github.com/etalab/admin_api_entreprise).
"""

from __future__ import annotations

UNAUTHORIZED = "Accès non autorisé"
UNPROCESSABLE = "Entité non traitable"

TEXTS: dict[str, tuple[str, str]] = {
    "00015": (
        "Conflit",
        "Une requête associé à votre jeton est déjà en cours de traitement pour ces paramètres. "
        "Veuillez attendre la fin du traitement avant d'effectuer une nouvelle requête.",
    ),
    "00100": (
        "Privilèges insuffisants",
        "Votre token est valide mais vos privilèges sont insuffisants. "
        "Listez vos privilèges sur /api/introspect",
    ),
    "00101": ("Interdit", "Votre token n'est pas valide ou n'est pas renseigné"),
    "00203": (UNPROCESSABLE, "Le paramètre recipient est obligatoire"),
    "00210": (UNPROCESSABLE, "Le paramètre recipient n'est pas un siret valid"),  # verbatim, server code
    "00360": (UNPROCESSABLE, "Le numéro d'INE n'est pas correctement formatté"),
    "00366": (UNPROCESSABLE, "Un ou plusieurs paramètres de civilité ne sont pas correctement formatés"),
    "00427": (UNPROCESSABLE, "Le sexe de l'état civil est manquant"),
    "00429": ("Trop de requêtes", "Vous avez effectué trop de requêtes"),
    "00501": (
        "Erreur réseau",
        "Problème de connexion au serveur distant. L'erreur peut venir soit du fournisseur, soit de API "
        "Entreprise. Il s'agit souvent d'une erreur temporaire.",
    ),
    # FranceConnect access-token errors: 50002 is in the v2 OpenAPI; the other texts are ours (⚠ not documented).
    "50001": (UNAUTHORIZED, "Le jeton d'accès est mal formé."),
    "50002": (UNAUTHORIZED, "Le jeton d'accès n'a pas été trouvé ou est expiré."),
    "50003": (
        UNAUTHORIZED,
        "Le jeton d'accès ne donne pas accès à l'identité pivot (scopes présents : {scopes}).",
    ),
    "50004": (UNAUTHORIZED, "Le jeton d'accès FranceConnect est absent."),
}

# Provider errors: code = provider prefix + these suffixes (v3 examples: 37001, 26002, 25999…).
PROVIDER_TEXTS: dict[str, tuple[str, str]] = {
    "001": (
        "Service non disponible",
        "Service du fournisseur de données temporairement indisponible ou en maintenance.",
    ),
    "002": ("Intermédiaire hors-délai", "Temps d’attente d’une réponse du fournisseur de données écoulé."),
    "999": (
        "Erreur inconnue du fournisseur de données",
        "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. "
        "L'équipe technique a été notifiée de cette erreur pour investigation.",
    ),
}


class SimError(Exception):
    """An error answer: HTTP status plus one entry of `errors`, raised anywhere in a view."""

    def __init__(
        self,
        status: int,
        code: str,
        *,
        title: str = "",
        detail: str = "",
        parameter: str | None = None,
        meta: dict | None = None,
        headers: dict[str, str] | None = None,
    ):
        default_title, default_detail = TEXTS.get(code, ("", ""))
        super().__init__(f"{status} {code}")
        self.status = status
        self.entry = {
            "code": code,
            "title": title or default_title,
            "detail": detail or default_detail,
            "source": {"parameter": parameter} if parameter else None,
            "meta": meta or {},
        }
        self.headers = headers or {}

    def body(self) -> dict:
        return {"errors": [self.entry]}


def provider_error(status: int, prefix: str, provider: str, suffix: str) -> SimError:
    """A provider error such as 502 37999 (CNAV) or 504 26002 (CNOUS)."""
    title, detail = PROVIDER_TEXTS[suffix]
    return SimError(status, prefix + suffix, title=title, detail=detail, meta={"provider": provider})


def invalid(parameter: str, code: str = "00366") -> SimError:
    """A 422 naming the refused parameter in `source` (the OpenAPI examples leave it null)."""
    return SimError(422, code, parameter=parameter)


def token_error(code: str = "00101") -> SimError:
    return SimError(401, code, parameter="token" if code == "00101" else None)
