"""An identity typed by someone (the person online without FranceConnect, or an agent at the desk), in the
form API Particulier's identité modality needs it: birth name, up to three first names, sex, birth date,
birthplace code valid at that date (https://particulier.api.gouv.fr/developpeurs/openapi, /v3/dss/*/identite).

A declared identity is a call key for a check by an agent, never a proof: nothing fetched with it is shown
to whoever typed it (https://particulier.api.gouv.fr/cgu, article 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from demarche import cog
from demarche.identity import PivotIdentity

SEXES = {"F": "female", "M": "male"}  # sexeEtatCivil → FranceConnect's gender, which the API client maps back


@dataclass(frozen=True)
class DeclaredIdentity:
    """What was declared; `commune` is "" for a birth abroad, `country` is 99100 for France."""

    nom_naissance: str
    prenoms: tuple[str, ...]
    sexe: str  # M | F, as on the civil-status record
    date_naissance: date
    commune: str
    country: str
    nom_usage: str = ""

    def to_dict(self) -> dict:
        return {"nom_naissance": self.nom_naissance, "prenoms": list(self.prenoms), "sexe": self.sexe,
                "date_naissance": self.date_naissance.isoformat(), "commune": self.commune,
                "pays": self.country, "nom_usage": self.nom_usage}

    @classmethod
    def from_dict(cls, data: dict) -> DeclaredIdentity:
        return cls(nom_naissance=data["nom_naissance"], prenoms=tuple(data["prenoms"]), sexe=data["sexe"],
                   date_naissance=date.fromisoformat(data["date_naissance"]), commune=data["commune"],
                   country=data["pays"], nom_usage=data.get("nom_usage", ""))

    def pivot(self) -> PivotIdentity:
        """The same identity in FranceConnect's claim names, which the API Particulier client maps."""
        return PivotIdentity(given_name=" ".join(self.prenoms), family_name=self.nom_naissance,
                             birthdate=self.date_naissance.isoformat(), gender=SEXES[self.sexe],
                             birthplace=self.commune, birthcountry=self.country, preferred_username=self.nom_usage)

    def claims(self) -> dict:
        """What a dossier keeps as its identity: the claim names every page reads, marked as declared."""
        return {**self.pivot().to_dict(), "source": "declaration", "declaration": self.to_dict()}

    @property
    def birthplace_label(self) -> str:
        if self.country != cog.FRANCE:
            found = cog.country(self.country)
            return found.name if found else self.country
        found = cog.commune(self.commune, self.date_naissance)
        return f"{found.label} — code {found.code}" if found else self.commune


def is_declared(identity: dict | None) -> bool:
    """A dossier's identity typed by a person rather than certified by FranceConnect."""
    return bool(identity) and identity.get("source") == "declaration"
