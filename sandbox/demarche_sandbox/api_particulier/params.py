"""Query-parameter checks of the simulator: recipient SIRET, pivot identity per provider family, INE
(the v3 OpenAPI's parameter lists; errors 00203, 00210, 00360, 00366, 00427).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from werkzeug.datastructures import MultiDict

from demarche_sandbox.api_particulier.errors import SimError, invalid

INE = re.compile(r"[0-9a-zA-Z]{11}")
LA_POSTE_SIREN = "356000000"  # La Poste's establishments: digit sum multiple of 5 instead of Luhn (INSEE)
MAX_PRENOMS = {"dss": 3, "cnous": 3, "mesri": 1}
_GENDERS = {"male": "M", "female": "F"}


@dataclass(frozen=True)
class Criteria:
    """Who is looked for: what a provider matches on."""

    nom: str
    prenoms: tuple[str, ...]
    year: int | None = None
    month: int | None = None
    day: int | None = None
    sexe: str | None = None

    @classmethod
    def from_claims(cls, claims: dict) -> Criteria:
        """From FranceConnect's pivot identity, as API Particulier maps it."""
        parts = [int(p) if p.isdigit() else 0 for p in str(claims.get("birthdate", "")).split("-")] + [
            0,
            0,
            0,
        ]
        return cls(
            nom=str(claims.get("family_name", "")),
            prenoms=tuple(str(claims.get("given_name", "")).split()),
            year=parts[0] or None,
            month=parts[1] or None,
            day=parts[2] or None,
            sexe=_GENDERS.get(str(claims.get("gender", ""))),
        )


def is_siret(value: str) -> bool:
    """14 ASCII digits passing the Luhn check, or La Poste's rule for its own establishments."""
    if len(value) != 14 or not value.isascii() or not value.isdigit():
        return False
    if value.startswith(LA_POSTE_SIREN):
        return sum(map(int, value)) % 5 == 0
    doubled = (int(digit) * (1 + index % 2) for index, digit in enumerate(reversed(value)))
    return sum(number - 9 if number > 9 else number for number in doubled) % 10 == 0


def check_recipient(args: MultiDict) -> None:
    recipient = args.get("recipient", "")
    if not recipient:
        raise SimError(422, "00203", parameter="recipient")
    if not is_siret(recipient):
        raise SimError(422, "00210", parameter="recipient")


def _integer(args: MultiDict, name: str, low: int, high: int, required: bool) -> int | None:
    value = args.get(name, "")
    if not value:
        if required:
            raise invalid(name)
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise invalid(name)
    return int(value)


def _code(args: MultiDict, name: str, sizes: tuple[int, ...], required: bool = False) -> str:
    value = args.get(name, "")
    if (value or required) and len(value) not in sizes:
        raise invalid(name)
    return value


def _birth_date(args: MultiDict, required: bool) -> tuple[int | None, int | None, int | None]:
    """Year, month, day; month is ignored without a year, day without a month (OpenAPI)."""
    year = _integer(args, "anneeDateNaissance", 1900, date.today().year, required)
    month = _integer(args, "moisDateNaissance", 1, 12, required) if year or required else None
    day = _integer(args, "jourDateNaissance", 1, 31, required) if month or required else None
    return year, month, day


def _birthplace(args: MultiDict, profile: str, year: int | None) -> None:
    """Commune code, or name + department + year (option 2); required for people born in France."""
    commune = _code(args, "codeCogInseeCommuneNaissance", (5,))
    department = _code(args, "codeCogInseeDepartementNaissance", (2, 3))
    if args.get("nomCommuneNaissance") and not (department and year):
        raise invalid("codeCogInseeDepartementNaissance" if not department else "anneeDateNaissance")
    if profile == "dss":
        country = _code(args, "codeCogInseePaysNaissance", (5,), required=True)
        if country == "99100" and not commune and not args.get("nomCommuneNaissance"):
            raise invalid("codeCogInseeCommuneNaissance")


def identity_criteria(args: MultiDict, profile: str) -> Criteria:
    """Validate the /identite parameters of one provider family and return the search criteria."""
    nom = args.get("nomNaissance", "").strip()
    if not nom:
        raise invalid("nomNaissance")
    prenoms = tuple(p.strip() for p in args.getlist("prenoms[]"))
    if not 1 <= len(prenoms) <= MAX_PRENOMS[profile] or not all(prenoms):
        raise invalid("prenoms[]")
    sexe = args.get("sexeEtatCivil", "")
    if not sexe and profile != "cnous":
        raise invalid("sexeEtatCivil", "00427")
    if sexe and sexe not in ("M", "F"):
        raise invalid("sexeEtatCivil")
    year, month, day = _birth_date(args, required=profile != "dss")
    _birthplace(args, profile, year)
    return Criteria(nom, prenoms, year, month, day, sexe or None)


def ine_value(args: MultiDict) -> str:
    ine = args.get("ine", "")
    if not INE.fullmatch(ine):
        raise invalid("ine", "00360")
    return ine


def period(args: MultiDict, today: date) -> tuple[int, int]:
    """Quotient familial month: `annee`/`mois`, the current month by default."""
    year = _integer(args, "annee", 2000, today.year, required=False) or today.year
    month = _integer(args, "mois", 1, 12, required=False) or today.month
    return year, month
