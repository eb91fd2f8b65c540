"""The simulated tax households (data/foyers.json): finding the citizen's household from the pivot
identity, and building one year's answer, masked to the granted dgfip_* scopes.

Fields follow the OpenAPI schema SituationsIRAssiettesJAXBbean; the scope → field table follows the
scope labels of FranceConnect (back/libs/scopes/src/data/dgfip/dgfip.labels.ts) matched with the field
names of the DGFiP's presentation (section 7): no public table maps one to the other.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from demarche_sandbox.impot_particulier.years import relative_key

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "foyers.json"
_LIGATURES = str.maketrans({"Œ": "OE", "Æ": "AE", "-": " ", "'": " ", "’": " "})
SEXE = {"male": "M", "female": "F"}

PAC_COUNT = frozenset({"dgfip_pac_nbPac", "dgfip_nbpac", "dgfip_pac"})
FIELD_SCOPES: dict[str, frozenset[str]] = {
    "rfr": frozenset({"dgfip_rfr"}),
    "sitFam": frozenset({"dgfip_sitfam"}),
    "nbPart": frozenset({"dgfip_nbpart"}),
    "sitParIso": frozenset({"dgfip_pariso"}),
    "aft": frozenset({"dgfip_aft"}),
    "aftDetail": frozenset({"dgfip_aft"}),  # "transmise par défaut" with aft
    "mntRevbareme": frozenset({"dgfip_mntRevbareme"}),
    **{f"{field}Dec{n}": frozenset({f"dgfip_{field}Dec{n}", "dgfip_decl"})
       for n in (1, 2) for field in ("nmNai", "nmUsa", "prnm", "dateNais")},
    "dptNaissDec1": frozenset({"dgfip_decl"}),
    "dptNaissDec2": frozenset({"dgfip_decl"}),
}
DATA_SCOPES = frozenset().union(PAC_COUNT, *FIELD_SCOPES.values())


@dataclass(frozen=True)
class Foyer:
    id: str
    declarants: list[dict]
    adresse: dict[str, str]
    avis: dict[str, dict]  # "N-1", "N-2", "N-3" → that year's assessment


def load_foyers(path: str | Path = "") -> list[Foyer]:
    raw = json.loads(Path(path or DEFAULT_FILE).read_text(encoding="utf-8"))
    return [Foyer(item["id"], item["declarants"], item["adresse"], item["avis"]) for item in raw["foyers"]]


def normalize(text: str) -> str:
    """Upper case, no accents, hyphens and apostrophes as spaces: « Joëlle-Françoise » → JOELLE FRANCOISE."""
    decomposed = unicodedata.normalize("NFKD", text.upper().translate(_LIGATURES))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def is_declarant(declarant: dict, identity: dict[str, str]) -> bool:
    """The RNIPP identity is this declarant's: birth name, all first names, birth date, sex, birthplace."""
    return (
        bool(identity.get("family_name")) and bool(identity.get("given_name"))
        and normalize(identity["family_name"]) == normalize(declarant["nom_naissance"])
        and normalize(identity["given_name"]) == normalize(declarant["prenoms"])
        and identity.get("birthdate") == declarant["date_naissance"]
        and SEXE.get(identity.get("gender", "")) == declarant["sexe"]
        and identity.get("birthplace", "") == declarant["code_commune_naissance"]
        and identity.get("birthcountry", "") == declarant["code_pays_naissance"]
    )


def find_foyer(foyers: list[Foyer], identity: dict[str, str]) -> Foyer | None:
    """The household where the citizen is declarant 1 or 2 (the DGFiP reconciles the identity to a SPI)."""
    return next((foyer for foyer in foyers if any(is_declarant(d, identity) for d in foyer.declarants)), None)


def _declarant_fields(declarant: dict, n: int) -> dict:
    year, month, day = declarant["date_naissance"].split("-")
    return {
        f"nmNaiDec{n}": declarant["nom_naissance"], f"nmUsaDec{n}": declarant["nom_usage"],
        f"prnmDec{n}": declarant["prenoms"], f"dateNaisDec{n}": {"jour": day, "mois": month, "annee": year},
        f"dptNaissDec{n}": declarant["departement_naissance"],
    }


def _address(adresse: dict[str, str]) -> tuple[str, dict[str, str]]:
    """aft (one line) and aftDetail; the OpenAPI names the city fields getcommune/getcodePostal."""
    parts = [adresse.get("complementAdresse", ""), adresse["voie"], f"{adresse['codePostal']} {adresse['commune']}"]
    detail = {"complementAdresse": adresse.get("complementAdresse", ""), "voie": adresse["voie"],
              "getcommune": adresse["commune"], "getcodePostal": adresse["codePostal"]}
    return " ".join(part for part in parts if part), detail


def assessment(foyer: Foyer, annrev: int, today: date) -> dict | None:
    """Every field of this household's assessment of `annrev` (before masking), or None without one."""
    avis = foyer.avis.get(relative_key(annrev, today))
    if avis is None:
        return None
    aft, aft_detail = _address(avis.get("adresse", foyer.adresse))
    full = {"rfr": avis["rfr"], "sitFam": avis["sitFam"], "nbPart": avis["nbPart"], "pac": avis["pac"]}
    for n, declarant in enumerate(avis.get("declarants", foyer.declarants), start=1):
        full.update(_declarant_fields(declarant, n))
    full.update(aft=aft, aftDetail=aft_detail)
    if avis.get("sitParIso"):
        full["sitParIso"] = avis["sitParIso"]
    if avis.get("mntRevbareme"):  # absent without income taxed at the scale
        full["mntRevbareme"] = avis["mntRevbareme"]
    return full


def mask(full: dict, scopes: frozenset[str]) -> dict:
    """Only the fields of the granted scopes ("seules les données contractualisées sont transmises")."""
    masked = {}
    for key, value in full.items():
        if key == "pac":
            if scopes & PAC_COUNT:  # the count alone, unless the detail (dgfip_pac) is granted
                masked["pac"] = value if "dgfip_pac" in scopes else {"nbPac": value["nbPac"]}
        elif FIELD_SCOPES.get(key, frozenset()) & scopes:
            masked[key] = value
    return masked
