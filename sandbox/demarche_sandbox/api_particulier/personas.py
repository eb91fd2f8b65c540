"""The simulator's people (data/personas.json): found as a provider would find them, and their `data`
shaped like the v3 OpenAPI's 200 schemas.
"""

from __future__ import annotations

import copy
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from demarche_sandbox.api_particulier.params import Criteria

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "personas.json"
_LIGATURES = str.maketrans({"Œ": "OE", "Æ": "AE", "-": " ", "'": " ", "’": " "})


@dataclass(frozen=True)
class Persona:
    login: str
    identity: dict[str, str]  # FranceConnect claims
    behaviour: str = ""  # "" | provider_down | slow
    ine: str = ""
    nom_commune_naissance: str = ""
    apis: dict[str, dict] = field(default_factory=dict)


def load_personas(path: str | Path = DEFAULT_FILE) -> list[Persona]:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    fields = Persona.__dataclass_fields__
    return [Persona(**{k: v for k, v in item.items() if k in fields}) for item in raw["personas"]]


def normalize(text: str) -> list[str]:
    """Upper case, no accents, hyphens and apostrophes as spaces: « Joëlle-Françoise » → JOELLE FRANCOISE."""
    decomposed = unicodedata.normalize("NFKD", text.upper().translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).split()


def matches(persona: Persona, criteria: Criteria) -> bool:
    """Birth name, leading first names, the birth-date parts given, and sex when given."""
    claims = persona.identity
    given = [word for prenom in criteria.prenoms for word in normalize(prenom)]
    own = normalize(claims["given_name"])
    if normalize(criteria.nom) != normalize(claims["family_name"]) or not given or own[: len(given)] != given:
        return False
    birth = [int(part) for part in claims["birthdate"].split("-")]
    for wanted, actual in zip((criteria.year, criteria.month, criteria.day), birth, strict=True):
        if wanted is not None and wanted != actual:
            return False
    sexe = {"male": "M", "female": "F"}.get(claims.get("gender", ""))
    return criteria.sexe is None or criteria.sexe == sexe


def find(personas: list[Persona], criteria: Criteria | None = None, ine: str = "") -> Persona | None:
    for persona in personas:
        if (ine and persona.ine.upper() == ine.upper()) or (criteria and matches(persona, criteria)):
            return persona
    return None


def _rentree(today: date) -> int:
    """Year of the current academic year's September."""
    return today.year if today.month >= 9 else today.year - 1


def _quotient_familial(data: dict, year: int, month: int) -> None:
    # CAF and MSA compute the quotient in January and use it all year (⚠ simplification)
    data["quotient_familial"].update(annee=year, mois=month, annee_calcul=year, mois_calcul=1)


def _etudiant_boursier(data: dict, persona: Persona, today: date) -> None:
    data["periode_versement_bourse"]["date_rentree"] = f"{_rentree(today)}-09-01"
    claims = persona.identity
    data["identite"] = {
        "nom": claims["family_name"],
        "prenoms": claims["given_name"].split(),
        "date_naissance": claims["birthdate"],
        "nom_commune_naissance": persona.nom_commune_naissance,
        "sexe": {"male": "M", "female": "F"}[claims["gender"]],
    }


def _statut_etudiant(data: dict, persona: Persona, today: date) -> None:
    year = _rentree(today)
    for admission in data["admissions"]:
        admission.update(date_debut=f"{year}-09-01", date_fin=f"{year + 1}-08-31")
    claims = persona.identity
    first = claims["given_name"].split()[0]
    data["identite"] = {
        "nom_naissance": claims["family_name"],
        "prenom": first,
        "date_naissance": claims["birthdate"],
    }


def build_data(api: str, persona: Persona, today: date, period: tuple[int, int] | None = None) -> dict | None:
    """This persona's full `data` for an API (before masking), or None when the provider has no file."""
    if api not in persona.apis:
        return None
    data = copy.deepcopy(persona.apis[api])
    if api == "quotient_familial":
        _quotient_familial(data, *(period or (today.year, today.month)))
    elif api == "etudiant_boursier":
        _etudiant_boursier(data, persona, today)
    elif api == "statut_etudiant":
        _statut_etudiant(data, persona, today)
    return data
