"""Query parameters of API Particulier v3: the recipient SIRET check and the pivot identity mapping.

Parameter names follow the official OpenAPI v3 (https://particulier.api.gouv.fr/developpeurs/openapi);
the FranceConnect claim → parameter mapping is the one API Particulier applies itself
(https://particulier.api.gouv.fr/cas_usages/modalite_appel_france_connect).
"""

from __future__ import annotations

from dataclasses import dataclass

from demarche.identity import PivotIdentity

LA_POSTE_SIREN = "356000000"  # its establishments' SIRETs fail Luhn: their digits sum to a multiple of 5


def is_valid_siret(value: str) -> bool:
    """14 digits passing the Luhn check (or La Poste's own rule)."""
    if len(value) != 14 or not value.isascii() or not value.isdigit():
        return False
    if value.startswith(LA_POSTE_SIREN):
        return sum(int(digit) for digit in value) % 5 == 0
    total = 0
    for index, digit in enumerate(reversed(value)):
        number = int(digit) * (2 if index % 2 else 1)
        total += number - 9 if number > 9 else number
    return total % 10 == 0


@dataclass(frozen=True)
class IdentityProfile:
    """Which identity parameters a provider family accepts (they differ per route in the OpenAPI)."""

    max_prenoms: int
    with_country: bool  # codeCogInseePaysNaissance
    with_usage_name: bool  # nomUsage


DSS = IdentityProfile(max_prenoms=3, with_country=True, with_usage_name=True)
CNOUS = IdentityProfile(max_prenoms=3, with_country=False, with_usage_name=False)
MESRI = IdentityProfile(max_prenoms=1, with_country=False, with_usage_name=False)

_SEX = {"male": "M", "female": "F"}


def _birth_date_params(birthdate: str) -> dict[str, int]:
    """Split YYYY-MM-DD; a 00 month or day (presumed date) is left out, as the API expects."""
    parts = birthdate.split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return {}
    year, month, day = (int(part) for part in parts)
    params = {"anneeDateNaissance": year}
    if month:
        params["moisDateNaissance"] = month
        if day:
            params["jourDateNaissance"] = day
    return params


def identity_params(identity: PivotIdentity, profile: IdentityProfile) -> dict[str, str | int | list[str]]:
    """Map FranceConnect claims to the /identite route's query parameters."""
    params: dict[str, str | int | list[str]] = {
        "nomNaissance": identity.family_name,
        "prenoms[]": identity.given_names[: profile.max_prenoms],
        **_birth_date_params(identity.birthdate),
    }
    if identity.gender in _SEX:
        params["sexeEtatCivil"] = _SEX[identity.gender]
    if profile.with_country and identity.birthcountry:
        params["codeCogInseePaysNaissance"] = identity.birthcountry
    if identity.birthplace:
        params["codeCogInseeCommuneNaissance"] = identity.birthplace
    if profile.with_usage_name and identity.preferred_username:
        params["nomUsage"] = identity.preferred_username
    return params
